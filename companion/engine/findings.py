"""The finding model (docs/architecture.md) (a closed list of categories and severities)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

CATEGORIES = ("confidential", "safety", "speaking_for_company", "disclosure", "escalation",
              "personal_data", "tone", "platform_limit")
SEVERITIES = ("info", "warning", "critical")
PLATFORMS = ("x", "facebook", "linkedin", "instagram")
SURFACES = ("post", "reply", "comment", "message", "caption")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(slots=True)
class Suggestion:
    label: str
    replacement: str | None = None   # replaces the finding's span
    insert: str | None = None        # appended at the end of the draft
    handoff: str | None = None       # an escalation matrix topic: the card opens "Send to <owner>" for it

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"label": self.label}
        if self.replacement is not None:
            d["replacement"] = self.replacement
        if self.insert is not None:
            d["insert"] = self.insert
        if self.handoff is not None:
            d["handoff"] = self.handoff
        return d


@dataclass(slots=True)
class Finding:
    category: str
    severity: str
    rule: str
    start: int                 # UTF-16 offsets into the draft
    end: int
    excerpt: str
    message: str
    why: str
    suggestions: list[Suggestion] = field(default_factory=list)
    detail: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        """Stable for the same rule and span, so the extension can remember 'ignore this one'."""
        return hashlib.sha1(f"{self.rule}\0{self.start}\0{self.end}".encode()).hexdigest()[:12]

    def to_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id, "category": self.category, "severity": self.severity, "rule": self.rule,
            "start": self.start, "end": self.end, "excerpt": self.excerpt, "message": self.message,
            "why": self.why, "suggestions": [s.to_dict() for s in self.suggestions],
        }
        if self.detail:
            d["detail"] = self.detail
        return d


def sort_key(f: Finding) -> tuple:
    return (f.start, -severity_rank(f.severity), f.end, f.rule)
