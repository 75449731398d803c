"""What looks like personal data but is not: dates, times, prices, years, versions, IP addresses,
order and reference numbers, ISBNs, IBANs and links. Shared by the phone, card and address detectors."""

from __future__ import annotations

import re

from companion.engine.regex import compile_pattern

# Spans no detector reports a number inside: IBAN-like references (two letters, two digits, groups of
# four), ISBNs, and links (a status id in a URL is not a phone or card number).
_EXCLUDED = [
    compile_pattern(r"(?-i:\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b)"),
    compile_pattern(r"\bISBN(?:-1[03])?:?\s*(?:\d[\d -]{8,16}[\dX])"),
    compile_pattern(r"\b97[89][- ]\d{1,5}[- ]\d{1,7}[- ]\d{1,7}[- ]\d\b"),
    compile_pattern(r"(?:https?://|www\.)[^\s]+"),
]

# The words just before an identifier that is not a phone or card number: "order #", "booking reference
# is", "Sipariş no:", "ticket".
_ID_BEFORE = re.compile(
    r"\b(?:order|invoice|ref|reference|ticket|case|tracking|parcel|shipment|booking|confirmation|serial|sku|"
    r"isbn|issn|sn|s/n|model|part|item|receipt|transaction|txn|claim|batch|lot|build|version|ver|imei|unix|"
    r"po|p\.o\.|purchase order|"
    r"bestellung|rechnung|commande|facture|pedido|sipariş|fatura|заказ|поръчка|поръчката|фактура|пратка|"
    r"товарителница)"
    r"(?:[\s:#№.]+(?:no|nr|num|number|id|code|ref|reference|time|is|was|nummer|numéro|numara|номер|код|е))*"
    r"[\s:#№.]*$"
    r"|[#№]\s*$|\bv\.?\s*$", re.IGNORECASE)
# The words just before a phone number: they make a possible number worth reporting even when the
# phone library's metadata does not know its range (new ranges, fictional 555 and drama numbers).
_PHONE_BEFORE = re.compile(
    r"(?:call|calling|called|phone|phoned|tel|telephone|mobile|mob|cell|whatsapp|viber|signal|text|texted|texting|"
    r"sms|ring|ringing|rang|fax|number|"
    r"reach|contact|dial|тел|телефон|телефона|мобилен|номер|gsm)\b[^\d\n]{0,24}$", re.IGNORECASE)
# "she's on 07700 900812", "tried you on 07700 900412": someone is on a number, just before it
_ON_BEFORE = re.compile(r"\b(?:is|are|'s|’s|be reached|(?:tried|try|trying|got|reached) (?:you|him|her|them))\s+on\s*$",
                        re.IGNORECASE)
# A person's full name just before a number ("Darren Pike on 07700 900123", "Пийт Колинс (07700 900113)")
# gives it to them, as a phone word does.
_STREET = r"(?!(?:Road|Street|Avenue|Lane|Drive|Way|Close|Park|Court|Square|Place|Terrace|Hill|Tower|House|Centre|Center)\b)"
# A first name alone opening a sentence, "on" the number: "Lucy on 07700 900762, your bus is here".
_NOT_A_DAY = (r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Today|Tonight|Tomorrow|Call|Ring|Text|"
              r"Phone|Reception|Office|Helpline|Hotline|Freephone|Contact|Dial|Support|Bookings|Sales|Enquiries|Open|Closed|"
              r"Shop|Store|Branch|Depot|Clinic|Team|Staff|Head|Customer|Customers|Service|Services)\b)")
_NAME_BEFORE = re.compile(r"(?:^|[^\w])(?:Mr|Mrs|Ms|Dr|[A-Z][a-z'’-]+) " + _STREET + r"[A-Z][a-z'’-]{2,}(?: on|,| -|:| \()? ?$|"
                          r"(?:^|[.!?]\s+|\n)" + _NOT_A_DAY + r"[A-Z][a-z'’-]{2,} on ?$|"   # "Lucy on 07700 900762, your bus is here"
                          r"(?:^|[^\w])[А-Я][а-я]+ [А-Я][а-я]{2,}(?: на|,| -|:| \()? ?$|"
                          r"(?:^|[^\w])[A-Z]\. ?" + _STREET + r"[A-Z][a-z'’-]{2,}(?: on|,| -|:| \()? ?$|"   # "J. Murphy 07700 900731" on a callback list
                          r"\b(?i:she's|he's|she is|he is|name's|ask for) [A-Z][a-z'’-]{2,}(?:,| -|:| on)? ?$|"   # "she's Kate, 07700 900318"
                          r"(?:^|[^\w])" + _NOT_A_DAY + r"[A-Z][a-z'’-]{2,}(?: " + _NOT_A_DAY + r"[A-Z][a-z'’-]{2,})? (?:from|at|in|of) "
                          r"[A-Z][a-z'’-]{2,}(?: [A-Z][a-z'’-]{2,})?(?:,| -|:| \()? ?$")   # "Leanne Hirst from Horsforth, 07700 900418"
_CURRENCY_BEFORE = re.compile(r"(?:[$£€¥₹₽₺₱₩]|\b(?:usd|eur|gbp|bgn|aud|cad|inr|try|php|cny|rs|лв)\.?)\s*$",
                              re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"^\s*(?:[$£€¥₹₽₺₱₩%]|(?:usd|eur|gbp|bgn|aud|cad|inr|try|php|cny|лв|лева|"
                             r"dollars?|pounds?|euros?|rupees?|lira|pesos?|yuan|k\b|m\b|bn\b|million|"
                             r"billion|km|kg|mb|gb|tb|mph|kph|miles?|points?|pts|views|followers|likes)\b)",
                             re.IGNORECASE)

_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}(?:[ T]\d{1,2}[:.]\d{2})?")
_TIME_RANGE = re.compile(r"\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}")
_YEARS = re.compile(r"(?:(?:19|20)\d{2}[ ./-]*)+")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:[ .,\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?")
_DOTTED_SHORT = re.compile(r"[1-9]\d{0,2}(?:\.\d{1,3}){3}|\d+(?:\.\d+)*\.\d(?:\.\d+)*")  # IPs, versions
_COMPACT_DATE = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_COORDINATES = re.compile(r"-?\d{1,3}\.\d{3,}[ ,]+-?\d{1,3}\.\d{3,}")
_ROUND = re.compile(r"\d{1,4}0{5,}")


def excluded_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for rx in _EXCLUDED for m in rx.finditer(text)]


def before(text: str, start: int, width: int = 32) -> str:
    return text[max(0, start - width):start]


def id_context(text: str, start: int) -> bool:
    """An order, invoice, ticket or reference number, by the words just before it."""
    return bool(_ID_BEFORE.search(before(text, start)))


def phone_context(text: str, start: int) -> bool:
    return bool(_PHONE_BEFORE.search(before(text, start, 40)) or _NAME_BEFORE.search(before(text, start, 48))
                or _ON_BEFORE.search(before(text, start, 16)))


def money_or_measure(text: str, start: int, end: int) -> bool:
    """A price, amount or measurement: a currency before, or a currency or unit after."""
    return bool(_CURRENCY_BEFORE.search(before(text, start, 8)) or _CURRENCY_AFTER.match(text[end:end + 12]))


def not_a_phone_shape(candidate: str) -> bool:
    """Dates, times, years, amounts with thousands separators, IP addresses, version numbers,
    coordinates and round numbers."""
    c = candidate.strip("() ")
    return any(rx.fullmatch(c) for rx in (_DATE, _TIME_RANGE, _YEARS, _THOUSANDS, _DOTTED_SHORT, _COMPACT_DATE,
                                           _COORDINATES, _ROUND))


def next_to_a_time(text: str, start: int, end: int) -> bool:
    """Digits cut off at a colon belong to a time: "12-03-2024 10" of "12-03-2024 10:30"."""
    return text[end:end + 1] == ":" and text[end + 1:end + 2].isdigit() or (
        start > 0 and text[start - 1] == ":" and text[start - 2:start - 1].isdigit())
