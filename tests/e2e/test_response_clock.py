"""The response-time clock in the side panel, in real headless Chromium with the real extension and a
REAL companion of this module's own (tests/data/test_pack.yaml: complaint within 2h, question within
4h). The fixture X status page marks the customer's post with `<time datetime>` as X does; the test
moves that time to "40 minutes ago" / "3 hours ago" before the box reports. Proved: the clock counts
down against the target of the kind the message reads as (the fixture's post asks "Where do I get a
repair?": a question; made a complaint without the question, a complaint), the champion's pick of kind
changes it, an old complaint is overdue; inserting a canned reply records one `reply_answered` row with the conversation's URL only as
a salted hash and the right minutes; a page without a time shows no clock but says why."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

from harness import focus_editor, wait_for_editor_text
from test_extension_sites import built_extension, own_companion_and_extension  # noqa: F401  (built_extension is an autouse fixture)
from test_sidepanel import REPAIR_REPLY, Session

own_companion, ext = own_companion_and_extension("clock")


def posted_ago(s: Session, minutes: int, selector: str = "article time[datetime]") -> str:
    """Move the post's time on the fixture page, then type so the box reports again."""
    when = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    s.page.bring_to_front()
    s.page.evaluate("([sel, when]) => document.querySelector(sel).setAttribute('datetime', when)", [selector, when])
    focus_editor(s.page, s.name)
    s.page.keyboard.type("Hi ")
    wait_for_editor_text(s.page, s.name, "Hi ")
    return when


def clock(s: Session, contains: str) -> dict:
    s.panel.locator(f"#clock:not([hidden]) #clock-text:has-text('{contains}')").wait_for(timeout=10_000)
    return s.panel.evaluate("() => ({state: document.querySelector('#clock').dataset.state,"
                            " text: document.querySelector('#clock-text').innerText,"
                            " kind: document.querySelector('#clock-kind').value})")


def answers(companion) -> list[tuple]:
    db = companion.workdir / "state" / "postguard" / "records.sqlite"
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT * FROM answers").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def test_the_clock_counts_down_changes_kind_and_records_the_answer(ext, own_companion):
    s = Session(ext, "x-reply")
    try:
        posted = posted_ago(s, 40)
        c = clock(s, "40 min ago")
        assert c["state"] == "ok" and c["kind"] == "question", c     # the message asks where to get a repair
        assert "question target 4 h: 3 h 20 min left" in c["text"]
        s.panel.select_option("#clock-kind", "complaint")
        c = clock(s, "complaint target 2 h")
        assert "1 h 20 min left" in c["text"]

        s.open_reply("repair-referral", customer_name="Sam")
        s.panel.locator("#insert:not([disabled])").wait_for()
        s.panel.click("#insert")
        assert "inserted" in s.insert_status()
        wait_for_editor_text(s.page, "x-reply", "Hi " + REPAIR_REPLY)

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not answers(own_companion):
            time.sleep(0.3)
        time.sleep(1.5)   # a second row would arrive now
        rows = answers(own_companion)
        assert len(rows) == 1, rows
        day, conversation, reply_id, kind, target, posted_at, answered_at, minutes = rows[0]
        assert (reply_id, kind, target) == ("repair-referral", "complaint", 120)
        assert posted_at == posted[:19] + "Z" and 40 <= minutes <= 42
        assert len(conversation) == 32 and "x.com" not in conversation and "acme" not in conversation
        salt = own_companion.workdir / "state" / "postguard" / "records.salt"
        assert salt.exists() and (salt.stat().st_mode & 0o777) == 0o600
    finally:
        s.close()


def test_an_old_complaint_is_overdue(ext):
    s = Session(ext, "x-reply")
    try:
        s.page.evaluate("() => { document.querySelector('article [data-testid=tweetText] span').textContent ="
                        " 'My blender broke after two weeks and the dealer will not fix it.'; }")
        posted_ago(s, 185)
        c = clock(s, "3 h 5 min ago")
        assert c["state"] == "overdue" and "overdue by 1 h 5 min" in c["text"], c
    finally:
        s.close()


def test_each_site_marks_the_time_where_the_clock_reads_it(ext):
    """Facebook's abbr data-utime, LinkedIn's and Instagram's <time datetime> (the fixtures' 2 March 2026)."""
    for name in ("fb-comment", "li-comment", "ig-comment"):
        s = Session(ext, name)
        try:
            c = clock(s, "ago")
            assert c["state"] == "overdue", (name, c)     # the fixture's date is long past
        finally:
            s.close()


def test_no_time_on_the_page_no_clock_but_a_sentence(ext):
    s = Session(ext, "x-reply")
    try:
        s.page.bring_to_front()
        s.page.evaluate("() => document.querySelector('article time').remove()")
        focus_editor(s.page, s.name)
        s.page.keyboard.type("Hi ")
        s.panel.locator("#clock[data-state='unknown']:not([hidden])").wait_for(timeout=10_000)
        assert "does not show when" in s.panel.locator("#clock-text").inner_text()
        assert s.panel.locator("#clock-kind-wrap").is_hidden()
    finally:
        s.close()
