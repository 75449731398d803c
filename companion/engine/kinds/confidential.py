"""confidential: the company's confidential terms (products, code names, internal tools, plans).

All terms of a pack share one TermIndex, so a check costs about the same for 20 terms or 100,000.
After the index finds a term, per-term rules decide: is it public by now (`public_after`), is it an
allowed look-alike (`allow`), does an ordinary-word code name have its context (`requires_context`)?
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from companion.engine.builtin_text import say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.kinds.base import Rule
from companion.engine.language import english_bulgarian
from companion.engine.language.latin_bulgarian import spellings, splits, usual_spellings
from companion.engine.language.lemmas import base_form, forms, in_dictionary, is_cyrillic, with_article
from companion.engine.normalize import Normalized, normalize, normalize_phrase
from companion.engine.phraseset import PhraseSet
from companion.engine.termindex import Budget, TermIndex, TermMatch
from companion.engine.wording import pick, translations_of

CONTEXT_WINDOW = 16   # words each side: a draft often names the code name first and what it is about at its end
# Words that make what follows a common noun, not a name: "a lantern", "one magpie", "една сврака"
# ("my" does not: staff say "my beat book" of their own view of a tool).
COUNTING_WORDS = frozenset({"a", "an", "one", "two", "another", "some", "every", "each", "един", "една", "едно", "няколко"})
# Words before a lower-case code name that make it the ordinary thing: "my compass", "a new lantern".
ORDINARY_BEFORE = COUNTING_WORDS | {"the", "this", "that", "these", "those", "my", "your", "his", "her", "our", "their",
                                    "new", "old", "little", "big", "wee", "own", "spare", "broken", "real", "proper"}
ALLOW_WINDOW = 10       # an allowed look-alike may reach this many tokens past the match
KIND_NAMES = {"product": "unreleased product", "codename": "code name", "internal_tool": "internal tool",
              "plan": "internal plan", "financial": "unpublished financials", "other": "confidential"}


SLUG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def slug(term: str) -> str:
    """"Falcon Ridge (v2)" -> "falcon-ridge-v2": runs of other characters become one hyphen."""
    return "-".join("".join(c if c in SLUG_CHARS else " " for c in term.casefold()).split()) or "term"


def term_id(raw: dict[str, Any]) -> str:
    """A confidential term's rule id: its own `id`, else "conf." and the slug of the term."""
    return raw.get("id") or "conf." + slug(raw.get("term", ""))


@dataclass
class Term:
    id: str
    term: str
    kind: str
    reason: str
    severity: str
    public_after: dt.date | None
    fuzzy: bool
    replacement: str | None
    allow: PhraseSet | None
    context: ContextWords | None
    translations: dict[str, dict[str, Any]]   # language -> {reason}


class _Terms(Sequence[Term]):
    """Each entry's Term, made the first time a check needs it. A check meets a few terms; making all
    100,000 of a big pack up front would cost every start a third of a second and 100,000 objects.
    Two checks making the same Term at once make equal ones, and either may be kept."""

    def __init__(self, raw_terms: list[dict[str, Any]], kind_context: dict[str, list[str]]):
        self._raw = raw_terms
        self._kind_context = kind_context
        self._made: list[Term | None] = [None] * len(raw_terms)

    def __len__(self) -> int:
        return len(self._raw)

    def __getitem__(self, i: int) -> Term:
        t = self._made[i]
        if t is None:
            t = self._made[i] = _term(self._raw[i], self._kind_context)
        return t


def _term(raw: dict[str, Any], kind_context: dict[str, list[str]]) -> Term:
    return Term(
        id=term_id(raw), term=raw["term"],
        kind=raw.get("kind", "codename"), reason=raw["reason"], severity=raw.get("severity", "critical"),
        public_after=dt.date.fromisoformat(raw["public_after"]) if raw.get("public_after") else None,
        fuzzy=raw.get("fuzzy", True), replacement=raw.get("replacement"),
        allow=PhraseSet((p, None) for p in raw["allow"]) if raw.get("allow") else None,
        # a gated term also takes the words any company's staff use about its kind of thing (kind_context),
        # and the words that mark anything as a secret ("can't say much but ...": the `any` entry)
        context=ContextWords([*raw["requires_context"], *kind_context.get(raw.get("kind", "codename"), ()),
                              *kind_context.get("any", ())])
        if raw.get("requires_context") else None,
        translations=translations_of(raw),
    )


class ContextWords:
    """A code name's context words, found as written and, for one-word Bulgarian ones, in any form
    ("кораба" for "кораб", "сливането" for "сливане") and typed in Latin letters ("cenite" for
    "цените"), as Bulgarian staff write them. English ones stay as written but for a noun's number
    ("near misses" for "near miss", "tonne" for "tonnes"): "bought" is not the context "buy" of a
    takeover, and pack authors list the verb forms they mean."""

    def __init__(self, words: list[str]):
        self.phrases = PhraseSet((p, None) for w in words for p in (w, *_other_number(w)))
        self.by_form: dict[str, str] = {}
        for w in words:
            tokens = normalize(w).tokens
            if len(tokens) == 1 and not w.endswith("*") and is_cyrillic(tokens[0].text):
                word = tokens[0].text
                for form in (word, base_form(word), *spellings(word), *_feminine(word)):
                    self.by_form.setdefault(form, w)

    def find(self, tokens, skip: range) -> list[str]:
        """The context words found in `tokens` outside the positions in `skip` (the term's own)."""
        found = [h.phrase for h in self.phrases.find(tokens) if h.first not in skip]
        if found:
            return found
        for i, tok in enumerate(tokens):
            word = None if i in skip else self._form_of(tok.text) or self._latin_with_ending(tok.text)
            if word:
                return [word]
        return []

    def _form_of(self, text: str) -> str | None:
        """The context word `text` is a form of: as written, or one of its forms (lemmas.forms: its
        lemma, and a Bulgarian noun less its ending even when the dictionary does not know the word,
        "тикетите" for "тикет"). Sorted: a frozenset's order changes from one process to the next."""
        return next((self.by_form[f] for f in (text, *sorted(forms(text))) if f in self.by_form), None)

    def _latin_with_ending(self, text: str) -> str | None:
        """A Latin-typed Bulgarian word with its ending: "proekta", "sdelkata", "kluba"."""
        if not text.isascii():
            return None
        return next((self.by_form[stem] for stem, _ in splits(text) if stem in self.by_form), None)


def _other_number(phrase: str) -> tuple[str, ...]:
    """An English phrase with its last word in the other number: "near miss" → "near misses",
    "tonnes" → "tonne", "entry" → "entries". Not for Cyrillic, nor for a prefix ("*")."""
    if not phrase.isascii() or phrase.endswith("*") or not phrase[-1:].isalpha():
        return ()
    head, _, last = phrase.rpartition(" ")
    head = head + " " if head else ""
    if len(last) < 3:
        return ()
    if last.endswith("ies"):
        return (head + last[:-3] + "y",)
    if last.endswith(("sses", "shes", "ches", "xes", "zes")):
        return (head + last[:-2],)
    if last.endswith("s") and not last.endswith(("ss", "us", "is")):
        return (head + last[:-1],)
    if last.endswith("is"):
        return (head + last[:-2] + "es",)     # analysis → analyses
    if last.endswith(("s", "sh", "ch", "x", "z")):
        return (head + last + "es",)
    if last.endswith("y") and last[-2] not in "aeiou":
        return (head + last[:-1] + "ies",)
    return (head + last + "s",)


class ConfidentialTerms(Rule):
    """Every confidential term of the pack; each finding carries its term's own id (term_id)."""

    category = "confidential"

    def __init__(self, raw_terms: list[dict[str, Any]], index: TermIndex | None = None,
                 public_names: list[str] = (), bulgarian: bool = False, kind_context: dict[str, list[str]] | None = None):
        """`index`: a TermIndex built before from these terms (the compiled-pack cache's); built here
        when None. One that does not fit the terms is refused with ValueError. `public_names`: the
        company's names and public products: a near-miss of a term that is exactly one of them is the
        public thing, not a typo ("Shardfall" is not a misspelt "Shardfall II"). `bulgarian`: the
        company's staff write Bulgarian too, so its English code names are also looked for as
        Bulgarians write them. `kind_context`: per kind of term, context words that count for every
        term of that kind which asks for context (the base policy's `term_context`)."""
        self.terms = _Terms(raw_terms, kind_context or {})
        self.public = frozenset(tuple(t.text for t in normalize(n).tokens) for n in public_names)
        self.bulgarian = bulgarian
        forms = self._forms_of(raw_terms)
        if index is None:
            index = TermIndex(forms, context_gated=[i for i, raw in enumerate(raw_terms) if raw.get("requires_context")])
        elif not index.fits(forms):
            raise ValueError("the term index given was built from other terms")
        self.index = index
        self.id = "confidential"

    def _forms_of(self, raw_terms: list[dict[str, Any]]) -> list[list[str]]:
        return [_forms(raw, self.bulgarian and i < MAX_TRANSCRIBED) for i, raw in enumerate(raw_terms)]

    def index_fits(self, raw_terms: list[dict[str, Any]]) -> bool:
        """Was its index built from these terms? (The same guard as a new rule's, for one read back
        from the cache with an index of its own: packcache.py.)"""
        return self.index.fits(self._forms_of(raw_terms))

    def run(self, ctx: CheckContext) -> list[Finding]:
        tokens = ctx.norm.tokens
        kept: list[tuple[TermMatch, Term, list[str]]] = []
        budget = Budget()
        # The per-term rules look at the tokens around a match only: a window seen before (the same
        # term repeated all over a draft) takes the answer it got then.
        verdicts: dict[tuple, list[str] | None] = {}
        for m in self.index.find(tokens, budget):
            t = self.terms[m.entry]
            if not _close_enough(m, t) or (t.public_after and ctx.today >= t.public_after):
                continue
            if self._reads_as_public_name(tokens, m, t) or self._reads_as_the_word(ctx, m, t):
                continue
            context: list[str] | None = []
            if t.allow or t.context:
                lo, hi = max(0, m.first - ALLOW_WINDOW), min(len(tokens), m.last + ALLOW_WINDOW + 1)
                as_name = bool(t.allow) and _written_as_its_name(t, ctx.norm, m)   # it matters to `allow` only
                key = (m.entry, m.first - lo, m.last - lo, tuple(tok.text for tok in tokens[lo:hi]), as_name)
                if key not in verdicts:
                    verdicts[key] = _context_or_none(t, tokens, m, as_name)
                context = verdicts[key]
                if context is None:
                    continue
            kept.append((m, t, context))
        findings = [self._finding(ctx, m, t, context) for m, t, context in _best_per_span(kept)]
        if budget.truncated:
            # The index stopped short (a hostile draft or pack): say so on what it found and in the report.
            ctx.truncated[self.id] = budget.truncated
            for f in findings:
                f.detail["truncated"] = budget.truncated
        return findings

    def _reads_as_public_name(self, tokens, m: TermMatch, t: Term) -> bool:
        """A match that reads exactly as a public name is the public thing: a near miss ("Shardfall" is
        not a misspelt "Shardfall II"), or an alias that normalizes to the company's name ("Tidewell+"
        is "tidewell": it would flag every mention of the company). Only the term itself, written
        as a public name, still counts: the pack says it is confidential."""
        seen = tuple(tok.text for tok in tokens[m.first:m.last + 1])
        return seen in self.public and (not m.exact or seen != normalize_phrase(t.term))

    @staticmethod
    def _reads_as_the_word(ctx: CheckContext, m: TermMatch, t: Term) -> bool:
        """A code name the pack writes as a name ("Heron", "Obsidian") that is also a word of the
        language, written in lower case, is the word: "saw a heron at the harbour", "obsidian knife".
        Written as a name ("Heron", "HERON") it may be the code name. A term with context words is
        gated by them instead, and a name of several words ("margin map") is often written in lower
        case by the staff who use it; both still read as ordinary words after "a" or "one":
        "bought a camping lantern for the van", "a new bench board for the garage"."""
        if not t.term[:1].isupper():
            return False
        toks = ctx.norm.tokens
        written = [ctx.norm.slice16(tok.start, tok.end) for tok in toks[m.first:m.last + 1]]
        if not all(w.islower() and in_dictionary(w) for w in written):
            return False
        if m.first == m.last and not t.context:
            return True
        return any(tok.text in COUNTING_WORDS for tok in toks[max(0, m.first - 2):m.first])

    def explain_miss(self, ctx: CheckContext) -> str:
        """Why no term fired: the index's candidates and the filter that dropped each."""
        tokens = ctx.norm.tokens
        reasons = []
        for m in self.index.find(tokens):
            t = self.terms[m.entry]
            seen = " ".join(tok.text for tok in tokens[m.first:m.last + 1])
            if not _close_enough(m, t):
                reasons.append(f"“{seen}” is close to {t.id} but the term is exact-only" if not t.fuzzy else
                               f"“{seen}” is close to “{m.form}”, a form of {t.id} that is a word, found only as written")
            elif t.public_after and ctx.today >= t.public_after:
                reasons.append(f"{t.id} is public since {t.public_after}")
            elif self._reads_as_public_name(tokens, m, t):
                reasons.append(f"“{seen}” is a public name of the company, not {t.id}")
            elif self._reads_as_the_word(ctx, m, t):
                reasons.append(f"“{seen}” is written in lower case, as ordinary words, not {t.id}")
            elif t.allow and _inside_allowed(t.allow, tokens, m, _written_as_its_name(t, ctx.norm, m)):
                reasons.append(f"“{seen}” is inside an allowed look-alike of {t.id}")
            elif t.context:
                reasons.append(f"{t.id} needs one of its context words within {CONTEXT_WINDOW} words")
        return "; ".join(dict.fromkeys(reasons)) or "no term or close variant in the text"

    def _finding(self, ctx: CheckContext, m: TermMatch, t: Term, context: list[str]) -> Finding:
        start, end = ctx.norm.tokens[m.first].start, ctx.norm.tokens[m.last].end
        excerpt = ctx.norm.slice16(start, end)
        detail: dict[str, Any] = {"match": "exact" if m.exact else "fuzzy", "matched": m.form}
        if not m.exact:
            detail["distance"] = m.distance
        if context:
            detail["context"] = context
        why = (pick(t.translations, ctx.lang) or {}).get("reason", t.reason)
        if t.public_after and t.public_after.isoformat() not in why:
            why += say(ctx.lang, "conf.until", date=t.public_after.isoformat())
        suggestions = [Suggestion(say(ctx.lang, "conf.remove", excerpt=excerpt), replacement="")]
        if t.replacement:
            suggestions.insert(0, Suggestion(say(ctx.lang, "conf.say", replacement=t.replacement), replacement=t.replacement))
        kind = say(ctx.lang, f"conf.kind.{t.kind if t.kind in KIND_NAMES else 'other'}")
        return Finding(category="confidential", severity=t.severity, rule=t.id, start=start, end=end,
                       excerpt=excerpt, message=say(ctx.lang, "conf.message", excerpt=excerpt, kind=kind), why=why,
                       suggestions=suggestions, detail=detail)


# Code names are tens or hundreds of terms; a pack of thousands is a catalogue (product lines, SKUs), and
# transcribing all of it would grow the index and slow every check for words nobody says aloud.
MAX_TRANSCRIBED = 1000
SAME_NAME = 75          # rapidfuzz ratio at which a Latin-typed Cyrillic name is the Latin name back


def _forms(raw: dict[str, Any], bulgarian: bool) -> list[str]:
    """A term as the pack writes it and its aliases; for a company whose staff write Bulgarian
    (base.writes_bulgarian) also its one-word English names as Bulgarians write them ("Nightjar":
    найтджар, naitdzhar), its one-word Cyrillic names typed in Latin letters ("Трейдуинд":
    treiduind, treyduind, trejduind), and its Cyrillic names of several words with the article on the
    last one ("Гранит таблица": гранит таблицата), which is two letters past the typo tolerance."""
    written = [raw["term"], *raw.get("aliases", ())]
    if not bulgarian:
        return written
    words = [name.strip() for name in written if " " not in name.strip()]
    said = [f for name in words for f in english_bulgarian.forms(name, words_too=bool(raw.get("requires_context")))]
    # A Cyrillic name that only spells the Latin one ("Кестрел" for "Kestrel") typed back in Latin letters is
    # the Latin name, which the pack chose to list only in longer forms ("Kestrel price list"): left out.
    latin = [w.lower() for name in written if not is_cyrillic(name) for w in name.split()]
    typed = [f for f in usual_spellings(words) if not any(fuzz.ratio(f, w) >= SAME_NAME for w in latin)]
    articled = [f for name in written for f in _with_article_on_last_word(name)]
    return list(dict.fromkeys(written + said + typed + articled))


def _with_article_on_last_word(name: str) -> list[str]:
    """A Cyrillic name of several words as a sentence writes it: "Гранит таблица" as "гранит таблицата"."""
    head, _, last = name.strip().rpartition(" ")
    return [f"{head} {noun}" for noun in with_article(last)] if head and is_cyrillic(name) else []


def _close_enough(m: TermMatch, t: Term) -> bool:
    """An exact match, or a near one of a fuzzy term. A one-word Cyrillic form that is a word of the
    language ("мърва", a name's Bulgarian writing) is found only as written: a letter off, it is another
    word ("първата"), not a typo of the name."""
    return m.exact or (t.fuzzy and (" " in m.form or not (is_cyrillic(m.form) and in_dictionary(m.form))))


def _feminine(noun: str) -> list[str]:
    """A Bulgarian noun for a person in its feminine form: "клиент" is also "клиентка" (and so
    "клиентката"), as "служител" is "служителка"; a pack lists the one word for both."""
    return [noun + "ка"] if noun[-1:] not in "аеиоуъюяй" else []


def _context_or_none(t: Term, tokens, m: TermMatch, as_name: bool) -> list[str] | None:
    """None when the match is inside an allowed look-alike or lacks a required context word; else the
    context words found (none needed when the term has no `requires_context`)."""
    if t.allow and _inside_allowed(t.allow, tokens, m, as_name):
        return None
    if not t.context:
        return []
    lo, hi = max(0, m.first - CONTEXT_WINDOW), min(len(tokens), m.last + CONTEXT_WINDOW + 1)
    # A one-word match is not its own context; an alias of several words that holds a context word
    # ("Project Magpie", "Karat system") was written by the pack's author to be caught as it stands.
    skip = range(m.first - lo, m.last - lo + 1) if m.first == m.last else range(0)
    return t.context.find(tokens[lo:hi], skip=skip) or None


def _written_as_its_name(t: Term, norm: Normalized, m: TermMatch) -> bool:
    """Is a term with context words written as its own name: with a capital ("Compass has me on
    nights"), or in lower case as staff type a code name they use every day ("on slapshot", "so
    nightjar is real"), but not as the ordinary word with a determiner before it ("a compass", "the
    battery lantern") nor in another form ("starlings" for Starling)?"""
    if not t.context:
        return False
    toks = norm.tokens[m.first:m.last + 1]
    written = " ".join(norm.slice16(tok.start, tok.end) for tok in toks)
    if written.casefold() != t.term.casefold():
        return False
    if not written.islower():
        return True
    before = norm.tokens[max(0, m.first - 2):m.first]
    in_compound = "-" in (norm.slice16(max(0, toks[0].start - 1), toks[0].start), norm.slice16(toks[-1].end, toks[-1].end + 1))
    return not (toks[0].joined or in_compound or any(tok.text in ORDINARY_BEFORE for tok in before))


def _inside_allowed(allow: PhraseSet, tokens, m: TermMatch, bare_word_defers: bool) -> bool:
    """Is the match inside an allowed look-alike? An allowed phrase that is just the term's own words
    ("compass" beside the code name Compass) allows the ordinary word; with `bare_word_defers` (the
    name written as a name: _written_as_its_name) it leaves the call to the term's context words."""
    lo, hi = max(0, m.first - ALLOW_WINDOW), min(len(tokens), m.last + ALLOW_WINDOW + 1)
    return any(h.first + lo <= m.first and m.last <= h.last + lo
               and not (bare_word_defers and h.first + lo == m.first and h.last + lo == m.last)
               for h in allow.find(tokens[lo:hi]))


def _best_per_span(kept):
    """One finding per stretch of text: longer spans first, then exact before fuzzy."""
    kept.sort(key=lambda k: (-(k[0].last - k[0].first), not k[0].exact, k[0].distance, k[0].first))
    # A flag per token: the overlap test costs the span's length, not the number already taken.
    taken = bytearray(max((m.last for m, _, _ in kept), default=-1) + 1)
    out = []
    for m, t, ctx_words in kept:
        if any(taken[m.first:m.last + 1]):
            continue
        taken[m.first:m.last + 1] = b"\x01" * (m.last - m.first + 1)
        out.append((m, t, ctx_words))
    out.sort(key=lambda k: k[0].first)
    return out
