"""Find confidential terms in a draft: exact through Aho-Corasick, typos through a deletion index.

Cost grows with the draft, hardly with the number of terms:
1. Exact stage: one Aho-Corasick pass over the normalized draft finds every term form, spaced
   ("falcon ridge") or written together ("falconridge", also inside #hashtags).
2. Fuzzy stage: each term form is anchored on its one or two rarest words (and its compact form);
   a symmetric-deletion index (SymSpell, distance 1) on the anchors yields candidates for the draft's
   non-dictionary words, and rapidfuzz's Levenshtein distance verifies the whole term against a window
   of draft tokens.
3. Dictionary guard: a correctly spelled ordinary word is never treated as a typo, and a window made
   only of ordinary words never matches fuzzily ("falcon bridge" is not "Falcon Ridge").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import ahocorasick
from rapidfuzz.distance import Levenshtein

from companion.engine import lexicon
from companion.engine.normalize import Token, normalize

MIN_ANCHOR = 4          # shorter words are too ambiguous to anchor a fuzzy match
MAX_ANCHORS = 2


@dataclass(frozen=True, slots=True)
class TermMatch:
    entry: int          # index of the term entry
    form: str           # the term or alias that matched, as written in the pack
    first: int          # first draft token
    last: int           # last draft token (inclusive)
    exact: bool
    distance: int       # edit distance of the compact forms (0 for exact)


def word_budget(n: int) -> int:
    return 0 if n <= 3 else 1 if n <= 5 else 2


def term_budget(n: int) -> int:
    return 1 if n < 9 else 2 if n < 25 else 3


def deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class TermIndex:
    """Built once per pack; read-only afterwards, so checks can share it across threads."""

    def __init__(self, entries: Sequence[Sequence[str]]):
        """entries[i] is the list of forms (term + aliases) of entry i."""
        self.forms: list[tuple[int, str, tuple[str, ...]]] = []   # (entry, written form, words)
        for e, forms in enumerate(entries):
            for written in forms:
                words = tuple(t.text for t in normalize(written).tokens)
                if words:
                    self.forms.append((e, written, words))
        self._build_exact()
        self._build_fuzzy()

    # -- build -------------------------------------------------------------------------------
    def _build_exact(self) -> None:
        keys: dict[str, list[int]] = {}
        for f, (_, _, words) in enumerate(self.forms):
            for key in {" ".join(words), "".join(words)}:
                keys.setdefault(key, []).append(f)
        self._ac = ahocorasick.Automaton()
        for key, fs in keys.items():
            self._ac.add_word(key, (len(key), tuple(fs)))
        if keys:
            self._ac.make_automaton()
        self._has_exact = bool(keys)

    def _build_fuzzy(self) -> None:
        dictionary = lexicon.words()
        df = Counter(w for _, _, words in self.forms for w in set(words))
        common = max(20, len(self.forms) // 2000)
        index: dict[str, list[tuple[int, int]]] = {}
        for f, (_, _, words) in enumerate(self.forms):
            compact = "".join(words)
            if len(words) == 1 and (words[0] in dictionary or len(compact) < MIN_ANCHOR + 1):
                continue    # a lone ordinary (or very short) word only matches exactly
            ranked = sorted(
                (p for p, w in enumerate(words) if len(w) >= MIN_ANCHOR),
                key=lambda p: (df[words[p]] > common, words[p] in dictionary, df[words[p]], -len(words[p])),
            )
            anchors = [(words[p], p) for p in ranked[:MAX_ANCHORS]]
            if len(words) > 1:
                anchors.append((compact, -1))       # -1: compare against the compact form
            for word, pos in anchors:
                for key in deletes(word) | {word}:
                    index.setdefault(key, []).append((f, pos))
        self._fuzzy = index
        self._dictionary = dictionary

    # -- query -------------------------------------------------------------------------------
    def find(self, tokens: list[Token]) -> list[TermMatch]:
        matches = self._find_exact(tokens)
        covered = {i for m in matches for i in range(m.first, m.last + 1)}
        matches += self._find_fuzzy(tokens, covered)
        return matches

    def _find_exact(self, tokens: list[Token]) -> list[TermMatch]:
        if not self._has_exact or not tokens:
            return []
        # Haystack " tok tok tok ": char position → token index for mapping hits back. The parts of
        # a hashtag stay glued ("#ProjectFalconRidge" → "projectfalconridge") and a term may match
        # anywhere inside one, since tags join words without spaces.
        parts, owner, tag = [" "], [-1], [-1]
        chunk = -1
        for i, t in enumerate(tokens):
            glued = t.hashtag and t.joined and i > 0
            if not glued:
                chunk = i if t.hashtag else -1
                if i > 0:
                    parts.append(" ")
                    owner.append(-1)
                    tag.append(-1)
            parts.append(t.text)
            owner.extend([i] * len(t.text))
            tag.extend([chunk] * len(t.text))
        parts.append(" ")
        owner.append(-1)
        tag.append(-1)
        hay = "".join(parts)
        out: list[TermMatch] = []
        for end, (length, fs) in self._ac.iter(hay):
            start = end - length + 1
            first, last = owner[start], owner[end]
            if first < 0 or last < 0:
                continue
            bounded = hay[start - 1] == " " and hay[end + 1] == " "
            inside_tag = tag[start] >= 0 and tag[start] == tag[end] and length >= 5
            if not (bounded or inside_tag):
                continue
            for f in fs:
                e, written, _ = self.forms[f]
                out.append(TermMatch(e, written, first, last, True, 0))
        return out

    def _find_fuzzy(self, tokens: list[Token], covered: set[int]) -> list[TermMatch]:
        if not self._fuzzy:
            return []
        seen: set[tuple[int, int, int]] = set()
        out: list[TermMatch] = []
        for i, tok in enumerate(tokens):
            if i in covered or len(tok.text) < MIN_ANCHOR or not tok.text.isalpha():
                continue
            keys = [tok.text] if tok.text in self._dictionary else [tok.text, *deletes(tok.text)]
            for key in keys:
                for f, pos in self._fuzzy.get(key, ()):
                    for m in self._verify(tokens, i, f, pos):
                        sig = (m.entry, m.first, m.last)
                        if sig not in seen:
                            seen.add(sig)
                            out.append(m)
        return out

    def _verify(self, tokens: list[Token], i: int, f: int, pos: int) -> list[TermMatch]:
        e, written, words = self.forms[f]
        k = len(words)
        compact = "".join(words)
        budget = term_budget(len(compact))
        n = len(tokens)
        if pos >= 0:
            # Aligned word for word: each word within its own budget, the sum within the term's.
            first = i - pos
            if 0 <= first and first + k <= n:
                window = tokens[first:first + k]
                total = 0
                for w, t in zip(words, window):
                    d = Levenshtein.distance(w, t.text, score_cutoff=word_budget(len(w)))
                    if d > word_budget(len(w)):
                        break
                    total += d
                else:
                    if 0 < total <= budget and not self._all_ordinary(window, words):
                        return [TermMatch(e, written, first, first + k - 1, False, total)]
        # Split or merged words: compare compact forms over windows that contain token i.
        best = None
        for size in range(max(1, k - 1), k + 2):
            for first in range(max(0, i - size + 1), min(i, n - size) + 1):
                window = tokens[first:first + size]
                text = "".join(t.text for t in window)
                if abs(len(text) - len(compact)) > budget:
                    continue
                d = Levenshtein.distance(compact, text, score_cutoff=budget)
                if 0 < d <= budget and not self._all_ordinary(window, words):
                    if best is None or d < best.distance:
                        best = TermMatch(e, written, first, first + size - 1, False, d)
        return [best] if best else []

    def _all_ordinary(self, window: list[Token], words: tuple[str, ...]) -> bool:
        """A window of correctly spelled ordinary words is a real phrase, not a typo of a term."""
        return all(t.text in self._dictionary for t in window)
