"""Pairing and the hello proof, in real headless Chromium.

* Pairing through the REAL options page (`chrome-extension://<id>/options/index.html` in a tab) with a
  code from `postguard pair` of a fresh companion: a wrong code says how many attempts are left and
  stores nothing; the right code (typed, then Enter) pairs, and a draft on x.com is then checked with
  the token (underlined). "Forget pairing" drops the token. A new install opens the options page.
* A process squatting on the companion port (a tiny stdlib HTTP server that answers /v1/health like the
  companion and /v1/hello with a WRONG proof, recording every request): the extension never sends it a
  draft (no /v1/check, the marker in no request), and the chip and the options page say something else
  is answering on that port.

Extension pages run under MV3's CSP: wait on them with locators, never wait_for_function.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import expect

from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    CRITICAL,
    TERM,
    SitePage,
    box_state,
    built_extension,
    configure,
    type_draft,
    wait_chip,
    wait_finding,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from companion_process import TEST_PACK, CompanionProcess  # noqa: E402

MARKER = "SQUATMARK-5e1d"


def options_url(ext_id: str) -> str:
    return f"chrome-extension://{ext_id}/options/index.html"


def stored_token(sw):
    return sw.evaluate("() => chrome.storage.local.get('companionToken')").get("companionToken")


def test_first_run_opens_the_options_page(make_browser_context):
    ctx = make_browser_context()
    _, ext_id = configure(ctx, 1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(p.url == options_url(ext_id) for p in ctx.pages):
        ctx.pages[0].wait_for_timeout(100)   # lets Playwright process the new-page event (time.sleep would not)
    assert any(p.url == options_url(ext_id) for p in ctx.pages), [p.url for p in ctx.pages]


def test_pairing_through_the_options_page(make_browser_context, tmp_path):
    comp = CompanionProcess(tmp_path, pack=TEST_PACK)  # fresh: never paired, no token file yet
    sp = None
    try:
        ctx = make_browser_context()
        sw, ext_id = configure(ctx, 7311)  # no token: not paired; the default port, not the companion's
        opts = ctx.new_page()
        opts.goto(options_url(ext_id))
        expect(opts.locator("#state")).to_have_text("Start the companion with ./scripts/run, then enter the code it prints.")
        expect(opts.get_by_role("button", name="Forget pairing")).to_be_hidden()
        expect(opts.locator("#port-lock")).to_be_hidden()       # nothing is set by IT here
        expect(opts.locator("#it-pairing")).to_be_hidden()     # nor is pairing (.small's display once beat hidden)
        # the user types the port `./scripts/run` printed and goes straight to pairing: it is saved
        opts.get_by_label("Port on 127.0.0.1").fill(str(comp.port))

        code = comp.pairing_code()  # "1234-5678"
        digits = code.replace("-", "")
        wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)

        # a wrong code: told how many attempts are left, nothing stored
        opts.get_by_label("Pairing code").fill(wrong)
        opts.get_by_role("button", name="Pair", exact=True).click()
        expect(opts.locator("#pair-result")).to_contain_text("wrong code (4 attempts left)")
        expect(opts.locator("#state")).to_contain_text("Enter the code it printed to pair this browser")
        assert stored_token(sw) is None

        # the right code, with the keyboard only: type it, press Enter
        field = opts.get_by_label("Pairing code")
        field.focus()
        field.press("Control+a")
        opts.keyboard.type(code)
        opts.keyboard.press("Enter")
        expect(opts.locator("#pair-result")).to_contain_text("Paired with the companion")
        expect(opts.locator("#state")).to_contain_text("Paired and connected")
        expect(opts.get_by_label("Pairing code")).to_be_hidden()   # the form is gone once paired
        expect(opts.get_by_role("button", name="Forget pairing")).to_be_visible()
        token = comp.token()
        assert stored_token(sw) == token
        assert token not in opts.content(), "the options page never sees the token"
        # the result line is announced to screen readers
        assert opts.locator("#pair-result").get_attribute("aria-live") == "polite"

        # a draft is now checked with the token: the term is underlined
        sp = SitePage(ctx, "x-post")
        type_draft(sp, CRITICAL)
        f = wait_finding(sp, TERM)
        assert f["severity"] == "critical"
        assert sp.loopback_requests() == []
        assert "/v1/hello" in comp.log()  # the worker proved the companion before sending the draft

        # forget the pairing: the token is gone, the page says so
        opts.bring_to_front()
        opts.get_by_role("button", name="Forget pairing").click()
        expect(opts.locator("#state")).to_contain_text("Enter the code it printed to pair this browser")
        expect(opts.locator("#pair-result")).to_contain_text("Pairing forgotten")
        assert stored_token(sw) is None
    finally:
        if sp:
            sp.close()
        comp.stop()


# ------------------------------------------------------------------------------------------------
# a process squatting on the port


class Squatter:
    """Answers /v1/health like the companion and /v1/hello with a wrong proof; records everything."""

    def __init__(self):
        self.requests: list[tuple[str, str, str]] = []  # (method, path, body)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                outer.requests.append(("GET", self.path, ""))
                if self.path == "/v1/health":
                    self._answer(200, {"status": "ok", "version": "0.1.0", "pack": {"id": "test", "revision": 1},
                                       "token_storage": "file"})
                else:
                    self._answer(404, {"error": {"code": "not_found", "message": "no"}})

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode(errors="replace")
                outer.requests.append(("POST", self.path, body))
                if self.path == "/v1/hello":
                    self._answer(200, {"proof": "0" * 64})  # it does not know the token
                else:  # it would gladly take a draft
                    self._answer(200, {"findings": [], "referrals": [], "pack": {"id": "test", "revision": 1}, "elapsed_ms": 1})

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def paths(self):
        return [p for _, p, _ in self.requests]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def test_squatter_on_the_port_never_gets_a_draft(make_browser_context):
    sq = Squatter()
    sp = None
    try:
        ctx = make_browser_context()
        sw, ext_id = configure(ctx, sq.port, "a-token-the-squatter-does-not-know-0123456789")
        sp = SitePage(ctx, "x-post")
        type_draft(sp, f"{MARKER} launch of Falcon Ridge")
        chip = wait_chip(sp, "impostor")
        assert f"Something else is answering on port {sq.port}" in chip["text"]
        assert "did not send your draft" in chip["text"]
        assert not box_state(sp)["findings"]
        hellos = sq.paths().count("/v1/hello")
        assert hellos >= 1

        # typing on: proved again (and refused again), never treated as OK
        sp.page.keyboard.type(" and more")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and sq.paths().count("/v1/hello") <= hellos:
            time.sleep(0.1)
        assert sq.paths().count("/v1/hello") > hellos, sq.paths()
        assert wait_chip(sp, "impostor")["state"] == "impostor"

        # the options page shows the warning too
        opts = ctx.new_page()
        opts.goto(options_url(ext_id))
        opts.get_by_role("button", name="Test connection").click()
        expect(opts.locator("#test-result")).to_contain_text(f"Something else is answering on port {sq.port}")

        assert "/v1/check" not in sq.paths(), sq.requests
        assert all(MARKER not in body and MARKER not in path for _, path, body in sq.requests), sq.requests
        assert all(not p.startswith("/v1/") or p in ("/v1/health", "/v1/hello") for p in sq.paths()), sq.paths()
        for _, path, body in sq.requests:
            if path == "/v1/hello":
                nonce = json.loads(body)["nonce"]
                assert len(nonce) >= 32 and "a-token-the-squatter" not in body
        assert sp.loopback_requests() == []
    finally:
        if sp:
            sp.close()
        sq.stop()
