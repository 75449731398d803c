"""platform_limit: the draft is longer than the platform accepts.

X counts most characters of Latin, Greek, Cyrillic and other scripts below U+1100 as 1 and the rest
(CJK, emoji) as 2, and every link as 23, like X's own counter; the other sites count characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.normalize import utf16_len

URL = re.compile(r"https?://\S+", re.IGNORECASE)
X_URL_WEIGHT = 23
X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
X_HEAVY = re.compile(r"[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")   # counts 2 on X


def x_weight(ch: str) -> int:
    o = ord(ch)
    return 1 if any(a <= o <= b for a, b in X_LIGHT_RANGES) else 2


def counted_length(text: str, platform: str) -> int:
    """The length the platform's own counter shows."""
    if platform != "x":
        return len(text)
    # Every character counts 1, plus 1 more for each heavy one; each link counts 23 whatever its length.
    # Done with regexes in C: this runs on every keystroke's check.
    total = len(text) + len(X_HEAVY.findall(text))
    for m in URL.finditer(text):
        link = m.group()
        total += X_URL_WEIGHT - len(link) - len(X_HEAVY.findall(link))
    return total


def over_at(text: str, platform: str, limit: int) -> int:
    """Code-point index of the first character past the limit."""
    total = 0
    urls = {m.start(): m.end() for m in URL.finditer(text)} if platform == "x" else {}
    i = 0
    while i < len(text):
        if i in urls:
            w, nxt = X_URL_WEIGHT, urls[i]
        else:
            w, nxt = (x_weight(text[i]) if platform == "x" else 1), i + 1
        if total + w > limit:
            return i
        total += w
        i = nxt
    return len(text)


@dataclass
class PlatformLimit:
    limits: dict[str, int]
    id: str = "platform.limit"
    category: str = "platform_limit"

    def applies(self, ctx: CheckContext) -> bool:
        return ctx.platform in self.limits

    def run(self, ctx: CheckContext) -> list[Finding]:
        limit = self.limits[ctx.platform]
        length = counted_length(ctx.text, ctx.platform)
        if length <= limit:
            return []
        cut = over_at(ctx.text, ctx.platform, limit)
        start, end = ctx.norm.utf16[cut], utf16_len(ctx.text)
        over = length - limit
        name = {"x": "X", "facebook": "Facebook", "linkedin": "LinkedIn", "instagram": "Instagram"}[ctx.platform]
        return [Finding(
            category="platform_limit", severity="critical", rule=self.id, start=start, end=end,
            excerpt=ctx.norm.slice16(start, end), message=f"Too long for {name}: {length} of {limit} characters.",
            why=f"{name} does not accept posts over {limit} characters.",
            suggestions=[Suggestion(f"Shorten it by {over} character{'s' if over != 1 else ''}")],
            detail={"match": "length", "length": length, "limit": limit})]
