"""Zero-touch pairing (companion/zerotouch.py): IT's per-user secret in a file beside the system config,
the same secret in the extension's managed settings, and a challenge-response handshake that hands the
extension the install's token with no code typed. A real companion process answers the handshake here;
tests/e2e/test_extension_zero_touch.py drives it from real Chromium with the secret set by browser policy."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from companion.zerotouch import (
    CHALLENGE_TTL,
    Challenges,
    PairingSecretError,
    account_name,
    derive_secret,
    new_secret,
    read_secret,
)
from support import CompanionProcess

ROOT = Path(__file__).resolve().parent.parent
TEST_PACK = ROOT / "tests" / "data" / "test_pack.yaml"
OWNERS = frozenset({0, os.getuid()})


def mac(secret: str, *parts: str) -> str:
    """The proofs as docs/security.md states them, computed apart from companion/zerotouch.py."""
    return hmac.new(secret.encode(), ":".join(("postguard-managed-pair-v1", *parts)).encode(), hashlib.sha256).hexdigest()


def write_secret(folder: Path, secret: str, mode: int = 0o400) -> Path:
    folder.mkdir(mode=0o755, exist_ok=True)
    path = folder / account_name()
    path.unlink(missing_ok=True)
    path.write_text(secret + "\n")
    path.chmod(mode)
    return path


# -- the secret file ---------------------------------------------------------------------------------

def test_a_secret_file_readable_by_its_account_alone_is_read(tmp_path):
    secret = new_secret()
    assert read_secret(write_secret(tmp_path / "pairing", secret), OWNERS) == secret
    assert read_secret(tmp_path / "pairing" / "nobody-here", OWNERS) is None


@pytest.mark.parametrize("mode", [0o444, 0o404, 0o460, 0o600 | 0o020])
def test_a_secret_others_could_read_or_change_is_refused(tmp_path, mode):
    path = write_secret(tmp_path / "pairing", new_secret(), mode)
    with pytest.raises(PairingSecretError, match="lets others read or change it"):
        read_secret(path, OWNERS)


def test_a_pairing_folder_others_can_write_is_refused(tmp_path):
    path = write_secret(tmp_path / "pairing", new_secret())
    path.parent.chmod(0o777)
    with pytest.raises(PairingSecretError, match="can be written by others"):
        read_secret(path, OWNERS)


def test_something_that_is_not_a_secret_is_refused(tmp_path):
    with pytest.raises(PairingSecretError, match="not a pairing secret"):
        read_secret(write_secret(tmp_path / "pairing", "hunter2"), OWNERS)


def test_derived_secrets_differ_per_machine_and_user_and_need_a_real_key():
    key = secrets.token_bytes(32)
    a = derive_secret(key, "lap-0001", "ann")
    assert a == derive_secret(key, "lap-0001", "ann")
    assert len({a, derive_secret(key, "lap-0002", "ann"), derive_secret(key, "lap-0001", "bob"),
                derive_secret(secrets.token_bytes(32), "lap-0001", "ann")}) == 4
    with pytest.raises(ValueError):
        derive_secret(b"short", "lap-0001", "ann")
    with pytest.raises(ValueError):
        derive_secret(key, "lap-0001", "")


def test_the_cli_derives_the_same_secret_from_a_fleet_key_file(tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "companion", "pairing-secret", *a],   # noqa: E731
                                    capture_output=True, text=True, timeout=60)
    assert run("--make-fleet-key", str(tmp_path / "fleet.key")).returncode == 0
    assert (tmp_path / "fleet.key").stat().st_mode & 0o077 == 0
    out = run("--fleet-key", str(tmp_path / "fleet.key"), "--machine", "lap-0001", "--user", "ann")
    text = (tmp_path / "fleet.key").read_text().strip()
    import base64
    key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    assert out.returncode == 0 and out.stdout.strip() == derive_secret(key, "lap-0001", "ann")
    assert run("--fleet-key", str(tmp_path / "fleet.key")).returncode == 2      # machine and user are needed
    assert len(run().stdout.strip()) == 43                                      # a random one


def test_challenges_are_single_use_and_expire():
    now = [0.0]
    c = Challenges(clock=lambda: now[0])
    first, second = c.issue(), c.issue()
    assert c.take(first) and not c.take(first)
    now[0] = CHALLENGE_TTL + 1
    assert not c.take(second)
    assert not c.take("never-issued")


# -- a real companion on a managed machine -------------------------------------------------------------

class Managed:
    """A real companion whose system config (test mode) has a pairing folder beside it."""

    def __init__(self, tmp: Path):
        it = tmp / "it"
        it.mkdir(mode=0o755)
        (it / "config.toml").write_text(f'pack = "{TEST_PACK}"\n')
        self.folder = it / "pairing"
        self.secret = new_secret()
        self.file = write_secret(self.folder, self.secret)
        (tmp / "run").mkdir()
        self.companion = CompanionProcess(tmp / "run", pack=None, extra_env={"POSTGUARD_SYSTEM_CONFIG": str(it / "config.toml")})

    def post(self, path: str, body: dict, origin: str | None = None) -> tuple[int, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.companion.port, timeout=10)
        headers = {"Content-Type": "application/json", **({"Origin": origin} if origin else {})}
        conn.request("POST", path, json.dumps(body), headers)
        r = conn.getresponse()
        out = r.status, json.loads(r.read())
        conn.close()
        return out

    def pair(self, secret: str | None = None, port: int | None = None) -> tuple[int, dict, str, str]:
        status, start = self.post("/v1/pair/managed/start", {})
        assert status == 200, start
        challenge, nonce = start["challenge"], secrets.token_hex(32)
        proof = mac(secret or self.secret, "extension", f"127.0.0.1:{port or self.companion.port}", challenge, nonce)
        status, body = self.post("/v1/pair/managed", {"challenge": challenge, "nonce": nonce, "proof": proof})
        return status, body, challenge, nonce


@pytest.fixture
def managed(tmp_path):
    m = Managed(tmp_path)
    try:
        yield m
    finally:
        m.companion.stop()


def test_the_extension_proves_the_secret_and_gets_the_install_token_with_the_companions_proof(managed):
    status, body, challenge, nonce = managed.pair()
    assert status == 200
    assert body["token"] == managed.companion.token()          # the token `postguard pair` would hand out
    assert body["proof"] == mac(managed.secret, "companion", f"127.0.0.1:{managed.companion.port}",
                                challenge, nonce, body["token"])
    assert "paired through IT's pairing secret" in managed.companion.log()
    assert managed.secret not in managed.companion.log()


def test_a_wrong_secret_a_replayed_challenge_and_a_relayed_port_get_no_token(managed):
    status, body, _, _ = managed.pair(secret=new_secret())
    assert status == 401 and body["error"]["code"] == "bad_proof" and "token" not in body
    # a proof made for another port (a relay from a squatter's port) does not count here
    status, body, _, _ = managed.pair(port=managed.companion.port + 1)
    assert status == 401 and body["error"]["code"] == "bad_proof"
    # a proof seen once cannot be used again: its challenge is gone
    status, body, challenge, nonce = managed.pair()
    assert status == 200
    proof = mac(managed.secret, "extension", f"127.0.0.1:{managed.companion.port}", challenge, nonce)
    status, body = managed.post("/v1/pair/managed", {"challenge": challenge, "nonce": nonce, "proof": proof})
    assert status == 401 and body["error"]["code"] == "bad_challenge"


def test_web_pages_may_not_start_it_and_a_missing_or_unsafe_file_says_so(managed):
    status, body = managed.post("/v1/pair/managed/start", {}, origin="https://evil.example")
    assert status == 403
    managed.file.chmod(0o444)                                  # IT's tool got the mode wrong
    status, body = managed.post("/v1/pair/managed/start", {})
    assert status == 409 and body["error"]["code"] == "bad_pairing_secret"
    assert "lets others read or change it" in managed.companion.wait_log("lets others read or change it")
    managed.file.unlink()                                      # no secret for this account (yet)
    status, body = managed.post("/v1/pair/managed/start", {})
    assert status == 409 and body["error"]["code"] == "no_pairing_secret"
    write_secret(managed.folder, managed.secret)               # IT installs it later: no restart needed
    assert managed.pair()[0] == 200


def test_an_unmanaged_companion_has_no_zero_touch_pairing(tmp_path):
    c = CompanionProcess(tmp_path, pack=TEST_PACK)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
        conn.request("POST", "/v1/pair/managed/start", "{}", {"Content-Type": "application/json"})
        r = conn.getresponse()
        assert r.status == 409 and json.loads(r.read())["error"]["code"] == "no_pairing_secret"
    finally:
        c.stop()

