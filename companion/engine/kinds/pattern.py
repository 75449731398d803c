"""pattern: RE2 patterns with an optional check on the digits (customer data: order numbers, cards).

The built-in e-mail, phone, address and card detectors are pattern rules too (BUILTINS below); a pack
picks them with `personal_data_builtins`. They look at public surfaces only — a direct message is
where customer details belong — and leave the company's own `public_contacts` alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlparse

from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.kinds.base import Rule
from companion.engine.matcher import Matcher


def luhn_ok(text: str) -> bool:
    digits = [int(c) for c in text if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def phone_ok(text: str) -> bool:
    digits = sum(c.isdigit() for c in text)
    # Dates, times and prices look like digit runs too; a phone number has 9–15 digits in groups.
    return 9 <= digits <= 15 and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip())


VALIDATORS: dict[str, Callable[[str], bool]] = {"luhn": luhn_ok, "phone": phone_ok}

REMOVE = [Suggestion("Remove it", replacement="")]
PUBLIC_SURFACES = ["post", "reply", "comment", "caption"]

BUILTINS: dict[str, dict[str, Any]] = {
    "email": {
        "id": "builtin.email", "kind": "pattern", "severity": "warning", "validate": "not_company_email",
        "message": "An e-mail address in a public post.",
        "why": "Customers' contact details stay private; move the conversation to a private message.",
        "patterns": [r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"],
    },
    "phone": {
        "id": "builtin.phone", "kind": "pattern", "severity": "warning", "validate": "phone",
        "message": "A phone number in a public post.",
        "why": "Phone numbers are personal data; share them only in private messages.",
        "patterns": [r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)[ .-]?|\b\d{2,5}[ .-])\d{3,4}[ .-]?\d{3,4}\b"],
    },
    "address": {
        "id": "builtin.address", "kind": "pattern", "severity": "warning", "case_sensitive": True,
        "message": "A street address in a public post.",
        "why": "A customer's address is personal data; confirm delivery details in a private message.",
        "patterns": [r"\b\d{1,5} (?:[A-Z][a-z]+ ){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Ln|Lane|Dr|Drive|"
                     r"Way|Ct|Court|Pl|Place|Terrace|Crescent)\b\.?"],
    },
    "card": {
        "id": "builtin.card", "kind": "pattern", "severity": "critical", "validate": "luhn",
        "message": "A payment card number.",
        "why": "Card numbers must never be posted anywhere public.",
        "patterns": [r"\b(?:\d[ -]?){12,18}\d\b"],
    },
}


@dataclass
class PatternRule(Rule):
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


def company_domains(pack: dict[str, Any]) -> set[str]:
    """The company's own domains, from its referral URLs and escalation contacts."""
    hosts = {urlparse(r["url"]).hostname or "" for r in pack.get("referrals", ())}
    hosts |= {m.group(1) for row in pack.get("escalation_matrix", ())
              for m in re.finditer(r"@([A-Za-z0-9.-]+)", row.get("contact", ""))}
    return {".".join(h.lower().split(".")[-2:]) for h in hosts if "." in h}


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def compile(raw: dict[str, Any], pack: dict[str, Any]) -> PatternRule:
    common = Rule.common(raw, "personal_data")
    common["suggestions"] = common["suggestions"] or list(REMOVE)
    validate = VALIDATORS.get(raw.get("validate", ""))
    if raw.get("validate") == "not_company_email":
        domains = company_domains(pack)   # the company's own addresses are public, not personal data
        validate = lambda text: not any(text.lower().rpartition("@")[2].endswith(d) for d in domains)  # noqa: E731
    if raw["id"].startswith("builtin."):
        common["surfaces"] = common["surfaces"] or tuple(PUBLIC_SURFACES)
        public = pack.get("company", {}).get("public_contacts", [])
        public_digits = {_digits(c)[-9:] for c in public if len(_digits(c)) >= 7}
        public_text = {c.casefold() for c in public}
        check = validate

        def validate(text: str, check=check) -> bool:   # the company's own published contacts are fine
            if text.casefold() in public_text or (public_digits and _digits(text)[-9:] in public_digits):
                return False
            return check(text) if check else True
    return PatternRule(**common, matcher=Matcher((), raw["patterns"], raw.get("case_sensitive", False)),
                       validate=validate)
