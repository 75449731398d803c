"""Find a rule's phrases (on normalized tokens), token patterns (any word form, classes, gaps) and
regex patterns (RE2, on the original text) in a text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from companion.engine.language.analysis import analyse
from companion.engine.language.assertion import cancelled_by
from companion.engine.language.tokenpattern import TokenPatterns
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.normalize import Normalized
from companion.engine.phraseset import PhraseSet
from companion.engine.regex import compile_pattern, regex_set

MARK = "mark"     # a pattern's named group that says which part of its match the finding points at
SET_MAX_TEXT = 4000     # characters: up to this length, a rule's regex patterns are first searched as one set


@dataclass(frozen=True, slots=True)
class Hit:
    first: int      # first token
    last: int       # last token (inclusive)
    start: int      # UTF-16 span in the text
    end: int
    source: str     # the phrase or pattern that matched
    is_pattern: bool = False
    parts: tuple[tuple[int, int], ...] | None = None    # token patterns: token spans of what matched
    gaps: tuple[int, ...] = ()          # token patterns: tokens skipped by gaps
    norm: Normalized | None = field(default=None, compare=False, repr=False)

    @property
    def words(self) -> str | None:
        """Token patterns: the words that matched, gaps as "…" (worked out only for findings shown:
        a long draft has thousands of hits that never reach a card)."""
        return None if self.parts is None or self.norm is None else _explain(self.norm, self.parts)

    def detail(self) -> dict:
        """How it matched, for the card: the phrase, or just 'pattern' (a regex means nothing to users)."""
        if self.words is not None:
            return {"match": "words", "matched": self.words}
        return {"match": "pattern"} if self.is_pattern else {"match": "exact", "matched": self.source}


class Matcher:
    def __init__(self, phrases: Iterable[str] = (), patterns: Iterable[str] = (), case_sensitive: bool = False,
                 tokens: Iterable[str] = (), vocab: Vocabulary | None = None, assertion: str | None = None):
        self.phrases = PhraseSet((p, None) for p in phrases)
        self.patterns = [(p, compile_pattern(p, case_sensitive)) for p in patterns]
        # one pass of every pattern at once tells which can match at all: most match nowhere in most drafts
        self._pattern_set = regex_set(tuple(p for p, _ in self.patterns), case_sensitive) if self.patterns else None
        # On a long text the set holds only the narrow patterns: a wide repeat ("[^\n]{0,200}") in a set
        # multiplies the states RE2 tracks, and the set ran slower than the patterns one by one.
        # Most rules have no wide pattern: regex_set gives back the one set of all of them (it is cached).
        wide = [_is_wide(p) for p, _ in self.patterns]
        self._wide = [k for k, w in enumerate(wide) if w]
        self._narrow = [k for k, w in enumerate(wide) if not w]
        narrow = tuple(self.patterns[k][0] for k in self._narrow)
        self._narrow_set = regex_set(narrow, case_sensitive) if narrow else None
        tokens = list(tokens)
        if tokens and vocab is None:
            vocab = Vocabulary.build(None, {})
        self.vocab = vocab
        self.tokens = TokenPatterns(((t, None) for t in tokens), vocab.class_names) if tokens else None
        if self.tokens:
            self.tokens.index_for(vocab)    # at compile time, kept with the pack (TokenPatterns.index_for)
        self.assertion = assertion       # None, "not_negated" or "affirmed" (language/assertion.py)

    def find(self, norm: Normalized) -> list[Hit]:
        toks = norm.tokens
        hits = [Hit(h.first, h.last, toks[h.first].start, toks[h.last].end, h.phrase)
                for h in self.phrases.find(toks)]
        if self.tokens:
            an = analyse(norm, self.vocab)
            for h in self.tokens.find(an):
                hits.append(Hit(h.first, h.last, toks[h.first].start, toks[h.last].end, h.source,
                                parts=h.parts, gaps=h.gaps, norm=norm))
        for source, rx in self._matching_patterns(norm.regex_text):
            mark = rx.groupindex.get(MARK)       # "(?P<mark>...)": the part to underline
            for m in rx.finditer(norm.regex_text):
                if m.end() == m.start():
                    continue
                a, b = (m.start(mark), m.end(mark)) if mark and m.start(mark) >= 0 else (m.start(), m.end())
                start, end = norm.span16(*_trimmed(norm.regex_text, a, b))
                span = norm.token_range(start, end)
                first, last = span if span else (-1, -1)
                hits.append(Hit(first, last, start, end, source, True))
        if self.assertion and hits:
            an = analyse(norm, self.vocab or _plain())
            hits = [h for h in hits if h.first < 0 or not cancelled_by(an, (h.first, h.gaps), self.assertion)]
        hits.sort(key=lambda h: (h.start, -h.end))   # longest first at each start
        return hits

    def __bool__(self) -> bool:
        return bool(self.phrases) or bool(self.patterns) or bool(self.tokens)

    def _matching_patterns(self, text: str) -> list[tuple[str, object]]:
        # On a short draft, calling each pattern costs more than searching; on a long one a big set of
        # patterns with \b and wide repeats can run many times slower than the patterns one by one.
        if self._pattern_set is None:
            return []
        if len(text) <= SET_MAX_TEXT:
            return [self.patterns[k] for k in self._pattern_set.matching(text)]
        narrow = [self._narrow[k] for k in self._narrow_set.matching(text)] if self._narrow_set else []
        return [self.patterns[k] for k in sorted(narrow + self._wide)]


_REPEAT = re.compile(r"\{\d*,(\d+)\}")
WIDE_REPEAT = 60     # characters: a pattern that can skip this many or more is run on its own in a long text


def _is_wide(pattern: str) -> bool:
    return any(int(n) >= WIDE_REPEAT for n in _REPEAT.findall(pattern))


# A pattern that stands for a word boundary RE2 cannot see beside Cyrillic, (?:^|[^\pL]) ... (?:[^\pL]|$),
# takes the space or comma around the word into its match: the underline and the card leave them out.
_TRAILING = frozenset(",;:!?")


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    """The match a..b of `text` without spaces at either end or a comma, colon or mark after it."""
    i, j = a, b
    while i < j and text[i].isspace():
        i += 1
    while j > i and (text[j - 1].isspace() or text[j - 1] in _TRAILING):
        j -= 1
    return (i, j) if i < j else (a, b)


_PLAIN: list[Vocabulary] = []


def _plain() -> Vocabulary:
    if not _PLAIN:
        _PLAIN.append(Vocabulary.build(None, {}))
    return _PLAIN[0]


def _explain(norm: Normalized, parts: tuple[tuple[int, int], ...]) -> str:
    """The matched words as written, "…" where a gap lies between two of them."""
    toks = norm.tokens
    runs: list[list[int]] = []
    for a, b in sorted(parts):
        if runs and a <= runs[-1][1] + 1:
            runs[-1][1] = max(runs[-1][1], b)
        else:
            runs.append([a, b])
    return " … ".join(norm.slice16(toks[a].start, toks[b].end) for a, b in runs)
