"""pattern: RE2 patterns with an optional check on the digits (customer data: order numbers, cards).

The built-in e-mail, phone, address, card and IBAN detectors are pattern rules too (BUILTINS below), backed
by companion/engine/personal/; a pack picks them with `personal_data_builtins` and names the countries
whose formats they read with `company.regions`. They look at public surfaces only — a direct message
is where customer details belong — except the card detector, since a card number belongs nowhere; and
they leave the company's own `public_contacts` alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlparse

from companion.engine.builtin_text import TEXTS, say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.kinds.base import PackRule
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.matcher import Matcher
from companion.engine.personal import DETECTORS, card, resolve_regions


def luhn_ok(text: str) -> bool:
    """`validate: luhn` in a pack's own pattern rule: the matched digits pass the Luhn check."""
    number = _digits(text)
    return 13 <= len(number) <= 19 and card.luhn_ok(number)


VALIDATORS: dict[str, Callable[[str], bool]] = {"luhn": luhn_ok}

REMOVE = [Suggestion("Remove it", replacement="")]
PUBLIC_SURFACES = ["post", "reply", "comment", "caption"]

# The built-in detectors (companion/engine/personal/): formats of the pack's company.regions.
BUILTINS: dict[str, dict[str, Any]] = {
    "email": {
        "id": "builtin.email", "kind": "pattern", "severity": "warning", "detector": "email",
        "message": "An e-mail address in a public post.",
        "why": "Customers' contact details stay private; move the conversation to a private message.",
        "translations": {"bg": {"message": "Имейл адрес в публична публикация.",
                                "why": "Данните за контакт на клиентите остават лични; продължете разговора в лично съобщение."}},
    },
    "phone": {
        "id": "builtin.phone", "kind": "pattern", "severity": "warning", "detector": "phone",
        "message": "A phone number in a public post.",
        "why": "Phone numbers are personal data; share them only in private messages.",
        "translations": {"bg": {"message": "Телефонен номер в публична публикация.",
                                "why": "Телефонните номера са лични данни; споделяйте ги само в лични съобщения."}},
    },
    "address": {
        "id": "builtin.address", "kind": "pattern", "severity": "warning", "detector": "address",
        "message": "A street address or postcode in a public post.",
        "why": "A customer's address is personal data; confirm delivery details in a private message.",
        "translations": {"bg": {"message": "Адрес или пощенски код в публична публикация.",
                                "why": "Адресът на клиента е лични данни; потвърдете данните за доставка в лично съобщение."}},
    },
    "card": {
        "id": "builtin.card", "kind": "pattern", "severity": "critical", "detector": "card",
        "message": "A payment card number.",
        "why": "Card numbers must never be posted or sent anywhere, not even in a private message.",
        "translations": {"bg": {"message": "Номер на платежна карта.",
                                "why": "Номерата на карти никога не се публикуват и изпращат, дори в лично съобщение."}},
        "surfaces": ["post", "reply", "comment", "message", "caption"],
    },
    "iban": {
        "id": "builtin.iban", "kind": "pattern", "severity": "critical", "detector": "iban",
        "message": "A bank account number (IBAN) in a public post.",
        "why": "Someone's bank account number is personal data; it belongs in a private message or a secure form.",
        "translations": {"bg": {"message": "Номер на банкова сметка (IBAN) в публична публикация.",
                                "why": "Номерът на нечия банкова сметка е лични данни; мястото му е в лично съобщение или защитена форма."}},
    },
}


@dataclass
class PatternRule(PackRule):
    matcher: Matcher | None = None
    validate: Callable[[str], bool] | None = None

    def run(self, ctx: CheckContext) -> list[Finding]:
        out: list[Finding] = []
        for h in self.matcher.find(ctx.norm):
            text = ctx.norm.slice16(h.start, h.end)
            if _glued(ctx.text, ctx.norm, h.start, h.end):
                continue
            if self.validate and not self.validate(text):
                continue
            out.append(self.finding(ctx, h.start, h.end, detail=h.detail()))
        return out

    def explain_miss(self, ctx: CheckContext) -> str:
        if not self.matcher.find(ctx.norm):
            return "no text matches its patterns"
        return "its matches are parts of longer words or numbers" + (", or fail its check" if self.validate else "")


@dataclass
class PersonalDataRule(PackRule):
    """A built-in detector run over the draft in the formats of the pack's regions."""

    detect: Callable[[str, tuple[str, ...]], list] | None = None
    regions: tuple[str, ...] = ()
    keep: Callable[[str], bool] | None = None   # False for the company's own published contacts

    def run(self, ctx: CheckContext) -> list[Finding]:
        text, norm = ctx.norm.regex_text, ctx.norm
        out: list[Finding] = []
        for span in self.detect(text, self.regions):
            if self.keep and not self.keep(text[span.start:span.end]):
                continue
            start, end = norm.span16(span.start, span.end)
            detail = {"match": "pattern", "type": span.kind} | ({"region": span.region} if span.region else {})
            out.append(self.finding(ctx, start, end, detail=detail))
        return out

    def explain_miss(self, ctx: CheckContext) -> str:
        if not self.detect(ctx.norm.regex_text, self.regions):
            return f"nothing of this kind in the formats of {', '.join(self.regions) or 'any region'}"
        return "only the company's own published contacts"


def _glued(text: str, norm, start16: int, end16: int) -> bool:
    """True when the match is the middle of a longer word or number (RE2 has no lookbehind).

    Digit groups separated by one space or hyphen count as one number: "4111 1111 1111" inside a
    16-digit card number is not a phone number, and neither is "551-204417" in "NC-551-204417".
    """
    first, last = norm.slice16(start16, start16 + 1), norm.slice16(end16 - 1, end16)
    before2, after2 = norm.slice16(max(0, start16 - 2), start16), norm.slice16(end16, end16 + 2)
    if (before2[-1:].isalnum() and first.isalnum()) or (after2[:1].isalnum() and last.isalnum()):
        return True
    if first.isdigit() and len(before2) == 2 and (before2[1] in " -" and before2[0].isdigit()
                                                  or before2[1] in "-/" and before2[0].isalnum()):
        return True
    return last.isdigit() and len(after2) == 2 and after2[0] in " -" and after2[1].isdigit()


def company_domains(pack_data: dict[str, Any]) -> set[str]:
    """The company's own domains, from its referral URLs and escalation contacts."""
    hosts = {urlparse(r["url"]).hostname or "" for r in pack_data.get("referrals", ())}
    hosts |= {m.group(1) for row in pack_data.get("escalation_matrix", ())
              for m in re.finditer(r"@([A-Za-z0-9.-]+)", row.get("contact", ""))}
    return {".".join(h.lower().split(".")[-2:]) for h in hosts if "." in h}


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _national(digits: str) -> str:
    """A number without its trunk 0 ("02 555 7711" → 25557711), which then ends the international form."""
    return digits[1:] if digits.startswith("0") and not digits.startswith("00") else digits


def compile(raw: dict[str, Any], pack_data: dict[str, Any], vocab: Vocabulary | None = None) -> PatternRule | PersonalDataRule:
    """`vocab` is unused: pattern rules have no token patterns."""
    common = PackRule.common(raw, "personal_data")
    if not common["suggestions"]:   # the default fix, with its label in every language the companion speaks
        common["suggestions"] = list(REMOVE)
        common["translations"] = {lang: {**common["translations"].get(lang, {}), "suggestions": [say(lang, "remove_it")]}
                                  for lang in {*common["translations"], *TEXTS} if lang != "en"}
    if "detector" in raw:
        return _builtin(raw, pack_data, common)
    return PatternRule(**common, matcher=Matcher((), raw["patterns"], raw.get("case_sensitive", False)),
                       validate=VALIDATORS.get(raw.get("validate", "")))


def _builtin(raw: dict[str, Any], pack_data: dict[str, Any], common: dict[str, Any]) -> PersonalDataRule:
    common["surfaces"] = common["surfaces"] or tuple(PUBLIC_SURFACES)
    company = pack_data.get("company", {})
    domains = company_domains(pack_data) if raw["detector"] == "email" else set()
    return PersonalDataRule(**common, detect=DETECTORS[raw["detector"]],
                            keep=NotPublished(company.get("public_contacts", []), domains),
                            regions=resolve_regions(company.get("regions")))


class NotPublished:
    """Whether a found contact is kept as a finding: the company's own published contacts and
    addresses are fine. (A class, not a closure, so that a compiled pack can be kept: packsnapshot.py.)"""

    def __init__(self, public: list[str], domains: set[str]):
        numbers = [d for d in map(_digits, public) if len(d) >= 7]
        self.public_digits = {d[-9:] for d in numbers}
        self.public_numbers = {_national(d) for d in numbers}
        self.public_text = {c.casefold() for c in public}
        self.domains = domains

    def __call__(self, text: str) -> bool:
        digits = _digits(text)
        if text.casefold() in self.public_text or (self.public_digits and digits[-9:] in self.public_digits):
            return False
        number = _national(digits)
        if len(number) >= 7 and any(p.endswith(number) or number.endswith(p) for p in self.public_numbers):
            return False    # "02 555 7711" is "+359 2 555 7711" written the national way
        return not any(text.lower().rpartition("@")[2].endswith(d) for d in self.domains)
