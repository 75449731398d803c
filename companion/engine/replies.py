"""Fill in a canned reply: {placeholders} from the champion's values, {link:ID} from the referrals.

Values are inserted as they are, in one pass, so a value holding "{x}" is never expanded again.
A link may be a choice, {link:repairs|service-feedback}: the referral the conversation is about (the
pack's ReferralChooser on the customer's message), the first one named when it is about none of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Union

from companion.engine.builtin_text import say
from companion.engine.findings import PLATFORMS
from companion.engine.phraseset import PhraseSet
from companion.engine.wording import pick, translations_of

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
DEFAULT_MAX_LENGTH = 500

# {link:a|b}: the referral ids named -> the URL to put in; a plain id -> URL map takes the first named
Links = Union[dict[str, str], Callable[[tuple[str, ...]], str]]


def link_ids(name: str) -> tuple[str, ...]:
    """"link:repairs|service-feedback" -> ("repairs", "service-feedback")."""
    return tuple(i.strip() for i in name[5:].split("|"))


@dataclass(frozen=True)
class Placeholder:
    name: str
    label: str
    required: bool = False
    default: str = ""
    hint: str = ""
    max_length: int | None = None     # None: DEFAULT_MAX_LENGTH

    @property
    def limit(self) -> int:
        return DEFAULT_MAX_LENGTH if self.max_length is None else self.max_length


@dataclass(frozen=True)
class CannedReply:
    """A reply from the pack's `replies:`, with the format's defaults filled in."""
    id: str
    title: str
    category: str
    text: str
    platforms: tuple[str, ...]
    topics: tuple[str, ...]
    escalate_to: str | None
    placeholders: tuple[Placeholder, ...]
    translations: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)   # language -> {title, placeholders, practice}
    practice: tuple[str, ...] = ()    # customer messages it answers: the practice page's role-play scenarios

    def in_language(self, lang: str | None) -> CannedReply:
        """The reply with its title, placeholder labels and practice messages in `lang`, where the pack
        translates them (the text is what the customer reads, in the language the champion picks the
        reply for: never changed)."""
        tr = pick(self.translations, lang)
        if tr is None:
            return self
        labels = tr.get("placeholders") or {}
        return replace(self, title=tr.get("title", self.title), practice=tuple(tr.get("practice", self.practice)),
                       placeholders=tuple(replace(p, label=labels.get(p.name, p.label)) for p in self.placeholders))

    @classmethod
    def from_pack(cls, raw: dict[str, Any]) -> CannedReply:
        return cls(raw["id"], raw["title"], raw["category"], raw["text"], tuple(raw.get("platforms") or PLATFORMS),
                   tuple(raw.get("topics", ())), raw.get("escalate_to"),
                   tuple(Placeholder(name, p["label"], p.get("required", False), p.get("default", ""), p.get("hint", ""),
                                     p.get("max_length")) for name, p in raw.get("placeholders", {}).items()),
                   translations_of(raw), tuple(raw.get("practice", ())))


class RenderError(ValueError):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code, self.field = code, field


def render(reply: CannedReply, values: dict[str, str], referrals: Links) -> str:
    placeholders = {p.name: p for p in reply.placeholders}
    for name in values:
        if name not in placeholders:
            raise RenderError("unknown_placeholder", f"reply '{reply.id}' has no placeholder '{name}'", name)
    for p in reply.placeholders:
        value = values.get(p.name)
        if value is not None and len(value) > p.limit:
            raise RenderError("value_too_long", f"'{p.name}' is longer than {p.limit} characters", p.name)
        if p.required and not (value or "").strip():
            raise RenderError("missing_placeholder", f"'{p.label}' ({p.name}) is required", p.name)

    return _fill(reply, values, referrals, lambda p: p.default)


def preview(reply: CannedReply, values: dict[str, str], referrals: Links) -> str:
    """The reply as it stands while values are still being typed: an empty value shows its default,
    or [Label] when it has none. Nothing is refused and nothing is checked: only for showing."""
    known = {p.name for p in reply.placeholders}
    return _fill(reply, {k: v for k, v in values.items() if k in known}, referrals,
                 lambda p: p.default or f"[{p.label}]")


def _fill(reply: CannedReply, values: dict[str, str], referrals: Links, empty) -> str:
    placeholders = {p.name: p for p in reply.placeholders}
    link = referrals if callable(referrals) else (lambda ids: referrals[ids[0]])

    def fill(m: re.Match) -> str:
        name = m.group(1)
        if name.startswith("link:"):
            return link(link_ids(name))
        value = values.get(name)
        return value.strip() if value and value.strip() else empty(placeholders[name])

    return PLACEHOLDER.sub(fill, reply.text)


class ReplySuggester:
    """Rank canned replies for the message being answered: its words against each reply's topics, and
    a strong bonus when the message raises an escalation topic the reply is made for."""

    ESCALATION_BONUS = 5

    def __init__(self, replies: list[CannedReply]):
        self.replies = [(r, PhraseSet((t, None) for t in r.topics)) for r in replies]

    def suggest(self, reply_norm, platform: str, escalations: set[str], limit: int = 5,
                lang: str | None = None) -> list[dict[str, Any]]:
        scored = []
        for order, (reply, topics) in enumerate(self.replies):
            if platform not in reply.platforms:
                continue
            words = [reply_norm.slice16(reply_norm.tokens[h.first].start, reply_norm.tokens[h.last].end)
                     for h in topics.find(reply_norm.tokens)]
            score = len(words)
            reasons = [say(lang, "suggest.mentions", words=", ".join(f"“{w}”" for w in dict.fromkeys(words)))] if words else []
            if reply.escalate_to in escalations:
                score += self.ESCALATION_BONUS
                reasons.insert(0, say(lang, "suggest.topic", topic=reply.escalate_to.replace("_", " ")))
            if score:
                scored.append((-score, order, {"id": reply.id, "title": reply.in_language(lang).title, "score": score,
                                               "reason": "; ".join(reasons)}))
        return [s[2] for s in sorted(scored, key=lambda s: s[:2])[:limit]]
