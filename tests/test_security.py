"""Local API security against a real companion process: pairing, tokens, the hello proof, request
hygiene, fuzzed bodies that never produce a 500, and a bounded load test on loopback."""

import hashlib
import hmac
import http.client
import json
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.config import DEFAULT_ORIGINS
from support import CompanionProcess, make_client

EXT_ORIGIN = DEFAULT_ORIGINS[0]


class Client:
    def __init__(self, c):
        self.c = c
        self.conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=20)

    def call(self, method, path, body=None, headers=None, raw=None):
        hdrs = {"Host": f"127.0.0.1:{self.c.port}", **(headers or {})}
        if body is not None:
            hdrs.setdefault("Content-Type", "application/json")
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        self.conn.request(method, path, body=data, headers=hdrs)
        r = self.conn.getresponse()
        payload = r.read()
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.c.port, timeout=20)
        try:
            return r.status, json.loads(payload), dict(r.getheaders())
        except ValueError:
            return r.status, payload, dict(r.getheaders())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    c = CompanionProcess(tmp_path_factory.mktemp("sec"))
    yield c
    c.stop()


def raw_status(port, body: bytes, headers: dict) -> int:
    """POST a body over a raw socket; the server may answer 413 and close before the body is all sent."""
    import socket

    head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": f"127.0.0.1:{port}", "Content-Type": "application/json",
                                                 "Content-Length": str(len(body)), **headers}.items())
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        try:
            s.sendall(f"POST /v1/check HTTP/1.1\r\n{head}\r\n".encode() + body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return int(s.recv(64).split()[1])


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_pairing_exchanges_a_one_time_code_for_the_token(server):
    api = Client(server)
    code = server.pairing_code()
    status, body, _ = api.call("POST", "/v1/pair", {"code": "0000-0000"})
    assert status == 401 and body["error"]["message"] == "wrong code (4 attempts left)"
    status, body, _ = api.call("POST", "/v1/pair", {"code": code}, {"Origin": EXT_ORIGIN})
    assert status == 200 and body["token"] == server.token()
    status, body, _ = api.call("POST", "/v1/pair", {"code": code})
    assert status == 401 and "no pairing code is waiting" in body["error"]["message"]   # single use


def test_a_code_dies_after_five_wrong_attempts(server):
    api = Client(server)
    code = server.pairing_code()
    for _ in range(5):
        status, body, _ = api.call("POST", "/v1/pair", {"code": "1111-1111"})
    assert "no attempts are left" in body["error"]["message"]
    status, body, _ = api.call("POST", "/v1/pair", {"code": code})
    assert status == 401


def test_an_expired_code_is_refused(server):
    api = Client(server)
    code = server.pairing_code()
    state = server.workdir / "state" / "postguard" / "pairing.json"
    data = json.loads(state.read_text())
    data["expires"] = time.time() - 1
    state.write_text(json.dumps(data))
    status, body, _ = api.call("POST", "/v1/pair", {"code": code})
    assert status == 401 and "expired" in body["error"]["message"]


def test_pairing_attempts_are_rate_limited():
    client, _ = make_client()
    codes = [client.post("/v1/pair", json={"code": "1"}).status_code for _ in range(12)]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]


def test_every_call_but_health_hello_pair_needs_the_token(server):
    api = Client(server)
    token = server.token()
    assert api.call("GET", "/v1/health")[0] == 200
    for method, path, request in [("POST", "/v1/check", {"text": "hi", "platform": "x"}), ("GET", "/v1/pack", None),
                                  ("POST", "/v1/replies/render", {"reply_id": "threat", "platform": "x"})]:
        for headers in ({}, bearer("wrong"), {"Authorization": token}, {"Authorization": f"Basic {token}"},
                        bearer(token + "x"), bearer(token[:-1])):
            status, body, _ = api.call(method, path, request, headers)
            assert status == 401 and body["error"]["code"] == "unauthorized", (path, headers)
        ok = api.call(method, path, request, bearer(token))
        assert ok[0] == 200, (path, ok[1])


def test_hello_proves_the_companion_knows_the_token(server):
    api = Client(server)
    token = server.token()
    nonce = "n" * 8 + "0123456789abcdef"
    status, body, _ = api.call("POST", "/v1/hello", {"nonce": nonce})
    assert status == 200
    assert body["proof"] == hmac.new(token.encode(), b"postguard-hello-v1:" + nonce.encode(), hashlib.sha256).hexdigest()
    assert api.call("POST", "/v1/hello", {"nonce": "short"})[0] == 400


def test_hello_before_pairing_says_not_paired():
    client, _ = make_client(paired=False)
    r = client.post("/v1/hello", json={"nonce": "x" * 32})
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "not_paired"


def test_reset_rotates_the_token_and_refuses_the_old_one_at_once(tmp_path):
    c = CompanionProcess(tmp_path)
    try:
        api = Client(c)
        old = c.token()
        assert api.call("GET", "/v1/pack", headers=bearer(old))[0] == 200
        c.cli("pair", "--reset")
        new = c.token()
        assert new != old
        assert api.call("GET", "/v1/pack", headers=bearer(old))[0] == 401
        assert api.call("GET", "/v1/pack", headers=bearer(new))[0] == 200
    finally:
        c.stop()


def test_token_file_fallback_is_private_and_said_out_loud(server):
    server.token()
    token_file = server.workdir / "state" / "postguard" / "token"
    assert oct(token_file.stat().st_mode & 0o777) == "0o600"
    assert "no usable OS keyring" in server.log() and "readable by this user only" in server.log()
    assert Client(server).call("GET", "/v1/health")[1]["token_storage"] == "file"


def test_request_hygiene_on_the_real_server(server):
    api = Client(server)
    auth = bearer(server.token())
    assert api.call("GET", "/v1/health", headers={"Host": "attacker.example:%d" % server.port})[0] == 400
    assert api.call("GET", "/v1/health", headers={"Host": "localhost:%d" % server.port})[0] == 200
    status, body, _ = api.call("POST", "/v1/check", {"text": "x", "platform": "x"},
                               {**auth, "Origin": "https://www.facebook.com"})
    assert status == 403
    # A "simple" cross-origin POST (text/plain, no custom headers) never reaches the checker.
    status, _, _ = api.call("POST", "/v1/check", raw="hello", headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert status == 403
    # A web page's preflight gets no CORS permission, so the browser never sends the real request.
    status, _, headers = api.call("OPTIONS", "/v1/check", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert "Access-Control-Allow-Origin" not in headers
    status, _, headers = api.call("OPTIONS", "/v1/check", headers={
        "Origin": EXT_ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"})
    assert headers.get("Access-Control-Allow-Origin") == EXT_ORIGIN
    assert "Access-Control-Allow-Private-Network" not in headers
    assert raw_status(server.port, b"{" + b" " * 600_000 + b"}", auth) == 413
    status, body, _ = api.call("POST", "/v1/check", raw='{"text": ' + "[" * 50_000 + "]" * 50_000 + "}",
                               headers={**auth, "Content-Type": "application/json"})
    assert status == 400 and "Traceback" not in json.dumps(body)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)
bodies = st.fixed_dictionaries({}, optional={
    "text": st.text(max_size=300) | json_values, "platform": st.sampled_from(["x", "facebook", "li", ""]) | json_values,
    "surface": st.sampled_from(["post", "reply", "story"]) | json_values, "replying_to": st.text(max_size=100) | json_values,
    "account": st.text(max_size=20) | json_values}) | json_values


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_fuzzed_bodies_never_produce_a_500(body):
    client = _fuzz_client()
    for path in ("/v1/check", "/v1/replies/render", "/v1/hello", "/v1/pair"):
        r = client.post(path, data=json.dumps(body), headers={"Content-Type": "application/json"})
        assert r.status_code in (200, 400, 401, 404, 413, 429), (path, body, r.get_data())
        assert "error" in r.get_json() or r.status_code == 200


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=400))
def test_any_text_including_lone_surrogates_and_controls_checks_fine(text):
    client = _fuzz_client()
    raw = json.dumps({"text": text + "\ud800 \udfff \x00\x1b Falcon Ridge", "platform": "x"})
    r = client.post("/v1/check", data=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 200
    for f in r.get_json()["findings"]:
        assert 0 <= f["start"] <= f["end"]


def test_a_one_megabyte_string_is_refused_cleanly():
    client = _fuzz_client()
    r = client.post("/v1/check", data=json.dumps({"text": "a" * 1_000_000, "platform": "x"}),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"


_FUZZ = []


def _fuzz_client():
    if not _FUZZ:
        _FUZZ.append(make_client()[0])
    return _FUZZ[0]


def test_fifty_concurrent_clients_all_get_right_answers(server):
    token = server.token()
    text = "Falcon Ridge is coming 🚀 and I'm alone in the parking lot at 4 am"
    expected = Client(server).call("POST", "/v1/check", {"text": text, "platform": "x"}, bearer(token))[1]["findings"]
    results, errors = [], []
    stop_at = time.monotonic() + 3.0

    def worker():
        api = Client(server)
        n = 0
        try:
            while time.monotonic() < stop_at and n < 200:
                status, body, _ = api.call("POST", "/v1/check", {"text": text, "platform": "x"}, bearer(token))
                results.append(status == 200 and body["findings"] == expected)
                n += 1
        except Exception as e:   # a dropped connection is a failure too
            errors.append(repr(e))

    threads = [threading.Thread(target=worker) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors and len(results) >= 50 and all(results)
