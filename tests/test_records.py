"""Local records (companion/records/): events checked against the pack, the schema and its
migrations, a damaged file moved aside, the background writer, the report, forget and retention,
the API route and the CLI on a real companion."""

import datetime as dt
import http.client
import json
import logging
import subprocess
import time

import pytest

from companion.pack.compiled import load_pack
from companion.records import RecordWriter, open_records, parse_events, store
from companion.records import report as records_report
from companion.records.database import MIGRATIONS, SCHEMA_VERSION
from companion.records.events import WRONG_REASONS, Event, EventError, known_rule_ids
from support import EXAMPLE_PACK, TODAY, CompanionProcess, make_client

PACK = load_pack(EXAMPLE_PACK)
RULES = sorted(known_rule_ids(PACK))
REPLY = PACK.canned_replies[0].id


def rule_event(event, rule="conf.falcon-ridge", category="confidential", **kw):
    return {"event": event, "rule": rule, "category": category, **kw}


def test_the_example_pack_rules_are_known():
    assert "conf.falcon-ridge" in RULES
    assert any(r.startswith("base.") for r in RULES)


@pytest.mark.parametrize("body, where", [
    ({"events": []}, "'events'"),
    ({"events": [rule_event("shown")], "extra": 1}, "nothing else"),
    ({"events": "shown"}, "'events'"),
    ({"events": [rule_event("shown")] * 201}, "'events'"),
    ({"events": [{"event": "typed"}]}, "events[0].event"),
    ({"events": [rule_event("shown", rule="Zqx7 secret draft")]}, "events[0].rule"),
    ({"events": [rule_event("shown", category="gossip")]}, "events[0].category"),
    ({"events": [rule_event("shown", excerpt="x")]}, "unknown field"),
    ({"events": [rule_event("shown", reason="other")]}, "only for 'wrong'"),
    ({"events": [rule_event("wrong", reason="because I say so")]}, "events[0].reason"),
    ({"events": [{"event": "reply_used", "reply_id": "no-such-reply"}]}, "reply_id"),
    ({"events": [{"event": "site_paused", "site": "https://x.com/someone"}]}, "events[0].site"),
    ({"events": [rule_event("shown"), 7]}, "events[1]"),
])
def test_bad_events_are_refused_and_the_message_never_quotes_the_value(body, where):
    with pytest.raises(EventError) as e:
        parse_events(body, PACK)
    assert where in str(e.value)
    for value in ("Zqx7", "gossip", "because I say so", "no-such-reply", "https://"):
        assert value not in str(e.value)


def test_good_events_parse():
    events = parse_events({"events": [
        rule_event("shown"), rule_event("wrong"), rule_event("wrong", reason="wrong_words"),
        {"event": "reply_used", "reply_id": REPLY}, {"event": "site_resumed", "site": "x"}]}, PACK)
    assert events == [Event("shown", "conf.falcon-ridge", "confidential"),
                      Event("wrong", "conf.falcon-ridge", "confidential", "none"),
                      Event("wrong", "conf.falcon-ridge", "confidential", "wrong_words"),
                      Event("reply_used", REPLY), Event("site_resumed", "x")]


def tables(conn):
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_first_version_file_opens_in_the_latest_and_keeps_its_counts(tmp_path):
    path = tmp_path / "records.sqlite"
    conn = open_records(path, upto=1)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert tables(conn) == {"rule_events", "site_events"}
    conn.execute("INSERT INTO rule_events VALUES ('2026-11-20', 'conf.falcon-ridge', 'confidential', 'shown', 4)")
    conn.close()

    conn = open_records(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"wrong_reasons", "reply_uses"} <= tables(conn)
    store.add(conn, [(dt.date(2026, 11, 20), [Event("shown", "conf.falcon-ridge", "confidential")])])
    assert conn.execute("SELECT n FROM rule_events").fetchall() == [(5,)]
    assert (path.stat().st_mode & 0o777) == 0o600


def test_a_damaged_file_is_moved_aside_with_a_log_line_and_a_fresh_one_started(tmp_path, caplog):
    path = tmp_path / "records.sqlite"
    path.write_bytes(b"this is not a database at all, just some bytes " * 100)
    with caplog.at_level(logging.WARNING, logger="postguard.records"):
        conn = open_records(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    assert any("could not be read" in r.message and aside[0].name in r.getMessage() for r in caplog.records)


def test_a_truncated_database_is_moved_aside_too(tmp_path):
    path = tmp_path / "records.sqlite"
    conn = open_records(path)
    store.add(conn, [(TODAY, [Event("shown", r, "safety") for r in RULES])])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xff" * (len(data) - 100))   # header kept, pages spoiled
    conn = open_records(path)
    assert conn.execute("SELECT COUNT(*) FROM rule_events").fetchone()[0] == 0
    assert any(".damaged-" in p.name for p in tmp_path.iterdir())


def test_the_writer_batches_off_the_caller_and_prunes_past_the_retention(tmp_path):
    path = tmp_path / "records.sqlite"
    conn = open_records(path)
    old = TODAY - dt.timedelta(days=10)
    store.add(conn, [(old, [Event("shown", "conf.falcon-ridge", "confidential")])])
    conn.close()
    days = iter([TODAY] * 1000)
    writer = RecordWriter(path, retention_days=7, clock=lambda: next(days), flush_every=0.2)
    for _ in range(50):
        writer.add([Event("ignored", "conf.falcon-ridge", "confidential")])
    assert writer.flush()
    writer.close()
    conn = open_records(path)
    assert conn.execute("SELECT day, event, n FROM rule_events").fetchall() == [(TODAY.isoformat(), "ignored", 50)]


def test_the_writer_survives_a_file_it_cannot_open(tmp_path, caplog):
    folder = tmp_path / "records.sqlite"
    folder.mkdir()   # a folder where the file should be: cannot open, cannot move aside over it
    (folder / "x").write_text("keep")
    with caplog.at_level(logging.ERROR, logger="postguard.records"):
        writer = RecordWriter(folder, flush_every=0.05)
        writer.add([Event("shown", "conf.falcon-ridge", "confidential")])
        assert writer.flush()
        writer.close()
    assert "nothing will be recorded" in caplog.text


def seeded(tmp_path):
    conn = open_records(tmp_path / "records.sqlite")
    monday = dt.date(2026, 11, 16)
    e = lambda ev, rule="conf.falcon-ridge", cat="confidential", reason="": Event(ev, rule, cat, reason)  # noqa: E731
    store.add(conn, [
        (monday, [e("shown")] * 4 + [e("fixed")] * 2 + [e("ignored"), e("wrong", reason="wrong_words")]),
        (monday + dt.timedelta(days=7), [e("shown", "base.safety.night-place", "safety")] * 2
         + [e("overridden", "base.safety.night-place", "safety")] * 2),
        (monday, [Event("reply_used", REPLY)] * 3 + [Event("site_paused", "x"), Event("site_resumed", "x")]),
        (monday - dt.timedelta(days=60), [e("shown")]),
    ])
    return conn


def test_the_report_counts_per_week_with_rates_and_the_noisiest_rules(tmp_path):
    conn = seeded(tmp_path)
    r = records_report.build(conn, dt.date(2026, 11, 1), dt.date(2026, 11, 29))
    assert r["totals"]["shown"] == 6 and r["totals"]["fixed"] == 2 and r["totals"]["overridden"] == 2
    assert [w["week"] for w in r["weeks"]] == ["2026-W47", "2026-W48"]
    w47 = r["weeks"][0]["categories"]["confidential"]
    assert (w47["shown"], w47["fixed"], w47["ignored"], w47["wrong"]) == (4, 2, 1, 1)
    assert w47["rates"] == {"fixed": 0.5, "ignored": 0.25, "overridden": 0.0, "wrong": 0.25}
    assert [n["rule"] for n in r["noisiest"]] == ["base.safety.night-place", "conf.falcon-ridge"]
    assert r["noisiest"][0]["noise"] == 2
    assert r["wrong_reasons"]["conf.falcon-ridge"]["wrong_words"] == 1
    assert r["replies"] == [{"reply_id": REPLY, "used": 3}]
    assert r["sites"] == [{"site": "x", "paused": 1, "resumed": 1}]
    assert r["kept"]["first_day"] == "2026-09-17"   # the older day is kept, only outside --since
    lines = "\n".join(records_report.text(r, tmp_path / "records.sqlite"))
    assert "week 2026-W47" in lines and "noisiest rules" in lines and "wrong_words 1" in lines


def test_csv_tables(tmp_path):
    r = records_report.build(seeded(tmp_path), dt.date(2026, 11, 1), dt.date(2026, 11, 29))
    written = records_report.write_csv(r, tmp_path / "csv")
    assert {p.name for p in written} == {"weekly_rules.csv", "rules.csv", "wrong_reasons.csv", "replies.csv", "handoffs.csv",
                                       "sites.csv", "weekly_responses.csv"}
    weekly = (tmp_path / "csv" / "weekly_rules.csv").read_text().splitlines()
    assert weekly[0] == "week,rule,category,shown,fixed,ignored,overridden,wrong"
    assert "2026-W47,conf.falcon-ridge,confidential,4,2,1,0,1" in weekly


def test_since_parsing():
    today = dt.date(2026, 11, 30)
    assert records_report.parse_since("30d", today) == dt.date(2026, 11, 1)
    assert records_report.parse_since("1w", today) == dt.date(2026, 11, 24)
    assert records_report.parse_since("2026-10-01", today) == dt.date(2026, 10, 1)
    with pytest.raises(ValueError, match="30d"):
        records_report.parse_since("last month", today)


def test_forget_before_a_date_and_all(tmp_path):
    conn = seeded(tmp_path)
    assert store.forget(conn, dt.date(2026, 11, 1)) == 1
    assert store.kept(conn)["first_day"] == "2026-11-16"
    store.forget(conn)
    assert sum(store.kept(conn)["rows"].values()) == 0


# ---- the API route ------------------------------------------------------------------------------

def test_the_route_needs_the_token_and_answers_bad_input_in_json(tmp_path):
    writer = RecordWriter(tmp_path / "records.sqlite", clock=lambda: TODAY, flush_every=0.05)
    client, _ = make_client(records=writer)
    ok = client.post("/v1/records", json={"events": [rule_event("fixed"), {"event": "site_paused", "site": "x"}]})
    assert ok.status_code == 202 and ok.get_json() == {"accepted": 2}
    bad = client.post("/v1/records", json={"events": [rule_event("fixed", rule="nope")]})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_event"
    assert client.post("/v1/records", data="x", content_type="text/plain").status_code == 415
    assert client.post("/v1/records", data="{", content_type="application/json").get_json()["error"]["code"] == "bad_json"
    unpaired, _ = make_client(paired=False, records=writer)
    assert unpaired.post("/v1/records", json={"events": [rule_event("fixed")]}).status_code == 401
    assert writer.flush()
    writer.close()
    conn = open_records(tmp_path / "records.sqlite")
    assert conn.execute("SELECT rule, event, n FROM rule_events").fetchall() == [("conf.falcon-ridge", "fixed", 1)]
    assert conn.execute("SELECT site, event, n FROM site_events").fetchall() == [("x", "site_paused", 1)]


def test_the_retention_setting_is_checked(tmp_path, monkeypatch):
    from companion.settings import SettingsError, load_settings

    cfg = tmp_path / "user.toml"
    monkeypatch.setenv("POSTGUARD_CONFIG", str(cfg))
    monkeypatch.delenv("POSTGUARD_TEST_MODE", raising=False)
    cfg.write_text("records_retention_days = 30\n")
    assert load_settings().records_retention_days == 30
    cfg.write_text("records_retention_days = 0\n")
    with pytest.raises(SettingsError, match="records_retention_days"):
        load_settings()


# ---- a real companion and the CLI ---------------------------------------------------------------

def post(c, body, token):
    conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
    conn.request("POST", "/v1/records", body=json.dumps(body), headers={
        "Host": f"127.0.0.1:{c.port}", "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    resp = conn.getresponse()
    out = resp.status, resp.read()
    conn.close()
    return out


def test_a_real_companion_records_and_the_cli_reports_and_forgets(tmp_path):
    c = CompanionProcess(tmp_path)
    try:
        token = c.token()
        events = [rule_event("shown")] * 3 + [rule_event("fixed"), rule_event("wrong", reason="allowed_for_me"),
                                              {"event": "reply_used", "reply_id": REPLY}]
        assert post(c, {"events": events}, token)[0] == 202
    finally:
        c.stop()   # SIGTERM: the writer writes what is queued before the process ends
    assert c.proc.returncode == 0
    body = json.loads(c.cli("report", "--json", "--since", "7d"))
    assert (body["totals"]["shown"], body["totals"]["fixed"], body["totals"]["wrong"]) == (3, 1, 1)
    assert body["replies"] == [{"reply_id": REPLY, "used": 1}]
    assert "fixed 1" in c.cli("report")
    c.cli("report", "--csv", str(tmp_path / "out"))
    assert (tmp_path / "out" / "rules.csv").exists()
    assert "Deleted every record" in c.cli("forget", "--all")
    assert json.loads(c.cli("report", "--json"))["totals"]["shown"] == 0
    bad = subprocess.run([*c.args()[:3], "report", "--since", "soon"], env=c.env, capture_output=True, text=True)
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_a_damaged_records_file_never_stops_checks(tmp_path):
    state = tmp_path / "state" / "postguard"
    state.mkdir(parents=True)
    (state / "records.sqlite").write_bytes(b"\x00garbage" * 512)
    c = CompanionProcess(tmp_path)
    try:
        token = c.token()
        conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
        conn.request("POST", "/v1/check", body=json.dumps({"text": "hello", "platform": "x"}), headers={
            "Host": f"127.0.0.1:{c.port}", "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        assert conn.getresponse().status == 200
        assert post(c, {"events": [rule_event("ignored")]}, token)[0] == 202
        deadline = time.monotonic() + 10
        while "started a new one" not in c.log() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        c.stop()
    assert "records.sqlite could not be read" in c.log()
    assert [p.name for p in state.iterdir() if ".damaged-" in p.name]
    assert json.loads(c.cli("report", "--json"))["totals"]["ignored"] == 1


def test_the_card_reasons_are_the_companion_reasons():
    import pathlib
    import re

    js = (pathlib.Path(__file__).resolve().parents[1] / "extension" / "records-vocabulary.js").read_text()
    keys = re.findall(r"\{ key: '([a-z_]+)'", js)
    assert keys == list(WRONG_REASONS)
