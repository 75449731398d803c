"""Match pack phrases against normalized tokens.

A phrase is matched word for word after the same normalization as the draft, so case, accents,
spacing, zero-width characters and homoglyphs do not matter. A word ending in `*` matches any
word starting with it (`refund*` matches refunds, refunded).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from companion.engine.normalize import Token, normalize

Word = tuple[str, bool]  # (normalized text, is_prefix)


def compile_phrase(phrase: str) -> tuple[Word, ...]:
    words: list[Word] = []
    for raw in phrase.split():
        toks = normalize(raw).tokens
        for k, tok in enumerate(toks):
            words.append((tok.text, raw.endswith("*") and k == len(toks) - 1))
    return tuple(words)


@dataclass(frozen=True, slots=True)
class PhraseHit:
    first: int      # index of the first token
    last: int       # index of the last token (inclusive)
    phrase: str     # the phrase as written in the pack
    payload: Any


class PhraseSet:
    """Many phrases, indexed by their first word's text (or its first 3 letters for prefixes)."""

    def __init__(self, items: Iterable[tuple[str, Any]] = ()):
        self._exact: dict[str, list] = {}
        self._prefix: dict[str, list] = {}
        self.size = 0
        for phrase, payload in items:
            self.add(phrase, payload)

    def add(self, phrase: str, payload: Any = None) -> None:
        words = compile_phrase(phrase)
        if not words:
            raise ValueError(f"phrase {phrase!r} has no words")
        if phrase.startswith(("#", "@")) and len(words) > 1:    # #NimbusEmployee, also as #nimbusemployee
            self._add((("".join(w for w, _ in words), False),), phrase, payload)
        self._add(words, phrase, payload)

    def _add(self, words: tuple[Word, ...], phrase: str, payload: Any) -> None:
        text, is_prefix = words[0]
        entry = (words, phrase, payload)
        if is_prefix:
            self._prefix.setdefault(text[:3], []).append(entry)
        else:
            self._exact.setdefault(text, []).append(entry)
        self.size += 1

    def find(self, tokens: list[Token]) -> list[PhraseHit]:
        hits: list[PhraseHit] = []
        if not self.size:
            return hits
        exact, prefix, n = self._exact, self._prefix, len(tokens)
        for i, tok in enumerate(tokens):
            # Runs for every rule on every keystroke's check: two dict lookups per token, no allocation
            # unless a first word matches.
            found = exact.get(tok.text)
            if prefix:
                more = prefix.get(tok.text[:3])
                if more:
                    found = found + more if found else more
            if not found:
                continue
            for words, phrase, payload in found:
                k = len(words)
                if i + k <= n and all(_word_matches(w, tokens[i + j].text) for j, w in enumerate(words)):
                    hits.append(PhraseHit(i, i + k - 1, phrase, payload))
        return hits

    def __bool__(self) -> bool:
        return self.size > 0

    def phrases(self) -> list[tuple[Word, ...]]:
        """Every phrase's words as matched (a #tag's joined form as its own phrase), for the prefilter
        (engine/prefilter.py). A prefix word is looked up by its first 3 letters when it begins a phrase."""
        return [words for entries in (*self._exact.values(), *self._prefix.values()) for words, _, _ in entries]


def _word_matches(word: Word, text: str) -> bool:
    w, is_prefix = word
    return text.startswith(w) if is_prefix else text == w
