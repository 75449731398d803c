"""Bank account numbers written as IBANs: "BG80 BNBG 9661 1020 3456 78", "ES9121000418450200051332".

An IBAN is a country code, two check digits and the country's account number of a fixed length; the
check digits make the whole number a multiple of 97 plus one (ISO 13616), so a reference that only
looks like one ("GB12 ABCD 1234 5678") is not reported. Written whole or in groups of four, in capitals
or not. The other detectors already leave IBAN-like numbers alone (guards.py).
"""

from __future__ import annotations

from itertools import islice

from companion.engine.personal.span import MAX_CANDIDATES, Span
from companion.engine.regex import compile_pattern

# Length of the whole IBAN per country (the SWIFT IBAN registry), for the countries that use one.
LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

# Two letters, two digits, then letters and digits in groups (of four, the last shorter) or in one run.
_CANDIDATE = compile_pattern(r"\b[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]{4}){2,7}(?:[ -]?[A-Za-z0-9]{1,3})?\b")


def is_iban(number: str) -> bool:
    """`number` without spaces: the country's length and the check digits (mod 97 == 1)."""
    number = number.upper()
    if LENGTHS.get(number[:2]) != len(number) or not number.isalnum():
        return False
    moved = number[4:] + number[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def find(text: str, regions: tuple[str, ...] = ()) -> list[Span]:
    """Every IBAN in `text`, whatever the pack's regions: customers bank abroad."""
    out = []
    for m in islice(_CANDIDATE.finditer(text), MAX_CANDIDATES):
        start, end = m.start(), m.end()
        compact = "".join(c for c in m.group() if c.isalnum())
        # groups that run on past the IBAN ("... 1332 lol" is fine; "... 1332 0000" is not one IBAN)
        while compact and not is_iban(compact) and len(compact) > 15:
            cut = text.rfind(" ", start, end)
            if cut <= start:
                break
            end = cut
            compact = "".join(c for c in text[start:end] if c.isalnum())
        if is_iban(compact):
            out.append(Span(start, end, "iban"))
    return out
