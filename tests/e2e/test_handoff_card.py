"""The card's hand-off (issue 16) in real headless Chromium with the real extension against a REAL
companion of this module's own (the test pack with instructions on its legal row, so the counts in its
records are this test's only): on each of the four sites an escalation in a reply's draft gives a card
whose "Don't answer: send it to Legal" opens, through the worker, the same pre-filled mailto: as the
side panel: the topic, the conversation's URL, the customer's words, the time, the row's instructions,
and the draft only after "Include my draft" is ticked. The worker's chrome.tabs.create is replaced by
a recorder for this test, so the link is captured, not followed. Each hand-off is counted in the
local records by topic. The pack's platform guidance (added to this module's pack for all four sites)
shows in the card's summary view on each site and in the side panel. Screenshots of the card go to
docs/screenshots/handoff-card.png and guidance-card.png, the panel's to guidance-panel.png, with
POSTGUARD_UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

import json
import os
import time
import urllib.parse

import pytest

from harness import EDITORS, SCREENSHOT_DIR, clear_editor
from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    CARD_KEY,
    SitePage,
    built_extension,
    click_card_button,
    own_companion_and_extension,
    type_draft,
    wait_card,
    wait_checked,
)

PLATFORM_NAME = {"x": "X", "facebook": "Facebook", "linkedin": "LinkedIn", "instagram": "Instagram"}

DRAFT = "Tell them to talk to my lawyer"
INSTRUCTIONS = "Do not reply in public. Forward the link and a screenshot."
SITES = ["x-reply", "fb-comment", "li-comment", "ig-comment"]   # one reply box with a conversation per site
GUIDANCE = {
    "x": ["Reply from @TestCoHelp for service questions."],
    "facebook": ["Move order details to Messenger."],
    "linkedin": ["Share the official post rather than writing your own."],
    "instagram": ["No photos of keys, badges or screens.", "Tag @testco only on your own photos."],
}


def handoff_pack(folder):
    """The test pack with instructions on its legal row and guidance for all four sites."""
    from companion_process import TEST_PACK

    source = TEST_PACK.read_text(encoding="utf-8")
    row = "owner: Legal, contact: legal@testco.example, respond_within: 4h}"
    assert row in source
    pack = folder / "pack.yaml"
    platforms = "platforms:\n  x: {limit: 280}"
    assert platforms in source
    lines = "platforms:\n" + "".join(f"  {p}: {{guidance: {json.dumps(g)}}}\n" for p, g in GUIDANCE.items()).replace(
        "x: {", "x: {limit: 280, ")
    source = source.replace(platforms, lines.rstrip("\n"))
    pack.write_text(source.replace(row, row[:-1] + f', instructions: "{INSTRUCTIONS}"}}'), encoding="utf-8")
    return pack


own_companion, ext = own_companion_and_extension("handoff-card", pack=handoff_pack)


def escalation_card(sp: SitePage) -> dict:
    sp.page.wait_for_function(
        "([label]) => { const h = document.querySelector('[data-postguard]');"
        " const b = h && JSON.parse(h.getAttribute('data-pg-boxes') || '[]').find((x) => x.label === label);"
        " return !!b && b.checked && b.findings.some((f) => f.rule.startsWith('base.escalate.') && f.rects.length); }",
        arg=[sp.label], timeout=10_000)
    sp.page.keyboard.press(CARD_KEY)   # the caret is on "lawyer": the escalation finding's card
    card = wait_card(sp.page, "finding")
    assert any(b["action"] == "handoff:legal_threat" for b in card["buttons"]), card
    return card


def mailto(url: str) -> dict:
    assert url.startswith("mailto:"), url
    to, _, query = url[len("mailto:"):].partition("?")
    q = urllib.parse.parse_qs(query)
    return {"to": urllib.parse.unquote(to), "subject": q["subject"][0], "body": q["body"][0]}


def wait_opened(read, n: int) -> list[str]:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(read()) < n:
        time.sleep(0.05)
    got = read()
    assert len(got) == n, got
    return got


@pytest.mark.parametrize("name", SITES)
def test_card_send_to_owner_opens_the_prefilled_message(ext, captured, name):
    sp = SitePage(ext["ctx"], name)
    try:
        type_draft(sp, DRAFT)
        card = escalation_card(sp)
        button = next(b for b in card["buttons"] if b["action"] == "handoff:legal_threat")
        assert button["label"].startswith("Don't answer: send it to Legal (legal@testco.example)")
        tick = next(b for b in card["buttons"] if b["action"] == "handoff-draft")
        assert tick["checked"] == "false"
        if name == "x-reply" and os.environ.get("POSTGUARD_UPDATE_SCREENSHOTS") == "1":
            sp.page.screenshot(path=str(SCREENSHOT_DIR / "handoff-card.png"))

        click_card_button(sp.page, "handoff:legal_threat")
        (first,) = wait_opened(captured, 1)
        m = mailto(first)
        assert m["to"] == "legal@testco.example"
        assert m["subject"] == "PostGuard hand-off: Legal threat"
        body = m["body"]
        conversation = sp.page.evaluate("() => location.origin + location.pathname")
        customer = " ".join(sp.page.locator(EDITORS[name].context_selector).first.inner_text().split())
        assert f"Conversation: {conversation}\r\n" in body, body
        assert "Topic: Legal threat" in body
        assert "Time: 20" in body and " UTC" in body
        assert "What they wrote:\r\n" in body and customer[:30] in " ".join(body.split()), (customer, body)
        assert f"What to do (policy): {INSTRUCTIONS}" in body
        assert "Respond within: 4h" in body
        assert DRAFT not in body and "My draft" not in body, "the draft goes in only when ticked"

        click_card_button(sp.page, "handoff-draft")
        sp.page.wait_for_function(
            "() => JSON.parse(document.querySelector('[data-postguard]').getAttribute('data-pg-ui') || '{}')"
            ".card?.buttons?.some((b) => b.action === 'handoff-draft' && b.checked === 'true')")
        click_card_button(sp.page, "handoff:legal_threat")
        second = mailto(wait_opened(captured, 2)[1])["body"]
        assert f"My draft (not posted):\r\n{DRAFT}" in second
        assert sp.page.evaluate("() => location.href").startswith("https://"), "the page itself went nowhere"
        assert sp.loopback_requests() == [], "only the worker talks to the companion"
        assert sp.errors == [], sp.errors
        sp.page.keyboard.press("Escape")
        clear_editor(sp.page, name)
    finally:
        sp.close()


def report_once_handed_off(companion, total: int) -> dict:
    """`postguard report --json` once `total` hand-offs are recorded (the worker writes them in the
    background), read again a moment later so anything counted twice would show."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        body = json.loads(companion.cli("report", "--json", "--since", "1d"))
        if sum(h["opened"] for h in body["handoffs"]) >= total:
            break
        time.sleep(0.3)
    time.sleep(1.5)
    return json.loads(companion.cli("report", "--json", "--since", "1d"))


def test_each_hand_off_is_counted_by_topic(ext, own_companion):
    """Runs after the four sites (file order): two hand-offs each, counted once, no text."""
    body = report_once_handed_off(own_companion, 2 * len(SITES))
    assert body["handoffs"] == [{"topic": "legal_threat", "opened": 2 * len(SITES)}], body["handoffs"]
    assert "lawyer" not in json.dumps(body)


@pytest.mark.parametrize("name", SITES)
def test_card_summary_shows_the_sites_guidance(ext, name):
    sp = SitePage(ext["ctx"], name)
    try:
        type_draft(sp, "Thanks for the lovely review!")
        box = wait_checked(sp)
        chip = box["chip"]
        sp.page.mouse.click(chip["x"], chip["y"])
        card = wait_card(sp.page, "summary")
        site = EDITORS[name].platform
        deadline = time.monotonic() + 5   # the guidance arrives from the worker once per page
        while time.monotonic() < deadline and GUIDANCE[site][0] not in card["text"]:
            sp.page.wait_for_timeout(50)
            card = wait_card(sp.page, "summary")
        assert f"On {PLATFORM_NAME[site]}:" in card["text"], card["text"]
        for line in GUIDANCE[site]:
            assert line in card["text"], card["text"]
        for other, lines in GUIDANCE.items():
            if other != site:
                assert not any(line in card["text"] for line in lines), (other, card["text"])
        if name == "fb-comment" and os.environ.get("POSTGUARD_UPDATE_SCREENSHOTS") == "1":
            sp.page.screenshot(path=str(SCREENSHOT_DIR / "guidance-card.png"))
        assert sp.errors == [], sp.errors
    finally:
        sp.close()


def test_side_panel_shows_the_active_sites_guidance(ext):
    from test_sidepanel import Session

    s = Session(ext, "ig-comment")
    try:
        s.panel.locator("#guidance:not([hidden]) li").first.wait_for()
        assert s.panel.locator("#guidance-title").text_content() == "On Instagram:"
        assert s.panel.locator("#guidance li").all_inner_texts() == GUIDANCE["instagram"]
        if os.environ.get("POSTGUARD_UPDATE_SCREENSHOTS") == "1":
            s.panel.screenshot(path=str(SCREENSHOT_DIR / "guidance-panel.png"))
    finally:
        s.close()
