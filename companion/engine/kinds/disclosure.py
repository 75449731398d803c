"""disclosure: mentioning the company or its products from a personal account needs a disclosure.

Fires once, on the first mention, unless the draft already carries the disclosure line, one of the
disclosure hashtags or another marker ("I work at ..."). Never fires on official accounts.
With `praise`, it also fires on a reply that speaks well of the company without naming it when the
message answered names it ("is the Acme line really 24/7?" - "yep, best service going"): the
employee vouches for their employer in a thread about it, which needs a disclosure as much.
With `model`, a mention that no listed marker discloses is put to the shipped second opinion's
`disclosure` column, trained on drafts from personal accounts that name their company: when it reads
the draft as saying in other words that the writer works there ("my first wedding dress as lead
tailor at Pressly Bridal", "Jade from Heatherfield reception here"), there is no finding. And a reply
under a message that names the company, which names nothing itself and has no praise token, is put to
its `disclosure_in_thread` column: when the model reads it as vouching for the company ("tbh yes, they
did my cousin's wedding and it was stunning"), it gets the praise finding, pointing at the words that
weigh most.
A reply under a question that asks where the writer works (`asked_where`: "where are you working
now?" - "Pillbrook! Coventry site") names the company to say just that, and needs no disclosure.
A handle named only as where to ask ("no idea, DM @AcmeHelp") hands the question to the official team;
with `handed_over`, such a mention needs no disclosure unless the draft also praises the company.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from companion.engine.addresses import inside, link_spans
from companion.engine.builtin_text import say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.kinds.base import PackRule, public_names, writes_bulgarian
from companion.engine.kinds.second_opinion import explained
from companion.engine.language.latin_bulgarian import usual_spellings
from companion.engine.language.lemmas import in_dictionary
from companion.engine.language.textmodel import TextModel, shipped_model, weighed_draft
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.matcher import Matcher
from companion.engine.normalize import Normalized
from companion.engine.prefilter import Required

THREAD = "disclosure_in_thread"   # the second opinion's column for a reply that names nothing in a thread that does
# "#AcmeTeam", "#AcmeCrew": a hashtag of the company's name and a word for its staff says the writer works there
STAFF_TAG_WORDS = ("team", "crew", "staff", "employee", "employees", "family", "fam", "life", "squad", "people",
                   "colleagues", "proud", "екип", "екипът", "отбор", "семейство", "служители", "ekip", "otbor")


@dataclass
class DisclosureRule(PackRule):
    mentions: Matcher | None = None
    disclosed_by: Matcher | None = None
    ordinary_words: dict[str, tuple[str, ...]] = field(default_factory=dict)   # names that are also words, as listed
    line: str | None = None      # the company's disclosure line, offered when the rule writes no suggestion
    praise: Matcher | None = None     # praise or defence, in a reply to a message that names the company
    company: str = ""
    model: TextModel | None = None    # reads whether a draft says in other words that the writer works there
    vocab: Vocabulary | None = None   # the pack's classes, which the model reads words as
    handed_over: Matcher | None = None   # "ask|DM|пиши на <handle>": pointing someone to the official team
    asked_where: Matcher | None = None   # "where do you work now?" in the message answered

    def run(self, ctx: CheckContext) -> list[Finding]:
        if ctx.official:
            return []
        hits = self._not_handed_over(ctx.norm, self.mentions_in(ctx.norm))
        in_thread = not hits and self._thread_names_company(ctx)    # the message answered, read once
        praised = self.praise.find(ctx.norm) if in_thread and self.praise is not None else []
        if not (hits or praised):
            return self._vouching_read_by_model(ctx) if in_thread else []
        if self.disclosed_by.find(ctx.norm) or (hits and self._answers_where_i_work(ctx)):
            return []
        if hits and self._model_reads_disclosed(ctx):
            return []
        suggestions = self._suggestions(ctx)
        if praised:
            h = praised[0]
            return [self.finding(ctx, h.start, h.end, suggestions=suggestions, detail=h.detail(),
                                 message=say(ctx.lang, "disclosure.praise", company=self.company))]
        h = hits[0]
        return [self.finding(ctx, h.start, h.end, suggestions=suggestions, detail={
            **h.detail(), "mentions": sorted({ctx.norm.slice16(x.start, x.end) for x in hits})})]

    def _suggestions(self, ctx: CheckContext) -> list[Suggestion]:
        suggestions = self.wording(ctx.lang)[2]
        if not suggestions and self.line:
            suggestions = [Suggestion(say(ctx.lang, "disclosure.add_line"), insert="\n\n" + self.line)]
        return suggestions

    def mentions_in(self, norm: Normalized) -> list:
        hits = self.mentions.find(norm)
        if hits:
            addresses = link_spans(norm)
            hits = [h for h in hits if not inside(addresses, h.start, h.end) and not self._the_word(norm, h)]
        return hits

    def _not_handed_over(self, norm: Normalized, hits: list) -> list:
        """The mentions less the @handles the draft only sends someone to; all of them when it also praises."""
        if not hits or self.handed_over is None:
            return hits
        spans = self.handed_over.find(norm)
        if not spans or (self.praise is not None and self.praise.find(norm)):
            return hits
        return [h for h in hits if not (h.start and norm.slice16(h.start - 1, h.start) == "@"
                                        and any(s.start <= h.start and h.end <= s.end for s in spans))]

    def _disclosure_probability(self, ctx: CheckContext) -> float | None:
        """The model's probability that the draft still needs a disclosure; None without the model."""
        if self.model is None or "disclosure" not in self.model.categories:
            return None
        return self.model.probability("disclosure", weighed_draft(ctx, self.model, self.vocab))

    def _model_reads_disclosed(self, ctx: CheckContext) -> bool:
        p = self._disclosure_probability(ctx)
        return p is not None and p < self.model.threshold("disclosure")

    def _answers_where_i_work(self, ctx: CheckContext) -> bool:
        return self.asked_where is not None and ctx.reply_norm is not None and bool(self.asked_where.find(ctx.reply_norm))

    def _thread_names_company(self, ctx: CheckContext) -> bool:
        return ctx.reply_norm is not None and bool(self.mentions_in(ctx.reply_norm))

    def _praise_in_thread(self, ctx: CheckContext) -> list:
        return self.praise.find(ctx.norm) if self.praise is not None and self._thread_names_company(ctx) else []

    def _reads_threads(self) -> bool:
        return self.model is not None and THREAD in self.model.categories

    def _vouching_read_by_model(self, ctx: CheckContext) -> list[Finding]:
        """The praise finding for a reply in a thread about the company (run() has read the message
        answered) that the model reads as vouching for it, in words no praise token lists."""
        if not self._reads_threads() or self.disclosed_by.find(ctx.norm):
            return []
        opinion = self.model.opinion(THREAD, weighed_draft(ctx, self.model, self.vocab))
        if opinion is None:
            return []
        _, detail, resembled = explained(opinion, ctx.norm, ctx.lang)
        first, last, _ = opinion.evidence[0]
        return [self.finding(ctx, ctx.norm.tokens[first].start, ctx.norm.tokens[last].end, suggestions=self._suggestions(ctx),
                             message=say(ctx.lang, "disclosure.praise", company=self.company),
                             why=self.wording(ctx.lang)[1] + resembled, detail=detail)]

    def required(self) -> Required:
        return Required(draft=(self.mentions,), reply=(self.mentions,) if self.praise or self._reads_threads() else None)

    def _the_word(self, norm: Normalized, h) -> bool:
        """'saw a kestrel hovering' is the bird and 'a day pass' any day pass; 'Kestrel', 'KESTREL' and
        'Day Pass' may be the company's. A capital at the start of a sentence is not enough for a name
        listed with more capitals: 'Late surgery views' is not the 'Late Surgery'."""
        written = norm.slice16(h.start, h.end)
        listed = self.ordinary_words.get(written.casefold())
        if listed is None:
            return False
        return written.islower() or not any(_capitals_as_listed(written, name) for name in listed)

    def explain_miss(self, ctx: CheckContext) -> str:
        if ctx.official:
            return "official account"
        mentioned = bool(self.mentions_in(ctx.norm))
        if mentioned and not self.disclosed_by.find(ctx.norm) and self._answers_where_i_work(ctx):
            return "the draft answers a question about where the writer works"
        if mentioned and not self.disclosed_by.find(ctx.norm) and self._model_reads_disclosed(ctx):
            return (f"the model reads the draft as saying that the writer works there (its probability of a missing "
                    f"disclosure is {self._disclosure_probability(ctx):.2f}, below {self.model.threshold('disclosure'):.2f})")
        if mentioned or self._praise_in_thread(ctx):
            return "the draft carries a disclosure"
        if self._thread_names_company(ctx):
            if self._reads_threads():
                p = self.model.probability(THREAD, weighed_draft(ctx, self.model, self.vocab))
                return (f"the message answered names the company, but neither a praise token nor the model reads the "
                        f"draft as vouching for it (its probability is {p:.2f}; it speaks at "
                        f"{self.model.threshold(THREAD):.2f} or more)")
            return "the message answered names the company, but the draft does not speak well of it"
        return "no mention of the company or its products"


def _capitals_as_listed(written: str, name: str) -> bool:
    """Is every word the name capitalises written with a capital?"""
    words, listed = written.split(), name.split()
    if len(words) != len(listed):
        return not written.islower()
    return all(w[:1].isupper() or not n[:1].isupper() for w, n in zip(words, listed))


def compile(raw: dict[str, Any], pack_data: dict[str, Any], vocab: Vocabulary | None = None) -> DisclosureRule:
    company = pack_data["company"]
    disclosure = company.get("disclosure") or {}
    mentions = raw.get("mentions") or public_names(company)
    if writes_bulgarian(pack_data):    # staff type "Келпи" on a phone as "Kelpi"
        mentions = list(dict.fromkeys([*mentions, *usual_spellings(mentions)]))
    disclosed_by = raw.get("disclosed_by") or [
        *([disclosure["line"]] if disclosure.get("line") else []),
        *disclosure.get("hashtags", ()), *disclosure.get("markers", ())]
    common = PackRule.common(raw, "disclosure")
    # `tokens` are disclosures in any words ("I've worked at <company> for 5 years"), from the base policy
    # names made of dictionary words ("Kestrel", "Day Pass") are a mention only when written with a capital
    ordinary: dict[str, tuple[str, ...]] = {}
    for m in (m.strip() for m in mentions):
        if m and all(in_dictionary(w) for w in m.casefold().split()):
            ordinary[m.casefold()] = (*ordinary.get(m.casefold(), ()), m)
    praise = Matcher(tokens=raw["praise"], vocab=vocab) if raw.get("praise") else None
    handed_over = Matcher(tokens=raw["handed_over"], vocab=vocab) if raw.get("handed_over") else None
    asked_where = Matcher(tokens=raw["asked_where"], vocab=vocab) if raw.get("asked_where") else None
    staff_tags = [staff_tag_pattern(n) for n in (company.get("name", ""), *company.get("aliases", ()))]
    return DisclosureRule(**common, mentions=Matcher(mentions), ordinary_words=ordinary, line=disclosure.get("line"),
                          disclosed_by=Matcher(disclosed_by, patterns=[t for t in staff_tags if t], tokens=raw.get("tokens", ()),
                                               vocab=vocab),
                          praise=praise, handed_over=handed_over, asked_where=asked_where, company=company.get("name", ""),
                          model=shipped_model() if raw.get("model") else None, vocab=vocab)


def staff_tag_pattern(name: str) -> str | None:
    """The pattern of "#<name><staff word>" for one of the company's names, spaces and signs left out;
    None for a name too short to be told from an ordinary hashtag."""
    letters = "".join(ch for ch in name if ch.isalnum())
    if len(letters) < 3:
        return None
    words = "|".join(STAFF_TAG_WORDS)
    return rf"#{letters}(?:{words})(?:$|[^\pL\pN])"     # letters and digits only: nothing to escape
