"""IT's managed settings reach the real extension from a Chromium policy file.

Debian's Chromium reads /etc/chromium/policies/managed/*.json at start-up. The test writes one for
the extension's ID, starts a browser, reads the effective settings through the extension's own
protocol, and removes the file afterwards. It needs to write to /etc (CI runs as root); elsewhere it
fails with the reason, or is skipped where POSTGUARD_ALLOW_SKIP_E2E=1.

The extension is a copy under an ID of its own (harness.extension_with_own_id), as a company's own
build has: the policy written for that ID reaches no other test's browser, so these tests run beside
the others. The companion that checks for it allows that ID's origin, as IT's config would.
"""

import json
import os
import sys
import time
from pathlib import Path

import pytest

import harness
from test_extension_sites import built_extension  # noqa: F401  (an autouse fixture)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from companion_process import TEST_PACK, CompanionProcess  # noqa: E402

POLICY_DIR = harness.CHROMIUM_POLICY_DIR


@pytest.fixture
def policy_file(own_extension):
    try:
        POLICY_DIR.mkdir(parents=True, exist_ok=True)
        path = POLICY_DIR / f"postguard-e2e-test-{own_extension[1]}.json"
        path.write_text(json.dumps({"3rdparty": {"extensions": {own_extension[1]: {
            "companionPort": 7399, "notifyOnly": True, "disabledSites": ["instagram"], "role": "champion"}}}}))
    except PermissionError:
        harness.unavailable(f"cannot write Chromium's policy folder {POLICY_DIR} (needs root; CI runs as root)")
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def test_policy_file_settings_win_and_lock_the_fields(policy_file, make_browser_context, own_extension):
    ctx = make_browser_context(extension_dir=own_extension[0])
    sw, ext_id = harness.service_worker(ctx)
    assert ext_id == own_extension[1]
    # the options page the extension opens on install: opening a second one at the same moment races with
    # it (Chromium interrupts one navigation with the other)
    url = f"chrome-extension://{ext_id}/options/index.html"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(p.url == url for p in ctx.pages):
        ctx.pages[0].wait_for_timeout(100)   # lets Playwright process the new-page event
    page = next(p for p in ctx.pages if p.url == url)
    settings = {}
    for _ in range(50):      # the first managed read in a fresh profile takes a few seconds
        settings = page.evaluate("() => chrome.runtime.sendMessage({kind: 'getSettings'})")["settings"]
        if settings["locked"]["port"]:
            break
        page.wait_for_timeout(200)
    assert settings["port"] == 7399 and settings["notifyOnly"] is True
    assert settings["disabledSites"] == ["instagram"] and settings["role"] == "champion"
    assert all(settings["locked"][k] for k in ("port", "notifyOnly", "disabledSites", "role"))
    page.reload()              # the options page shows the locked fields as IT's
    page.wait_for_function("() => document.getElementById('port').value === '7399'")
    assert page.locator("#port").is_disabled() and page.locator("#port-lock").is_visible()
    assert page.locator("#notify").is_disabled() and page.locator("#notify-lock").is_visible()
    panel = ctx.new_page()     # the side panel offers no choice of view where IT set the role
    panel.goto(f"chrome-extension://{ext_id}/sidepanel/index.html")
    panel.wait_for_function("() => document.body.dataset.role === 'champion' && document.getElementById('role-wrap').hidden")
    assert not panel.locator("#role-wrap").is_visible()
    assert os.path.exists(policy_file)


@pytest.fixture
def no_pause_policy(own_extension):
    try:
        POLICY_DIR.mkdir(parents=True, exist_ok=True)
        path = POLICY_DIR / f"postguard-e2e-no-pause-{own_extension[1]}.json"
        path.write_text(json.dumps({"3rdparty": {"extensions": {own_extension[1]: {"allowPause": False}}}}))
    except PermissionError:
        harness.unavailable(f"cannot write Chromium's policy folder {POLICY_DIR} (needs root; CI runs as root)")
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


@pytest.fixture
def own_companion(tmp_path, own_extension):
    """A real companion whose user config allows the extension copy's origin."""
    config = tmp_path / "config" / "postguard" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'allowed_origins = ["chrome-extension://{own_extension[1]}"]\n')
    comp = CompanionProcess(tmp_path, pack=TEST_PACK)
    try:
        yield comp
    finally:
        comp.stop()


def test_it_forbids_pausing_no_menu_item_and_a_stored_pause_is_ignored(no_pause_policy, make_browser_context,
                                                                     own_extension, own_companion):
    """managed allowPause: false. A pause the user stored before (LinkedIn, for good) no longer counts:
    the site is checked; the card's ⋯ menu has no pause items; the options page says pausing is off."""
    from test_extension_sites import (
        CARD_KEY,
        CRITICAL,
        TERM,
        SitePage,
        click_card_button,
        configure,
        type_draft,
        wait_card,
        wait_finding,
    )

    ctx = make_browser_context(extension_dir=own_extension[0])
    sw, ext_id = configure(ctx, own_companion.port, own_companion.token(), pausedSites=["linkedin"])
    for _ in range(50):      # the first managed read in a fresh profile takes a few seconds
        if sw.evaluate("() => postguard.settings()")["locked"].get("pause"):
            break
        time.sleep(0.2)
    s = sw.evaluate("() => postguard.settings()")
    assert s["allowPause"] is False and s["pausedSites"] == []
    sp = SitePage(ctx, "li-post")       # waits for the checking layer: the stored pause is ignored
    try:
        type_draft(sp, CRITICAL)
        wait_finding(sp, TERM)
        sp.page.keyboard.press(CARD_KEY)
        wait_card(sp.page, "finding")
        click_card_button(sp.page, "more")
        card = sp.page.wait_for_function(
            "() => { const c = JSON.parse(document.querySelector('[data-postguard]').getAttribute('data-pg-ui')).card;"
            " return c && c.buttons.some((b) => b.action === 'panel') && c; }", timeout=5000).json_value()
        actions = [b["action"] for b in card["buttons"]]
        assert "panel" in actions and not [a for a in actions if a.startswith("pause")], actions
    finally:
        sp.close()
    page = ctx.new_page()
    page.goto(f"chrome-extension://{ext_id}/options/index.html")
    page.locator("#paused-help:has-text('does not allow pausing')").wait_for()
    assert page.locator("input[name=paused][value=x]").is_disabled()
