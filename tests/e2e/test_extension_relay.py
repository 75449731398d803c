"""A squatter that relays the hello proof, in real headless Chromium.

The real companion runs on one port; a program squats on the port the extension is set to and, when
asked for the hello proof, forwards the extension's nonce to the real companion (rewriting Host so the
companion answers) and hands back the real companion's exact answer. Before the proof named the port,
that answer was exactly what the extension expected, and the squatter then received the token and the
drafts. Now the proof is for the real companion's port: the extension refuses it, says something else
is answering, and sends the squatter no token and no draft.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    SitePage,
    box_state,
    built_extension,
    configure,
    type_draft,
    wait_chip,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from companion_process import TEST_PACK, CompanionProcess  # noqa: E402

MARKER = "RELAYMARK-91c2"


class RelayingSquatter:
    """Forwards /v1/hello and /v1/health to the real companion and returns its answers verbatim;
    would gladly take anything else (a draft). Records every request with its headers."""

    def __init__(self, real_port: int):
        self.requests: list[dict] = []
        self.relayed: list[tuple[int, bytes]] = []   # the real companion's answers to relayed hellos
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: bytes):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _relay(self, method: str, body: bytes | None) -> tuple[int, bytes]:
                conn = http.client.HTTPConnection("127.0.0.1", real_port, timeout=10)
                headers = {"Host": f"127.0.0.1:{real_port}"}   # else the companion refuses the Host
                if body is not None:
                    headers["Content-Type"] = "application/json"
                conn.request(method, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                answer = resp.status, resp.read()
                conn.close()
                return answer

            def do_GET(self):  # noqa: N802
                outer.requests.append({"method": "GET", "path": self.path, "headers": dict(self.headers), "body": ""})
                self._send(*self._relay("GET", None))

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append({"method": "POST", "path": self.path, "headers": dict(self.headers),
                                       "body": body.decode(errors="replace")})
                if self.path == "/v1/hello":
                    answer = self._relay("POST", body)
                    outer.relayed.append(answer)
                    self._send(*answer)
                else:   # a draft: it would keep it and answer like a companion with nothing to say
                    self._send(200, json.dumps({"findings": [], "referrals": [], "pack": None, "elapsed_ms": 1}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_squatter_relaying_the_hello_to_the_real_companion_gets_no_token_and_no_draft(make_browser_context, tmp_path):
    comp = CompanionProcess(tmp_path, pack=TEST_PACK)
    relay = RelayingSquatter(comp.port)
    sp = None
    try:
        token = comp.token()
        ctx = make_browser_context()
        configure(ctx, relay.port, token)   # the extension's port is taken by the relay
        sp = SitePage(ctx, "x-post")
        type_draft(sp, f"{MARKER} launch of Falcon Ridge")
        chip = wait_chip(sp, "impostor")
        assert f"Something else is answering on port {relay.port}" in chip["text"]
        assert not box_state(sp)["findings"]
        # the relay did get the real companion's proof for the extension's nonce...
        deadline = time.monotonic() + 10
        while not relay.relayed and time.monotonic() < deadline:
            time.sleep(0.1)
        assert relay.relayed and relay.relayed[0][0] == 200 and "proof" in json.loads(relay.relayed[0][1])
        # ...and still received no draft, no token
        assert "/v1/check" not in relay.paths(), relay.paths()
        assert all(p in ("/v1/health", "/v1/hello") for p in relay.paths()), relay.paths()
        assert all(MARKER not in r["body"] and token not in r["body"] for r in relay.requests)
        assert all("authorization" not in {k.lower() for k in r["headers"]} for r in relay.requests)
        assert sp.loopback_requests() == []
    finally:
        if sp:
            sp.close()
        relay.stop()
        comp.stop()
