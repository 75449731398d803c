"""POST /v1/records: the extension reports what happened with a warning (companion/records/).

Token-guarded like every call but health, hello and pair (api/security.py guards the whole app).
Answers 202 once the batch is queued; the writing happens on the records thread.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from companion.api.errors import ApiError
from companion.api.routes import _pack
from companion.api.validation import json_body
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

