"""Postcodes in the formats of each country, where the shape alone says "postcode".

A UK, Irish or Canadian postcode is unmistakable on its own ("SW1A 1AA", "D08 X2Y7", "K1A 0B1") and narrows an address
down to a street, so it is reported alone. US ZIP codes and Australian postcodes are bare digit runs;
they count only after a state ("Springfield, IL 62704", "Parramatta NSW 2150"). Bulgarian, German and
French postcodes count only with a town after them ("4000 Пловдив", "75008 Paris") — see address.py.
"""

from __future__ import annotations

from companion.engine.regex import compile_pattern

_US_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|"
              "NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR")
# Each Australian state's postcode ranges: "NSW 2150" is an address, "SA 2024" is not.
AU_RANGES = {"NSW": [(1000, 2599), (2619, 2899), (2921, 2999)], "ACT": [(200, 299), (2600, 2618), (2900, 2920)],
             "VIC": [(3000, 3999), (8000, 8999)], "QLD": [(4000, 4999), (9000, 9999)], "SA": [(5000, 5999)],
             "WA": [(6000, 6999)], "TAS": [(7000, 7999)], "NT": [(800, 999)]}

PATTERNS = {
    "GB": compile_pattern(r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b"),
    "CA": compile_pattern(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b"),
    "US": compile_pattern(r"(?-i:\b(?:" + _US_STATES + r")\.?,? \d{5}(?:-\d{4})?\b)"),
    "AU": compile_pattern(r"(?-i:\b(?:NSW|ACT|VIC|QLD|SA|WA|TAS|NT),? \d{4}\b)"),
    # Eircode: a routing key (letter and two digits, or D6W) and four characters from Eircode's alphabet
    "IE": compile_pattern(r"(?-i:\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}\b)"),
}


def find(text: str, region: str):
    """(start, end) of each postcode of one region's form in text."""
    rx = PATTERNS.get(region)
    for m in rx.finditer(text) if rx else ():
        if _plausible(m.group(), region):
            yield m.start(), m.end()


def _plausible(code: str, region: str) -> bool:
    if region == "GB":
        inward = code[-3:]
        # "PS5 2TB" is a games console's storage, "M1 1st" an ordinal: not postcodes
        return inward[1:].upper() not in ("GB", "TB") and inward[1:] not in ("st", "nd", "rd", "th")
    if region == "IE":
        return any(c.isalpha() for c in code[-4:])   # "F40 2024" is a model and a year; Eircodes mix letters in
    if region == "AU":
        state, number = code.replace(",", "").split()
        return any(lo <= int(number) <= hi for lo, hi in AU_RANGES[state])
    return True
