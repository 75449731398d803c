"""Choose the official links to send a customer to, from the draft and the message being answered.

Not findings: they come in their own list. The message being answered weighs double, since it says
what the customer needs. A referral is found by its own topics (any word form, and Cyrillic ones also
typed in Latin letters), more weakly by the other words of the topic thesaurus groups its topics are
in (topicwords.py), and most weakly by the distinctive words of its title and description. How staff
treated someone ("the cashier was rude") sends them to the complaints page above all. Which of the
pages found comes first is learnt from other companies' conversations (referral_model.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations
from typing import Any

from companion.engine.language.analysis import analyse
from companion.engine.language.tokenpattern import TokenPatterns
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.normalize import Normalized, normalize
from companion.engine.phraseset import PhraseSet
from companion.engine.referral_model import ReferralModel, conversation_words, lexical_features, page_words
from companion.engine.topicindex import TopicIndex
from companion.engine.topicwords import topic_key, topic_words

MAX_REFERRALS = 3
REPLY_WEIGHT = 2
OWN, SYNONYM, DESCRIBED = 4, 2, 1     # per word: the company's topic, a thesaurus word, a title/description word
CONDUCT = 8     # how staff treated someone, for a complaints page: outweighs the place or product named
ANSWERING_SURFACES = ("reply", "comment", "message")
MENTION = re.compile(r"(?:^|[^\w@])@(\w{2,30})")
# Characters of a draft, and of the message answered, read for its links (about 2,000 words): what a
# conversation is about shows long before, and a 63,206-character draft addressed to @someone would
# otherwise cost its topics' matching over every word.
MAX_READ = 12_000
# No page's words in a conversation: the learnt model's page still goes first when its sum clears this.
# Held out by company (three folds over the tuned companies), of the 546 such conversations with a labelled
# page, the model's best page was right for 219 (0.40); over -4 for 88 of 124 (0.71), over -3 for 26 of 34.
LEARNT_ONLY = -4.0
LEARNT_REASON = "“{}” (learnt: other companies sent such conversations to such a page)"


def _head(norm: Normalized) -> Normalized:
    """The text's first MAX_READ characters (the text itself when it is no longer)."""
    return norm.head(MAX_READ)


def customer_in_sight(text: str, surface: str, replying_to: str | None, own_handles: set[str]) -> bool:
    """A link to send someone to is only useful when someone is being answered: a reply, comment or
    message, a message being answered, or a draft addressed to @someone other than the company."""
    if replying_to or surface in ANSWERING_SURFACES:
        return True
    return any(m.group(1).casefold() not in own_handles for m in MENTION.finditer(text))


PLAIN_TOPIC = re.compile(r"[\w' -]+")


@dataclass
class Referral:
    id: str
    title: str
    url: str
    description: str | None
    topics: tuple[str, ...]          # as the pack writes them
    phrases: PhraseSet               # the topics as phrases
    forms: TokenPatterns | None      # the same topics in any word form (refunds, възстановяване → the topic)
    stems: dict[str, list[str]]      # Cyrillic one-word topics by their first letters: stem → topic


CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]{8,}")
STEM_KEY = 5


def _cyrillic_stems(topics: list[str]) -> dict[str, list[str]]:
    """Bulgarian derives nouns and verbs from one stem (възстановяване, възстановим, възстановена),
    which the lemmatizer keeps apart; a long one-word topic also matches words sharing its stem
    (the word less its last five letters, at least five letters)."""
    out: dict[str, list[str]] = {}
    for t in topics:
        word = t.strip().casefold()
        if CYRILLIC_WORD.fullmatch(word):
            stem = word[:max(STEM_KEY, len(word) - 5)]
            out.setdefault(stem[:STEM_KEY], []).append(stem)
    return out


def _any_order(topic: str) -> list[str]:
    """A topic of two or three words also matches in another order with a few words between:
    "frozen account" finds "my account's been frozen", "stolen card" finds "card stolen"."""
    words = topic.split()
    if not 2 <= len(words) <= 3:
        return [" ".join(words)]
    return [" ..2 ".join(order) for order in dict.fromkeys(permutations(words))]


def _bare_address(url: str) -> str:
    """"https://www.acme.example/help/" as a draft may write it: "acme.example/help"."""
    bare = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().casefold())
    return bare.removeprefix("www.").rstrip("/")


class ReferralChooser:
    def __init__(self, raw: list[dict[str, Any]], company_names: list[str] = (),
                 model: ReferralModel | None = None):
        self.vocab = Vocabulary.build(None, {})
        self.referrals = []
        for r in raw:
            plain = [t for t in r["topics"] if PLAIN_TOPIC.fullmatch(t) and normalize(t).tokens]
            forms = TokenPatterns(((p, None) for t in plain for p in _any_order(t)), self.vocab.class_names)
            forms.index_for(self.vocab)     # at compile time, kept with the pack (TokenPatterns.index_for)
            self.referrals.append(Referral(r["id"], r["title"], r["url"], r.get("description"), tuple(r["topics"]),
                                           PhraseSet((t, None) for t in r["topics"]), forms if plain else None,
                                           _cyrillic_stems(r["topics"])))
        names = {t.text for n in company_names for t in normalize(n).tokens}   # in every title, about nothing
        complaint = {k for k, r in enumerate(self.referrals) if _is_complaint_page(r, topic_words())}
        self.complaint_pages = [r for k, r in enumerate(self.referrals) if k in complaint]
        self.more = _more_words(self.referrals, names, complaint)
        self._addresses = [_bare_address(r.url) for r in self.referrals]
        self.model = model
        stop_words = topic_words().stop_words | names
        self.page_word_sets = [page_words(r.title, r.description, r.topics, stop_words) for r in self.referrals]
        self.reader = model.reader(self.page_word_sets) if model else None

    def choose(self, draft: Normalized, reply: Normalized | None,
               linked: list[Referral] | None = None) -> list[dict[str, Any]]:
        # A page the draft already links to is the one the writer chose: it comes first. `linked`:
        # self.linked(draft.text), when the caller has already read it.
        if linked is None:
            linked = self.linked(draft.text)
        ids = {r.id for r in linked}
        ranked = [(r, "the draft links to it") for r in linked] + \
                 [(r, "mentions " + ", ".join(dict.fromkeys(words)))
                  for r, words in self._ranked(_head(draft), _head(reply) if reply else None) if r.id not in ids]
        return [{"id": r.id, "title": r.title, "url": r.url, "reason": reason} for r, reason in ranked[:MAX_REFERRALS]]

    def linked(self, text: str) -> list[Referral]:
        """The pack's pages the text links to, in the order it links them: at each place, the
        longest of their addresses written there (with or without https:// and www.)."""
        low = text.casefold()
        at: dict[int, tuple[int, Referral]] = {}
        for r, address in zip(self.referrals, self._addresses):
            i = low.find(address) if address else -1
            while i >= 0:
                end = i + len(address)
                if not (end < len(low) and (low[end].isalnum() or low[end] in "_-")) and \
                        (i not in at or at[i][0] < len(address)):
                    at[i] = (len(address), r)
                i = low.find(address, end)
        return list({r.id: r for _, (_, r) in sorted(at.items())}.values())     # each page once, where first linked

    def links_for(self, replying_to: str | None):
        """What {link:a|b} becomes in a reply to `replying_to`: of the ids named, the referral the
        message is most about, else the first named (the default)."""
        urls = {r.id: r.url for r in self.referrals}
        ranked = [r.id for r, _ in self._ranked(normalize(""), normalize(replying_to[:MAX_READ]))] if replying_to else []

        def link(ids: tuple[str, ...]) -> str:
            return urls[next((i for i in ranked if i in ids), ids[0])]
        return link

    def _ranked(self, draft: Normalized, reply: Normalized | None) -> list[tuple[Referral, list[str]]]:
        scores, words = self.lexical(draft, reply)
        if self.model is not None and scores:
            scored = self._learnt(draft, reply, scores, words)
        else:
            scored = [(k, words[k]) for k in order_by_points(scores)]
        if not scored:
            return (self._complaint_fallback(reply) if reply is not None else []) or self._learnt_only(draft, reply)
        return [(self.referrals[k], why) for k, why in scored]

    def _learnt(self, draft: Normalized, reply: Normalized | None, scores: dict[int, tuple[int, int, int]],
                words: dict[int, list[str]]) -> list[tuple[int, list[str]]]:
        """The pages the words above found, in the learnt model's order (referral_model.py). Where the
        model puts a different page first than the points would, that page's reason also names the
        conversation words that put it there."""
        said, answered, sums = self._learnt_sums(draft, reply)
        order = [k for _, k in sorted((-self.model.z(lexical_features(s), sums[k]), k) for k, s in scores.items())]
        out = [(k, words[k]) for k in order]
        first = order[0]
        if first != order_by_points(scores)[0]:
            named = " ".join(words[first]).casefold()
            learnt = [w for w in self.reader.leaning(first, said, answered) if f"“{w}" not in named]
            out[0] = (first, words[first] + [LEARNT_REASON.format(w) for w in learnt])
        return out

    def _learnt_sums(self, draft: Normalized, reply: Normalized | None):
        """The conversation's words, the draft's and the message answered's, and their sum towards each page."""
        said, answered = conversation_words(draft), conversation_words(reply) if reply else frozenset()
        return said, answered, self.reader.sums(said, answered, len(self.referrals))

    def _learnt_only(self, draft: Normalized, reply: Normalized | None) -> list[tuple[Referral, list[str]]]:
        """Where no page's words are in the conversation, the page the learnt model leans to, when it
        leans clearly and a word of the conversation says why."""
        if self.model is None:
            return []
        said, answered, sums = self._learnt_sums(draft, reply)
        best = max(range(len(sums)), key=lambda k: (sums[k], -k), default=None)
        if best is None or self.model.z({}, sums[best]) <= LEARNT_ONLY:
            return []
        leaning = self.reader.leaning(best, said, answered)
        return [(self.referrals[best], [LEARNT_REASON.format(w) for w in leaning])] if leaning else []

    def lexical(self, draft: Normalized, reply: Normalized | None) -> tuple[dict[int, tuple[int, int, int]],
                                                                            dict[int, list[str]]]:
        """Per referral the words found for it: its score (_score) and the words, by referral index."""
        # per referral: (text weight, first, last) → (kind, why, what it counts as: group or word, length)
        found: list[dict[tuple[int, int, int], tuple[int, str, str, int]]] = [{} for _ in self.referrals]
        for norm, weight in ((draft, 1), (reply, REPLY_WEIGHT)):
            if norm is None:
                continue
            spans = [{} for _ in self.referrals]
            covered = [set() for _ in self.referrals]       # tokens of the referral's own topics
            for k, r in enumerate(self.referrals):
                for first, last in sorted(self._own_spans(r, norm)):
                    spans[k][(first, last)] = (OWN, _quoted(norm, first, last), "", 0)
                    covered[k].update(range(first, last + 1))
            for first, last, (k, kind, source) in self.more.find(norm):
                if kind not in (OWN, CONDUCT) and (norm.tokens[first].hashtag   # a handle or #tag names no topic
                                                   or not covered[k].isdisjoint(range(first, last + 1))):   # "the app": "app"
                    continue
                held = spans[k].get((first, last))
                if held is None or held[0] < kind:
                    spans[k][(first, last)] = (kind, _why(norm, first, last, kind, source),
                                               source if kind in (SYNONYM, CONDUCT) else _quoted(norm, first, last).casefold(),
                                               _content_length(norm, first, last))
            for k in range(len(self.referrals)):
                found[k].update({(weight, *span): v for span, v in spans[k].items()})
        scores = {k: _score(f) for k, f in enumerate(found) if f}
        return scores, {k: [why for _, (_, why, _, _) in sorted(found[k].items())] for k in scores}

    def _complaint_fallback(self, reply: Normalized) -> list[tuple[Referral, list[str]]]:
        """A message that names no topic but is a complaint ("useless, nothing since Tuesday") goes to
        the company's complaints page, when it has one."""
        said = [_quoted(reply, first, last) for first, last, _ in _unhappy_words().find(reply)]
        if not said or not self.complaint_pages:
            return []
        return [(self.complaint_pages[0], [f"{said[0]} (a complaint)"])]

    def _own_spans(self, r: Referral, norm: Normalized) -> set[tuple[int, int]]:
        spans = {(h.first, h.last) for h in r.phrases.find(norm.tokens)}
        if r.forms:
            spans |= {(h.first, h.last) for h in r.forms.find(analyse(norm, self.vocab))}
        if r.stems:
            spans |= {(i, i) for i, tok in enumerate(norm.tokens)
                      if any(tok.text.startswith(stem) for stem in r.stems.get(tok.text[:STEM_KEY], ()))}
        return spans


def order_by_points(scores: dict[int, tuple[int, int, int]]) -> list[int]:
    """Referral indexes by their points (_score); on a tie the message answered decides, then the
    company's own words, then the pack's order."""
    return [k for *_, k in sorted((-s[0], -s[1], -s[2], k) for k, s in scores.items())]


def _score(found: dict[tuple[int, int, int], tuple[int, str, str, int]]) -> tuple[int, int, int]:
    """Own topics count each time they occur, "payment plan" more than "payment". A thesaurus group
    counts once per text, by its longest phrase found (two words at most: "paid twice" says more than
    "paid"), so a message full of one group's words ("sue", "lawyer", "court") does not outweigh the
    company's own word ("deposit"); a title or description word once per text. The message answered
    weighs double. Returns the score, its share from the message answered and from own topics."""
    own = 0
    others: dict[tuple[int, str], int] = {}
    answered = 0
    for (weight, first, last), (kind, _, source, length) in found.items():
        if kind == OWN:
            points = weight * OWN * min(3, last - first + 1)
            own += points
            answered += points if weight == REPLY_WEIGHT else 0
        else:
            others[(weight, source)] = max(others.get((weight, source), 0), weight * kind * min(2, length))
    answered += sum(v for (weight, _), v in others.items() if weight == REPLY_WEIGHT)
    return own + sum(others.values()), answered, own


def _content_length(norm: Normalized, first: int, last: int) -> int:
    """Words of three letters or more in a span: "ще ви съдя" is one word's worth, "paid twice" two."""
    return sum(len(t.text) >= 3 for t in norm.tokens[first:last + 1]) or 1


def _quoted(norm: Normalized, first: int, last: int) -> str:
    return f"“{norm.slice16(norm.tokens[first].start, norm.tokens[last].end)}”"


def _why(norm: Normalized, first: int, last: int, kind: int, source: str) -> str:
    """The words found, and what they stand for: the topic they are typed for, the topic of the thesaurus
    group they are in, or the title or description they come from."""
    said = _quoted(norm, first, last)
    if kind == OWN:
        return f"{said} (“{source}”)"
    if kind in (SYNONYM, CONDUCT):
        return f"{said} (like “{source}”)"
    return f"{said} (in its {source})"


def _more_words(referrals: list[Referral], company_words: set[str], complaint: set[int]) -> TopicIndex:
    """Every referral's words beyond the pack's own matching: its Cyrillic topics again (for their Latin
    typing), the other words of its topics' thesaurus groups, its title's and description's distinctive
    words. A word that is another referral's own topic stays that referral's."""
    thesaurus = topic_words()
    own = [{topic_key(t) for t in r.topics} for r in referrals]
    anyone = set().union(*own)
    index = TopicIndex()
    for k, r in enumerate(referrals):
        for t in r.topics:
            if PLAIN_TOPIC.fullmatch(t) and CYRILLIC.search(t):
                index.add(t, (k, OWN, t))
        taken: set[tuple[str, ...]] = set()
        for t in r.topics:
            for group in thesaurus.groups_of(t):
                for word in thesaurus.groups[group]:
                    key = topic_key(word)
                    if key not in anyone and key not in taken:
                        taken.add(key)
                        index.add(word, (k, SYNONYM, t))
    # to the page the pack sends rudeness to (a referral with "rude" or "staff attitude" in its topics),
    # else to the complaints page; above the page's own weight for the same word, which a place or a
    # product named beside it would otherwise tie ("rude and late for my lesson")
    conduct = [k for k, r in enumerate(referrals) if any(STAFF_CONDUCT in thesaurus.groups_of(t) for t in r.topics)]
    for k in conduct or sorted(complaint):
        for word in thesaurus.groups[STAFF_CONDUCT]:
            index.add(word, (k, CONDUCT, "rude staff"))
    described = [_described_words(r, thesaurus.stop_words | company_words) for r in referrals]
    seen = Counter(key for words in described for key in {topic_key(w) for w, _ in words})
    for k, words in enumerate(described):
        for word, where in words:
            key = topic_key(word)
            if seen[key] == 1 and key not in anyone:       # distinctive: no other referral's words
                index.add(word, (k, DESCRIBED, where))
    return index


@lru_cache(maxsize=1)
def _unhappy_words() -> TopicIndex:
    """The thesaurus' words of an unhappy customer: the same for every pack, so indexed once."""
    index = TopicIndex()
    for group in UNHAPPY_GROUPS:
        for word in topic_words().groups[group]:
            index.add(word, group)
    return index


def _is_complaint_page(r: Referral, thesaurus) -> bool:
    """The company's complaints or feedback page: a topic of the complaint, feedback or review groups."""
    return any(COMPLAINT_GROUPS.intersection(thesaurus.groups_of(t)) for t in r.topics)


CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# How staff treated someone is a complaint in every company: the labelled sets send "the cashier was
# rude to my dad" to the complaints page 39 times in 42, whatever the place or product named with it.
COMPLAINT_GROUPS = frozenset({"complaint", "feedback", "review"})
STAFF_CONDUCT = "rude"
UNHAPPY_GROUPS = ("complaint", "criticism", STAFF_CONDUCT)   # a message with these and no topic is a complaint
MIN_DESCRIBED = 3      # shorter title and description words say little (a, of, 24)


def _described_words(r: Referral, stop_words: frozenset[str]) -> list[tuple[str, str]]:
    """The content words of a referral's title and description, each once: (word, "title"/"description")."""
    out: dict[str, str] = {}
    for where, text in (("title", r.title), ("description", r.description or "")):
        for tok in normalize(text).tokens:
            w = tok.text
            if len(w) >= MIN_DESCRIBED and w.isalpha() and w not in stop_words and w not in out:
                out[w] = where
    return [(w, where) for w, where in out.items() if topic_key(w)[0] not in stop_words]
