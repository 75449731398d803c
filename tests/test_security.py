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
from strategies import ASTRAL, ODD, texts
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
    """Shared by the tests that make no pairing calls (POST /v1/pair is limited to 10 a minute)."""
    c = CompanionProcess(tmp_path_factory.mktemp("sec"))
    yield c
    c.stop()


@pytest.fixture
def pairing_server(tmp_path):
    """A companion of its own for each pairing test, so no test's pairing calls count against another's."""
    c = CompanionProcess(tmp_path)
    yield c
    c.stop()


def raw_exchange(port, body: bytes, headers: dict, path: str = "/v1/check") -> tuple[int, dict, bytes]:
    """POST a whole body over a raw socket, then read the whole answer until the server closes:
    (status, headers with lower-case names, body). A reset on the way fails the test."""
    import socket

    head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": f"127.0.0.1:{port}", "Content-Type": "application/json",
                                                 "Content-Length": str(len(body)), **headers}.items())
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + body)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head_raw, _, payload = answer.partition(b"\r\n\r\n")
    lines = head_raw.decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in fields.items()}, payload


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_pairing_exchanges_a_one_time_code_for_the_token(pairing_server):
    server = pairing_server
    api = Client(server)
    code = server.pairing_code()
    status, body, _ = api.call("POST", "/v1/pair", {"code": "0000-0000"})
    assert status == 401 and body["error"]["message"] == "wrong code (4 attempts left)"
    status, body, _ = api.call("POST", "/v1/pair", {"code": code}, {"Origin": EXT_ORIGIN})
    assert status == 200 and body["token"] == server.token()
    status, body, _ = api.call("POST", "/v1/pair", {"code": code})
    assert status == 401 and "no pairing code is waiting" in body["error"]["message"]   # single use


def test_a_code_dies_after_five_wrong_attempts(pairing_server):
    server = pairing_server
    api = Client(server)
    code = server.pairing_code()
    for _ in range(5):
        status, body, _ = api.call("POST", "/v1/pair", {"code": "1111-1111"})
    assert "no attempts are left" in body["error"]["message"]
    status, body, _ = api.call("POST", "/v1/pair", {"code": code})
    assert status == 401


def test_an_expired_code_is_refused(pairing_server):
    server = pairing_server
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
                                  ("POST", "/v1/replies/render", {"reply_id": "copyright", "platform": "x", "values": {"customer_name": "Sam"}})]:
        for headers in ({}, bearer("wrong"), {"Authorization": token}, {"Authorization": f"Basic {token}"},
                        bearer(token + "x"), bearer(token[:-1])):
            status, body, _ = api.call(method, path, request, headers)
            assert status == 401 and body["error"]["code"] == "unauthorized", (path, headers)
        ok = api.call(method, path, request, bearer(token))
        assert ok[0] == 200, (path, ok[1])


def expected_proof(token: str, nonce: str, port: int) -> str:
    """companion/auth.py hello_proof, written out independently."""
    message = f"postguard-hello-v2:127.0.0.1:{port}:{nonce}".encode()
    return hmac.new(token.encode(), message, hashlib.sha256).hexdigest()


def test_hello_proves_the_companion_knows_the_token_and_names_its_port(server):
    api = Client(server)
    token = server.token()
    nonce = "n" * 8 + "0123456789abcdef"
    status, body, _ = api.call("POST", "/v1/hello", {"nonce": nonce})
    assert status == 200
    assert body["proof"] == expected_proof(token, nonce, server.port)
    # a relay on another port that forwards this nonce gets a proof for this port, not its own
    assert body["proof"] != expected_proof(token, nonce, server.port + 1)
    for bad in ("short", "\ud800" * 16, "n" * 15 + "\u00e9", "n" * 129, "n" * 16 + " ", "n" * 16 + "\n"):
        status, body, _ = api.call("POST", "/v1/hello", raw=json.dumps({"nonce": bad}),
                                   headers={"Content-Type": "application/json"})
        assert status == 400 and body["error"]["code"] in ("bad_field", "too_long"), (bad, status, body)


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
    status, headers, body = raw_exchange(server.port, b"{" + b" " * 600_000 + b"}", auth)
    assert status == 413 and json.loads(body)["error"]["code"] == "too_large"
    status, body, _ = api.call("POST", "/v1/check", raw='{"text": ' + "[" * 50_000 + "]" * 50_000 + "}",
                               headers={**auth, "Content-Type": "application/json"})
    assert status == 400 and "Traceback" not in json.dumps(body)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts(odd=True),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts(3, odd=True), children, max_size=4),
    max_leaves=20)
bodies = st.fixed_dictionaries({}, optional={
    "text": texts(40, odd=True) | json_values, "platform": st.sampled_from(["x", "facebook", "li", ""]) | json_values,
    "surface": st.sampled_from(["post", "reply", "story"]) | json_values, "replying_to": texts(20, odd=True) | json_values,
    "account": texts(4, odd=True) | json_values}) | json_values

# A good body for every route that takes one; the fuzz below spoils one field at a time.
ROUTES = {
    "/v1/check": {"text": "Falcon Ridge soon", "platform": "x", "surface": "post", "replying_to": "hi", "account": "@me"},
    "/v1/replies/render": {"reply_id": None, "values": {}, "platform": "x", "surface": "reply", "replying_to": "hi",
                           "account": "@me"},
    "/v1/replies/suggest": {"replying_to": "my blender broke", "platform": "x", "surface": "reply"},
    "/v1/hello": {"nonce": "n" * 32},
    "/v1/pair": {"code": "1234-5678"},
}
FIELDS = [(route, name) for route, body in ROUTES.items() for name in body] + \
         [("/v1/replies/render", "values:key"), ("/v1/replies/render", "values:value")]
# Odd strings, also padded past the length minimums (a nonce needs 16 characters) so that what
# comes after a length check is reached too; other JSON types; lengths at and over the limits.
odd_values = texts(30, odd=True) | \
    st.builds(lambda odd, rest: "n" * 16 + odd + rest, st.sampled_from(ODD + ASTRAL), texts(4, odd=True)) | \
    st.text(min_size=1, max_size=3000) | json_values | \
    st.sampled_from(["a" * 70_001, "\U00010000" * 35_001, "n" * 129, "n" * 128, ""])


def _good_body(client, route: str) -> dict:
    body = json.loads(json.dumps(ROUTES[route]))
    if route == "/v1/replies/render":
        reply = client.application.config["POSTGUARD_PACKS"].pack.data["replies"][0]
        body["reply_id"] = reply["id"]
        body["values"] = {name: "Dana" for name in reply.get("placeholders", {})}
    return body


@pytest.mark.parametrize("route,name", FIELDS)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd=odd_values)
def test_every_field_of_every_route_answers_odd_input_in_json_never_500(route, name, odd):
    client = _fuzz_client()
    body = _good_body(client, route)
    if name == "values:key":
        body["values"][odd if isinstance(odd, str) else str(odd)] = "x"
    elif name == "values:value":
        body["values"]["customer_name"] = odd
    else:
        body[name] = odd
    r = client.post(route, data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status_code < 500, (route, name, r.get_data()[:300])
    answer = r.get_json()
    assert isinstance(answer, dict), (route, name, r.get_data()[:300])
    if r.status_code >= 400:
        assert isinstance(answer["error"]["code"], str) and isinstance(answer["error"]["message"], str)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_fuzzed_bodies_never_produce_a_500(body):
    client = _fuzz_client()
    for path in ("/v1/check", "/v1/replies/render", "/v1/hello", "/v1/pair"):
        r = client.post(path, data=json.dumps(body), headers={"Content-Type": "application/json"})
        assert r.status_code in (200, 400, 401, 404, 413, 429), (path, body, r.get_data())
        assert "error" in r.get_json() or r.status_code == 200


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=400) | texts(40, odd=True))
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
