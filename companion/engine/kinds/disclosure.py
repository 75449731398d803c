"""disclosure: mentioning the company or its products from a personal account needs a disclosure.

Fires once, on the first mention, unless the draft already carries the disclosure line, one of the
disclosure hashtags or another marker ("I work at ..."). Never fires on official accounts.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from companion.engine.builtin_text import say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.kinds.base import PackRule, public_names
from companion.engine.language.lemmas import in_dictionary
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.matcher import Matcher
from companion.engine.prefilter import Required
from companion.engine.regex import compile_pattern

# Links and e-mail addresses name the company's domain without being a mention of it. RE2, so the
# search is linear: Python's re tried every start of a long run without spaces (70,000 characters
# took seconds). RE2's \s is ASCII only, so NOT_SPACE spells out what Python calls whitespace.
_SPACE = r"\t\n\x0b\f\r\x1c-\x20\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
NOT_SPACE = f"[^{_SPACE}]"
ADDRESS = compile_pattern(rf"(?:https?://|www\.){NOT_SPACE}+|{NOT_SPACE}+@{NOT_SPACE}+\.{NOT_SPACE}+")


@dataclass
class DisclosureRule(PackRule):
    mentions: Matcher | None = None
    disclosed_by: Matcher | None = None
    ordinary_words: frozenset[str] = frozenset()   # names that are also words: a mention is written capitalised
    line: str | None = None      # the company's disclosure line, offered when the rule writes no suggestion

    def run(self, ctx: CheckContext) -> list[Finding]:
        if ctx.official:
            return []
        hits = self.mentions.find(ctx.norm)
        if hits:
            addresses = address_spans(ctx)
            hits = [h for h in hits if not _inside(addresses, h.start, h.end) and not self._the_word(ctx, h)]
        if not hits or self.disclosed_by.find(ctx.norm):
            return []
        h = hits[0]
        suggestions = self.wording(ctx.lang)[2]
        if not suggestions and self.line:
            suggestions = [Suggestion(say(ctx.lang, "disclosure.add_line"), insert="\n\n" + self.line)]
        return [self.finding(ctx, h.start, h.end, suggestions=suggestions, detail={
            **h.detail(), "mentions": sorted({ctx.norm.slice16(x.start, x.end) for x in hits})})]

    def required(self) -> Required:
        return Required(draft=(self.mentions,))

    def _the_word(self, ctx: CheckContext, h) -> bool:
        """'saw a kestrel hovering' is the bird; 'Kestrel' and 'KESTREL' may be the company."""
        written = ctx.norm.slice16(h.start, h.end)
        return written.casefold() in self.ordinary_words and written[:1].islower()

    def explain_miss(self, ctx: CheckContext) -> str:
        if ctx.official:
            return "official account"
        if not self.mentions.find(ctx.norm):
            return "no mention of the company or its products"
        return "the draft carries a disclosure"


def address_spans(ctx: CheckContext) -> tuple[list[int], list[int]]:
    """The UTF-16 spans of the links and e-mail addresses in the draft, as sorted starts and ends
    (matches do not overlap)."""
    starts: list[int] = []
    ends: list[int] = []
    for m in ADDRESS.finditer(ctx.norm.regex_text):     # same length as the text, valid UTF-8 for RE2
        a, b = ctx.norm.span16(m.start(), m.end())
        starts.append(a)
        ends.append(b)
    return starts, ends


def _inside(addresses: tuple[list[int], list[int]], start: int, end: int) -> bool:
    """Is [start, end) inside one of the spans? A bisect per mention, not a scan of every address."""
    starts, ends = addresses
    k = bisect_right(starts, start) - 1
    return k >= 0 and end <= ends[k]


def compile(raw: dict[str, Any], pack_data: dict[str, Any], vocab: Vocabulary | None = None) -> DisclosureRule:
    company = pack_data["company"]
    disclosure = company.get("disclosure") or {}
    mentions = raw.get("mentions") or public_names(company)
    disclosed_by = raw.get("disclosed_by") or [
        *([disclosure["line"]] if disclosure.get("line") else []),
        *disclosure.get("hashtags", ()), *disclosure.get("markers", ())]
    common = PackRule.common(raw, "disclosure")
    # `tokens` are disclosures in any words ("I've worked at <company> for 5 years"), from the base policy
    ordinary = frozenset(m.casefold() for m in mentions if " " not in m.strip() and in_dictionary(m.strip().casefold()))
    return DisclosureRule(**common, mentions=Matcher(mentions), ordinary_words=ordinary, line=disclosure.get("line"),
                          disclosed_by=Matcher(disclosed_by, tokens=raw.get("tokens", ()), vocab=vocab))
