"""disclosure: mentioning the company or its products from a personal account needs a disclosure.

Fires once, on the first mention, unless the draft already carries the disclosure line, one of the
disclosure hashtags or another marker ("I work at ..."). Never fires on official accounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.kinds.base import Rule
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.matcher import Matcher

# Links and e-mail addresses name the company's domain without being a mention of it.
ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)


@dataclass
class DisclosureRule(Rule):
    mentions: Matcher | None = None
    disclosed_by: Matcher | None = None

    def run(self, ctx: CheckContext) -> list[Finding]:
        if ctx.official:
            return []
        addresses = [ctx.norm.span16(m.start(), m.end()) for m in ADDRESS.finditer(ctx.text)]
        hits = [h for h in self.mentions.find(ctx.norm)
                if not any(a <= h.start and h.end <= b for a, b in addresses)]
        if not hits or self.disclosed_by.find(ctx.norm):
            return []
        h = hits[0]
        return [self.finding(ctx, h.start, h.end, detail={
            **h.detail(), "mentions": sorted({ctx.norm.slice16(x.start, x.end) for x in hits})})]


    def explain_miss(self, ctx: CheckContext) -> str:
        if ctx.official:
            return "official account"
        if not self.mentions.find(ctx.norm):
            return "no mention of the company or its products"
        return "the draft carries a disclosure"


def compile(raw: dict[str, Any], pack: dict[str, Any], vocab: Vocabulary | None = None) -> DisclosureRule:
    company = pack["company"]
    disclosure = company.get("disclosure") or {}
    mentions = raw.get("mentions") or [company["name"], *company.get("aliases", ()), *company.get("products", ())]
    disclosed_by = raw.get("disclosed_by") or [
        *([disclosure["line"]] if disclosure.get("line") else []),
        *disclosure.get("hashtags", ()), *disclosure.get("markers", ())]
    common = Rule.common(raw, "disclosure")
    if not common["suggestions"] and disclosure.get("line"):
        common["suggestions"] = [Suggestion("Add the disclosure line", insert="\n\n" + disclosure["line"])]
    # `tokens` are disclosures in any words ("I've worked at <company> for 5 years"), from the base policy
    return DisclosureRule(**common, mentions=Matcher(mentions),
                          disclosed_by=Matcher(disclosed_by, tokens=raw.get("tokens", ()), vocab=vocab))
