"""Choose the official links to send a customer to, from the draft and the message being answered.

Not findings: they come in their own list. The message being answered weighs double, since it says
what the customer needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import permutations
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
    stems: dict[str, list[str]]      # Cyrillic one-word topics by their first letters: stem → topic


CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]{8,}")
STEM_KEY = 5


def _cyrillic_stems(topics: list[str]) -> dict[str, list[str]]:
    """Bulgarian derives nouns and verbs from one stem (възстановяване, възстановим, възстановена),
    which the lemmatizer keeps apart; a long one-word topic also matches words sharing its stem
    (the word less its last five letters, at least five letters)."""
    out: dict[str, list[str]] = {}
    for t in topics:
        word = t.strip().casefold()
        if CYRILLIC_WORD.fullmatch(word):
            stem = word[:max(STEM_KEY, len(word) - 5)]
            out.setdefault(stem[:STEM_KEY], []).append(stem)
    return out


def _any_order(topic: str) -> list[str]:
    """A topic of two or three words also matches in another order with a few words between:
    "frozen account" finds "my account's been frozen", "stolen card" finds "card stolen"."""
    words = topic.split()
    if not 2 <= len(words) <= 3:
        return [" ".join(words)]
    return [" ..2 ".join(order) for order in dict.fromkeys(permutations(words))]


class ReferralChooser:
    def __init__(self, raw: list[dict[str, Any]]):
        self.vocab = Vocabulary.build(None, {})
        self.referrals = []
        for r in raw:
            plain = [t for t in r["topics"] if PLAIN_TOPIC.fullmatch(t) and normalize(t).tokens]
            forms = TokenPatterns(((p, None) for t in plain for p in _any_order(t)), self.vocab.class_names)
            self.referrals.append(Referral(r["id"], r["title"], r["url"], r.get("description"), tuple(r["topics"]),
                                           PhraseSet((t, None) for t in r["topics"]), forms if plain else None,
                                           _cyrillic_stems(r["topics"])))

    def choose(self, draft: Normalized, reply: Normalized | None) -> list[dict[str, Any]]:
        return [{"id": r.id, "title": r.title, "url": r.url,
                 "reason": "mentions " + ", ".join(f"“{w}”" for w in dict.fromkeys(words))}
                for r, words in self._ranked(draft, reply)[:MAX_REFERRALS]]

    def links_for(self, replying_to: str | None):
        """What {link:a|b} becomes in a reply to `replying_to`: of the ids named, the referral the
        message is most about, else the first named (the default)."""
        urls = {r.id: r.url for r in self.referrals}
        ranked = [r.id for r, _ in self._ranked(normalize(""), normalize(replying_to))] if replying_to else []

        def link(ids: tuple[str, ...]) -> str:
            return urls[next((i for i in ranked if i in ids), ids[0])]
        return link

    def _ranked(self, draft: Normalized, reply: Normalized | None) -> list[tuple[Referral, list[str]]]:
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
                if r.stems:
                    spans |= {(i, i) for i, tok in enumerate(norm.tokens)
                              if any(tok.text.startswith(stem) for stem in r.stems.get(tok.text[:STEM_KEY], ()))}
                for first, last in sorted(spans):
                    score += weight * min(3, last - first + 1)   # "payment plan" says more than "payment"
                    words.append(norm.slice16(norm.tokens[first].start, norm.tokens[last].end))
            if score:
                scored.append((-score, order, r, words))
        scored.sort(key=lambda s: (s[0], s[1]))
        return [(r, words) for _, _, r, words in scored]
