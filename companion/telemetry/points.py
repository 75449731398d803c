"""What the push sends, as plain numbers and attributes, before any OpenTelemetry object is made.

The program's counts come from the local records (companion/records/) summed over the last
WINDOW_DAYS days; a count below MIN_COUNT is left out, so no single person's few actions show. Every
attribute value is a rule id or reply id of IT's pack or a word from a fixed list: the records hold
nothing else. Fleet health comes from the same facts as `postguard config --json`, and is not
suppressed: it says what the machine runs, not what anyone did.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from companion.records.events import RULE_EVENTS, SITE_EVENTS

MIN_COUNT = 5
WINDOW_DAYS = 7

# name: (instrument, unit, description). "gauge": the value now; "counter": a running total since start.
METRICS = {
    "postguard.rule.events": ("gauge", "{event}", "Warnings per rule and what happened to them, last 7 days"),
    "postguard.category.events": ("gauge", "{event}", "Warnings per category and what happened to them, last 7 days"),
    "postguard.wrong.reasons": ("gauge", "{event}", "'This warning is wrong' per rule and reason, last 7 days"),
    "postguard.reply.uses": ("gauge", "{use}", "Canned replies inserted, per reply, last 7 days"),
    "postguard.site.events": ("gauge", "{event}", "PostGuard paused or resumed on a site, last 7 days"),
    "postguard.companion.info": ("gauge", "1", "Always 1; the companion's version is the attribute"),
    "postguard.health": ("gauge", "1", "Always 1; the health status and its most serious reason are the attributes"),
    "postguard.pack.revision": ("gauge", "1", "Revision of the pack serving"),
    "postguard.pack.signature.expiry": ("gauge", "s", "Seconds until the signature of the pack serving expires "
                                                      "(negative once expired)"),
    "postguard.pack.updates.refused": ("counter", "{update}", "Pack updates refused since the companion started"),
}


@dataclass(frozen=True)
class Point:
    metric: str
    value: int
    attributes: tuple[tuple[str, str], ...] = ()


# metric, table, {column: attribute}, the events it may carry (None: any row). Each sums the window's days.
_COUNTS = (
    ("postguard.rule.events", "rule_events",
     {"rule": "postguard.rule", "category": "postguard.category", "event": "postguard.event"}, RULE_EVENTS),
    ("postguard.category.events", "rule_events", {"category": "postguard.category", "event": "postguard.event"},
     RULE_EVENTS),
    ("postguard.wrong.reasons", "wrong_reasons", {"rule": "postguard.rule", "reason": "postguard.reason"}, None),
    ("postguard.reply.uses", "reply_uses", {"reply_id": "postguard.reply_id"}, None),
    ("postguard.site.events", "site_events", {"site": "postguard.site", "event": "postguard.event"}, SITE_EVENTS),
)


def program_points(records: Path, today: dt.date) -> list[Point]:
    """The records' counts of the last WINDOW_DAYS days (today included), each at least MIN_COUNT.
    Read only: the file is the records writer's, and a missing one means nothing was recorded."""
    if not records.exists():
        return []
    since = (today - dt.timedelta(days=WINDOW_DAYS - 1)).isoformat()
    conn = sqlite3.connect(f"{records.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    points = []
    try:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for metric, table, columns, events in _COUNTS:
            if table not in tables:
                continue   # a file of the first schema version, not yet opened by the writer
            cols = ", ".join(columns)
            for *values, n in conn.execute(f"SELECT {cols}, SUM(n) FROM {table} WHERE day >= ? GROUP BY {cols}",
                                           (since,)):
                if n >= MIN_COUNT and (events is None or values[-1] in events):
                    points.append(Point(metric, int(n), tuple(zip(columns.values(), map(str, values)))))
    finally:
        conn.close()
    return points


def fleet_facts(health: dict, version: str, refused_updates: int) -> dict:
    """The fleet facts of a /v1/health body, in the shape of `postguard config --json`'s."""
    pack = health.get("pack") or {}
    return {"version": version, "status": health["status"], "reasons": health.get("reasons", []),
            "pack_id": pack.get("id"), "pack_revision": pack.get("revision"),
            "signature_expires_at": (pack.get("signature") or {}).get("expires_at"),
            "refused_updates": refused_updates}


def fleet_points(facts: dict, now: dt.datetime) -> list[Point]:
    """Version, health, pack revision, seconds until the signature expires and refused updates."""
    reasons = facts.get("reasons") or []
    points = [Point("postguard.companion.info", 1, (("postguard.version", facts["version"]),)),
              Point("postguard.health", 1, (("postguard.health.status", facts["status"]),
                                            ("postguard.health.reason", reasons[0] if reasons else "none")))]
    if facts.get("pack_id"):
        pack = (("postguard.pack.id", facts["pack_id"]),)
        points.append(Point("postguard.pack.revision", int(facts["pack_revision"]), pack))
        if facts.get("signature_expires_at"):
            expires = dt.datetime.strptime(facts["signature_expires_at"], "%Y-%m-%dT%H:%M:%SZ")
            left = expires.replace(tzinfo=dt.timezone.utc) - now
            points.append(Point("postguard.pack.signature.expiry", int(left.total_seconds()), pack))
    points.append(Point("postguard.pack.updates.refused", int(facts.get("refused_updates") or 0)))
    return points
