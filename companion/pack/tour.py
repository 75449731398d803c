"""The pack as a lesson: what the extension's tour and practice box show (GET /v1/pack/tour).

Per category: the reason the policy gives (the `why` of one of its rules, a term's `reason` for the
confidential terms), one draft it flags and one it lets pass, from the rules' own `examples`, and the
flag examples to practise on. The company's own rules come before the base policy's. Every flag
example is checked here, today, before it is offered: a term that went public, or an example that
only flags on a platform the practice box is not, is left out rather than shown as "wrong" and passing.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from companion.engine.check import CheckRequest, check
from companion.engine.findings import CATEGORIES
from companion.pack.compiled import CompiledPack, RuleExamples

PRACTICE_PER_CATEGORY = 5
_cache: dict[tuple[str, dt.date], dict[str, Any]] = {}
_cache_lock = threading.Lock()


def _where(ex: RuleExamples) -> tuple[str, str]:
    """The platform and surface the examples are run on, as `pack test` runs them."""
    platform = ex.rule.platforms[0] if ex.rule.platforms else "facebook"
    surface = ex.rule.surfaces[0] if ex.rule.surfaces else "reply" if ex.rule.audience == "customer" else "post"
    return platform, surface


def _flagged(pack: CompiledPack, ex: RuleExamples, text: str, today: dt.date):
    """The finding `ex`'s rule reports in `text` today, or None."""
    platform, surface = _where(ex)
    report = check(pack, CheckRequest(text, platform, surface, today=today))
    return next((f for f in report.findings if f.rule == ex.rule_id), None)


def build_tour(pack: CompiledPack, today: dt.date) -> dict[str, Any]:
    """{pack, policy_url, categories: [{category, why, rule, flag, pass, practice}]}; cached per pack and day."""
    key = (pack.sha256 or str(id(pack)), today)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    body = _build(pack, today)
    with _cache_lock:
        if len(_cache) > 8:
            _cache.clear()
        _cache[key] = body
    return body


def _build(pack: CompiledPack, today: dt.date) -> dict[str, Any]:
    examples = sorted(pack.rule_examples(), key=lambda ex: getattr(ex.rule, "layer", "pack") != "pack")
    by_category: dict[str, dict[str, Any]] = {}
    for ex in examples:
        entry = by_category.get(ex.rule.category)
        if entry is not None and len(entry["practice"]) >= PRACTICE_PER_CATEGORY:
            continue
        if ex.public_after is not None and ex.public_after <= today:
            continue   # public now: its flag examples no longer flag
        if entry is not None and entry["pass"] is None and ex.passes:
            entry["pass"] = ex.passes[0]
        platform, surface = _where(ex)
        for text in ex.flag:
            finding = _flagged(pack, ex, text, today)
            if finding is None:
                continue
            if entry is None:
                entry = by_category[ex.rule.category] = {
                    "category": ex.rule.category, "rule": ex.rule_id, "why": finding.why,
                    "message": finding.message, "severity": finding.severity,
                    "flag": text, "pass": ex.passes[0] if ex.passes else None, "practice": []}
            entry["practice"].append({"rule": ex.rule_id, "text": text, "platform": platform, "surface": surface})
            if len(entry["practice"]) >= PRACTICE_PER_CATEGORY:
                break
    return {
        "pack": {"id": pack.id, "revision": pack.revision, "title": pack.title},
        "policy_url": pack.policy_url,
        "categories": [by_category[c] for c in CATEGORIES if c in by_category],
    }
