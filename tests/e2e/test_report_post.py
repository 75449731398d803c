"""'Report this post' (issue 16) in real headless Chromium with the real extension against a real
companion of this module's own (the test pack plus a `social_media_team`): the context menu's items
exist in the real browser (contextMenus.update fails for an id that does not), and on each of the four
sites, with the post's text selected by a real triple-click, the menu's onClicked path (a context menu
cannot be clicked over CDP, so the test calls the very function the listener calls) opens the
pre-filled hand-off: the picked row's or the default contact's mailto:, with the post's address and the
selected words. The worker's chrome.tabs.create is replaced by a recorder, so the link is captured, not
followed. Each report is counted in the local records by topic. POSTGUARD_UPDATE_SCREENSHOTS=1 writes
docs/screenshots/report-post.png: the selected post and the message the mail program gets."""

from __future__ import annotations

import html
import os
import time

import pytest

from harness import EDITORS, SCREENSHOT_DIR
from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    SitePage,
    built_extension,
    own_companion_and_extension,
)
from test_handoff_card import mailto, report_once_handed_off, wait_opened

TEAM = "social_media_team: {owner: Social media team, contact: social@testco.example, respond_within: 4h}\n"
SITES = ["x-reply", "fb-comment", "li-comment", "ig-comment"]   # a post to read on each site


def report_pack(folder):
    from companion_process import TEST_PACK

    pack = folder / "pack.yaml"
    pack.write_text(TEST_PACK.read_text(encoding="utf-8") + "\n" + TEAM, encoding="utf-8")
    return pack


own_companion, ext = own_companion_and_extension("report-post", pack=report_pack)


def menu_has(sw, item_id: str) -> bool:
    return sw.evaluate("(id) => new Promise((ok) => chrome.contextMenus.update(id, {},"
                       " () => ok(!chrome.runtime.lastError)))", item_id)


def test_the_menu_is_registered_from_the_pack(ext):
    sw = ext["sw"]
    deadline = time.monotonic() + 10   # built again once the token arrived (configure set it)
    while time.monotonic() < deadline and not menu_has(sw, "pg-report:legal_threat"):
        time.sleep(0.1)
    for item in ("pg-report", "pg-report:social_media_team", "pg-report:legal_threat"):
        assert menu_has(sw, item), item
    assert not menu_has(sw, "pg-report:threat"), "only the loaded pack's topics"


def select_post(sp: SitePage) -> str:
    """Select the post's text as a user does (triple-click), and return what the browser selected."""
    post = sp.page.locator(EDITORS[sp.name].context_selector).first
    post.click(click_count=3)
    selected = sp.page.evaluate("() => getSelection().toString()")
    assert len(selected.strip()) > 20, selected
    return selected


def click_menu(sp: SitePage, sw, item: str, selected: str) -> dict:
    info = {"menuItemId": item, "pageUrl": sp.page.url, "selectionText": selected}
    return sw.evaluate("([info, tab]) => postguard.reportMenuClicked(info, tab)", [info, {"url": sp.page.url}])


@pytest.mark.parametrize("name", SITES)
def test_report_this_post_opens_the_prefilled_message(ext, captured, name):
    sp = SitePage(ext["ctx"], name)
    try:
        selected = select_post(sp)
        post_url = sp.page.evaluate("() => location.origin + location.pathname")

        assert click_menu(sp, ext["sw"], "pg-report:legal_threat", selected) == {"ok": True, "owner": "Legal"}
        m = mailto(wait_opened(captured, 1)[0])
        assert m["to"] == "legal@testco.example" and m["subject"] == "PostGuard hand-off: Legal threat"
        assert f"Conversation: {post_url}\r\n" in m["body"]
        words = " ".join(selected.split())
        assert "What they wrote:\r\n" in m["body"] and words[:60] in " ".join(m["body"].split()), (words, m["body"])
        assert "My draft" not in m["body"]

        click_menu(sp, ext["sw"], "pg-report:social_media_team", selected)
        team = mailto(wait_opened(captured, 2)[1])
        assert team["to"] == "social@testco.example" and team["subject"] == "PostGuard hand-off: Post to look at"
        assert f"Conversation: {post_url}\r\n" in team["body"] and "Respond within: 4h" in team["body"]
        if name == "x-reply" and os.environ.get("POSTGUARD_UPDATE_SCREENSHOTS") == "1":
            screenshot(sp, team)
        assert sp.page.url.startswith("https://"), "the page itself went nowhere"
        assert sp.loopback_requests() == [], "only the worker talks to the companion"
        assert sp.errors == [], sp.errors
    finally:
        sp.close()


def screenshot(sp: SitePage, message: dict) -> None:
    """The selected post, and beside it the message the mail program opens (the mailto: decoded)."""
    shown = "".join(f"<b>{k}:</b> {html.escape(message[k])}<br>" for k in ("to", "subject"))
    sp.page.evaluate(
        "(inner) => { const d = document.createElement('div'); d.innerHTML = inner;"
        " Object.assign(d.style, {position: 'fixed', right: '12px', top: '12px', width: '430px', background: '#fff',"
        " border: '1px solid #888', boxShadow: '0 4px 16px #0004', padding: '12px', font: '13px system-ui',"
        " whiteSpace: 'pre-wrap', zIndex: 99999}); document.body.append(d); }",
        "<div style='font-weight:600;margin-bottom:6px'>Report this post → To Social media team: the message that opens"
        "</div>" + shown + "<hr>" + html.escape(message["body"].replace("\r\n", "\n")))
    sp.page.screenshot(path=str(SCREENSHOT_DIR / "report-post.png"))


def test_each_report_is_counted_by_topic(ext, own_companion):
    """Runs after the four sites (file order): one report per site to each of the two."""
    body = report_once_handed_off(own_companion, 2 * len(SITES))
    assert sorted(body["handoffs"], key=lambda h: h["topic"]) == [
        {"topic": "legal_threat", "opened": len(SITES)}, {"topic": "social_media_team", "opened": len(SITES)}], body
