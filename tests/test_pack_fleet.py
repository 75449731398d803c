"""IT publishing to a running fleet: a REAL companion process (`postguard serve`, configured by a
system-wide config file as IT would) polling a REAL HTTPS pack server on 127.0.0.1 with its own CA.

IT publishes broken, expired and half-uploaded revisions while the companion runs, restarts it, and
the companion keeps checking drafts with the last good pack; a re-signed unchanged pack is picked up;
health says ok or degraded with a reason, and pack problem details only with the token."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import stat
import textwrap
import time

import pytest

from companion.pack.signing import generate_keypair, parse_public_key, public_key_text, sign
from support import CompanionProcess
from tls import PackServer

PACK = textwrap.dedent("""\
    format: postguard/pack-v1
    id: acme
    revision: {rev}
    company: {{name: Acme}}
    confidential:
      - id: conf.blue-heron
        term: Blue Heron
        reason: unreleased
        examples: {{flag: [Blue Heron soon], pass: [a heron]}}
    """)
HINT = "pack problem: see the companion's log, or run `postguard config`"


def pack_bytes(rev: int, extra: str = "") -> bytes:
    return (PACK.format(rev=rev) + extra).encode()


class Fleet:
    """IT's side (a signing key and the pack server) and one employee machine (a companion process)."""

    def __init__(self, tmp_path, warn_days: int = 14, path: str = "/social/pack.yaml"):
        self.tmp = tmp_path
        key, pub = generate_keypair(tmp_path / "keys", "it")
        self.key = key.read_bytes()
        self.server = PackServer(tmp_path)
        self.machine = tmp_path / "machine"
        self.machine.mkdir()
        self.system_config = self.machine / "system-config.toml"
        self.system_config.write_text(
            f'pack = "{self.server.url(path)}"\nca_bundle = "{self.server.ca}"\n'
            f'poll_interval = "1s"\ntrusted_keys = ["{public_key_text(parse_public_key(pub.read_text()))}"]\n'
            f"expiry_warning_days = {warn_days}\n")
        self.companion: CompanionProcess | None = None
        self.logs: list[str] = []
        self._token: str | None = None

    # -- IT -------------------------------------------------------------------------------------------
    def signature(self, data: bytes, rev: int, expires_in: dt.timedelta = dt.timedelta(days=90),
                  now: dt.datetime | None = None) -> bytes:
        now = now or dt.datetime.now(dt.timezone.utc)
        return json.dumps(sign(data, "acme", rev, self.key, now + expires_in, now)).encode()

    def publish(self, data: bytes | None = None, sig: bytes | None = None) -> None:
        if data is not None:
            self.server.files["/social/pack.yaml"] = data
        if sig is not None:
            self.server.files["/social/pack.yaml.sig.json"] = sig

    def publish_signed(self, rev: int, extra: str = "", **kw) -> None:
        data = pack_bytes(rev, extra)
        self.publish(data, self.signature(data, rev, **kw))

    # -- the machine ----------------------------------------------------------------------------------
    def start(self) -> CompanionProcess:
        self.companion = CompanionProcess(self.machine, pack=None,
                                          extra_env={"POSTGUARD_SYSTEM_CONFIG": str(self.system_config)})
        return self.companion

    def restart(self) -> CompanionProcess:
        self.stop()
        return self.start()

    def stop(self) -> None:
        if self.companion:
            self.companion.stop()
            self.logs.append(self.companion.log())
            self.companion = None

    def close(self) -> None:
        self.stop()
        self.server.stop()

    def call(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.companion.port, timeout=10)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        resp = conn.getresponse()
        answer = resp.status, json.loads(resp.read())
        conn.close()
        return answer

    def health(self, token: str | None = None) -> dict:
        return self.call("GET", "/v1/health", token=token)[1]

    def token(self) -> str:
        """The install's token (`postguard token`); it stays the same across restarts."""
        self._token = self._token or self.companion.token()
        return self._token

    def checks_with(self) -> int | None:
        """The revision a draft naming the confidential term is checked with, asserting it is flagged."""
        status, body = self.call("POST", "/v1/check", {"text": "Blue Heron ships soon", "platform": "x"},
                                 token=self.token())
        if status == 503:
            return None
        assert status == 200 and [f["rule"] for f in body["findings"]] == ["conf.blue-heron"], body
        return body["pack"]["revision"]

    def wait_health(self, predicate, timeout: float = 20) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            body = self.health()
            if predicate(body) or time.monotonic() > deadline:
                return body
            time.sleep(0.2)

    def wait_fetched(self, path: str, since: int) -> None:
        """Wait until the companion fetched `path` whole (HTTP 200) after request number `since`, twice."""
        deadline = time.monotonic() + 20
        while sum(1 for r in self.server.requests[since:] if r == (path, 200)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sum(1 for r in self.server.requests[since:] if r == (path, 200)) >= 2, self.server.requests[since:]

    def config(self) -> str:
        """`postguard config` run as the employee, with the companion's port in the user's config file."""
        user_config = self.machine / "config" / "postguard" / "config.toml"
        user_config.parent.mkdir(parents=True, exist_ok=True)
        user_config.write_text(f"port = {self.companion.port}\n")
        return self.companion.cli("config")


@pytest.fixture
def fleet(tmp_path):
    f = Fleet(tmp_path)
    yield f
    f.close()


def test_broken_half_uploaded_and_expired_revisions_never_end_protection_even_across_restarts(fleet):
    fleet.publish_signed(1)
    fleet.start()
    assert fleet.health()["status"] == "ok" and fleet.checks_with() == 1
    state = fleet.machine / "state" / "postguard" / "last-good"
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE((state / "pack.json").stat().st_mode) == 0o600

    # a broken revision: refused, revision 1 keeps checking, health says so without quoting anything
    fleet.publish(data=b"format: postguard/pack-v1\nid: acme\nrevision: 2\nconfidential: [Grey Heron\n")
    body = fleet.wait_health(lambda h: h["status"] == "degraded")
    assert (body["reason"], body["pack"]["revision"]) == ("update_refused", 1)
    assert body["pack_error"] == {"message": HINT}
    assert fleet.checks_with() == 1
    detailed = fleet.health(token=fleet.token())["pack_error"]
    assert detailed["message"] == "the last pack update was refused; revision 1 keeps serving"
    assert any("YAML syntax" in p for p in detailed["problems"])

    # the machine restarts while the broken revision is published: it still checks with revision 1
    fleet.restart()
    body = fleet.health()
    assert (body["status"], body["reasons"]) == ("degraded", ["serving_saved_pack", "update_refused"])
    assert body["pack"]["revision"] == 1 and body["pack"]["signed"] is True
    assert fleet.checks_with() == 1
    assert "serving the last good pack saved on disk: acme revision 1" in fleet.companion.log()

    # half-uploaded: the new pack is up, its signature is still the old one -> refused; the signature
    # arrives -> picked up by the running companion, no restart
    data3 = pack_bytes(3, "# third\n")
    since = len(fleet.server.requests)
    fleet.publish(data=data3)
    fleet.wait_fetched("/social/pack.yaml", since)   # fetched whole at two polls: the refused ETag was not kept
    body = fleet.health(token=fleet.token())
    assert body["pack"]["revision"] == 1 and body["reason"] in ("serving_saved_pack", "update_refused")
    assert any("signature is for acme revision 1" in p or "bytes differ" in p for p in body["pack_error"]["problems"])
    fleet.publish(sig=fleet.signature(data3, 3))
    body = fleet.wait_health(lambda h: h["pack"]["revision"] == 3)
    assert (body["status"], body["reason"], body["pack"]["revision"]) == ("ok", None, 3)
    assert fleet.checks_with() == 3

    # re-signed, unchanged (a later expiry): the new signature alone is picked up
    expires = body["pack"]["signature"]["expires_at"]
    fleet.publish(sig=fleet.signature(data3, 3, expires_in=dt.timedelta(days=200)))
    body = fleet.wait_health(lambda h: h["pack"]["signature"]["expires_at"] != expires)
    assert body["pack"]["signature"]["expires_at"] > expires and body["status"] == "ok"

    # an expired revision 4: refused while running, and after a restart revision 3 still checks
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=10)
    fleet.publish_signed(4, expires_in=dt.timedelta(days=1), now=old)
    body = fleet.wait_health(lambda h: h["status"] == "degraded")
    assert (body["reason"], body["pack"]["revision"]) == ("update_refused", 3)
    assert any("expired" in p for p in fleet.health(token=fleet.token())["pack_error"]["problems"])
    fleet.restart()
    body = fleet.health()
    assert (body["reasons"], body["pack"]["revision"]) == (["serving_saved_pack", "update_refused"], 3)
    assert fleet.checks_with() == 3

    # the pack server is gone at start: still revision 3, and health says the source is unreachable
    fleet.server.stop()
    fleet.restart()
    body = fleet.health()
    assert (body["reasons"], body["pack"]["revision"]) == (["serving_saved_pack", "source_unreachable"], 3)
    assert fleet.checks_with() == 3
    out = fleet.config()
    assert "saved last good pack: acme revision 3, accepted" in out
    assert "running companion on 127.0.0.1:%d: degraded (serving_saved_pack, source_unreachable)" % fleet.companion.port in out
    assert "problem: the pack source could not be read; revision 3 (the copy saved on disk) keeps serving" in out
    assert "cannot fetch the pack" in out

    # the log names packs by id and revision only: never a term from a pack
    logs = "\n".join(fleet.logs + [fleet.companion.log()])
    assert "Heron" not in logs


def test_a_pack_that_expires_while_serving_keeps_checking_and_says_so_before_and_after_a_restart(fleet):
    fleet.publish_signed(6, expires_in=dt.timedelta(days=10))
    fleet.start()
    body = fleet.health()
    assert (body["status"], body["reason"]) == ("degraded", "pack_expires_soon")   # within the 14 days
    fleet.companion.wait_log("re-sign and publish it")
    assert "in 9 day(s): re-sign and publish the pack soon" in fleet.config()

    # revision 7 is signed to expire seconds after the running companion picks it up (15 s: polled every
    # second and, being small, compiled in the serving process, it serves within 2 s on a quiet machine)
    fleet.publish_signed(7, expires_in=dt.timedelta(seconds=15))
    assert fleet.wait_health(lambda h: h["pack"]["revision"] == 7, timeout=14)["pack"]["revision"] == 7
    body = fleet.wait_health(lambda h: h["reason"] == "pack_expired", timeout=60)
    assert (body["status"], body["reasons"], body["pack"]["revision"]) == ("degraded", ["pack_expired"], 7)
    assert fleet.checks_with() == 7
    assert "expired at" in fleet.companion.wait_log("still checking with it")
    assert "signature EXPIRED" in fleet.config()

    # a reboot with the expired pack still published: it keeps checking with the saved copy
    fleet.restart()
    body = fleet.health()
    assert body["reasons"] == ["pack_expired", "serving_saved_pack", "update_refused"]
    assert fleet.checks_with() == 7

    # IT re-signs it: back to ok, without a restart
    fleet.publish(sig=fleet.signature(pack_bytes(7), 7))
    body = fleet.wait_health(lambda h: h["status"] == "ok")
    assert (body["status"], body["reasons"], body["pack"]["revision"]) == ("ok", [], 7)


def test_a_fresh_machine_with_a_broken_source_has_no_pack_and_says_why_only_with_the_token(fleet):
    fleet.publish(data=pack_bytes(1))                     # never signed
    fleet.start()
    body = fleet.health()
    assert (body["status"], body["reason"], body["pack"]) == ("no_pack", "update_refused", None)
    assert body["pack_error"] == {"message": HINT}
    assert fleet.checks_with() is None
    detailed = fleet.health(token=fleet.token())["pack_error"]
    assert detailed["message"] == "the last pack update was refused; nothing to serve"
    assert any("not signed" in p for p in detailed["problems"])
    assert not (fleet.machine / "state" / "postguard" / "last-good" / "pack.json").exists()


def test_config_does_not_send_the_token_to_a_squatter(fleet, tmp_path):
    import socket
    import threading

    fleet.publish_signed(1)
    c = fleet.start()
    c.token()
    fleet.stop()
    heard = []

    squatter = socket.socket()
    squatter.bind(("127.0.0.1", c.port))
    squatter.listen()

    def answer():
        for _ in range(2):
            try:
                conn, _ = squatter.accept()
            except OSError:
                return
            heard.append(conn.recv(65536))
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{"proof": "no"}')
            conn.close()

    t = threading.Thread(target=answer, daemon=True)
    t.start()
    try:
        fleet.companion = c        # only for its port and environment: the process has stopped
        out = fleet.config()
    finally:
        fleet.companion = None
        squatter.close()
    assert "is not this install's companion; the token was not sent" in out
    assert heard and all(b"Authorization" not in h for h in heard)


def test_config_json_gives_mdm_scripts_the_version_pack_expiry_and_refused_update(fleet):
    from companion import __version__

    fleet.publish_signed(1)
    fleet.start()
    fleet.token()
    fleet.publish(data=b"format: postguard/pack-v1\nid: acme\nrevision: 2\nconfidential: [Grey Heron\n")
    fleet.wait_health(lambda h: h["status"] == "degraded")
    fleet.config()      # writes the port into the user's config
    facts = json.loads(fleet.companion.cli("config", "--json"))
    assert (facts["version"], facts["managed"], facts["status"], facts["reasons"]) == (
        __version__, True, "degraded", ["update_refused"])
    assert (facts["pack_id"], facts["pack_revision"], facts["pack"]["from"]) == ("acme", 1, "companion")
    assert facts["signature_expires_at"] == fleet.health()["pack"]["signature"]["expires_at"]
    assert facts["signature_days_left"] in (88, 89) and facts["signature_expires_soon"] is False
    assert facts["update_refused"]["message"] == "the last pack update was refused; revision 1 keeps serving"
    assert any("YAML syntax" in p for p in facts["update_refused"]["problems"])
    assert facts["settings"]["expiry_warning_days"] == 14 and facts["companion_error"] is None

    # the companion is not running: what the machine would serve, from the saved copy
    machine = fleet.companion
    fleet.stop()
    facts = json.loads(machine.cli("config", "--json"))
    assert (facts["status"], facts["pack"]["from"], facts["pack_revision"]) == ("not_running", "saved", 1)
    assert facts["companion_error"] == f"nothing answers on 127.0.0.1:{machine.port}"
    assert facts["update_refused"] is None and facts["signature_expires_at"] is not None
