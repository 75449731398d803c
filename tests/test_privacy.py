"""Drafts are never logged or written anywhere: marker strings go through every call of a real
companion, failing calls included, the local records' call too, and then appear in no log line, no
file and no cell of the records database."""

import http.client
import json
import os

import pytest

from companion import packcache
from support import CompanionProcess

MARKER = "Zqx7MarkerDraft"


def request(c, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
    hdrs = {"Host": f"127.0.0.1:{c.port}", **(headers or {})}
    data = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
    conn.request(method, path, body=data, headers=hdrs)
    resp = conn.getresponse()
    out = resp.status, resp.read()
    conn.close()
    return out


@pytest.fixture
def server(tmp_path):
    c = CompanionProcess(tmp_path, extra_args=["--verbose"])    # the most the companion ever logs
    yield c
    c.stop()


def answered(**kw):
    import datetime as dt
    now = dt.datetime.now(dt.timezone.utc)
    return {"event": "reply_answered", "reply_id": "repair-referral", "conversation": "https://x.com/acme/status/1",
            "kind": "complaint", "posted_at": (now - dt.timedelta(minutes=20)).isoformat(), "answered_at": now.isoformat(),
            **kw}


def test_marker_drafts_leave_no_trace(server, tmp_path):
    auth = {"Authorization": f"Bearer {server.token()}"}
    j = {"Content-Type": "application/json", **auth}
    m = MARKER
    calls = [
        ("POST", "/v1/check", {"text": m, "platform": "x"}, {"Content-Type": "application/json"}, 401),
        ("POST", "/v1/check", {"text": m, "platform": "x"}, {**j, "Authorization": f"Bearer {m}"}, 401),
        ("POST", "/v1/hello", {"nonce": m * 2}, j, 200),
        ("POST", "/v1/pair", {"code": m[:20]}, j, 401),
        ("POST", "/v1/check", {"text": f"{m} Falcon Ridge alone in the parking lot at 4 am", "platform": "x"}, j, 200),
        ("POST", "/v1/check", {"text": m, "platform": "x", "replying_to": f"{m} I will sue", "account": m}, j, 200),
        ("POST", "/v1/check", {"text": m, "platform": m}, j, 400),
        ("POST", "/v1/check", {"text": m, "platform": "x", m: 1}, j, 400),
        ("POST", "/v1/check", {"text": m * 6000, "platform": "x"}, j, 413),
        ("POST", "/v1/check", f'{{"text": "{m}", broken', j, 400),
        ("POST", "/v1/check", f"text={m}", {"Content-Type": "text/plain", **auth}, 415),
        ("POST", "/v1/check", {"text": m, "platform": "x"}, {**j, "Origin": "https://evil.example"}, 403),
        ("POST", "/v1/check", {"text": m, "platform": "x"}, {**j, "Host": "evil.example"}, 400),
        ("POST", f"/v1/check?{m}=1", {"text": m, "platform": "x"}, j, 200),
        ("POST", "/v1/replies/render", {"reply_id": "repair-referral", "platform": "x", "values": {"customer_name": m}}, j, 200),
        ("POST", "/v1/replies/render", {"reply_id": m, "platform": "x"}, j, 404),
        ("POST", "/v1/replies/render", {"reply_id": "repair-referral", "platform": "x", "values": {m: m}}, j, 400),
        ("GET", f"/v1/{m}", None, auth, 404),
        # the local records: a marker in every field of an event, and events that are recorded
        ("POST", "/v1/records", {"events": [
            {"event": "shown", "rule": "conf.falcon-ridge", "category": "confidential"},
            {"event": "wrong", "rule": "conf.falcon-ridge", "category": "confidential", "reason": "wrong_words"},
            {"event": "reply_used", "reply_id": "repair-referral"}, {"event": "site_paused", "site": "x"}]}, j, 202),
        ("POST", "/v1/records", {"events": [{"event": m}]}, j, 400),
        ("POST", "/v1/records", {"events": [{"event": "shown", "rule": m, "category": "confidential"}]}, j, 400),
        ("POST", "/v1/records", {"events": [{"event": "shown", "rule": "conf.falcon-ridge", "category": m}]}, j, 400),
        ("POST", "/v1/records", {"events": [{"event": "wrong", "rule": "conf.falcon-ridge", "category": "confidential",
                                             "reason": m}]}, j, 400),
        ("POST", "/v1/records", {"events": [{"event": "fixed", "rule": "conf.falcon-ridge", "category": "confidential",
                                             "excerpt": m}]}, j, 400),
        ("POST", "/v1/records", {"events": [{"event": "reply_used", "reply_id": m}]}, j, 400),
        ("POST", "/v1/records", {"events": [{"event": "site_resumed", "site": m}]}, j, 400),
        ("POST", "/v1/records", {"events": [], m: m}, j, 400),
        # the response clock's answer: the conversation's URL is kept only as a salted hash
        ("POST", "/v1/records", {"events": [answered(conversation=f"https://x.com/{m}/status/1#{m}")]}, j, 202),
        *(("POST", "/v1/records", {"events": [answered(**{field: m})]}, j, 400)
          for field in ("reply_id", "kind", "posted_at", "answered_at", "conversation")),
        ("POST", "/v1/records", {"events": [{**answered(), "text": m}]}, j, 400),
        ("POST", "/v1/records", {"events": [{"event": "shown", "rule": "conf.falcon-ridge", "category": "confidential"}]},
         {**j, "Authorization": f"Bearer {m}"}, 401),
    ]
    for method, path, body, headers, status in calls:
        got, _ = request(server, method, path, body, headers)
        assert got == status, (method, path, got)
    server.stop()

    log = server.log()
    assert "POST /v1/check 200" in log          # the log is there and holds every request line ...
    assert MARKER not in log                    # ... but never a draft
    assert MARKER.lower() not in log.lower()
    written = []
    for root, _dirs, files in os.walk(tmp_path):
        for name in files:
            path = os.path.join(root, name)
            written.append(os.path.relpath(path, tmp_path))
            with open(path, "rb") as fh:
                assert MARKER.encode() not in fh.read(), path
    # no temp file: only the log, the ready file (port and pid, for the test harness), the token
    # `postguard token` made (no keyring here), the copy of the last good pack that serves if the pack
    # source is broken at the next start, and the compiled pack with the day its examples passed
    # (companion/packcache.py: made from the pack alone, checked above for the drafts like every file)
    compiled = [w for w in written if w.startswith("state/postguard/compiled/")]
    assert {os.path.basename(w) for w in compiled} == {"manifest.json", *packcache.TEXT_FILES, *packcache.LAZY_FILES,
                                                      *packcache.ARRAY_FILES, packcache.OBJECTS_FILE,
                                                      packcache.EXAMPLES_FILE}
    assert sorted(set(written) - set(compiled)) == ["companion-ready.json", "companion.log",
                                                    "state/postguard/last-good/pack.json",
                                                    "state/postguard/records.salt",
                                                    "state/postguard/records.sqlite",
                                                    "state/postguard/token", "state/postguard/token-version"]
    # the records file holds the counts of the events that were accepted, and no marker in any cell
    # (the file scan above covers its bytes; this reads every table's every value)
    import sqlite3

    conn = sqlite3.connect(tmp_path / "state/postguard/records.sqlite")
    cells = [str(v) for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
             for row in conn.execute(f"SELECT * FROM {t}") for v in row]
    answers = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    conn.close()
    assert "conf.falcon-ridge" in cells and "repair-referral" in cells and "wrong_words" in cells
    assert answers == 1    # the marker URL's answer, recorded with the URL hashed
    assert not [c for c in cells if MARKER.lower() in c.lower()]


def test_successful_checks_are_only_logged_when_verbose(tmp_path):
    """A line per typing pause would record when the user typed: without --verbose, successful
    checks leave no line, while refusals (someone else knocking) still do."""
    c = CompanionProcess(tmp_path)
    try:
        j = {"Content-Type": "application/json", "Authorization": f"Bearer {c.token()}"}
        assert request(c, "POST", "/v1/check", {"text": "hello", "platform": "x"}, j)[0] == 200
        assert request(c, "POST", "/v1/check", {"text": "hello", "platform": "x"}, {**j, "Authorization": "Bearer x"})[0] == 401
        assert request(c, "GET", "/v1/pack", None, j)[0] == 200
    finally:
        c.stop()
    assert c.proc.returncode == 0   # SIGTERM stops it cleanly, and the lines still queued are written
    log = c.log()
    assert "POST /v1/check 401" in log and "GET /v1/pack 200" in log
    assert "POST /v1/check 200" not in log
