"""The suggestions for the message being answered: what /v1/replies/suggest and `pack lint` both ask.

The customer's message is checked for escalation topics; a topic with no public reply is handed over
(no replies at all), and an escalated conversation gets only the acknowledgements made for its topics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from companion.engine.check import CheckRequest, check, is_second_opinion
from companion.engine.findings import Finding
from companion.engine.normalize import normalize


@dataclass
class Suggestions:
    replies: list[dict[str, Any]]     # ranked, best first
    handoff: list[str]                # topics to hand over with no public reply
    referrals: list[dict[str, Any]]
    escalations: list[Finding]
    topics: dict[str, str]            # escalation rule id -> its topic


def suggest(pack, replying_to: str, platform: str, *, surface: str = "reply", today: dt.date | None = None,
            lang: str | None = None) -> Suggestions:
    report = check(pack, CheckRequest("", platform, surface=surface, replying_to=replying_to, today=today, lang=lang))
    # The text model's escalation is a guess that names no topic: it warns on the card while typing but
    # does not take a champion's approved replies away.
    escalations = [f for f in report.findings if f.category == "escalation" and not is_second_opinion(f)]
    topics = {f.rule: f.detail["topic"] for f in escalations if f.detail and f.detail.get("topic")}
    flagged = set(topics.values())
    handoff = sorted(t for t in flagged if pack.public_reply(t) == "none")
    replies = [] if handoff else pack.reply_suggester.suggest(normalize(replying_to), platform, flagged, lang=lang)
    if flagged:   # an escalated conversation gets only the acknowledgements made for its topics
        replies = [r for r in replies if pack.canned_reply(r["id"]).escalate_to in flagged]
    return Suggestions(replies, handoff, report.referrals, escalations, topics)
