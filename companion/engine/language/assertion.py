"""Is a match asserted, or negated, hedged, hypothetical, reported or asked?

NegEx-style: a cue counts when it stands in the same clause shortly before the match (at most
WINDOW words, never across . ! ? ; : , or "but"), or inside one of the match's gaps. A question
(the sentence ends in "?", or has the Bulgarian particle "ли") is not a statement either.
Pseudo-cues ("no problem", "can't wait") are not cues. Two strengths:

  not_negated   only negation cancels ("I'm never alone at the depot")
  affirmed      negation, hedges ("I hope"), conditions ("if"), reports ("they said") and questions do
  stated        as affirmed, except that a denial still counts ("Acme is NOT closing the store" speaks for Acme)
"""

from __future__ import annotations

from bisect import bisect_left

from companion.engine.language.analysis import Analysis
from companion.engine.language.tokenpattern import TokenHit

WINDOW = 6
MODES = {"not_negated": ("negation",), "affirmed": ("negation", "hedge", "hypothetical", "reported"),
         "stated": ("hedge", "hypothetical", "reported")}


def _cue_tokens(an: Analysis, kind: str) -> tuple[set[int], list[int]]:
    """Token positions a cue of this kind covers, pseudo-cues removed, as a set and sorted (computed
    once per check: a long draft has thousands of matches to look behind)."""
    key = "cue:" + kind
    cached = an.extra.get(key)
    if cached is None:
        pseudo = an.extra.get("cue:pseudo")
        if pseudo is None:
            pseudo = an.extra["cue:pseudo"] = {i for h in an.vocab.pseudo_cues.find(an)
                                               for i in range(h.first, h.last + 1)}
        patterns = an.vocab.cues.get(kind)
        cues = {i for h in patterns.find(an) if h.first not in pseudo
                for i in range(h.first, h.last + 1)} if patterns else set()
        cached = an.extra[key] = (cues, sorted(cues))
    return cached


def cancelled_by(an: Analysis, hit: TokenHit | tuple[int, tuple[int, ...]], mode: str) -> str | None:
    """The reason the match does not count ("negation", "hedge", ..., "question"), or None."""
    first, gaps = (hit.first, hit.gaps) if isinstance(hit, TokenHit) else hit
    lo = max(an.clause_start(first), first - WINDOW)
    for kind in MODES[mode]:
        cues, in_order = _cue_tokens(an, kind)
        k = bisect_left(in_order, lo)
        if (k < len(in_order) and in_order[k] < first) or any(i in cues for i in gaps):
            return kind
    if mode != "not_negated" and an.in_question(first):
        return "question"
    return None
