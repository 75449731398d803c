"""The Firefox package in real Firefox (Debian's firefox-esr, over WebDriver BiDi: firefox_driver.py).

The .xpi that `scripts/package-extension --firefox` makes is installed as a temporary add-on, paired
with a fresh REAL companion through its options page (the companion learns the add-on's
moz-extension:// origin then), and used on four fixture boxes — X's Draft.js post, LinkedIn's Quill
post, Facebook's Lexical comment, Instagram's React textarea: the confidential term is underlined on
the word, a post with the critical finding is held for confirmation, the card's suggestion changes
the editor's own model text, and the fixed draft then posts. Screenshot: docs/screenshots/firefox.png.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from firefox_driver import Firefox
from harness import EDITORS, REPO_DIR, SCREENSHOT_DIR, SETTLED_JS, E2EUnavailable, unavailable
from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    CARD_JS,
    FINDING_JS,
    TERM,
    WORD_RECTS_JS,
    built_extension,
    union,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from companion_process import TEST_PACK, CompanionProcess  # noqa: E402

DRAFT = "Big news 🎉: Falcon Ridge ships soon"
FIXED = "Big news 🎉: our next blender ships soon"
BOXES = ["x-post", "li-post", "fb-comment", "ig-comment"]
# the box's findings for its exact current text: until an edit is verified, the old text still looks
# checked, so wait for an answer given after `after` (the box's answer count before the edit)
CHECKED_JS = """([label, after]) => {
  const h = document.querySelector('[data-postguard]');
  const b = JSON.parse(h.getAttribute('data-pg-boxes') || '[]').find((x) => x.label === label);
  return !!b && b.checked && b.state !== 'checking' && b.answers > after && b;
}"""
GECKO_ID = json.loads((REPO_DIR / "extension" / "manifest.firefox.json").read_text())[
    "browser_specific_settings"]["gecko"]["id"]


@pytest.fixture(scope="module")
def xpi(tmp_path_factory, built_extension):  # noqa: F811
    out = tmp_path_factory.mktemp("firefox-package")
    subprocess.run([sys.executable, str(REPO_DIR / "scripts" / "package-extension"), "--firefox", "--no-build",
                    "--out", str(out)], check=True, capture_output=True)
    (package,) = out.glob("postguard-extension-*-firefox.xpi")
    return package


@pytest.fixture(scope="module")
def own_companion(tmp_path_factory):
    comp = CompanionProcess(tmp_path_factory.mktemp("ff-companion"), pack=TEST_PACK)  # never paired yet
    yield comp
    comp.stop()


@pytest.fixture(scope="module")
def firefox(fixture_sites, xpi):
    try:
        ff = Firefox.start(fixture_sites, GECKO_ID)
    except E2EUnavailable as exc:
        unavailable(str(exc))
    try:
        assert ff.install(xpi) == GECKO_ID
        yield ff
    finally:
        ff.close()


def text_of(page, selector):
    return page.evaluate("(s) => document.querySelector(s).textContent", selector)


def visible(page, selector):
    return page.evaluate("(s) => { const e = document.querySelector(s); return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0; }", selector)


@pytest.fixture(scope="module")
def paired(firefox, own_companion):
    """Pair through the add-on's real options page, as a user would: port, then the code, then Enter."""
    opts = firefox.addon_page("options/index.html")
    opts.evaluate("() => chrome.storage.local.set({testHooks: true})")
    opts.wait_for("() => document.querySelector('#state').textContent.includes('Start the companion')")
    before = text_of(opts, "#state")
    opts.click("#port")
    opts.press("Control+a")
    opts.type(str(own_companion.port))
    opts.press("Enter")                      # saves the port (Enter leaves the field)
    opts.wait_for("(p) => document.querySelector('#port-saved').textContent !== ''", None)
    opts.click("#pair-code")
    opts.type(own_companion.pairing_code())
    opts.press("Enter")
    # the state line can follow the stored token before the Pair reply is written: wait for both
    opts.wait_for("() => document.querySelector('#state').textContent.includes('Paired and connected')"
                  " && document.querySelector('#pair-result').textContent !== 'Pairing…'", timeout=15_000)
    return {"page": opts, "before": before, "result": text_of(opts, "#pair-result"),
            "form_visible": visible(opts, "#pair-code"), "html": opts.evaluate("() => document.documentElement.outerHTML")}


def api_status(comp, method, path, origin, token, body=None):
    req = urllib.request.Request(f"{comp.base}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Origin": origin, "Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_pairing_from_the_options_page(firefox, own_companion, paired):
    assert paired["before"] == "Start the companion with ./scripts/run, then enter the code it prints."
    assert "Paired with the companion" in paired["result"]
    assert not paired["form_visible"]                  # the code field is gone once paired
    token = own_companion.token()
    assert token not in paired["html"], "the options page never sees the token"
    stored = paired["page"].evaluate("() => chrome.storage.local.get('companionToken')")
    assert stored["companionToken"] == token
    # the companion learnt this add-on's origin by the pairing, and only it
    origins = json.loads((own_companion.workdir / "state" / "postguard" / "paired-origins.json").read_text())
    assert origins["origins"] == [firefox.addon_origin]
    check = {"text": "hello", "platform": "x"}
    assert api_status(own_companion, "POST", "/v1/check", firefox.addon_origin, token, check) == 200
    other = "moz-extension://0f6b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
    assert api_status(own_companion, "POST", "/v1/check", other, token, check) == 403


class Box:
    """One fixture compose box in a Firefox tab, read through the add-on's test hooks."""

    def __init__(self, firefox, name):
        self.name, self.editor = name, EDITORS[name]
        self.page = firefox.open(self.editor.url)
        self.page.wait_for("() => window.__fixtureReady === true && !!document.querySelector('[data-postguard]')")
        self.label = self.page.evaluate(
            "(n) => { const el = document.querySelector(`[data-fixture-editor=\"${n}\"]`);"
            " return el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.getAttribute('data-testid') || ''; }",
            name)

    def focus(self):
        self.page.click(f'[data-fixture-editor="{self.name}"]')
        self.page.wait_for("(n) => document.activeElement === document.querySelector(`[data-fixture-editor=\"${n}\"]`)", self.name)
        self.page.press("Control+End")

    def model(self):
        return self.page.evaluate("(n) => window.__editorText(n)", self.name)

    def shown(self):
        return self.page.evaluate("(n) => window.__domText(n)", self.name)

    def wait_model(self, text):
        try:
            self.page.wait_for("([n, t]) => window.__editorText(n) === t", [self.name, text], timeout=5_000)
        except RuntimeError as exc:
            raise AssertionError(f"model {self.model()!r}, shown {self.shown()!r}, stats {self.hooks('stats')}, "
                                 f"ui {self.hooks('ui')}, errors {self.page.errors()}") from exc
        assert self.model() == text and self.shown() == text
        assert self.page.errors() == []

    def hooks(self, which):
        return self.page.evaluate("(w) => JSON.parse(document.querySelector('[data-postguard]').getAttribute(`data-pg-${w}`) || '{}')", which)

    def answers(self):
        """How many answers the box has had (its findings are for the text of the last one)."""
        (b,) = [x for x in self.hooks("boxes") if x["label"] == self.label]
        return b["answers"]

    def finding(self, excerpt):
        return self.page.wait_for(FINDING_JS, [self.label, excerpt])

    def card(self, kind):
        return self.page.wait_for(CARD_JS, [kind], timeout=5_000)

    def click_card(self, action):
        card = self.page.evaluate(CARD_JS, [None])
        (btn,) = [b for b in card["buttons"] if b["action"] == action]
        self.page.mouse_click(btn["x"], btn["y"])

    def posts(self):
        return self.page.evaluate("() => window.__posts.slice()")


@pytest.mark.parametrize("name", BOXES)
def test_underline_guard_and_suggestion(firefox, paired, name):
    box = Box(firefox, name)
    try:
        box.focus()
        box.page.type(DRAFT)
        box.wait_model(DRAFT)

        # the underline, on the word itself (measured independently from the page)
        f = box.finding(TERM)
        assert f["severity"] == "critical" and f["rule"] == "conf.falcon-ridge"
        got, want = union(f["rects"]), union(box.page.evaluate(WORD_RECTS_JS, [name, TERM]))
        tol = 3.5 if box.editor.library == "textarea" else 1.5
        assert abs(got["left"] - want["left"]) <= tol and abs(got["right"] - want["right"]) <= tol, (got, want)

        # the post guard holds the critical draft: the site's own Post control does nothing yet
        box.page.click(box.editor.post_selector)
        card = box.card("confirm")
        assert TERM in card["text"]
        box.page.evaluate(SETTLED_JS)   # the card is up: the guard has decided; nothing may have posted
        assert box.posts() == []
        box.click_card("edit")
        assert box.posts() == []

        # the card's suggestion goes through the editor: its model text is the fixed draft
        r = f["rects"][0]
        box.page.mouse_move(r["left"] + r["width"] / 2, r["top"] + r["height"] / 2)
        card = box.card("finding")
        if name == "x-post":
            (SCREENSHOT_DIR / "firefox.png").parent.mkdir(parents=True, exist_ok=True)
            box.page.screenshot(SCREENSHOT_DIR / "firefox.png")
        assert [b["label"] for b in card["buttons"] if b["action"] == "suggest:0"] == ["Say “our next blender” instead"]
        answers = box.answers()
        box.click_card("suggest:0")
        box.wait_model(FIXED)
        # the term's finding is gone (the fixed draft may still read as news for the company: another rule)
        fixed = box.page.wait_for(CHECKED_JS, [box.label, answers])
        assert [x for x in fixed["findings"] if x["rule"] == f["rule"]] == []
        box.page.press("Control+End")
        box.page.type(" yes")
        box.wait_model(FIXED + " yes")

        # a clean draft posts straight through, exactly once
        box.page.wait_for(CHECKED_JS, [box.label, fixed["answers"]])
        box.page.click(box.editor.post_selector)
        box.page.wait_for("() => window.__posts.length > 0", timeout=5_000)
        assert box.posts() == [{"editor": name, "text": FIXED + " yes"}]
    finally:
        box.page.close()


FIREFOX_POLICIES = Path("/etc/firefox/policies/policies.json")


# policies.json is read by every Firefox on the machine at its start. No other test file runs Firefox, and
# a file's tests run one after another on one worker (scripts/test: --dist loadfile): this test's is the
# only Firefox that starts while the file is there. (Chromium's policy tests give the extension an ID of
# its own instead; Firefox reads one policies.json for every extension.)
def test_managed_settings_from_firefox_policies_json(fixture_sites, xpi):
    """IT's settings in Firefox's enterprise policies.json (the docs' example, another port) reach
    storage.managed, win over the user's and lock the options page's fields. Writes /etc (root)."""
    policy = json.loads((REPO_DIR / "docs" / "managed-policy" / "firefox-policies.json").read_text())
    del policy["policies"]["ExtensionSettings"]       # the test installs the .xpi itself
    settings = policy["policies"]["3rdparty"]["Extensions"][GECKO_ID]
    settings.update(companionPort=7399, notifyOnly=True, disabledSites=["instagram"])
    if FIREFOX_POLICIES.exists():
        unavailable(f"{FIREFOX_POLICIES} exists already: this machine's own Firefox policies are left alone")
    try:
        FIREFOX_POLICIES.parent.mkdir(parents=True, exist_ok=True)
        FIREFOX_POLICIES.write_text(json.dumps(policy))
    except PermissionError:
        unavailable(f"cannot write {FIREFOX_POLICIES} (needs root; CI runs as root)")
    try:
        ff = Firefox.start(fixture_sites, GECKO_ID)   # Firefox reads its policies at start
    except E2EUnavailable as exc:
        FIREFOX_POLICIES.unlink()
        unavailable(str(exc))
    try:
        ff.install(xpi)
        opts = ff.addon_page("options/index.html")
        opts.evaluate("() => chrome.storage.local.set({companionPort: 7311, notifyOnly: false})")  # the user's own
        got = opts.evaluate("() => chrome.runtime.sendMessage({kind: 'getSettings'})")["settings"]
        assert (got["port"], got["notifyOnly"], got["disabledSites"], got["allowPause"]) == (7399, True, ["instagram"], False)
        assert got["locked"] == {"port": True, "notifyOnly": True, "disabledSites": True, "role": True, "pause": True,
                                 "pairing": False}   # no pairingSecret in this policy: pairing stays by code
        # the mark tells the reloaded page from the old one, which already showed 7399 before reload began
        opts.evaluate("() => { window.beforeReload = true; location.reload(); }")
        opts.wait_for("() => !window.beforeReload && document.readyState === 'complete'"
                      " && document.querySelector('#port').value === '7399'")
        assert visible(opts, "#port-lock")
    finally:
        FIREFOX_POLICIES.unlink(missing_ok=True)
        ff.close()
