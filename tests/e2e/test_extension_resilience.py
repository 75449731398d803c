"""The extension when things go wrong: the companion stops, an edit does not land, the user pauses
a site or IT says notify-only, or the user posts before the check has answered.

Each test runs in its own browser profile (these states are sticky for a browser session).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from harness import EDITORS, editor_text, focus_editor, post_button, posts, settled
from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    CARD_KEY,
    CRITICAL,
    SHORT_CRITICAL,
    TERM,
    SitePage,
    assert_model_intact,
    box_state,
    built_extension,
    card_now,
    click_card_button,
    companion_token,
    configure,
    hooks,
    post_anyway,
    type_draft,
    wait_card,
    wait_chip,
    wait_finding,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from companion_process import TEST_PACK, CompanionProcess  # noqa: E402

ALL = list(EDITORS)
UNSAFE_JS = "() => JSON.parse(document.querySelector('[data-postguard]').getAttribute('data-pg-ui')).unsafe === true"


def draft_for(name):
    return SHORT_CRITICAL if EDITORS[name].library == "textarea" else CRITICAL


def test_companion_stopped_mid_session(make_browser_context, tmp_path):
    """Checks work, the companion stops: every box says so, keeps what was flagged (greyed, not
    re-checked), typing goes on unharmed, and a post is still held (fail closed; more in
    test_extension_failclosed.py)."""
    comp = CompanionProcess(tmp_path, pack=TEST_PACK)
    pages = []
    try:
        ctx = make_browser_context()
        configure(ctx, comp.port, companion_token(comp))
        for name in ALL:
            sp = SitePage(ctx, name)
            pages.append(sp)
            type_draft(sp, draft_for(name))
            wait_finding(sp, TERM)
        comp.stop()
        for sp in pages:
            focus_editor(sp.page, sp.name)
            sp.page.keyboard.type(" and more")
            chip = wait_chip(sp, "offline")
            assert "companion not running" in chip["text"] and "not re-checked" in chip["text"]
            box = box_state(sp)
            assert box["stale"] is True and [f["excerpt"] for f in box["findings"]] == [TERM]
            assert_model_intact(sp, draft_for(sp.name) + " and more")
            assert sp.loopback_requests() == []
        # what was flagged still holds the post
        sp = pages[0]
        post_button(sp.page, sp.name).click()
        card = wait_card(sp.page, "confirm")
        assert card["variant"] == "stale" and TERM in card["text"]
        assert posts(sp.page) == []
    finally:
        for sp in pages:
            sp.close()
        comp.stop()


@pytest.mark.parametrize("name", ["x-post", "fb-comment", "ig-comment"])
def test_companion_not_running_from_the_start(make_browser_context, name):
    from companion_process import free_port

    ctx = make_browser_context()
    configure(ctx, free_port())  # nothing listens there
    sp = SitePage(ctx, name)
    try:
        type_draft(sp, draft_for(name))
        chip = wait_chip(sp, "offline")
        assert chip["short"] == "not running"
        sp.page.keyboard.type(" ok")
        assert_model_intact(sp, draft_for(name) + " ok")
    finally:
        sp.close()


def test_edit_that_does_not_land_turns_editing_off_for_the_site(make_browser_context, module_companion):
    """A site that swallows synthetic pastes: the edit is verified, fails, and PostGuard stops
    offering edits on that site for the session, says so, and lists the findings in the side panel."""
    ctx = make_browser_context()
    sw, ext_id = configure(ctx, module_companion.port, companion_token(module_companion))
    sp = SitePage(ctx, "x-post")
    try:
        sp.page.evaluate(
            """() => document.querySelector('[data-fixture-editor="x-post"]').addEventListener('paste', (e) => {
                 e.stopImmediatePropagation(); e.preventDefault(); }, true)"""
        )
        type_draft(sp, CRITICAL)
        wait_finding(sp, TERM)
        sp.page.keyboard.press(CARD_KEY)
        wait_card(sp.page, "finding")
        click_card_button(sp.page, "suggest:0")
        sp.page.wait_for_function(UNSAFE_JS, timeout=5000)
        assert editor_text(sp.page, "x-post") == CRITICAL  # nothing half-applied
        # the card no longer offers edits and says why
        sp.page.keyboard.press(CARD_KEY)
        card = wait_card(sp.page, "finding")
        actions = {b["action"] for b in card["buttons"]}
        assert not any(a.startswith("suggest:") for a in actions)
        assert "Editing from PostGuard is off on X for this session" in card["text"]
        assert "panel" in actions
        assert "editing from PostGuard is off" in box_state(sp)["chip"]["text"]
        # the session remembers it for the whole site (another X page)
        other = SitePage(ctx, "x-reply")
        try:
            type_draft(other, CRITICAL)
            wait_finding(other, TERM)
            assert hooks(other.page)["ui"]["unsafe"] is True
        finally:
            other.close()
        # the side panel is the fallback list
        reports = sw.evaluate("() => chrome.storage.session.get(null)")
        tab_ids = [int(k[4:]) for k, v in reports.items() if k.startswith("tab:") and v and v.get("insertionUnsafe")]
        assert tab_ids
        panel = ctx.new_page()
        panel.goto(f"chrome-extension://{ext_id}/sidepanel/index.html?tabId={tab_ids[0]}")
        panel.locator("#findings li.finding").first.wait_for()
        assert panel.locator("#unsafe").is_visible()
        assert TERM in panel.locator("#findings").inner_text()
        panel.close()
        # typing still works
        sp.page.keyboard.press("Escape")
        focus_editor(sp.page, "x-post")
        sp.page.keyboard.type(" fine")
        assert_model_intact(sp, CRITICAL + " fine")
    finally:
        sp.close()


def suggest_on_an_odd_editor(ctx, name, draft, page_script):
    """Type `draft`, let the page's `page_script` change how its editor behaves, apply the card's
    suggestion, and wait until PostGuard has switched editing off for the site."""
    sp = SitePage(ctx, name)
    type_draft(sp, draft)
    wait_finding(sp, TERM)
    sp.page.evaluate(page_script)
    sp.page.keyboard.press(CARD_KEY)
    wait_card(sp.page, "finding")
    click_card_button(sp.page, "suggest:0")
    sp.page.wait_for_function(UNSAFE_JS, timeout=5000)
    return sp


def test_edit_that_lands_in_the_wrong_place_is_put_back(make_browser_context, module_companion):
    """An editor that puts the first inserted text at the start of the box (what a Firefox run under
    load did when the editor had not yet seen the new selection): the edit fails its check, the
    user's text is put back exactly, and editing is off for the site."""
    ctx = make_browser_context()
    configure(ctx, module_companion.port, companion_token(module_companion))
    sp = suggest_on_an_odd_editor(ctx, "ig-comment", SHORT_CRITICAL, """() => {
        const box = document.querySelector('[data-fixture-editor="ig-comment"]');
        const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
        const typed = box.value;
        let misplaced = false;
        box.addEventListener('input', (e) => {  // execCommand fires no beforeinput: move it after
          if (misplaced || e.inputType !== 'insertText') return;
          misplaced = true;
          setValue.call(box, e.data + typed);
          box.dispatchEvent(new Event('input', { bubbles: true }));
        }, true);
      }""")
    try:
        sp.page.wait_for_function("(t) => document.querySelector('[data-fixture-editor=\"ig-comment\"]').value === t",
                                  arg=SHORT_CRITICAL, timeout=5000)
        assert_model_intact(sp, SHORT_CRITICAL)
    finally:
        sp.close()


def test_a_selection_the_editor_will_not_keep_stops_the_edit_before_it_starts(make_browser_context, module_companion):
    """An editor that collapses every selection back to its start: PostGuard sees its selection did
    not hold and edits nothing (a paste or a Backspace there would land on the wrong words)."""
    ctx = make_browser_context()
    configure(ctx, module_companion.port, companion_token(module_companion))
    sp = suggest_on_an_odd_editor(ctx, "fb-comment", CRITICAL, """() => document.addEventListener('selectionchange', () => {
        const sel = getSelection();
        const box = document.querySelector('[data-fixture-editor="fb-comment"]');
        if (sel.rangeCount && !sel.isCollapsed && box.contains(sel.anchorNode)) sel.collapseToStart();
      })""")
    try:
        assert hooks(sp.page)["stats"].get("lastEditPath") is None   # no paste was ever sent
        assert_model_intact(sp, CRITICAL)
    finally:
        sp.close()


@pytest.mark.parametrize("name", ["x-post", "ig-comment"])
def test_post_before_the_check_answered_is_checked_first(make_browser_context, module_companion, name):
    ctx = make_browser_context()
    configure(ctx, module_companion.port, companion_token(module_companion))
    sp = SitePage(ctx, name)
    try:
        focus_editor(sp.page, name)
        sp.page.keyboard.type(draft_for(name))
        post_button(sp.page, name).click()  # well inside the typing pause
        card = wait_card(sp.page, "confirm")
        assert TERM in card["text"]
        assert posts(sp.page) == []
        post_anyway(sp.page)
        sp.page.wait_for_function("() => window.__posts.length > 0", timeout=5000)
        settled(sp.page)
        assert posts(sp.page) == [{"editor": name, "text": draft_for(name)}]
    finally:
        sp.close()


def test_notify_only_never_holds_a_post(make_browser_context, module_companion):
    ctx = make_browser_context()
    configure(ctx, module_companion.port, companion_token(module_companion), notifyOnly=True)
    sp = SitePage(ctx, "fb-post")
    try:
        type_draft(sp, CRITICAL)
        wait_finding(sp, TERM)  # still underlined
        post_button(sp.page, "fb-post").click()
        sp.page.wait_for_function("() => window.__posts.length > 0", timeout=5000)
        assert posts(sp.page) == [{"editor": "fb-post", "text": CRITICAL}]
        assert card_now(sp.page) is None
    finally:
        sp.close()


def test_not_paired_and_no_pack_are_told_apart(make_browser_context, module_companion, tmp_path):
    # a companion that answers but the extension holds no token: "not paired"
    ctx = make_browser_context()
    configure(ctx, module_companion.port)
    sp = SitePage(ctx, "fb-comment")
    try:
        type_draft(sp, CRITICAL)
        chip = wait_chip(sp, "unpaired")
        assert chip["short"] == "not paired"
    finally:
        sp.close()
    # a paired companion whose pack failed validation: "no pack"
    bad = tmp_path / "bad_pack.yaml"
    bad.write_text("format: postguard/pack-v1\nid: broken\nrevision: x\n")
    (tmp_path / "c").mkdir()
    comp = CompanionProcess(tmp_path / "c", pack=bad)
    try:
        ctx2 = make_browser_context()
        configure(ctx2, comp.port, companion_token(comp))
        sp2 = SitePage(ctx2, "li-comment")
        try:
            type_draft(sp2, CRITICAL)
            chip = wait_chip(sp2, "no_pack")
            assert chip["short"] == "no pack"
            sp2.page.keyboard.type(" x")
            assert_model_intact(sp2, CRITICAL + " x")
        finally:
            sp2.close()
    finally:
        comp.stop()


def test_options_page_changes_port_notify_only_and_paused_sites(make_browser_context, module_companion):
    """Every field saves as it changes (there is no Save button)."""
    from playwright.sync_api import expect

    ctx = make_browser_context()
    sw, ext_id = configure(ctx, 1, companion_token(module_companion))  # start on a port where nothing listens
    page = ctx.new_page()
    try:
        page.goto(f"chrome-extension://{ext_id}/options/index.html")
        page.locator("#test-result:not(:empty)").wait_for()
        page.locator("#port").fill(str(module_companion.port))
        page.locator("#port").press("Enter")
        expect(page.locator("#port-saved")).to_have_text("Saved")
        page.locator("#notify").check()
        expect(page.locator("#notify-saved")).to_have_text("Saved")
        page.locator("input[name=paused][value=instagram]").check()
        expect(page.locator("#sites-saved")).to_have_text("Saved")
        s = sw.evaluate("() => postguard.settings()")
        assert (s["port"], s["notifyOnly"], s["pausedSites"]) == (module_companion.port, True, ["instagram"])
        page.get_by_role("button", name="Test connection").click()
        # (no wait_for_function on extension pages: their CSP forbids the eval it uses)
        page.locator("#test-result").filter(has_text=re.compile(r"^Connected")).wait_for()
        # an impossible port is refused beside the field; nothing changes
        page.locator("#port").fill("70000")
        page.locator("#port").press("Enter")
        expect(page.locator("#port-saved")).to_contain_text("Not saved")
        assert page.locator("#port:invalid").count() == 1
        assert sw.evaluate("() => postguard.settings()")["port"] == module_companion.port
    finally:
        page.close()


def content_script_eval(page, expression: str):
    """Evaluate in the extension's isolated world on a site page (where its content script runs)."""
    cdp = page.context.new_cdp_session(page)
    worlds = []
    cdp.on("Runtime.executionContextCreated", lambda e: worlds.append(e["context"]))
    cdp.send("Runtime.enable")          # replays the page's existing contexts as events
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(w["origin"].startswith("chrome-extension://") for w in worlds):
        page.wait_for_timeout(50)
    world = next(w for w in worlds if w["origin"].startswith("chrome-extension://"))
    out = cdp.send("Runtime.evaluate", {"expression": expression, "contextId": world["id"],
                                        "awaitPromise": True, "returnByValue": True})
    cdp.detach()
    return out["result"].get("value")


def test_content_scripts_cannot_read_the_token_and_still_follow_settings(make_browser_context, module_companion):
    """The token lives in chrome.storage.local, closed to content scripts (they run in the sites'
    renderer processes); settings changes reach them through the worker instead."""
    ctx = make_browser_context()
    sw, _ = configure(ctx, module_companion.port, companion_token(module_companion))
    sp = SitePage(ctx, "x-post")
    try:
        got = content_script_eval(sp.page, "chrome.storage.local.get('companionToken')"
                                           ".then((r) => 'read: ' + JSON.stringify(r), (e) => 'refused: ' + e.message)")
        assert got.startswith("refused: "), got
        assert sw.evaluate("() => chrome.storage.local.get('companionToken')")["companionToken"]   # the worker can
        type_draft(sp, CRITICAL)
        wait_finding(sp, TERM)
        sw.evaluate("() => chrome.storage.local.set({pausedSites: ['x']})")
        sp.page.wait_for_function("() => !document.querySelector('[data-postguard]')", timeout=5000)
        sw.evaluate("() => chrome.storage.local.set({pausedSites: []})")
        sp.page.wait_for_function("() => !!document.querySelector('[data-postguard]')", timeout=5000)
    finally:
        sp.close()
