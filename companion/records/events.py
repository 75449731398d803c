"""The events the extension reports, and the checks that keep text out of them.

A rule id or reply id is accepted only when the loaded pack has it, a category, site or reason only
from a fixed list: whatever a page or a bug puts in a field, a draft cannot reach the records. The one
free field, an answered conversation's URL, is replaced by its salted hash before anything keeps it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from companion.config import DEFAULT_RECORDS_RETENTION_DAYS
from companion.engine.findings import CATEGORIES, PLATFORMS
from companion.engine.kinds.base import TEAM_TOPIC

if TYPE_CHECKING:   # the pack and the engine's rule kinds load in seconds: `postguard report` never needs them
    from companion.pack.compiled import CompiledPack

DEFAULT_RETENTION_DAYS = DEFAULT_RECORDS_RETENTION_DAYS
MAX_EVENTS = 200   # per request: the extension sends a few at a time

RULE_EVENTS = ("shown", "fixed", "ignored", "overridden", "wrong")   # per rule
SITE_EVENTS = ("site_paused", "site_resumed")                         # per site
REPLY_EVENTS = ("reply_used",)                                        # per canned reply
ANSWER_EVENTS = ("reply_answered",)   # a champion's answer: when the customer wrote, when they were answered
ANSWER_FIELDS = {"event", "reply_id", "conversation", "kind", "posted_at", "answered_at"}
TYPED_REPLY = "typed"   # reply_id of an answer the champion typed by hand (no canned reply): posted, not inserted
# the kinds the extension tells from the customer's message (extension/conversation-kind.js): recorded
# even when the pack sets no target for them (target_minutes is then None)
MESSAGE_KINDS = ("complaint", "question", "review")
MAX_URL = 2048
# A customer's message seen as posted a little after the answer is the site's clock against this
# machine's; further off, or an answer stamped far from now, is a bug or a page's trick: refused.
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_AGE = dt.timedelta(days=366)
HANDOFF_EVENTS = ("handoff",)                                         # per escalation topic: "Send to <owner>" opened
EVENTS = RULE_EVENTS + SITE_EVENTS + REPLY_EVENTS + ANSWER_EVENTS + HANDOFF_EVENTS

# "This warning is wrong": why, from a short list (never free text). Keys are stored; the labels are
# the card's (extension/records-vocabulary.js holds the same keys; tests/test_records.py compares).
WRONG_REASONS = {
    "not_a_problem": "It is not a problem here",
    "wrong_words": "It flagged the wrong words",
    "allowed_for_me": "I am allowed to post this",
    "other": "Something else",
}
NO_REASON = "none"


class EventError(ValueError):
    """A bad event: the message names the event's index and field, never the value sent."""


@dataclass(frozen=True)
class Event:
    event: str
    key: str                  # the rule id, the site, the reply id or the escalation topic
    category: str = ""        # rule events
    reason: str = ""          # "wrong": a WRONG_REASONS key or NO_REASON
    answer: Answer | None = None   # "reply_answered"


@dataclass(frozen=True)
class Answer:
    """One answered conversation: its URL only as a salted hash, times in UTC, minutes to answer."""
    conversation: str         # HMAC of the conversation's URL (records/salt.py); the URL itself is never kept
    kind: str                 # a kind of the pack's response_targets
    target_minutes: int | None
    posted_at: str            # ISO 8601 UTC, to the second
    answered_at: str
    minutes: int


def known_rule_ids(pack: CompiledPack) -> frozenset[str]:
    """The ids findings of this pack can carry: every rule's, and each confidential term's own."""
    from companion.engine.kinds.confidential import ConfidentialTerms, term_id

    ids = {rule.id for rule in pack.rules if not isinstance(rule, ConfidentialTerms)}
    ids.update(term_id(t) for t in pack.data.get("confidential", ()))
    return frozenset(ids)


_known: dict[int, tuple[CompiledPack, frozenset[str]]] = {}


def _rule_ids(pack: CompiledPack) -> frozenset[str]:
    hit = _known.get(id(pack))
    if hit is None or hit[0] is not pack:
        _known.clear()   # one pack serves at a time
        hit = _known[id(pack)] = (pack, known_rule_ids(pack))
    return hit[1]


def target_minutes(within: Any) -> int | None:
    """A response target in minutes: "15m", "2h", "24 hours", "1 day", "1 business day" (24 hours)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(business\s+days?|[a-z]+)\s*", str(within or ""), re.I)
    if not m:
        return None
    unit = m.group(2).lower()
    per = 1440 if unit.startswith("business") else _UNIT_MIN.get(unit)
    return None if per is None else round(float(m.group(1)) * per)


_UNIT_MIN = {"m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1, "h": 60, "hr": 60, "hrs": 60, "hour": 60,
             "hours": 60, "d": 1440, "day": 1440, "days": 1440, "w": 10080, "week": 10080, "weeks": 10080}


def response_targets(pack: CompiledPack) -> dict[str, int | None]:
    """kind -> minutes (None where the pack's `within` is not a duration)."""
    return {str(t.get("kind")): target_minutes(t.get("within")) for t in pack.response_targets if t.get("kind")}


Hasher = Callable[[str], str]


def parse_events(body: Any, pack: CompiledPack, hasher: Hasher | None = None,
                 now: dt.datetime | None = None) -> list[Event]:
    """`hasher` turns a conversation's URL into its salted hash (needed only for reply_answered)."""
    if not isinstance(body, dict) or set(body) != {"events"}:
        raise EventError("the body is {\"events\": [...]} and nothing else")
    raw = body["events"]
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_EVENTS:
        raise EventError(f"'events' must be a list of 1 to {MAX_EVENTS} events")
    rules = _rule_ids(pack)
    replies = {r.id for r in pack.canned_replies}
    ctx = _AnswerContext(hasher, response_targets(pack), now or dt.datetime.now(dt.timezone.utc))
    # the context menu's "Report this post" to the default contact counts under its own fixed topic
    topics = {row["topic"] for row in pack.escalation_matrix} | {TEAM_TOPIC}
    return [_event(i, e, rules, replies, ctx, topics) for i, e in enumerate(raw)]


@dataclass(frozen=True)
class _AnswerContext:
    hasher: Hasher | None
    targets: dict[str, int | None]
    now: dt.datetime


def _event(i: int, e: Any, rules: frozenset[str], replies: set[str], ctx: _AnswerContext,
           topics: set[str]) -> Event:
    where = f"events[{i}]"
    if not isinstance(e, dict):
        raise EventError(f"{where} must be an object")
    kind = e.get("event")
    if not isinstance(kind, str) or kind not in EVENTS:
        raise EventError(f"{where}.event must be one of {', '.join(EVENTS)}")
    allowed = {"event", "rule", "category", "reason"} if kind in RULE_EVENTS else (
        {"event", "site"} if kind in SITE_EVENTS else ANSWER_FIELDS if kind in ANSWER_EVENTS else
        {"event", "topic"} if kind in HANDOFF_EVENTS else {"event", "reply_id"})
    unknown = sorted(set(e) - allowed)
    if unknown:
        raise EventError(f"{where}: unknown field for '{kind}' (allowed: {', '.join(sorted(allowed))})")
    if kind in SITE_EVENTS:
        return Event(kind, _one_of(e, "site", PLATFORMS, where))
    if kind in HANDOFF_EVENTS:
        topic = e.get("topic")
        if not isinstance(topic, str) or topic not in topics:
            raise EventError(f"{where}.topic is not an escalation topic of the loaded pack")
        return Event(kind, topic)
    if kind in REPLY_EVENTS or kind in ANSWER_EVENTS:
        reply = e.get("reply_id")
        typed = kind in ANSWER_EVENTS and reply == TYPED_REPLY
        if not isinstance(reply, str) or (reply not in replies and not typed):
            raise EventError(f"{where}.reply_id is not a canned reply of the loaded pack")
        return Event(kind, reply, answer=_answer(e, where, ctx) if kind in ANSWER_EVENTS else None)
    rule = e.get("rule")
    if not isinstance(rule, str) or rule not in rules:
        raise EventError(f"{where}.rule is not a rule of the loaded pack")
    category = _one_of(e, "category", CATEGORIES, where)
    reason = ""
    if kind == "wrong":
        reason = NO_REASON if e.get("reason") is None else _one_of(e, "reason", tuple(WRONG_REASONS), where)
    elif "reason" in e:
        raise EventError(f"{where}.reason is only for 'wrong'")
    return Event(kind, rule, category, reason)


def _answer(e: dict, where: str, ctx: _AnswerContext) -> Answer:
    url = e.get("conversation")
    if not isinstance(url, str) or not url.startswith("https://") or len(url) > MAX_URL or any(c.isspace() for c in url):
        raise EventError(f"{where}.conversation must be the conversation's https URL (at most {MAX_URL} characters)")
    if ctx.hasher is None:
        raise EventError(f"{where}: answers cannot be recorded here")
    kind = _one_of(e, "kind", tuple(dict.fromkeys((*ctx.targets, *MESSAGE_KINDS))), where)
    posted, answered = _utc(e, "posted_at", where), _utc(e, "answered_at", where)
    if abs(answered - ctx.now) > dt.timedelta(days=1):
        raise EventError(f"{where}.answered_at must be within a day of now")
    if posted > answered + CLOCK_SKEW or answered - posted > MAX_AGE:
        raise EventError(f"{where}.posted_at must be before answered_at and at most a year before it")
    minutes = max(0, int((answered - posted).total_seconds() // 60))
    return Answer(ctx.hasher(url), kind, ctx.targets.get(kind), _iso(posted), _iso(answered), minutes)


def _utc(e: dict, name: str, where: str) -> dt.datetime:
    value = e.get(name)
    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise EventError(f"{where}.{name} must be an ISO 8601 time with its zone (2026-03-02T09:14:00Z)") from None
    if t.tzinfo is None:
        raise EventError(f"{where}.{name} must say its zone (Z or +hh:mm)")
    return t.astimezone(dt.timezone.utc)


def _iso(t: dt.datetime) -> str:
    return t.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _one_of(e: dict, name: str, allowed: tuple[str, ...], where: str) -> str:
    value = e.get(name)
    if not isinstance(value, str) or value not in allowed:
        raise EventError(f"{where}.{name} must be one of {', '.join(allowed)}")
    return value
