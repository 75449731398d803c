"""Anchors: what a text must hold for a token pattern, or a class, to match anywhere in it.

Every element of a pattern that is neither optional nor a gap matches somewhere in each match, so
each such element is a necessary condition; the anchor is the rarest of them: one of its words in any
form (they are what the per-check form index is keyed by), and for each of its classes what that
class's own patterns' anchors need, down to the built-in classes (a clock time, a day), which stand
for themselves. Built from the patterns and the vocabulary as they are, so the anchors follow the
lexicons when they change. Rarity (wordfreq's Zipf scale) only picks which element stands for a
pattern: a poor pick skips less, never wrongly.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from companion.engine.language import timeclasses
from companion.engine.language.lemmas import is_cyrillic

if TYPE_CHECKING:
    from companion.engine.language.tokenpattern import Element
    from companion.engine.language.vocabulary import Vocabulary

BUILTIN_COMMONNESS = 5.0   # a clock time or a day is about as common as a frequent word (Zipf scale)


@dataclass(frozen=True)
class Needs:
    """A text must hold one of these: a form of one of its tokens, a token whose first 3 letters are
    one of `starts` (a phrase's prefix word, engine/phraseset.py), or a built-in class found in it."""
    words: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    starts: frozenset[str] = frozenset()

    def __or__(self, other: "Needs") -> "Needs":
        return Needs(self.words | other.words, self.classes | other.classes, self.starts | other.starts)


NOTHING = Needs()   # what a pattern that cannot match needs: nothing any text holds


def pattern_anchors(patterns: list[list["Element"]], vocab: "Vocabulary") -> list[tuple[Needs, Needs | None]]:
    """The anchor of each pattern, given as its required elements (TokenPatterns.required_elements),
    and the needs of its next rarest required element (None when it has one): a match holds both."""
    found = dict(vocab.needs)
    out = []
    for required in patterns:
        needs = sorted((_element_needs(e, vocab, found) for e in required), key=rarity)
        out.append((needs[0], needs[1] if len(needs) > 1 else None))
    return out


def class_needs(vocab: "Vocabulary") -> dict[str, Needs]:
    """What a text holds where each class of the vocabulary occurs (Vocabulary.build keeps it)."""
    found: dict[str, Needs] = {}
    for name in sorted(vocab.class_names):
        _class_needs(name, vocab, found)
    return found


def _anchor(required: list["Element"], vocab: "Vocabulary", found: dict[str, Needs]) -> Needs:
    """The needs of a pattern's rarest required element (`found`: each class's needs so far)."""
    return min((_element_needs(e, vocab, found) for e in required), key=rarity)


def _element_needs(e: "Element", vocab: "Vocabulary", found: dict[str, Needs]) -> Needs:
    """What a text holds where element `e` matches: one of its words, the rarest word of one of its
    phrases (a phrase holds all its words), or what one of its classes needs."""
    rarest = (min(phrase, key=lambda keys: max(map(commonness, keys))) for phrase in e.phrases)
    needs = Needs(frozenset(e.keys).union(e.exact_keys, *rarest))
    for name in e.classes:
        needs |= _class_needs(name, vocab, found)
    return needs


def _class_needs(name: str, vocab: "Vocabulary", found: dict[str, Needs]) -> Needs:
    """What a text holds where the class occurs: a built-in class itself, and the anchor of each of
    the vocabulary's patterns for it. A class that refers to itself adds nothing more (and cannot be
    matched: Analysis.class_spans refuses it)."""
    if name in found:
        return found[name]
    found[name] = NOTHING                    # while it is being worked out
    needs = Needs(classes=frozenset({name})) if name in timeclasses.PATTERNS else NOTHING
    patterns = vocab.classes.get(name)
    if patterns:
        for required in patterns.required_elements():
            needs |= _anchor(required, vocab, found)
    found[name] = needs
    return needs


def rarity(n: Needs) -> float:
    """How often a text holds what `n` needs, roughly: its commonest word or class, on the Zipf scale."""
    return max([*map(commonness, n.words), *(BUILTIN_COMMONNESS for _ in n.classes)], default=0.0)


@lru_cache(maxsize=65536)
def commonness(word: str) -> float:
    """A word's frequency on the Zipf scale, in English or (Cyrillic) Bulgarian, as wordfreq.zipf_frequency
    gives it. A plain lower-case word is its own only token, so it is looked up in wordfreq's table
    directly: 3 µs a word instead of the 20 µs its tokenizer takes (about 9,000 words per pack compiled)."""
    import wordfreq  # here: its import takes a third of a second, and a pack read from the cache never asks

    lang = "bg" if is_cyrillic(word) else "en"
    if not (word.isalpha() and word == word.casefold() and unicodedata.is_normalized("NFC", word)):
        return wordfreq.zipf_frequency(word, lang)
    freq = wordfreq.get_frequency_dict(lang).get(word, 0.0)
    if not freq:
        return 0.0
    freq = round(freq, math.floor(-math.log10(freq)) + 3)       # wordfreq keeps 3 significant digits
    return round(math.log10(freq) + 9, 2)
