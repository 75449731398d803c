"""`postguard pack explain`: every rule that looked at a text, and why it fired or did not."""

from __future__ import annotations

from companion.engine.check import CheckRequest, check, context_for, in_order, second_opinions_where_rules_are_silent
from companion.pack.compiled import CompiledPack


def explain(pack: CompiledPack, req: CheckRequest) -> list[str]:
    ctx = context_for(pack, req)
    lines = [f"normalized words: {' '.join(t.text for t in ctx.norm.tokens)}"]
    so_far = []
    for rule in in_order(pack.rules):
        if rule.runs_after_others:       # what they see in check(): the model only where no rule spoke
            ctx.found = second_opinions_where_rules_are_silent(so_far)
        layer = " [base policy]" if rule.layer == "base" else ""
        if not rule.applies(ctx):
            lines.append(f"- {rule.id}{layer}: skipped (only for platforms {list(rule.platforms) or 'all'}, "
                         f"surfaces {list(rule.surfaces) or 'all'}, audience {rule.audience})")
            continue
        found = rule.run(ctx)
        so_far.extend(found)
        if found:
            for f in found:
                how = {k: v for k, v in (f.detail or {}).items() if k != "layer"}
                lines.append(f"✔ {f.rule}{layer}: fired on “{f.excerpt}” ({f.severity}) — {how}")
        else:
            lines.append(f"- {rule.id}{layer}: did not fire: {rule.explain_miss(ctx)}")
    final = check(pack, req)
    lines.append(f"result: {len(final.findings)} finding(s) after merging overlaps; referrals: "
                 + (", ".join(r["id"] for r in final.referrals) or "none"))
    return lines
