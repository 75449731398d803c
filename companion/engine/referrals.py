"""Choose the official links to send a customer to, from the draft and the message being answered.

Not findings: they come in their own list. The message being answered weighs double, since it says
what the customer needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from companion.engine.normalize import Normalized
from companion.engine.phrases import PhraseSet

MAX_REFERRALS = 3
REPLY_WEIGHT = 2
ANSWERING_SURFACES = ("reply", "comment", "message")
MENTION = re.compile(r"(?:^|[^\w@])@(\w{2,30})")


def customer_in_sight(text: str, surface: str, replying_to: str | None, own_handles: set[str]) -> bool:
    """A link to send someone to is only useful when someone is being answered: a reply, comment or
    message, a message being answered, or a draft addressed to @someone other than the company."""
    if replying_to or surface in ANSWERING_SURFACES:
        return True
    return any(m.group(1).casefold() not in own_handles for m in MENTION.finditer(text))


@dataclass
class Referral:
    id: str
    title: str
    url: str
    topics: PhraseSet


class ReferralChooser:
    def __init__(self, raw: list[dict[str, Any]]):
        self.referrals = [Referral(r["id"], r["title"], r["url"], PhraseSet((t, None) for t in r["topics"]))
                          for r in raw]

    def choose(self, draft: Normalized, reply: Normalized | None) -> list[dict[str, Any]]:
        scored = []
        for order, r in enumerate(self.referrals):
            words: list[str] = []
            score = 0
            for norm, weight in ((draft, 1), (reply, REPLY_WEIGHT)):
                if norm is None:
                    continue
                for h in r.topics.find(norm.tokens):
                    score += weight
                    words.append(norm.slice16(norm.tokens[h.first].start, norm.tokens[h.last].end))
            if score:
                scored.append((-score, order, r, words))
        scored.sort(key=lambda s: (s[0], s[1]))
        return [{"id": r.id, "title": r.title, "url": r.url,
                 "reason": "mentions " + ", ".join(f"“{w}”" for w in dict.fromkeys(words))}
                for _, _, r, words in scored[:MAX_REFERRALS]]
