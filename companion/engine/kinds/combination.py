"""combination: several groups of words must all occur close together (safety rules).

"alone" alone is fine and "parking lot" alone is fine; "alone in the parking lot at 4 am" is not.
A finding spans the tightest window that holds one hit from every group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.engine.context import CheckContext
from companion.engine.findings import Finding
from companion.engine.kinds.base import Rule
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.matcher import Hit, Matcher


@dataclass
class CombinationRule(Rule):
    groups: tuple[tuple[str, Matcher], ...] = ()
    window: int = 12

    def run(self, ctx: CheckContext) -> list[Finding]:
        per_group = [[h for h in m.find(ctx.norm) if h.first >= 0] for _, m in self.groups]
        if not all(per_group):
            return []
        findings: list[Finding] = []
        last_end = -1
        # Anchor on each hit of the rarest group; take the nearest hit of every other group.
        order = sorted(range(len(per_group)), key=lambda g: len(per_group[g]))
        anchors = per_group[order[0]]
        for a in anchors:
            chosen: list[Hit] = [a]
            for g in order[1:]:
                best = min(per_group[g], key=lambda h: _gap(a, h))
                chosen.append(best)
            first = min(h.first for h in chosen)
            last = max(h.last for h in chosen)
            if last - first + 1 > self.window:
                continue
            start, end = min(h.start for h in chosen), max(h.end for h in chosen)
            if start < last_end:        # overlaps the previous finding: same occurrence
                continue
            last_end = end
            detail = {"match": "context", "context": [
                {"group": name, "text": ctx.norm.slice16(h.start, h.end)}
                for (name, _), h in zip((self.groups[g] for g in order), chosen)]}
            findings.append(self.finding(ctx, start, end, detail=detail))
        return findings


    def explain_miss(self, ctx: CheckContext) -> str:
        parts = []
        for name, m in self.groups:
            hits = [ctx.norm.slice16(h.start, h.end) for h in m.find(ctx.norm)]
            parts.append(f"{name}: " + (", ".join(f"“{h}”" for h in hits) if hits else "no match"))
        return "; ".join(parts) + f" (all groups within {self.window} words needed)"


def _gap(a: Hit, b: Hit) -> int:
    if b.first > a.last:
        return b.first - a.last
    if a.first > b.last:
        return a.first - b.last
    return 0


def compile(raw: dict[str, Any], pack: dict[str, Any], vocab: Vocabulary | None = None) -> CombinationRule:
    groups = tuple((g["name"], Matcher(g.get("phrases", ()), g.get("patterns", ()), tokens=g.get("tokens", ()),
                                       vocab=vocab, assertion=raw.get("assert"))) for g in raw["groups"])
    return CombinationRule(**Rule.common(raw, "safety"), groups=groups, window=raw.get("window", 12))
