"""The report's response section: champions' answered conversations, how fast, and how many in target.

A conversation counts once, by its first answer (a second reply in the same thread is not a second
response time). Median and p90 are by nearest rank: real minutes someone waited, not interpolations.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import sqlite3
from collections import defaultdict
from typing import Any


@functools.lru_cache(maxsize=4096)   # a year has 366 days: each is parsed once
def week_of(day: str) -> str:
    """YYYY-MM-DD -> its ISO week, "2026-W48"."""
    y, w, _ = dt.date.fromisoformat(day).isocalendar()
    return f"{y}-W{w:02d}"


def nearest_rank(sorted_minutes: list[int], share: float) -> int | None:
    if not sorted_minutes:
        return None
    return sorted_minutes[max(0, math.ceil(share * len(sorted_minutes)) - 1)]


def summary(answers: list[tuple[int, int | None]]) -> dict[str, Any]:
    """(minutes, target_minutes) per conversation -> answered, median, p90, share within target."""
    minutes = sorted(m for m, _ in answers)
    targeted = [(m, t) for m, t in answers if t is not None]
    within = sum(1 for m, t in targeted if m <= t)
    return {"answered": len(answers), "median_minutes": nearest_rank(minutes, 0.5),
            "p90_minutes": nearest_rank(minutes, 0.9), "within_target": within,
            "within_target_share": round(within / len(targeted), 3) if targeted else None}


def build(conn: sqlite3.Connection, since: dt.date) -> dict[str, Any]:
    # SQLite fills the bare columns from the row that has MIN(answered_at): each conversation's first answer
    first = conn.execute("SELECT day, kind, minutes, target_minutes, MIN(answered_at) FROM answers WHERE day >= ?"
                         " GROUP BY conversation", (since.isoformat(),)).fetchall()
    weeks: dict[str, list] = defaultdict(list)
    kinds: dict[str, list] = defaultdict(list)
    for day, kind, minutes, target, _ in first:
        weeks[week_of(day)].append((minutes, target))
        kinds[kind].append((minutes, target))
    return {**summary([(m, t) for _, _, m, t, _ in first]),
            "kinds": {k: summary(v) for k, v in sorted(kinds.items())},
            "weeks": [{"week": w, **summary(weeks[w])} for w in sorted(weeks)]}


def span(minutes: int | None) -> str:
    if minutes is None:
        return "-"
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def text(responses: dict[str, Any]) -> list[str]:
    if not responses["answered"]:
        return []
    share = responses["within_target_share"]

    def row(label: str, s: dict) -> str:
        pct = "-" if s["within_target_share"] is None else f"{s['within_target_share'] * 100:.0f}%"
        return f"  {label:20} {s['answered']:8} {span(s['median_minutes']):>12} {span(s['p90_minutes']):>12} {pct:>8}"

    lines = ["", f"answered conversations {responses['answered']}: median {span(responses['median_minutes'])}, "
                 f"p90 {span(responses['p90_minutes'])}, within target "
                 + ("-" if share is None else f"{responses['within_target']} ({share * 100:.0f}%)"),
             f"  {'week / kind':20} {'answered':>8} {'median':>12} {'p90':>12} {'in target':>8}"]
    lines += [row(w["week"], w) for w in responses["weeks"]]
    lines += [row(k, s) for k, s in responses["kinds"].items()]
    return lines


def csv_rows(responses: dict[str, Any]) -> tuple[list[str], list[list]]:
    header = ["week", "answered", "median_minutes", "p90_minutes", "within_target", "within_target_share"]
    return header, [[w["week"], *(w[c] for c in header[1:])] for w in responses["weeks"]]
