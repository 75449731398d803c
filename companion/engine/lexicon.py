"""Ordinary words, used so that real words are not mistaken for typos of code names.

The list is the most frequent words of English (wordfreq's bundled data, no download at run
time). Loaded once per process, on first use.
"""

from __future__ import annotations

from functools import lru_cache

WORD_COUNT = 50_000


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    import wordfreq

    return frozenset(w for w in wordfreq.top_n_list("en", WORD_COUNT) if w.isalpha())


def is_word(token: str) -> bool:
    return token in words()
