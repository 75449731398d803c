"""platform_limit: the draft is longer than the platform accepts.

X counts most characters of Latin, Greek, Cyrillic and other scripts below U+1100 as 1 and the rest
(CJK, emoji) as 2, and every link as 23, like X's own counter; the other sites count characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from companion.engine.builtin_text import say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.kinds.base import Rule

URL = re.compile(r"https?://\S+", re.IGNORECASE)
X_URL_WEIGHT = 23
X_HEAVY = re.compile(r"[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")   # counts 2 on X


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
    if platform != "x":
        return min(limit, len(text))
    total = pos = 0
    # Walk from link to link; between links, jump over runs of light characters (found in C).
    for link in [*URL.finditer(text), None]:
        stop = link.start() if link else len(text)
        for heavy in X_HEAVY.finditer(text, pos, stop):
            light = heavy.start() - pos
            if total + light + 2 > limit:
                return pos + max(0, min(light, limit - total))
            total, pos = total + light + 2, heavy.end()
        if total + stop - pos > limit:
            return pos + limit - total
        total, pos = total + stop - pos, stop
        if link:
            if total + X_URL_WEIGHT > limit:
                return link.start()
            total, pos = total + X_URL_WEIGHT, link.end()
    return len(text)


@dataclass
class PlatformLimit(Rule):
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
        start, end = ctx.norm.utf16[cut], ctx.norm.utf16[-1]   # to the end of the text
        over = length - limit
        name = {"x": "X", "facebook": "Facebook", "linkedin": "LinkedIn", "instagram": "Instagram"}[ctx.platform]
        return [Finding(
            category="platform_limit", severity="critical", rule=self.id, start=start, end=end,
            excerpt=ctx.norm.slice16(start, end), message=say(ctx.lang, "limit.message", name=name, length=length, limit=limit),
            why=say(ctx.lang, "limit.why", name=name, limit=limit),
            suggestions=[Suggestion(say(ctx.lang, "limit.shorten_one" if over == 1 else "limit.shorten_many", over=over))],
            detail={"match": "length", "length": length, "limit": limit})]

    def explain_miss(self, ctx: CheckContext) -> str:
        return f"{counted_length(ctx.text, ctx.platform)} of {self.limits[ctx.platform]} characters"
