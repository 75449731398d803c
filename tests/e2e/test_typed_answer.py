"""A hand-typed reply posted is an answer too, in real headless Chromium with the real extension and a
REAL companion of this module's own (its records are only this test's; tests/data/test_pack.yaml:
complaint within 2h, question within 4h). On the X status fixture the customer's post is made a
complaint without a question (the clock takes that kind from the message) and its time "30 minutes
ago"; the reply typed in the box and posted with the site's own button records one `reply_answered`
row (reply id "typed", kind complaint, 30 minutes) and `postguard report --json` counts one answered
conversation, by kind; a second reply posted there is a second row, still one answered conversation. A canned reply inserted from the side
panel and then posted in another conversation is recorded once (by the panel), not again on post."""

from __future__ import annotations

import json
import sqlite3
import time

from harness import focus_editor, post_button, posts, settled, wait_for_editor_text
from test_extension_sites import built_extension, own_companion_and_extension  # noqa: F401  (built_extension is an autouse fixture)
from test_response_clock import clock, posted_ago
from test_sidepanel import REPAIR_REPLY, Session

own_companion, ext = own_companion_and_extension("typed")

COMPLAINT = "My NimbusCo blender broke after two weeks and the dealer won't fix it. Unacceptable."
TYPED = "Sorry to hear that, Sam. Our repair team will call you today."


def rows(companion) -> list[dict]:
    db = companion.workdir / "state" / "postguard" / "records.sqlite"
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM answers ORDER BY answered_at")]
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def wait_rows(companion, n: int) -> list[dict]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and len(rows(companion)) < n:
        time.sleep(0.3)
    # the worker sends events 400 ms after the first (extension/background/records.js): a second row for
    # the same post would arrive by now
    time.sleep(1.5)
    return rows(companion)


def responses(companion) -> dict:
    return json.loads(companion.cli("report", "--json", "--since", "1d"))["responses"]


def post(s: Session, n_posts: int) -> None:
    s.page.bring_to_front()
    post_button(s.page, s.name).click()
    s.page.wait_for_function("(n) => window.__posts.length >= n", arg=n_posts, timeout=10_000)
    settled(s.page)


def test_a_typed_reply_posted_is_one_answer_and_a_canned_one_is_not_counted_twice(ext, own_companion):
    s = Session(ext, "x-reply")
    try:
        s.page.evaluate("(t) => { document.querySelector('article [data-testid=tweetText] span').textContent = t; }", COMPLAINT)
        posted = posted_ago(s, 30)                      # types "Hi " so the box reports the new message
        c = clock(s, "30 min ago")
        assert c["kind"] == "complaint" and "complaint target 2 h" in c["text"], c   # told from the message
        s.page.keyboard.type(TYPED)
        wait_for_editor_text(s.page, s.name, "Hi " + TYPED)
        post(s, 1)
        assert posts(s.page)[-1]["text"] == "Hi " + TYPED

        (row,) = wait_rows(own_companion, 1)
        assert (row["reply_id"], row["kind"], row["target_minutes"]) == ("typed", "complaint", 120), row
        assert row["posted_at"] == posted[:19] + "Z" and 30 <= row["minutes"] <= 32, row
        assert len(row["conversation"]) == 32 and "x.com" not in json.dumps(row) and "Sam" not in json.dumps(row)
        r = responses(own_companion)
        assert r["answered"] == 1 and r["within_target"] == 1, r
        assert list(r["kinds"]) == ["complaint"] and r["kinds"]["complaint"]["answered"] == 1, r

        # a second reply in the same conversation: its own row, the conversation still counts once
        focus_editor(s.page, s.name)
        s.page.keyboard.type("One more thing: ")
        wait_for_editor_text(s.page, s.name, "One more thing: ")
        post(s, 2)
        assert [x["reply_id"] for x in wait_rows(own_companion, 2)] == ["typed", "typed"]
        assert responses(own_companion)["answered"] == 1

        # another conversation (another message time): a canned reply inserted, then posted -> one row
        posted2 = posted_ago(s, 50)
        clock(s, "50 min ago")
        s.open_reply("repair-referral", customer_name="Sam")
        s.panel.locator("#insert:not([disabled])").wait_for()
        s.panel.click("#insert")
        assert "inserted" in s.insert_status()
        wait_for_editor_text(s.page, s.name, "Hi " + REPAIR_REPLY)
        focus_editor(s.page, s.name)
        post(s, 3)
        got = wait_rows(own_companion, 3)     # not 4: that waited its whole 15 s for a row that must not come
        second = [x for x in got if x["posted_at"] == posted2[:19] + "Z"]
        assert len(got) == 3 and len(second) == 1, got
        assert (second[0]["reply_id"], second[0]["kind"]) == ("repair-referral", "complaint"), second
        r = responses(own_companion)
        assert r["answered"] == 2 and r["kinds"]["complaint"]["answered"] == 2, r
    finally:
        s.close()
