"""Phone numbers in every country's formats, read by `phonenumbers` (Google's libphonenumber metadata).

An RE2 scan finds runs of digits with the separators people type (spaces, hyphens, dots, slashes,
parentheses, a leading + or 00); only runs of 7 to 17 digits reach the library, at most
MAX_CANDIDATES per check. A run is a phone number when
  - it starts with + or 00 and the library finds it a possible number of that country, or
  - it is a valid number of one of the regions, or
  - a phone word ("call", "tel", "WhatsApp", "тел.") or a person's name ("Darren Pike", "she's Kate,")
    comes just before it and it is a possible number of one of the regions (new ranges, and the
    fictional 555 and drama numbers people type as examples),
and it is none of the shapes in guards (dates, times, prices, order numbers...).
"""

from __future__ import annotations

import re

import phonenumbers

from companion.engine.personal import guards
from companion.engine.personal.span import MAX_CANDIDATES, Span, digits, glued, overlaps
from companion.engine.regex import compile_pattern

_RUN = compile_pattern(r"(?:\+ ?|\b00 ?)?\(?\d(?:[ \-./()\x{a0}]*\d){6,}\)?")    # 7 digits or more
# Where one run holds two things: ". " ends a sentence, " / " and two spaces separate two numbers.
_BREAKS = re.compile(r"\. | / |\s{2,}|\)\(")
MIN_DIGITS, MAX_DIGITS = 7, 17
MAX_CHARS = 32               # "+44 (0) 20 - 7946 - 0958" is 24: a longer run is never one number
MAX_NATIONAL_DIGITS = 12     # the longest national numbers with their trunk 0 (Germany, Austria)


def find(text: str, regions: tuple[str, ...]) -> list[Span]:
    out: list[Span] = []
    excluded = None
    seen = 0
    for m in _RUN.finditer(text):
        # The run whole first ("+49 (0) 221 / 123 456"), then its pieces ("0888 123 456 / 0899 765 432").
        tries = [[_trim(text, m.start(), m.end())]]
        if _BREAKS.search(text, m.start(), m.end()):
            tries.append(_pieces(text, m.start(), m.end()))
        for pieces in tries:
            hits = []
            for start, end in pieces:
                if end - start > MAX_CHARS or not MIN_DIGITS <= len(digits(text[start:end])) <= MAX_DIGITS:
                    continue
                seen += 1
                if seen > MAX_CANDIDATES:
                    return out
                if excluded is None:
                    excluded = guards.excluded_spans(text)
                hit = _read(text, start, end, regions, excluded)
                if hit:
                    hits.append(hit)
            if hits:
                out += hits
                break
    return out


def _pieces(text: str, start: int, end: int):
    """The run split where it holds two things."""
    pos = start
    for b in list(_BREAKS.finditer(text, start, end)) + [None]:
        s, e = _trim(text, pos, b.start() if b else end)
        if e > s:
            yield s, e
        pos = b.end() if b else end


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Start and end on a digit, a + or a bracket, with brackets balanced."""
    while s < e and text[s] in " -./\u00a0)":
        s += 1
    while e > s and text[e - 1] in " -./\u00a0(":
        e -= 1
    if e > s and text[s:e].count("(") != text[s:e].count(")"):   # "(415" or "0132)"
        s, e = s + (text[s] == "("), e - (text[e - 1] == ")")
    return s, e


def _read(text: str, start: int, end: int, regions, excluded) -> Span | None:
    cand = text[start:end]
    if glued(text, start, end) or overlaps((start, end), excluded):
        return None
    if guards.not_a_phone_shape(cand) or guards.money_or_measure(text, start, end) or \
            guards.next_to_a_time(text, start, end):
        return None
    called = guards.phone_context(text, start)
    if guards.id_context(text, start) and not called:
        return None
    if cand[0] == "+" or cand.startswith("00"):
        number = _parse("+" + cand.lstrip("+0 ") if cand[0] == "0" else cand, None)
        if number and phonenumbers.is_possible_number(number):
            return Span(start, end, "phone", phonenumbers.region_code_for_number(number) or "")
        return None
    if len(digits(cand)) > MAX_NATIONAL_DIGITS:
        return None    # 13 and more digits without a + are card, account and tracking numbers
    possible = ""
    for region in regions:
        number = _parse(cand, region)
        if number is None or number.country_code != phonenumbers.country_code_for_region(region):
            continue   # "+" was not typed, so the number is a national one of this region
        if phonenumbers.is_valid_number(number):
            return Span(start, end, "phone", region)
        if not possible and phonenumbers.is_possible_number(number):
            possible = region
    return Span(start, end, "phone", possible) if called and possible else None


def _parse(cand: str, region: str | None):
    try:
        return phonenumbers.parse(cand.replace("\u00a0", " "), region)
    except phonenumbers.NumberParseException:
        return None
