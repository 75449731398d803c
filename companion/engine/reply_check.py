"""The re-check of a filled-in canned reply: what /v1/replies/render and `pack lint` both ask.

The reply's wording is approved (it may speak for the company), and an acknowledgement the matrix
allows for its topic is not blocked by the customer's message raising that topic.
"""

from __future__ import annotations

import datetime as dt

from companion.engine.check import CheckRequest, Report, check
from companion.engine.replies import CannedReply


def recheck(pack, reply: CannedReply, text: str, platform: str, *, surface: str = "reply",
            replying_to: str | None = None, account: str | None = None, today: dt.date | None = None,
            lang: str | None = None) -> Report:
    report = check(pack, CheckRequest(text, platform, surface=surface, replying_to=replying_to, account=account,
                                      today=today, approved_wording=True, lang=lang))
    if reply.escalate_to and pack.public_reply(reply.escalate_to) == "acknowledge":
        report.findings = [f for f in report.findings if not (
            f.category == "escalation" and (f.detail or {}).get("source") == "replying_to"
            and f.detail.get("topic") == reply.escalate_to)]
    return report
