"""What the detectors share: the span they report and how to tell a match from part of a longer token."""

from __future__ import annotations

from typing import NamedTuple

# A check looks at no more candidates than this per detector: a draft of 70,000 digits then costs
# what a draft with MAX_CANDIDATES numbers in it costs. Drafts are short; real ones have a handful.
MAX_CANDIDATES = 64


class Span(NamedTuple):
    start: int          # code points into the text
    end: int
    kind: str           # "email", "phone", "card", "iban", "postcode", "street"
    region: str = ""    # the country whose format matched, when one did


def glued(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is the middle of a longer word or number (RE2 has no lookbehind).

    Digit groups joined by one space or hyphen count as one number, and so do letters joined to digits
    by a hyphen or slash: "4111 1111 1111" inside a 16-digit card is not a phone number, and neither is
    "551-204417" in "NC-551-204417".
    """
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    first, last = text[start:start + 1], text[end - 1:end]
    if (before[-1:].isalnum() and first.isalnum()) or (after[:1].isalnum() and last.isalnum()):
        return True
    if first.isdigit() and len(before) == 2 and (before[1] in " -" and before[0].isdigit()
                                                 or before[1] in "-/" and before[0].isalnum()):
        return True
    return last.isdigit() and len(after) == 2 and after[0] in " -" and after[1].isdigit()


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def overlaps(a: tuple[int, int], spans) -> bool:
    return any(a[0] < s[1] and s[0] < a[1] for s in spans)
