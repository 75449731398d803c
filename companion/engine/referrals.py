"""Choose the official links to send a customer to, from the draft and the message being answered.

Not findings: they come in their own list. The message being answered weighs double, since it says
what the customer needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from companion.engine.language.analysis import analyse
from companion.engine.language.tokenpattern import TokenPatterns
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.normalize import Normalized, normalize
from companion.engine.phraseset import PhraseSet

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


PLAIN_TOPIC = re.compile(r"[\w' -]+")


@dataclass
class Referral:
    id: str
    title: str
    url: str
    description: str | None
    topics: tuple[str, ...]          # as the pack writes them
    phrases: PhraseSet               # the topics as phrases
    forms: TokenPatterns | None      # the same topics in any word form (refunds, възстановяване → the topic)


class ReferralChooser:
    def __init__(self, raw: list[dict[str, Any]]):
        self.vocab = Vocabulary.build(None, {})
        self.referrals = []
        for r in raw:
            plain = [t for t in r["topics"] if PLAIN_TOPIC.fullmatch(t) and normalize(t).tokens]
            forms = TokenPatterns(((" ".join(w for w in t.split()), None) for t in plain), self.vocab.class_names)
            self.referrals.append(Referral(r["id"], r["title"], r["url"], r.get("description"), tuple(r["topics"]),
                                           PhraseSet((t, None) for t in r["topics"]), forms if plain else None))

    def choose(self, draft: Normalized, reply: Normalized | None) -> list[dict[str, Any]]:
        scored = []
        for order, r in enumerate(self.referrals):
            words: list[str] = []
            score = 0
            for norm, weight in ((draft, 1), (reply, REPLY_WEIGHT)):
                if norm is None:
                    continue
                spans = {(h.first, h.last) for h in r.phrases.find(norm.tokens)}
                if r.forms:
                    spans |= {(h.first, h.last) for h in r.forms.find(analyse(norm, self.vocab))}
                for first, last in sorted(spans):
                    score += weight
                    words.append(norm.slice16(norm.tokens[first].start, norm.tokens[last].end))
            if score:
                scored.append((-score, order, r, words))
        scored.sort(key=lambda s: (s[0], s[1]))
        return [{"id": r.id, "title": r.title, "url": r.url,
                 "reason": "mentions " + ", ".join(f"“{w}”" for w in dict.fromkeys(words))}
                for _, _, r, words in scored[:MAX_REFERRALS]]
