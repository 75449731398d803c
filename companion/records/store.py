"""Counts in, counts out: add a batch, prune past the retention, forget on request."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from typing import Iterable

from companion.records.database import TABLES
from companion.records.events import ANSWER_EVENTS, HANDOFF_EVENTS, RULE_EVENTS, SITE_EVENTS, Event


def add(conn: sqlite3.Connection, batches: Iterable[tuple[dt.date, list[Event]]]) -> int:
    """One transaction for everything queued: each (day, key, event) row gains its count."""
    rules: Counter = Counter()
    sites: Counter = Counter()
    reasons: Counter = Counter()
    replies: Counter = Counter()
    answers: list[tuple] = []
    handoffs: Counter = Counter()
    for day, events in batches:
        d = day.isoformat()
        for e in events:
            if e.event in RULE_EVENTS:
                rules[(d, e.key, e.category, e.event)] += 1
                if e.event == "wrong":
                    reasons[(d, e.key, e.reason)] += 1
            elif e.event in SITE_EVENTS:
                sites[(d, e.key, e.event)] += 1
            elif e.event in ANSWER_EVENTS and e.answer is not None:
                a = e.answer
                answers.append((d, a.conversation, e.key, a.kind, a.target_minutes, a.posted_at, a.answered_at,
                                a.minutes))
            elif e.event in HANDOFF_EVENTS:
                handoffs[(d, e.key)] += 1
            else:
                replies[(d, e.key)] += 1
    conn.execute("BEGIN IMMEDIATE")
    try:
        _upsert(conn, "rule_events", ("day", "rule", "category", "event"), rules)
        _upsert(conn, "site_events", ("day", "site", "event"), sites)
        _upsert(conn, "wrong_reasons", ("day", "rule", "reason"), reasons)
        _upsert(conn, "reply_uses", ("day", "reply_id"), replies)
        conn.executemany("INSERT INTO answers (day, conversation, reply_id, kind, target_minutes, posted_at,"
                         " answered_at, minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", answers)
        _upsert(conn, "handoffs", ("day", "topic"), handoffs)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return sum(rules.values()) + sum(sites.values()) + sum(replies.values()) + len(answers) + sum(handoffs.values())


def _upsert(conn: sqlite3.Connection, table: str, keys: tuple[str, ...], counts: Counter) -> None:
    if not counts:
        return
    cols = ", ".join(keys)
    marks = ", ".join("?" * (len(keys) + 1))
    conn.executemany(f"INSERT INTO {table} ({cols}, n) VALUES ({marks}) "
                     f"ON CONFLICT ({cols}) DO UPDATE SET n = n + excluded.n",
                     [(*k, n) for k, n in counts.items()])


def forget(conn: sqlite3.Connection, before: dt.date | None = None) -> int:
    """Delete every count (before None) or the counts of days before `before`; returns rows deleted."""
    deleted = 0
    conn.execute("BEGIN IMMEDIATE")
    for table in TABLES:
        if before is None:
            deleted += conn.execute(f"DELETE FROM {table}").rowcount
        else:
            deleted += conn.execute(f"DELETE FROM {table} WHERE day < ?", (before.isoformat(),)).rowcount
    conn.execute("COMMIT")
    return deleted


def prune(conn: sqlite3.Connection, today: dt.date, keep_days: int) -> int:
    """Retention: keep the last `keep_days` days, today included."""
    return forget(conn, today - dt.timedelta(days=keep_days - 1))


def kept(conn: sqlite3.Connection) -> dict:
    """What is kept: rows per table and the first and last day."""
    out: dict = {"rows": {}, "first_day": None, "last_day": None}
    for table in TABLES:
        n, first, last = conn.execute(f"SELECT COUNT(*), MIN(day), MAX(day) FROM {table}").fetchone()
        out["rows"][table] = n
        if first and (out["first_day"] is None or first < out["first_day"]):
            out["first_day"] = first
        if last and (out["last_day"] is None or last > out["last_day"]):
            out["last_day"] = last
    return out
