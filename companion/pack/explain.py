"""`postguard pack explain`: every rule that looked at a text, and why it fired or did not."""

from __future__ import annotations

import datetime as dt

from companion.engine.check import check
from companion.engine.context import CheckContext
from companion.engine.normalize import normalize
from companion.engine.referrals import customer_in_sight


def explain(pack, text: str, platform: str, surface: str, today: dt.date) -> list[str]:
    norm = normalize(text)
    ctx = CheckContext(text=text, norm=norm, platform=platform, surface=surface, replying_to=None,
                       reply_norm=None, official=False, today=today,
                       customer_in_sight=customer_in_sight(text, surface, None, pack.own_handles))
    ctx.referrals = pack.referrals.choose(norm, None)
    lines = [f"normalized words: {' '.join(t.text for t in norm.tokens)}"]
    for rule in pack.rules:
        layer = " [base policy]" if getattr(rule, "layer", "") == "base" else ""
        rid = getattr(rule, "id", "?") + layer
        if not rule.applies(ctx):
            lines.append(f"- {rid}: skipped (only for platforms {list(rule.platforms) or 'all'}, "
                         f"surfaces {list(rule.surfaces) or 'all'}, audience {rule.audience})")
            continue
        found = rule.run(ctx)
        if found:
            for f in found:
                how = {k: v for k, v in (f.detail or {}).items() if k != "layer"}
                lines.append(f"✔ {f.rule}{layer}: fired on “{f.excerpt}” ({f.severity}) — {how}")
        else:
            why = rule.explain_miss(ctx) if hasattr(rule, "explain_miss") else "nothing matched"
            lines.append(f"- {rid}: did not fire: {why}")
    final = check(pack, text, platform, surface, today=today)
    lines.append(f"result: {len(final.findings)} finding(s) after merging overlaps; referrals: "
                 + (", ".join(r["id"] for r in final.referrals) or "none"))
    return lines
