"""Ordinary words, used so that real words are not mistaken for typos of code names.

The list is the 50,000 most frequent words of English (wordfreq's bundled data, no download at run
time; language/worddata.py), loaded once per process on first use. wordfreq's list also holds every
single letter and hundreds of two-letter abbreviations ("bc", "cx"); those are dropped, except real
short words and the pieces contractions leave behind ("don't" is tokenized as "don" + "t").
"""

from __future__ import annotations

from functools import lru_cache

from companion.engine.language import worddata

SHORT_WORDS = frozenset("""a i ad ah am an as at aw ax be by do eh ex go ha he hi ho id if in is it lo ma me
my no of oh ok on or ow ox pa so to uh um up us we ya ye yo""".split())
CONTRACTION_PIECES = frozenset("s t d m ll re ve".split())
MAX_SEGMENT = 24


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    return frozenset(w for w in worddata.top_english()
                     if w.isalpha() and (len(w) > 2 or w in SHORT_WORDS or w in CONTRACTION_PIECES))


def is_word(token: str) -> bool:
    return token in words()


@lru_cache(maxsize=4096)
def segmentable(text: str) -> bool:
    """Can `text` be written as a run of ordinary words ("ilove" = i + love)? Empty text can.

    Used for the letters a #hashtag has around a term found inside it: "#ilovefalconridge" is
    "i love" + a term, but "#mondaymotivation" does not hold the code name "Ation".
    """
    n = len(text)
    if n == 0:
        return True
    if n > 4 * MAX_SEGMENT:
        return False
    vocabulary = words()
    ok = [True] + [False] * n           # ok[j]: text[:j] is a run of words
    for j in range(1, n + 1):
        for i in range(max(0, j - MAX_SEGMENT), j):
            if ok[i]:
                piece = text[i:j]
                if (len(piece) > 2 or piece in SHORT_WORDS) and piece in vocabulary:
                    ok[j] = True
                    break
    return ok[n]
