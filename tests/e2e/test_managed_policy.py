"""IT's managed settings reach the real extension from a Chromium policy file.

Debian's Chromium reads /etc/chromium/policies/managed/*.json at start-up. The test writes one for
the extension's ID, starts a browser, reads the effective settings through the extension's own
protocol, and removes the file before any other browser starts. It needs to write to /etc (CI runs
as root); elsewhere it is skipped with the reason.
"""

import json
import os
from pathlib import Path

import pytest

import harness

POLICY_DIR = Path("/etc/chromium/policies/managed")
EXT_ID = (Path(__file__).resolve().parents[2] / "extension" / "EXTENSION_ID.txt").read_text().strip()


@pytest.fixture
def policy_file():
    try:
        POLICY_DIR.mkdir(parents=True, exist_ok=True)
        path = POLICY_DIR / "postguard-e2e-test.json"
        path.write_text(json.dumps({"3rdparty": {"extensions": {EXT_ID: {
            "companionPort": 7399, "notifyOnly": True, "disabledSites": ["instagram"], "role": "champion"}}}}))
    except PermissionError:
        pytest.skip(f"cannot write Chromium's policy folder {POLICY_DIR} (needs root; CI runs as root)")
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def test_policy_file_settings_win_and_lock_the_fields(policy_file, make_browser_context):
    ctx = make_browser_context()
    sw, ext_id = harness.service_worker(ctx)
    assert ext_id == EXT_ID
    page = ctx.new_page()
    page.goto(f"chrome-extension://{ext_id}/options/index.html")
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
    assert os.path.exists(policy_file)
