"""The system config is re-read while a REAL companion runs (when the file changes, and on SIGHUP),
against a REAL local HTTPS pack server: IT rotates its signing key without restarting anyone, a
broken edit changes nothing, and plain `postguard check` follows the configured pack."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from companion.pack.signing import generate_keypair, parse_public_key, public_key_text
from test_pack_fleet import Fleet, pack_bytes


@pytest.fixture
def fleet(tmp_path):
    f = Fleet(tmp_path)
    yield f
    f.close()


def test_a_new_trusted_key_and_a_new_source_take_effect_without_a_restart(fleet, tmp_path):
    fleet.publish_signed(1)
    fleet.start()
    pid = fleet.companion.pid
    assert fleet.health()["status"] == "ok" and fleet.checks_with() == 1   # (the token is read while the config is good)

    # IT rotates keys: revision 2 is signed with the new key before the companions trust it -> refused
    new_key, new_pub = generate_keypair(tmp_path / "keys", "it-2027")
    fleet.key = new_key.read_bytes()
    fleet.publish_signed(2)
    body = fleet.wait_health(lambda h: h["status"] == "degraded")
    assert (body["reason"], body["pack"]["revision"]) == ("update_refused", 1)

    # an edit that breaks the file changes nothing: the running settings stay, and the log says why
    good = fleet.system_config.read_text()
    fleet.system_config.write_text(good + "trusted_keys = [\n")
    log = fleet.companion.wait_log("configuration re-read (a config file changed) and refused")
    assert "the running settings stay" in log
    assert fleet.checks_with() == 1

    # the new key is added to the system config: picked up within seconds, same process, no restart
    key_text = public_key_text(parse_public_key(new_pub.read_text()))
    fleet.system_config.write_text(good.replace('trusted_keys = ["', f'trusted_keys = ["{key_text}", "'))
    body = fleet.wait_health(lambda h: h["status"] == "ok")
    assert (body["pack"]["revision"], fleet.companion.pid) == (2, pid)
    assert fleet.checks_with() == 2

    # the pack moves to another URL; a setting that needs a restart is said to need one
    fleet.server.files["/v2/pack.yaml"] = pack_bytes(3)
    fleet.server.files["/v2/pack.yaml.sig.json"] = fleet.signature(pack_bytes(3), 3)
    text = fleet.system_config.read_text().replace("/social/pack.yaml", "/v2/pack.yaml")
    fleet.system_config.write_text(text + "allowed_origins = [\"chrome-extension://abcdefghijklmnopabcdefghijklmnop\"]\n")
    assert fleet.wait_health(lambda h: h["pack"]["revision"] == 3)["status"] == "ok"
    assert "allowed_origins changed; it takes effect when the companion restarts" in fleet.companion.wait_log("allowed_origins")
    assert fleet.companion.pid == pid

    # SIGHUP re-reads at once, changed or not
    os.kill(pid, signal.SIGHUP)
    assert "configuration re-read (SIGHUP)" in fleet.companion.wait_log("configuration re-read (SIGHUP)")
    time.sleep(0.5)
    assert fleet.companion.proc.poll() is None and fleet.checks_with() == 3


def check(fleet: Fleet, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", "check", *args], cwd=fleet.machine,
                          env=fleet.companion.env, capture_output=True, text=True, timeout=60)


def test_plain_check_follows_the_configured_pack_and_falls_back_to_the_saved_one(fleet):
    fleet.publish_signed(4)
    fleet.start()
    assert fleet.checks_with() == 4
    done = check(fleet, "--json", "Blue Heron ships soon")
    answer = json.loads(done.stdout)
    assert done.returncode == 1 and answer["pack"]["revision"] == 4, done.stderr
    assert [f["rule"] for f in answer["findings"]] == ["conf.blue-heron"]

    # the source is unreachable: the copy the companion saved, verified, and a note on stderr
    fleet.server.stop()
    done = check(fleet, "--json", "Blue Heron ships soon")
    assert done.returncode == 1 and json.loads(done.stdout)["pack"]["revision"] == 4
    assert "checking with the last good pack saved on this machine: acme revision 4" in done.stderr
    # an explicit --pack still wins
    done = check(fleet, "--pack", str(fleet.machine / "nope.yaml"), "x")
    assert done.returncode == 2 and "no such file" in done.stderr
