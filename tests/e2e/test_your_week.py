""""Your week" in the side panel, in real headless Chromium with the real extension and a REAL
companion of this module's own: events posted to its records (as the extension posts them) show in
the panel's small view through GET /v1/records/week (token-guarded, asked for by the worker), and a
canned reply inserted from the panel and answered against the clock is counted after Refresh.
A screenshot of the view is saved (to docs/screenshots/ with POSTGUARD_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import datetime as dt
import http.client
import json

from harness import SCREENSHOT_DIR, wait_for_editor_text
from test_extension_sites import built_extension, own_companion_and_extension  # noqa: F401  (built_extension is an autouse fixture)
from test_response_clock import posted_ago
from test_sidepanel import REPAIR_REPLY, Session

RULE = "base.safety.alone-at-work"


own_companion, ext = own_companion_and_extension("week")


def record(c, events):
    conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
    conn.request("POST", "/v1/records", body=json.dumps({"events": events}), headers={
        "Host": f"127.0.0.1:{c.port}", "Content-Type": "application/json", "Authorization": f"Bearer {c.token()}"})
    assert conn.getresponse().status == 202
    conn.close()


def week(panel) -> dict:
    return panel.evaluate("() => Object.fromEntries([...document.querySelectorAll('#week dt')]"
                          ".map((dt) => [dt.textContent, dt.nextElementSibling.textContent]))")


def test_your_week_shows_the_records_and_counts_an_answer_after_refresh(ext, own_companion):
    now = dt.datetime.now(dt.timezone.utc)
    rule = {"rule": RULE, "category": "safety"}
    record(own_companion, [{"event": "shown", **rule}] * 8 + [{"event": "ignored", **rule}] * 2
           + [{"event": "wrong", **rule, "reason": "not_a_problem"}, {"event": "fixed", **rule}]
           + [{"event": "reply_answered", "reply_id": "repair-referral", "kind": "complaint",
               "conversation": f"https://x.com/acme/status/{i}", "posted_at": (now - dt.timedelta(minutes=m)).isoformat(),
               "answered_at": now.isoformat()} for i, m in ((2, 30), (3, 150))])
    s = Session(ext, "x-reply", width=360)
    try:
        s.panel.locator("#week dt").first.wait_for(timeout=10_000)
        w = week(s.panel)
        assert w["Findings shown"] == "8" and w["Ignored"] == "2 (25%)" and w["Fixed"] == "1 (13%)", w
        assert w["Marked wrong"] == "1 (13%)" and w["Noisiest rule"] == f"{RULE} (3 of 8)", w
        assert w["Conversations answered"] == "2" and w["Within target"] == "1 (50%)", w
        assert w["Median time to answer"] == "30 min", w
        assert "Counts only" in s.panel.locator("#week-status").inner_text()

        posted_ago(s, 20)
        s.panel.locator("#clock-text:has-text('20 min ago')").wait_for(timeout=10_000)
        s.open_reply("repair-referral", customer_name="Sam")
        s.panel.locator("#insert:not([disabled])").wait_for()
        s.panel.click("#insert")
        assert "inserted" in s.insert_status()
        wait_for_editor_text(s.page, "x-reply", "Hi " + REPAIR_REPLY)
        s.panel.click("#close-form")

        deadline = 15_000
        while deadline > 0:
            s.panel.click("#week-refresh")
            s.panel.wait_for_timeout(500)
            deadline -= 500
            if week(s.panel).get("Conversations answered") == "3":
                break
        w = week(s.panel)
        assert w["Conversations answered"] == "3" and w["Within target"] == "2 (67%)", w
        assert w["Canned replies used"] == "1", w
        s.panel.locator("#week-section").scroll_into_view_if_needed()
        s.panel.locator("#week-section").screenshot(path=str(SCREENSHOT_DIR / "your-week.png"))
        assert s.panel.evaluate("() => document.body.innerText").count("Zqx7") == 0
    finally:
        s.close()



def test_the_options_page_says_records_exist_and_how_to_see_and_delete_them(ext, own_companion):
    record(own_companion, [{"event": "shown", "rule": RULE, "category": "safety"}] * 5)
    page = ext["ctx"].new_page()
    try:
        page.goto(f"chrome-extension://{ext['id']}/options/index.html")
        page.locator("#records-week:has-text('warnings shown')").wait_for(timeout=10_000)
        text = page.locator("#records-heading + p").inner_text() + page.locator("#records-heading ~ p").nth(1).inner_text()
        assert "never what you write" in text and "postguard report" in text and "postguard forget --all" in text
        shown = int(page.locator("#records-week").inner_text().split("warnings shown ")[1].split(",")[0])
        assert shown >= 5
    finally:
        page.close()
