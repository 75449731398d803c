"""combination: several groups of words must all occur close together (safety rules).

"alone" alone is fine and "parking lot" alone is fine; "alone in the parking lot at 4 am" is not.
A finding spans the tightest window that holds one hit from every group.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import islice, permutations
from typing import Any

from companion.engine.context import CheckContext
from companion.engine.findings import Finding
from companion.engine.kinds.base import MAX_FINDINGS, PackRule, capped
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.matcher import Hit, Matcher
from companion.engine.prefilter import Required

NEAR = 3     # an `unless` phrase this many words before or after a window still makes it harmless:
             # "finally got the keys | to our first house"


@dataclass
class CombinationRule(PackRule):
    groups: tuple[tuple[str, Matcher], ...] = ()
    window: int = 12
    unless: Matcher | None = None      # words that make a window harmless ("keys to my new flat")
    unless_in_draft: Matcher | None = None    # words that make the whole draft harmless, wherever they are
                                              # ("did my first solo night ... last month": a shift behind you)
    unless_linking_official_page: bool = False   # a draft that links the company's own page for it hands
                                                 # the matter over, as the policy asks

    def run(self, ctx: CheckContext) -> list[Finding]:
        if self.unless_linking_official_page and ctx.links_official_page:
            return []
        per_group = []
        for _, m in self.groups:     # a group with no hit ends it: the others need no look
            hits = sorted((h for h in m.find(ctx.norm) if h.first >= 0), key=lambda h: h.first)
            if not hits:
                return []
            per_group.append(hits)
        firsts = [[h.first for h in hits] for hits in per_group]
        harmless: list[tuple[int, int]] | None = None      # looked for once a window is found: most drafts have none
        findings: list[Finding] = []
        last_end = -1
        # Anchor on each hit of the rarest group; take the nearest hit of every other group that uses
        # other words (one word cannot be both the place and the time).
        order = sorted(range(len(per_group)), key=lambda g: len(per_group[g]))
        anchors = per_group[order[0]]
        for a in anchors:
            chosen = self._choose(a, order, per_group, firsts)
            if chosen is None:
                continue
            first = min(h.first for h in chosen)
            last = max(h.last for h in chosen)
            if harmless is None:
                if self.unless_in_draft and self.unless_in_draft.find(ctx.norm):
                    return []
                harmless = [(h.first, h.last) for h in self.unless.find(ctx.norm)] if self.unless else []
            if any(first - NEAR <= b and a_ <= last + NEAR for a_, b in harmless):
                continue
            start, end = min(h.start for h in chosen), max(h.end for h in chosen)
            if start < last_end:        # overlaps the previous finding: same occurrence
                continue
            last_end = end
            detail = {"match": "context", "context": [
                {"group": name, "text": ctx.norm.slice16(h.start, h.end)}
                for (name, _), h in zip((self.groups[g] for g in order), chosen)]}
            findings.append(self.finding(ctx, start, end, detail=detail))
            if len(findings) > MAX_FINDINGS:
                break
        return capped(findings)

    def _choose(self, a: Hit, order: list[int], per_group: list[list[Hit]], firsts: list[list[int]]) -> list[Hit] | None:
        """One hit of every group (in `order`) around anchor `a`, within the window, each the nearest
        to `a` of those the groups picked before left free. One word can serve two groups ("bank run"
        is the money and the moving it), so when the first pick starves a later group the other
        orders are tried too (at most MAX_ORDERS: a pack may have many groups)."""
        for others in islice(permutations(order[1:]), MAX_ORDERS):
            picked = {order[0]: a}
            for g in others:
                best = _nearest(per_group[g], firsts[g], a, list(picked.values()))
                if best is None:
                    break
                picked[g] = best
            else:
                if max(h.last for h in picked.values()) - min(h.first for h in picked.values()) + 1 <= self.window:
                    return [picked[g] for g in order]
        return None

    def required(self) -> Required:
        return Required(draft=tuple(m for _, m in self.groups))     # a hit of every group

    def explain_miss(self, ctx: CheckContext) -> str:
        if self.unless_linking_official_page and ctx.links_official_page:
            return "the draft links one of the pack's referral pages (`unless_linking_official_page`)"
        if self.unless_in_draft and self.unless_in_draft.find(ctx.norm):
            return "one of its `unless_in_draft` phrases is in the draft"
        parts = []
        for name, m in self.groups:
            hits = [ctx.norm.slice16(h.start, h.end) for h in m.find(ctx.norm)]
            parts.append(f"{name}: " + (", ".join(f"“{h}”" for h in hits) if hits else "no match"))
        return "; ".join(parts) + f" (all groups within {self.window} words needed)"


MAX_ORDERS = 6      # orders of the other groups tried per anchor (all of them for three groups)
NEAREST_TRIES = 8   # candidates looked at per anchor and group: bounded work on long drafts


def _nearest(hits: list[Hit], firsts: list[int], a: Hit, chosen: list[Hit]) -> Hit | None:
    """The hit nearest to `a` that overlaps no chosen hit, found by walking out from `a`'s position."""
    right = bisect_left(firsts, a.first)
    left = right - 1
    for _ in range(NEAREST_TRIES):
        if left < 0 and right >= len(hits):
            return None
        if right >= len(hits) or (left >= 0 and _gap(a, hits[left]) <= _gap(a, hits[right])):
            h, left = hits[left], left - 1
        else:
            h, right = hits[right], right + 1
        if not any(h.first <= c.last and c.first <= h.last for c in chosen):
            return h
    return None


def _gap(a: Hit, b: Hit) -> int:
    if b.first > a.last:
        return b.first - a.last
    if a.first > b.last:
        return a.first - b.last
    return 0


def compile(raw: dict[str, Any], pack_data: dict[str, Any], vocab: Vocabulary | None = None) -> CombinationRule:
    groups = tuple((g["name"], Matcher(g.get("phrases", ()), g.get("patterns", ()), tokens=g.get("tokens", ()),
                                       vocab=vocab, assertion=raw.get("assert"))) for g in raw["groups"])
    unless = Matcher(tokens=raw["unless"], vocab=vocab) if raw.get("unless") else None
    anywhere = Matcher(tokens=raw["unless_in_draft"], vocab=vocab) if raw.get("unless_in_draft") else None
    return CombinationRule(**PackRule.common(raw, "safety"), groups=groups, window=raw.get("window", 12), unless=unless,
                           unless_in_draft=anywhere,
                           unless_linking_official_page=raw.get("unless_linking_official_page", False))
