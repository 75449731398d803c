"""Payment card numbers: the issuer's prefix (IIN range) and length, then the Luhn check digit.

Card numbers are typed whole ("4012888888881881"), in groups of four ("4012 8888 8888 1881",
"4012-8888-8888-1881") or as printed on Amex and Diners cards (4-6-5, 4-6-4), and several can stand in
one text separated by spaces only. So the scan finds runs of digit groups joined by single spaces or
hyphens and reads each run from the left: at each group it takes the longest stretch of whole groups,
all joined by the same separator, that is a card number, and goes on after it. A card starts at the
run's first group, right after another card, or where the separator changes ("4012888888881881
4012-8888-..."); "SN 1234 5678 9012 3456" has no card starting at "5678".
"""

from __future__ import annotations

import re
from itertools import islice

from companion.engine.personal import guards
from companion.engine.personal.span import MAX_CANDIDATES, Span, overlaps
from companion.engine.regex import compile_pattern

_RUN = compile_pattern(r"\d(?:[ -]?\d){12,}")     # 13 digits or more, joined by single spaces or hyphens
# The words that say a number is a card, or money moving on one ("put the refund through on 4539 ...").
_CARD_WORDS = re.compile(r"(?i)\b(?:card|visa|mastercard|amex|debit|credit|exp|expiry|expires|cvv|cvc|карта|картата|karta|kartata|картичка|kartichka"
                         r"|cartão|cartao|tarjeta|carte|karte|kreditkarte|carta"        # Portuguese, Spanish, French, German, Italian
                         r"|refund|refunded|refunding|charged|charge|payment|paid|billed|billing|плащане|възстановяване|platezh|plashtane)\b")
CARD_WORDS_BEFORE = 60   # "read out her whole card number to me on the phone today: 4929 ..." is one sentence
_GROUP = re.compile(r"[0-9]+")   # Python's re: RE2's wrapper re-counts a long text's characters per call

# (first digits low, high, lengths): the published IIN ranges of the card schemes.
IIN_RANGES: list[tuple[str, str, tuple[int, ...]]] = [
    ("4", "4", (13, 16, 19)),                        # Visa (incl. Electron)
    ("51", "55", (16,)), ("2221", "2720", (16,)),    # Mastercard
    ("34", "34", (15,)), ("37", "37", (15,)),        # American Express
    ("300", "305", (14, 15, 16, 17, 18, 19)), ("36", "36", (14, 15, 16, 17, 18, 19)),
    ("38", "39", (14, 15, 16, 17, 18, 19)),          # Diners Club
    ("6011", "6011", (16, 17, 18, 19)), ("644", "649", (16, 17, 18, 19)), ("65", "65", (16, 17, 18, 19)),
    ("622126", "622925", (16, 17, 18, 19)),          # Discover
    ("3528", "3589", (16, 17, 18, 19)),              # JCB
    ("50", "50", tuple(range(13, 20))), ("56", "69", tuple(range(13, 20))),   # Maestro, UnionPay, RuPay...
    ("2200", "2204", (16, 17, 18, 19)),              # Mir
    ("1", "1", (15,)),                               # UATP (AirPlus)
    ("9792", "9792", (16,)),                         # Troy
]
LENGTHS = range(13, 20)   # Maestro's rare 12-digit cards are left out: too many other numbers look like them


def issuer_ok(number: str) -> bool:
    return any(low <= number[:len(low)] <= high and len(number) in lengths
               for low, high, lengths in IIN_RANGES)


def luhn_ok(number: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(number)):
        d = ord(c) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def is_card(number: str) -> bool:
    return len(number) in LENGTHS and issuer_ok(number) and luhn_ok(number)


def find(text: str, regions: tuple[str, ...] = ()) -> list[Span]:
    out: list[Span] = []
    excluded = None
    seen = 0
    for run in _RUN.finditer(text):
        if _glued_to_word(text, run.start(), run.end()):
            continue
        # no more groups than the candidates left to look at, and the longest card after the last one
        groups = [(g.start(), g.end()) for g in islice(_GROUP.finditer(text, run.start(), run.end()),
                                                        MAX_CANDIDATES - seen + LENGTHS[-1])]
        i, after_card = 0, True
        said = bool(_CARD_WORDS.search(text, max(0, run.start() - CARD_WORDS_BEFORE), min(len(text), run.end() + 20)))
        while i < len(groups):
            seen += 1
            if seen > MAX_CANDIDATES:
                return out
            j = _longest_card(text, groups, i, said)
            if j is None or not (after_card or _separator_changes(text, groups, i, j)):
                i, after_card = i + 1, False
                continue
            start, end = groups[i][0], groups[j][1]
            if excluded is None:
                excluded = guards.excluded_spans(text)
            if not overlaps((start, end), excluded) and not guards.id_context(text, start):
                out.append(Span(start, end, "card"))
            i, after_card = j + 1, True
    return out


def _longest_card(text: str, groups: list[tuple[int, int]], i: int, said: bool = False) -> int | None:
    """The last group of the longest card number that starts at group i, or None. Where the text
    says it is a card (`said`), four groups of four of an issuer's range count even if the check
    digit is wrong: a mistyped digit still leaves fifteen of the card's digits in public."""
    best, number, sep = None, "", None
    for j in range(i, len(groups)):
        if j > i:
            here = text[groups[j - 1][1]]
            if sep is None:
                sep = here
            elif here != sep:          # "4012-8888 8888" mixes separators: two things, not one card
                break
        number += text[groups[j][0]:groups[j][1]]
        if len(number) > LENGTHS[-1]:
            break
        if is_card(number) or (said and j == i + 3 and len(number) == 16 and issuer_ok(number)
                               and all(b - a == 4 for a, b in groups[i:j + 1])):
            best = j
    return best


def _separator_changes(text: str, groups: list[tuple[int, int]], i: int, j: int) -> bool:
    """The card in groups i..j is set apart from the group before it by another separator."""
    before = text[groups[i - 1][1]]
    inside = text[groups[i][1]] if j > i else ""
    return before != inside


def _glued_to_word(text: str, start: int, end: int) -> bool:
    """Digits that continue a word, a decimal number or a path: "ABC1234...", "3.14159...", "/1234"."""
    before, after = text[max(0, start - 2):start], text[end:end + 1]
    return before[-1:].isalnum() or after.isalnum() or (before[-1:] in (".", "/") and before[:1].isalnum())
