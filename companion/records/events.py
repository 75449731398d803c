"""The events the extension reports, and the checks that keep text out of them.

A rule id or reply id is accepted only when the loaded pack has it, a category, site or reason only
from a fixed list: whatever a page or a bug puts in a field, a draft cannot reach the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.config import DEFAULT_RECORDS_RETENTION_DAYS
from companion.engine.findings import CATEGORIES, PLATFORMS
from companion.engine.kinds.confidential import ConfidentialTerms, term_id
from companion.pack.compiled import CompiledPack

DEFAULT_RETENTION_DAYS = DEFAULT_RECORDS_RETENTION_DAYS
MAX_EVENTS = 200   # per request: the extension sends a few at a time

RULE_EVENTS = ("shown", "fixed", "ignored", "overridden", "wrong")   # per rule
SITE_EVENTS = ("site_paused", "site_resumed")                         # per site
REPLY_EVENTS = ("reply_used",)                                        # per canned reply
HANDOFF_EVENTS = ("handoff",)                                         # per escalation topic: "Send to <owner>" opened
EVENTS = RULE_EVENTS + SITE_EVENTS + REPLY_EVENTS + HANDOFF_EVENTS

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


def known_rule_ids(pack: CompiledPack) -> frozenset[str]:
    """The ids findings of this pack can carry: every rule's, and each confidential term's own."""
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


def parse_events(body: Any, pack: CompiledPack) -> list[Event]:
    if not isinstance(body, dict) or set(body) != {"events"}:
        raise EventError("the body is {\"events\": [...]} and nothing else")
    raw = body["events"]
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_EVENTS:
        raise EventError(f"'events' must be a list of 1 to {MAX_EVENTS} events")
    rules = _rule_ids(pack)
    replies = {r.id for r in pack.canned_replies}
    topics = {row["topic"] for row in pack.escalation_matrix}
    return [_event(i, e, rules, replies, topics) for i, e in enumerate(raw)]


def _event(i: int, e: Any, rules: frozenset[str], replies: set[str], topics: set[str]) -> Event:
    where = f"events[{i}]"
    if not isinstance(e, dict):
        raise EventError(f"{where} must be an object")
    kind = e.get("event")
    if not isinstance(kind, str) or kind not in EVENTS:
        raise EventError(f"{where}.event must be one of {', '.join(EVENTS)}")
    allowed = {"event", "rule", "category", "reason"} if kind in RULE_EVENTS else (
        {"event", "site"} if kind in SITE_EVENTS else {"event", "topic"} if kind in HANDOFF_EVENTS else {"event", "reply_id"})
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
    if kind in REPLY_EVENTS:
        reply = e.get("reply_id")
        if not isinstance(reply, str) or reply not in replies:
            raise EventError(f"{where}.reply_id is not a canned reply of the loaded pack")
        return Event(kind, reply)
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


def _one_of(e: dict, name: str, allowed: tuple[str, ...], where: str) -> str:
    value = e.get(name)
    if not isinstance(value, str) or value not in allowed:
        raise EventError(f"{where}.{name} must be one of {', '.join(allowed)}")
    return value
