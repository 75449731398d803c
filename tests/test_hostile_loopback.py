"""Clean refusals for what a hostile program on the machine (or a broken client) sends, against a
real companion process: oversized bodies get a JSON 413 the client reads (not a reset), waitress's
own refusals are JSON, idle sockets piling up never lock the real client out; an HTTPS pack source
never follows a redirect to http://; `pack sign` refuses an expiry in the past; the state folder is
0700 from the start."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import ssl
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from companion.pack.signing import generate_keypair, parse_public_key, public_key_text, sig_path, sign
from companion.pack.sources import SourceError, UrlSource
from support import CompanionProcess, cli_here
from test_security import bearer, raw_exchange
from tls import make_ca_and_server_cert


@pytest.fixture(scope="module")
def companion(tmp_path_factory):
    c = CompanionProcess(tmp_path_factory.mktemp("hostile"))
    yield c
    c.stop()


@pytest.mark.parametrize("size", [600_000, 5_000_000])
def test_a_body_over_the_limit_gets_a_json_413_the_client_reads(companion, size):
    body = b'{"text": "' + b"a" * size + b'", "platform": "x"}'
    status, headers, payload = raw_exchange(companion.port, body, bearer(companion.token()))
    assert status == 413, payload[:200]
    assert headers["content-type"] == "application/json" and headers["connection"] == "close"
    assert json.loads(payload) == {"error": {"code": "too_large", "message": "request body too large"}}
    # the way an ordinary client sends it: the whole body, then read the answer
    conn = http.client.HTTPConnection("127.0.0.1", companion.port, timeout=20)
    conn.request("POST", "/v1/check", body=body, headers={"Content-Type": "application/json", **bearer(companion.token())})
    resp = conn.getresponse()
    assert resp.status == 413 and json.loads(resp.read())["error"]["code"] == "too_large"
    conn.close()
    # and the companion still answers
    assert _get(companion.port, "/v1/health")[0] == 200


def test_waitress_own_refusals_are_json_too(companion):
    with socket.create_connection(("127.0.0.1", companion.port), timeout=10) as s:
        s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n")
        answer = _read_all(s)
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"Content-Type: application/json" in head
    assert json.loads(payload)["error"]["code"] == "bad_request"


def test_idle_sockets_piling_up_never_lock_the_real_client_out(tmp_path):
    """200 idle connections (waitress stopped accepting at 100 until they closed, or for 2 minutes)
    and 20 half-sent requests: the extension's calls still get answers, and the companion closes the
    idle sockets longest idle to stay at its limit."""
    c = CompanionProcess(tmp_path)
    idle: list[socket.socket] = []
    try:
        token = c.token()
        for i in range(220):
            s = socket.create_connection(("127.0.0.1", c.port), timeout=10)
            if i >= 200:   # slowloris: a request that never ends
                s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Le" % c.port)
            idle.append(s)
        for _ in range(5):
            status, body = _get(c.port, "/v1/health")
            assert status == 200 and body["status"] == "ok"
            conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
            conn.request("POST", "/v1/check", body=json.dumps({"text": "Falcon Ridge", "platform": "x"}),
                         headers={"Content-Type": "application/json", **bearer(token)})
            resp = conn.getresponse()
            assert resp.status == 200 and json.loads(resp.read())["findings"]
            conn.close()
        closed = 0
        for s in idle:
            s.settimeout(0.01)
            try:
                closed += s.recv(1) == b""
            except (TimeoutError, socket.timeout):
                pass
            except ConnectionResetError:
                closed += 1
        assert closed >= 220 - 64, closed   # companion/httpserver.py CONNECTION_LIMIT
    finally:
        for s in idle:
            s.close()
        c.stop()


def test_an_https_source_never_follows_a_redirect_to_http(tmp_path):
    plain_hits: list[str] = []

    class Plain(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            plain_hits.append(self.path)
            data = b"format: postguard/pack-v1\nid: evil\nrevision: 1\ncompany: {name: Evil}\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    plain = ThreadingHTTPServer(("127.0.0.1", 0), Plain)
    threading.Thread(target=plain.serve_forever, daemon=True).start()
    ca, cert, key = make_ca_and_server_cert(tmp_path)

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path.startswith("/moved/"):   # https -> https is fine
                self.send_response(302)
                self.send_header("Location", self.path.replace("/moved/", "/to-http/"))
            else:
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:{plain.server_address[1]}{self.path}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    https = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    https.socket = ctx.wrap_socket(https.socket, server_side=True)
    threading.Thread(target=https.serve_forever, daemon=True).start()
    try:
        for path in ("/pack.yaml", "/moved/pack.yaml"):
            source = UrlSource(f"https://127.0.0.1:{https.server_address[1]}{path}", str(ca), timeout=5)
            with pytest.raises(SourceError, match=r"redirected to a http:// URL; only https:// redirects are followed"):
                source.fetch(force=True)
        assert plain_hits == []
    finally:
        https.shutdown()
        plain.shutdown()


def test_pack_sign_refuses_an_expiry_in_the_past(tmp_path):
    key, _ = generate_keypair(tmp_path / "keys", "it")
    pack = tmp_path / "pack.yaml"
    pack.write_text(textwrap.dedent("""\
        format: postguard/pack-v1
        id: acme
        revision: 1
        company: {name: Acme}
        """))
    for expires in ("2020-01-01", "0d", dt.date.today().isoformat()):
        out = cli_here("pack", "sign", str(pack), "--key", str(key), "--expires", expires)
        assert out.returncode == 2 and "is not in the future" in out.stderr, (expires, out.stdout, out.stderr)
        assert not sig_path(pack).exists()
    out = cli_here("pack", "sign", str(pack), "--key", str(key), "--expires", "1d")
    assert out.returncode == 0 and sig_path(pack).exists(), out.stderr


def test_the_state_folder_is_private_from_the_start_with_trusted_keys(tmp_path):
    key, pub = generate_keypair(tmp_path / "keys", "it")
    pack = tmp_path / "pack.yaml"
    data = b"format: postguard/pack-v1\nid: acme\nrevision: 1\ncompany: {name: Acme}\n"
    pack.write_bytes(data)
    now = dt.datetime.now(dt.timezone.utc)
    sig_path(pack).write_text(json.dumps(sign(data, "acme", 1, key.read_bytes(), now + dt.timedelta(days=9), now)))
    (tmp_path / "run").mkdir()
    c = CompanionProcess(tmp_path / "run", pack=pack,
                         extra_args=["--trust-key", public_key_text(parse_public_key(pub.read_text()))])
    try:
        assert _get(c.port, "/v1/health")[1]["pack"]["signed"] is True
        state = tmp_path / "run" / "state"
        for folder in (state, state / "postguard", state / "postguard" / "last-good"):
            assert folder.stat().st_mode & 0o777 == 0o700, folder
        for f in ("accepted-revisions.json", "last-good/pack.json"):
            assert (state / "postguard" / f).stat().st_mode & 0o777 == 0o600, f
    finally:
        c.stop()


def _get(port: int, path: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


def _read_all(s: socket.socket) -> bytes:
    out = b""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (chunk := s.recv(65536)):
        out += chunk
    return out


def test_health_probes_are_not_logged_unless_verbose(companion):
    """The extension probes health every 3 s while a box has focus: successful probes stay out of the
    log (DEBUG, shown by `serve --verbose`); a refused one is logged."""
    for _ in range(3):
        assert _get(companion.port, "/v1/health")[0] == 200
    conn = http.client.HTTPConnection("127.0.0.1", companion.port, timeout=10)
    conn.request("GET", "/v1/health", headers={"Host": "attacker.example"})
    assert conn.getresponse().status == 400
    conn.close()
    deadline = time.monotonic() + 5
    while "GET /v1/health 400" not in companion.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "GET /v1/health 400" in companion.log()
    assert "GET /v1/health 200" not in companion.log()
