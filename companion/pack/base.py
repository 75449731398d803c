"""The base policy: company-independent rules every pack inherits as its lowest layer.

It lives in policy_packs/base/base-policy.yaml (shipped inside the companion). Its rules refer to the
company through slots: <company>, <product> and <handle> in token patterns (filled from the pack's
`company` section by language/vocabulary.py) and {company} in messages and examples. A pack changes
it by rule id under `base:` (`off`, or a new severity) and can replace a rule by defining one with
the same id.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

from companion.pack.errors import PackError, PackProblem
from companion.pack.loader import parse_yaml

BASE_PATH = Path(__file__).resolve().parent.parent / "data" / "base-policy.yaml"
BASE_FORMAT = "postguard/base-v1"
TEXT_KEYS = ("message", "why")


@lru_cache(maxsize=1)
def base_policy() -> dict[str, Any]:
    data, _ = parse_yaml(BASE_PATH.read_bytes(), "base-policy.yaml")
    if not isinstance(data, dict) or data.get("format") != BASE_FORMAT:
        raise PackError([PackProblem("base-policy.yaml", 1, 1, "format", f"the base policy must say format: {BASE_FORMAT}")])
    return data


def base_rule_ids() -> set[str]:
    return {r["id"] for r in base_policy().get("rules", ())}


def _fill(value: Any, company: str) -> Any:
    if isinstance(value, str):
        return value.replace("{company}", company)
    if isinstance(value, list):
        return [_fill(v, company) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, company) for k, v in value.items()}
    return value


def inherited_rules(pack: dict[str, Any]) -> list[dict[str, Any]]:
    """The base rules this pack inherits: switched-off and replaced ones left out, severities changed,
    {company} filled in wherever people read it (messages, suggestions, examples)."""
    settings = pack.get("base") or {}
    own = {r.get("id") for r in pack.get("rules", ())}
    company = (pack.get("company") or {}).get("name") or "the company"
    out = []
    for raw in base_policy().get("rules", ()):
        choice = settings.get(raw["id"])
        if choice in ("off", False) or raw["id"] in own:      # YAML 1.1 reads a bare off as false
            continue
        rule = copy.deepcopy(raw)
        for key in (*TEXT_KEYS, "suggestions", "examples", "translations"):
            if key in rule:
                rule[key] = _fill(rule[key], company)
        if choice:
            rule["severity"] = choice
        out.append(rule)
    return out
