"""`postguard report --html FILE` on a real records file written by a real companion: the HTML
parses, holds the three matplotlib charts as embedded SVG (data: URIs) and refers to nothing outside
itself, and markers sent through every field of the records' path (refused or hashed) appear nowhere
in it, not even inside the charts."""

import base64
import datetime as dt
import http.client
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from companion.records import open_records, store
from companion.records.events import Answer, Event
from support import CompanionProcess

pytest.importorskip("matplotlib", reason="the report extra: pip install -e '.[report]' (scripts/test installs it)")

MARKER = "Zqx7MarkerDraft"


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.refs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.refs += [(tag, k, v) for k, v in attrs if k in ("src", "href", "srcset", "action", "data")]

    def handle_data(self, data):
        self.text.append(data)


def post(c, events):
    conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
    conn.request("POST", "/v1/records", body=json.dumps({"events": events}), headers={
        "Host": f"127.0.0.1:{c.port}", "Content-Type": "application/json", "Authorization": f"Bearer {c.token()}"})
    status = conn.getresponse().status
    conn.close()
    return status


def history(conn, today):
    """Twelve weeks of a champion's counts and answers, added to what the companion wrote."""
    for week in range(12):
        day = today - dt.timedelta(days=7 * week + 1)
        e = [Event("shown", "conf.falcon-ridge", "confidential")] * (5 + week) \
            + [Event("shown", "base.safety.night-place", "safety")] * 3 \
            + [Event("ignored", "base.safety.night-place", "safety")] * 2 \
            + [Event("fixed", "conf.falcon-ridge", "confidential")] * 3 \
            + [Event("wrong", "base.safety.night-place", "safety", "not_a_problem")]
        e += [Event("reply_answered", "repair-referral", answer=Answer(f"c{week}-{i}", "complaint", 120,
                                                                      "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z",
                                                                      30 + 20 * i + 5 * week)) for i in range(6)]
        store.add(conn, [(day, e)])


def test_the_html_report_is_one_offline_file_with_charts_and_no_draft(tmp_path):
    c = CompanionProcess(tmp_path)
    now = dt.datetime.now(dt.timezone.utc)
    answer = {"event": "reply_answered", "reply_id": "repair-referral", "kind": "complaint",
              "conversation": f"https://x.com/{MARKER}/status/1#{MARKER}",
              "posted_at": (now - dt.timedelta(minutes=50)).isoformat(), "answered_at": now.isoformat()}
    try:
        assert post(c, [answer, {"event": "shown", "rule": "conf.falcon-ridge", "category": "confidential"}]) == 202
        for bad in ({**answer, "kind": MARKER}, {**answer, "reply_id": MARKER}, {**answer, "posted_at": MARKER},
                    {"event": "wrong", "rule": MARKER, "category": "confidential"},
                    {"event": "shown", "rule": "conf.falcon-ridge", "category": "confidential", "excerpt": MARKER},
                    {"event": "site_paused", "site": MARKER}):
            assert post(c, [bad]) == 400
    finally:
        c.stop()
    db = tmp_path / "state" / "postguard" / "records.sqlite"
    conn = open_records(db)
    history(conn, dt.date.today())
    conn.close()

    out = tmp_path / "report.html"
    c.cli("report", "--since", "12w", "--html", str(out))
    page = out.read_text(encoding="utf-8")
    parsed = Collect()
    parsed.feed(page)
    parsed.close()
    assert parsed.tags[:2] == ["html", "head"] and "table" in parsed.tags
    imgs = [v for tag, k, v in parsed.refs if tag == "img" and k == "src"]
    assert len(imgs) == 3 and all(v.startswith("data:image/svg+xml;base64,") for v in imgs)
    assert [r for r in parsed.refs if not r[2].startswith("data:")] == []       # nothing outside the file
    assert not re.search(r"url\(|@import|<script|<link", page, re.I)
    svgs = [base64.b64decode(v.split(",", 1)[1]).decode("utf-8") for v in imgs]
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
        hrefs = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("href")]
        assert all(h.startswith("#") for h in hrefs)   # links inside the drawing only
        assert "<image" not in svg
    text = " ".join(parsed.text)
    assert "Findings shown per week" in svgs[0] or "Findings per week" in text
    assert "base.safety.night-place" in text and "conversations answered" in text
    for blob in (page, *svgs):
        assert MARKER not in blob and MARKER.lower() not in blob.lower()
        assert "x.com" not in blob


def test_without_matplotlib_the_message_says_what_to_install(monkeypatch):
    import builtins

    from companion.records import html_report

    real = builtins.__import__

    def no_matplotlib(name, *a, **kw):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ImportError, match=r"postguard\[report\]"):
        html_report.render({})
