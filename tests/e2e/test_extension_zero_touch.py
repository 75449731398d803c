"""Zero-touch pairing in real headless Chromium: nobody types a code.

IT's two deliveries, as on a managed laptop: the companion's system config (test mode) with this
account's secret in `pairing/<account>` beside it, and the same secret in the extension's managed
settings through Chromium's policy folder (/etc/chromium/policies/managed, as
tests/e2e/test_managed_policy.py uses; needs root, which CI has). The extension starts with no token,
pairs itself, and a draft on the X fixture is underlined. With a secret that does not match, nothing is
stored, no draft goes out, and the options page says IT's automatic pairing did not work.

The extension is a copy under an ID of its own (harness.extension_with_own_id), which the companion's
system config allows: the policy written for that ID reaches no other test's browser, so these tests
run beside the others.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

import harness
from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    CRITICAL,
    TERM,
    SitePage,
    built_extension,
    configure,
    type_draft,
    wait_finding,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from companion.zerotouch import account_name, new_secret  # noqa: E402
from companion_process import TEST_PACK, CompanionProcess  # noqa: E402

POLICY_DIR = harness.CHROMIUM_POLICY_DIR


@pytest.fixture
def managed_companion(tmp_path, own_extension):
    """A real companion on a 'managed machine' whose pairing folder holds this account's secret."""
    it = tmp_path / "it"
    (it / "pairing").mkdir(parents=True, mode=0o755)
    it.chmod(0o755)
    (it / "config.toml").write_text(f'pack = "{TEST_PACK}"\n'
                                    f'allowed_origins = ["chrome-extension://{own_extension[1]}"]\n')
    secret = new_secret()
    path = it / "pairing" / account_name()
    path.write_text(secret + "\n")
    path.chmod(0o400)
    (tmp_path / "run").mkdir()
    comp = CompanionProcess(tmp_path / "run", pack=None, extra_env={"POSTGUARD_SYSTEM_CONFIG": str(it / "config.toml")})
    comp.secret = secret
    try:
        yield comp
    finally:
        comp.stop()


@pytest.fixture
def browser_policy(own_extension):
    """Write the extension copy's managed settings into Chromium's policy folder; removed afterwards."""
    folder, ext_id = own_extension
    path = POLICY_DIR / f"postguard-e2e-zero-touch-{ext_id}.json"

    def write(settings: dict) -> None:
        try:
            POLICY_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"3rdparty": {"extensions": {ext_id: settings}}}))
        except PermissionError:
            harness.unavailable(f"cannot write Chromium's policy folder {POLICY_DIR} (needs root; CI runs as root)")

    try:
        yield write
    finally:
        path.unlink(missing_ok=True)


def wait_managed_read(sw) -> None:
    for _ in range(75):      # the first managed read in a fresh profile takes a few seconds
        if sw.evaluate("() => postguard.settings()")["locked"].get("pairing"):
            return
        time.sleep(0.2)
    raise AssertionError("the managed pairingSecret never reached the extension")


def stored_token(sw):
    return sw.evaluate("() => chrome.storage.local.get('companionToken')").get("companionToken")


def test_the_extension_pairs_itself_from_the_browser_policy(managed_companion, browser_policy, make_browser_context,
                                                           own_extension):
    comp = managed_companion
    browser_policy({"companionPort": comp.port, "pairingSecret": comp.secret})
    ctx = make_browser_context(extension_dir=own_extension[0])
    sw, ext_id = configure(ctx, comp.port)          # test hooks only: no token, no code
    assert stored_token(sw) is None
    wait_managed_read(sw)
    sp = SitePage(ctx, "x-post")
    try:
        type_draft(sp, CRITICAL)
        wait_finding(sp, TERM, timeout=20_000)
        assert not sp.loopback_requests()           # the page itself never talks to the companion
    finally:
        sp.close()
    assert stored_token(sw) == comp.token()
    assert "paired through IT's pairing secret" in comp.log()
    assert comp.secret not in comp.log()
    # the secret stays in the worker: the settings content scripts get carry only "IT pairs this browser"
    settings = sw.evaluate("() => postguard.settings()")
    assert settings["locked"]["pairing"] is True and comp.secret not in json.dumps(settings)
    page = ctx.new_page()
    page.goto(f"chrome-extension://{ext_id}/options/index.html")
    expect(page.locator("#it-pairing")).to_be_visible()
    expect(page.locator("#state")).to_contain_text("Paired and connected")


def test_a_secret_that_does_not_match_pairs_nothing_and_says_why(managed_companion, browser_policy, make_browser_context,
                                                                own_extension):
    comp = managed_companion
    browser_policy({"companionPort": comp.port, "pairingSecret": new_secret()})
    ctx = make_browser_context(extension_dir=own_extension[0])
    sw, ext_id = configure(ctx, comp.port)
    wait_managed_read(sw)
    status = sw.evaluate("() => postguard.health()")
    assert status["state"] == "unpaired", status
    assert "automatic pairing set up by IT did not work" in status["message"], status
    assert stored_token(sw) is None
    assert "zero-touch pairing: a wrong proof" in comp.log()
