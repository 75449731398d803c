"""One check: pack + draft (+ situation) in, findings and referrals out. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from companion.engine.context import CheckContext
from companion.engine.findings import Finding, severity_rank, sort_key
from companion.engine.normalize import normalize
from companion.engine.referrals import customer_in_sight


@dataclass
class Report:
    findings: list[Finding]
    referrals: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"findings": [f.to_dict() for f in self.findings], "referrals": self.referrals}

    @property
    def worst(self) -> str | None:
        return max((f.severity for f in self.findings), key=severity_rank, default=None)


def check(pack, text: str, platform: str, surface: str = "post", replying_to: str | None = None,
          account: str | None = None, today: dt.date | None = None) -> Report:
    """Check a draft against a compiled pack (companion.pack.compiled.CompiledPack)."""
    norm = normalize(text)
    reply_norm = normalize(replying_to) if replying_to else None
    ctx = CheckContext(text=text, norm=norm, platform=platform, surface=surface, replying_to=replying_to,
                       reply_norm=reply_norm, official=pack.is_official(platform, account),
                       today=today or dt.date.today())
    if customer_in_sight(text, surface, replying_to, pack.own_handles):
        ctx.referrals = pack.referrals.choose(norm, reply_norm)
    findings: list[Finding] = []
    for rule in pack.rules:
        if rule.applies(ctx):
            findings.extend(rule.run(ctx))
    if ctx.official:
        for f in findings:
            if f.category == "speaking_for_company":
                f.severity = "info"   # official accounts may speak for the company
    return Report(_drop_contained(findings), ctx.referrals)


def _drop_contained(findings: list[Finding]) -> list[Finding]:
    """Within a category, a finding inside another one of equal or higher severity says nothing new."""
    out = []
    for f in findings:
        if any(g is not f and g.category == f.category and g.start <= f.start and f.end <= g.end
               and (g.start, g.end) != (f.start, f.end) and severity_rank(g.severity) >= severity_rank(f.severity)
               for g in findings):
            continue
        out.append(f)
    out.sort(key=sort_key)
    return out
