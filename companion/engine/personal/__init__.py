"""Personal data as people write it: e-mail addresses, phone numbers, card numbers, bank account numbers
(IBANs), postcodes and street addresses, in the formats of the countries a pack names (`company.regions`).

One module per data type; each has `find(text, regions) -> list[Span]` with code-point spans into `text`.
Every detector is linear in the text: candidates come from RE2 scans (linear time) and each detector
looks at no more than MAX_CANDIDATES of them per check, so a 70,000-character draft of digits costs a
bounded amount of work however it is laid out.
"""

from __future__ import annotations

from companion.engine.personal import address, card, email, iban, phone
from companion.engine.personal.regions import resolve_regions
from companion.engine.personal.span import Span

DETECTORS = {"email": email.find, "phone": phone.find, "address": address.find, "card": card.find, "iban": iban.find}

__all__ = ["DETECTORS", "Span", "resolve_regions"]
