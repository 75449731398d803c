"""Hand-offs in the local records (issue 16): "Send to <owner>" opened is counted per escalation topic
of the loaded pack, nothing else gets in, and the report shows it."""

import datetime as dt

import pytest

from companion.pack.compiled import load_pack
from companion.records import open_records, parse_events, store
from companion.records import report as records_report
from companion.records.events import Event, EventError
from support import EXAMPLE_PACK

PACK = load_pack(EXAMPLE_PACK)
DAY = dt.date(2026, 11, 20)


def test_a_handoff_is_an_event_by_topic():
    assert parse_events({"events": [{"event": "handoff", "topic": "legal_threat"}]}, PACK) == [Event("handoff", "legal_threat")]


@pytest.mark.parametrize("event, problem", [
    ({"event": "handoff", "topic": "my lawyer will call"}, "topic is not an escalation topic"),
    ({"event": "handoff"}, "topic is not an escalation topic"),
    ({"event": "handoff", "topic": "legal_threat", "text": "Tell them to talk to my lawyer"}, "unknown field"),
    ({"event": "handoff", "reply_id": PACK.canned_replies[0].id}, "unknown field"),
])
def test_no_text_gets_in(event, problem):
    with pytest.raises(EventError, match=problem):
        parse_events({"events": [event]}, PACK)


def test_handoffs_are_counted_and_reported(tmp_path):
    conn = open_records(tmp_path / "records.sqlite")
    assert store.add(conn, [(DAY, [Event("handoff", "legal_threat"), Event("handoff", "legal_threat"),
                                   Event("handoff", "press")])]) == 3
    r = records_report.build(conn, DAY - dt.timedelta(days=1), DAY)
    assert r["handoffs"] == [{"topic": "legal_threat", "opened": 2}, {"topic": "press", "opened": 1}]
    lines = records_report.text(r, tmp_path / "records.sqlite")
    assert "hand-offs opened: legal_threat 2, press 1" in lines
    written = {p.name: p for p in records_report.write_csv(r, tmp_path / "csv")}
    assert written["handoffs.csv"].read_text().splitlines() == ["topic,opened", "legal_threat,2", "press,1"]


def test_a_second_version_file_gains_the_handoffs_table(tmp_path):
    path = tmp_path / "records.sqlite"
    open_records(path, upto=2).close()
    conn = open_records(path)
    store.add(conn, [(DAY, [Event("handoff", "threat")])])
    assert conn.execute("SELECT topic, n FROM handoffs").fetchall() == [("threat", 1)]
