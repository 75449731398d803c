"""Find a rule's phrases (on normalized tokens) and patterns (RE2, on the original text) in a text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from companion.engine.normalize import Normalized
from companion.engine.phrases import PhraseSet
from companion.engine.regex import compile_pattern


@dataclass(frozen=True, slots=True)
class Hit:
    first: int      # first token
    last: int       # last token (inclusive)
    start: int      # UTF-16 span in the text
    end: int
    source: str     # the phrase or pattern that matched
    is_pattern: bool = False

    def detail(self) -> dict:
        """How it matched, for the card: the phrase, or just 'pattern' (a regex means nothing to users)."""
        return {"match": "pattern"} if self.is_pattern else {"match": "exact", "matched": self.source}


class Matcher:
    def __init__(self, phrases: Iterable[str] = (), patterns: Iterable[str] = (), case_sensitive: bool = False):
        self.phrases = PhraseSet((p, None) for p in phrases)
        self.patterns = [(p, compile_pattern(p, case_sensitive)) for p in patterns]

    def find(self, norm: Normalized) -> list[Hit]:
        toks = norm.tokens
        hits = [Hit(h.first, h.last, toks[h.first].start, toks[h.last].end, h.phrase)
                for h in self.phrases.find(toks)]
        for source, rx in self.patterns:
            for m in rx.finditer(norm.regex_text):
                if m.end() == m.start():
                    continue
                start, end = norm.span16(m.start(), m.end())
                span = norm.token_range(start, end)
                first, last = span if span else (-1, -1)
                hits.append(Hit(first, last, start, end, source, True))
        hits.sort(key=lambda h: (h.start, -h.end))   # longest first at each start
        return hits

    def __bool__(self) -> bool:
        return bool(self.phrases) or bool(self.patterns)
