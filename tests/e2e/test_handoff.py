"""The hand-off (issue 16) in real headless Chromium with the real extension against a REAL companion
(tests/data/test_pack.yaml): an escalation in the draft makes the side panel lead with "Send to <owner>",
the flagged matrix row and the escalation finding carry it too, and clicking it opens a pre-filled
mailto: with the topic, the conversation's URL, the customer's words, the time and the row's
instructions; the draft only after "Include my draft" is ticked. The opened URL is captured on its
way out (the click's default is stopped after every listener ran), never followed.
A screenshot of the panel goes to docs/screenshots/handoff.png with POSTGUARD_UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

import os
import urllib.parse

from harness import SCREENSHOT_DIR
from test_extension_sites import built_extension  # noqa: F401  (autouse fixture)
from test_sidepanel import Session, ext, session  # noqa: F401  (fixtures)

DRAFT = "Tell them to talk to my lawyer"

CAPTURE = """() => { window.__opened = [];
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a');
    if (a) { window.__opened.push(a.href); e.preventDefault(); }   // bubble phase: after the link's own listener
  }); }"""


def opened(s: Session, selector: str) -> dict:
    s.panel.evaluate(CAPTURE)
    s.panel.locator(selector).first.click()
    s.panel.wait_for_function("() => window.__opened.length > 0", timeout=2000)   # the click opened a link
    url = s.panel.evaluate("() => window.__opened.at(-1)")
    assert url.startswith("mailto:"), url
    to, _, query = url[len("mailto:"):].partition("?")
    q = urllib.parse.parse_qs(query)
    return {"to": urllib.parse.unquote(to), "subject": q["subject"][0], "body": q["body"][0]}


def test_send_to_owner_opens_a_prefilled_mailto(session):  # noqa: F811  (the fixture)
    s = session("x-reply", draft=DRAFT)
    lead = s.panel.locator('#handoff:not([hidden]) a.handoff[data-topic="legal_threat"]')
    lead.wait_for()
    assert lead.inner_text() == "Send to Legal"
    # the flagged matrix row and the escalation finding offer the same
    assert s.panel.locator("#findings li.finding a.handoff").inner_text() == "Send to Legal"
    assert s.panel.locator('#escalations li.flagged[data-topic="legal_threat"] a.handoff').inner_text() == "Send to Legal"
    conversation = s.page.evaluate("() => location.origin + location.pathname")
    customer = s.panel.locator("#conversation").inner_text().removeprefix("Answering: “").rstrip("”…")

    m = opened(s, "#handoff a.handoff")
    assert m["to"] == "legal@testco.example"
    assert m["subject"] == "PostGuard hand-off: Legal threat"
    body = m["body"]
    assert "Topic: Legal threat" in body
    assert f"Conversation: {conversation}" in body
    assert "Time: 20" in body and " UTC" in body
    assert "Respond within: 4h" in body
    assert "What they wrote:" in body and customer[:20] in body
    assert DRAFT not in body, "the draft goes in only when ticked"

    s.panel.check("#handoff-draft")
    s.panel.wait_for_function("() => document.querySelector('#handoff a.handoff').href.includes('talk%20to%20my%20lawyer')")
    with_draft = opened(s, "#handoff a.handoff")["body"]
    assert f"My draft (not posted):\r\n{DRAFT}" in with_draft
    s.panel.uncheck("#handoff-draft")
    s.panel.wait_for_function("() => !document.querySelector('#handoff a.handoff').href.includes('talk%20to%20my%20lawyer')")

    if os.environ.get("POSTGUARD_UPDATE_SCREENSHOTS") == "1":
        s.panel.screenshot(path=str(SCREENSHOT_DIR / "handoff.png"), full_page=True)


def test_nothing_flagged_no_hand_off(session):  # noqa: F811  (the fixture)
    s = session("fb-comment", draft="Thanks for the lovely review!")
    s.panel.wait_for_function("() => document.querySelector('#box').textContent.includes('Comment')")
    assert s.panel.locator("#handoff").is_hidden()
    assert s.panel.locator("#escalations a.handoff").count() == 0
