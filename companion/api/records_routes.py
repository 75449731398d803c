"""POST /v1/records: the extension reports what happened with a warning (companion/records/).
GET /v1/records/week: the side panel's "Your week", the report's numbers for the last 7 days.

Token-guarded like every call but health, hello and pair (api/security.py guards the whole app).
Answers 202 once the batch is queued; the writing happens on the records thread.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from flask import Blueprint, current_app, jsonify

from companion.api.errors import ApiError
from companion.api.routes import _pack
from companion.api.validation import json_body
from companion.records import report
from companion.records.events import EventError, parse_events

records_bp = Blueprint("records", __name__, url_prefix="/v1")


@records_bp.post("/records")
def report_events():
    body = json_body()
    writer = current_app.config["POSTGUARD_RECORDS"]
    try:
        events = parse_events(body, _pack(), writer.hasher)
    except EventError as e:
        raise ApiError(400, "bad_event", str(e)) from None
    writer.add(events)
    return jsonify({"accepted": len(events)}), 202



@records_bp.get("/records/week")
def week():
    """Today and the 6 days before it: the panel's small view. Waits briefly for queued events first."""
    writer = current_app.config["POSTGUARD_RECORDS"]
    writer.flush(timeout=2.0)
    today = writer.clock()
    since = today - dt.timedelta(days=6)
    try:
        body = _read_week(writer.path, since, today)
    except sqlite3.Error as e:
        raise ApiError(503, "records_unavailable", f"the local records cannot be read ({type(e).__name__})") from None
    return jsonify(body)


def _read_week(path, since: dt.date, today: dt.date) -> dict:
    if not path.exists():
        full = None
    else:   # read-only: the writer thread owns the file's schema and its writes
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            full = report.build(conn, since, today)
        finally:
            conn.close()
    totals = full["totals"] if full else {"shown": 0, "fixed": 0, "ignored": 0, "overridden": 0, "wrong": 0,
                                          "rates": dict.fromkeys(report.ACTIONS)}
    responses = full["responses"] if full else {"answered": 0, "median_minutes": None, "p90_minutes": None,
                                                "within_target": 0, "within_target_share": None}
    return {
        "since": since.isoformat(), "until": today.isoformat(),
        "findings": {k: totals[k] for k in ("shown", "fixed", "ignored", "overridden", "wrong", "rates")},
        "noisiest": [{k: n[k] for k in ("rule", "category", "shown", "noise")} for n in (full or {}).get("noisiest", [])[:3]],
        "responses": {k: responses[k] for k in ("answered", "median_minutes", "p90_minutes", "within_target",
                                                 "within_target_share")},
        "replies_used": sum(r["used"] for r in (full or {}).get("replies", [])),
    }
