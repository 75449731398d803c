"""Links, e-mail addresses and bare domains in a text: they name things without saying them.

"https://acme.example/vault/recover" holds the words "acme" and "vault", but nobody wrote them as
words: the disclosure rule does not count the company's domain as a mention of it, and the
language view (language/analysis.py) does not read a link's words as the draft's.
"""

from __future__ import annotations

from bisect import bisect_right

from companion.engine.normalize import Normalized
from companion.engine.regex import compile_pattern

# RE2, so the search is linear: Python's re tried every start of a long run without spaces (70,000
# characters took seconds). RE2's \s is ASCII only, so NOT_SPACE spells out what Python calls whitespace.
_SPACE = r"\t\n\x0b\f\r\x1c-\x20\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
NOT_SPACE = f"[^{_SPACE}]"
# A bare domain ("status.acme.example/help") is an address too: a dot with letters on both sides and no space.
ADDRESS = compile_pattern(rf"(?:https?://|www\.){NOT_SPACE}+|{NOT_SPACE}+@{NOT_SPACE}+\.{NOT_SPACE}+"
                          rf"|[\pL\pN-]+(?:\.[\pL\pN-]+)*\.[a-z]{{2,}}(?:/{NOT_SPACE}*)?")


def address_spans(norm: Normalized) -> tuple[list[int], list[int]]:
    """The UTF-16 spans of the links, e-mail addresses and bare domains in a text, as sorted starts and ends
    (matches do not overlap); found once per text."""
    found = norm.analyses.get("addresses")
    if found is None:
        starts: list[int] = []
        ends: list[int] = []
        for m in ADDRESS.finditer(norm.regex_text):     # same length as the text, valid UTF-8 for RE2
            a, b = norm.span16(m.start(), m.end())
            starts.append(a)
            ends.append(b)
        found = norm.analyses["addresses"] = (starts, ends)
    return found


def link_spans(norm: Normalized) -> tuple[list[int], list[int]]:
    """The address spans less the handles: "@kelpie.seafoods" looks like a domain but names its owner,
    so the disclosure rule counts it as a mention, while its words stay out of the language view."""
    starts, ends = address_spans(norm)
    kept = [(a, b) for a, b in zip(starts, ends) if not (a and norm.slice16(a - 1, a) == "@")]
    return [a for a, _ in kept], [b for _, b in kept]


def tokens_inside(norm: Normalized) -> set[int]:
    """The positions of the tokens that lie inside a link, e-mail address or bare domain: looked up per
    address (a draft has few), not per token."""
    toks = norm.tokens
    out: set[int] = set()
    for a, b in zip(*address_spans(norm)):
        r = norm.token_range(a, b)
        if r:
            out.update(i for i in range(r[0], r[1] + 1) if a <= toks[i].start and toks[i].end <= b)
    return out


def inside(addresses: tuple[list[int], list[int]], start: int, end: int) -> bool:
    """Is [start, end) inside one of the spans? A bisect per span asked, not a scan of every address."""
    starts, ends = addresses
    k = bisect_right(starts, start) - 1
    return k >= 0 and end <= ends[k]
