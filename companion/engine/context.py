"""What every rule sees during one check: the draft, its tokens, and the situation it is written in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from companion.engine.normalize import Normalized


@dataclass
class CheckContext:
    text: str
    norm: Normalized
    platform: str
    surface: str
    replying_to: str | None
    reply_norm: Normalized | None
    official: bool            # posting from one of the company's official accounts
    today: dt.date
    customer_in_sight: bool = False   # the draft answers someone (engine/referrals.customer_in_sight)
    links_official_page: bool = False   # the draft links one of the pack's referral pages: a hand-off
    referrals: list[dict[str, Any]] = field(default_factory=list)
    truncated: dict[str, str] = field(default_factory=dict)   # rule id -> the budget that stopped it short
    found: list[Any] = field(default_factory=list)   # the findings so far, for rules that run after the others
    lang: str | None = None   # the reader's language (the browser's): pack texts in it where translated

    def release(self) -> None:
        """Drop the language views kept on the draft and on the message answered. Each view points back
        at its text, so until then they hold each other; dropped, reference counting frees a check's
        tokens as soon as it ends instead of leaving them to the garbage collector."""
        self.norm.analyses.clear()
        if self.reply_norm is not None:
            self.reply_norm.analyses.clear()
