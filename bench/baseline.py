"""The naive baseline: rapidfuzz `partial_ratio` of every term over the whole draft.

This is the obvious way to write a fuzzy term check, and the number PostGuard's matcher has to beat.
It is given its best shot: terms are preprocessed once (like an index build), the draft once per
check, and the loop over terms runs inside rapidfuzz (`process.extract`, C++), not in Python.
A term counts as found at a score of 85 or more (the cutoff used in the design notes).
"""

from __future__ import annotations

import time

from rapidfuzz import fuzz, process, utils

CUTOFF = 85


class Baseline:
    def __init__(self, terms: list[str]):
        self.terms = [utils.default_process(t) for t in terms]

    def scan(self, text: str, step: int = 1) -> tuple[set[int], float]:
        """Terms found in `text` (indexes), and the seconds it took. With step > 1 only every step-th
        term is scored (a sample); the caller scales time and counts by `step`."""
        t0 = time.perf_counter()
        draft = utils.default_process(text)
        choices = self.terms if step == 1 else self.terms[::step]
        hits = process.extract(draft, choices, scorer=fuzz.partial_ratio, processor=None,
                               score_cutoff=CUTOFF, limit=None)
        elapsed = time.perf_counter() - t0
        return {h[2] * step for h in hits}, elapsed

    def finds(self, entry: int, text: str) -> bool:
        """Does the baseline report term `entry` in `text`? (For recall: only the planted term is scored.)"""
        return fuzz.partial_ratio(self.terms[entry], utils.default_process(text), score_cutoff=CUTOFF) > 0
