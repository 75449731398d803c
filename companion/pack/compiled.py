"""A pack ready for checking: validated data turned into rule objects and indexes.

Built once per pack load; never changed afterwards, so one CompiledPack can serve concurrent checks
and a reload swaps the whole object at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.engine.kinds import KINDS
from companion.engine.kinds.confidential import ConfidentialTerms
from companion.engine.kinds.pattern import BUILTINS
from companion.engine.kinds.platform_limit import PlatformLimit
from companion.engine.referrals import ReferralChooser
from companion.pack.errors import PackError, PackProblem
from companion.pack.loader import parse_yaml, read_pack_file
from companion.pack.validate import validate

DEFAULT_LIMITS = {"x": 280, "facebook": 63206, "linkedin": 3000, "instagram": 2200}
BUNDLED_PACK = Path(__file__).resolve().parent.parent / "data" / "example-pack.yaml"


@dataclass
class CompiledPack:
    data: dict[str, Any]
    source: str
    sha256: str
    rules: list[Any]
    referrals: ReferralChooser
    limits: dict[str, int]
    warnings: list[PackProblem] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def revision(self) -> int:
        return self.data["revision"]

    def is_official(self, platform: str, account: str | None) -> bool:
        if not account:
            return False
        wanted = account.strip().lstrip("@").casefold()
        accounts = self.data["company"].get("official_accounts", {}).get(platform, ())
        return any(a.lstrip("@").casefold() == wanted for a in accounts)

    def rule_examples(self):
        """(rule id, examples) for every rule that has them, confidential terms included."""
        for rule_raw, rule in self._raw_rules():
            if rule_raw.get("examples"):
                yield rule, rule_raw["examples"]

    def _raw_rules(self):
        from companion.engine.kinds.confidential import slug

        for t in self.data.get("confidential", ()):
            yield t, t.get("id") or "conf." + slug(t["term"])
        for r in self.data.get("rules", ()):
            yield r, r["id"]


def compile_pack(data: dict[str, Any], source: str = "<pack>", sha256: str = "",
                 warnings: list[PackProblem] | None = None) -> CompiledPack:
    rules: list[Any] = []
    if data.get("confidential"):
        rules.append(ConfidentialTerms(data["confidential"]))
    for raw in data.get("rules", ()):
        rules.append(KINDS[raw["kind"]](raw, data))
    for name in data.get("personal_data_builtins", list(BUILTINS)):
        rules.append(KINDS["pattern"](BUILTINS[name], data))
    limits = dict(DEFAULT_LIMITS)
    limits.update({p: v["limit"] for p, v in data.get("platforms", {}).items() if "limit" in v})
    rules.append(PlatformLimit(limits))
    return CompiledPack(data=data, source=source, sha256=sha256, rules=rules,
                        referrals=ReferralChooser(data.get("referrals", [])), limits=limits,
                        warnings=warnings or [])


def load_pack_bytes(raw: bytes, name: str) -> CompiledPack:
    """Parse, validate and compile; raises PackError naming file, line and key."""
    data, marks = parse_yaml(raw, name)
    if not isinstance(data, dict):
        raise PackError([PackProblem(name, 1, 1, "", "a pack is a mapping of keys (format, id, revision, ...)")])
    errors, warnings = validate(data, marks, name)
    if errors:
        raise PackError(errors)
    return compile_pack(data, name, hashlib.sha256(raw).hexdigest(), warnings)


def load_pack(path: str | Path | None = None) -> CompiledPack:
    p = Path(path) if path else BUNDLED_PACK
    return load_pack_bytes(read_pack_file(p), str(path) if path else "bundled:example-pack.yaml")
