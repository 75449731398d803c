"""docs/it-guide.md followed end to end, in its order: write a pack, lint, test, explain, check, make a
signing key, sign, verify, publish a bundle to a folder, point a system config at it, start a REAL
companion with that config, pair and check a draft over HTTP, publish a broken revision and see the
last good one keep serving, publish the next revision, roll back.

Every command is written here as the guide gives it and must appear in the guide verbatim (so the two
cannot drift apart); it runs in bash in a temp folder with the checkout's `postguard` first on PATH and
HOME in the temp folder (`~/keys`). Only the machine-wide places are moved into the temp folder, listed
in PLACES: /srv/postguard (the file share), and the system config, which POSTGUARD_SYSTEM_CONFIG plays in
test mode (the guide documents that) since a test must not write /etc.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import CompanionProcess

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "it-guide.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).absolute().parent
EXT_ORIGIN = "chrome-extension://" + (ROOT / "extension" / "EXTENSION_ID.txt").read_text().strip()
PUBLISHED = "/srv/postguard/acme.bundle.json"
URL = "https://packs.corp.example/social/acme.bundle.json"

# §2's overlay, filled in: a support team's confidential project on top of the company's base pack.
OVERLAY = """\
format: postguard/overlay-v1
id: acme-support
revision: {rev}
extends: nimbusco-social-policy
confidential:
  - id: conf.grey-heron
    term: Grey Heron
    reason: support project
    examples: {{flag: [Grey Heron is coming], pass: [a grey sky]}}
{more}"""
NIGHT = "  - {id: conf.night-heron, term: Night Heron, reason: next year, examples: {flag: [Night Heron soon]}}\n"


class Guide:
    """IT's shell in a temp folder: runs the guide's commands, each checked to be in the guide."""

    def __init__(self, tmp: Path):
        self.cwd = tmp / "it"
        self.cwd.mkdir()
        self.places = {PUBLISHED: str(tmp / "srv" / PUBLISHED.removeprefix("/srv/")), URL: str(tmp / "srv" / "postguard" / "acme.bundle.json")}
        self.env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp / "it-home"),
                    "POSTGUARD_TEST_MODE": "1", "POSTGUARD_SYSTEM_CONFIG": str(tmp / "not-managed.toml"),
                    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
        (tmp / "it-home").mkdir()

    def run(self, command: str, expect: int = 0) -> str:
        assert command in GUIDE, f"docs/it-guide.md no longer says: {command}"
        for place, here in self.places.items():
            command = command.replace(place, here)
        done = subprocess.run(["bash", "-c", command], cwd=self.cwd, env=self.env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == expect, f"{command}\nexit {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done.stdout + done.stderr


def call(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers={**({"Content-Type": "application/json"} if body is not None else {}), **(headers or {})})
    resp = conn.getresponse()
    answer = resp.status, json.loads(resp.read())
    conn.close()
    return answer


def wait_health(port: int, predicate, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        health = call(port, "GET", "/v1/health")[1]
        if predicate(health) or time.monotonic() > deadline:
            return health
        time.sleep(0.2)


def layers(health: dict) -> list[tuple[str, int]]:
    return [(layer["id"], layer["revision"]) for layer in health["pack"]["layers"]]


@pytest.fixture
def machine(tmp_path):
    started: list[CompanionProcess] = []
    yield tmp_path, started
    for companion in started:
        companion.stop()


def test_the_it_guide_followed_end_to_end(machine):
    tmp, started = machine
    it = Guide(tmp)

    # §1 Write the pack: start from the example, lint, test, explain, check.
    shutil.copytree(ROOT / "policy_packs", it.cwd / "policy_packs")   # "from a checkout"
    it.run("cp policy_packs/example/nimbusco.yaml pack.yaml")
    it.run("postguard pack lint pack.yaml")
    it.run("postguard pack test pack.yaml")
    explained = it.run('postguard pack explain pack.yaml "Projct Falcn Ridge at 4 am"')
    assert "conf.falcon-ridge" in explained
    it.run('postguard check --pack pack.yaml "a draft"')

    # §3 Review and sign: a new key, the pack signed and verified with its public half.
    it.run("postguard pack keygen --out ~/keys --name acme-2026")
    pub = (tmp / "it-home" / "keys" / "acme-2026.pub").read_text().strip()
    assert pub.startswith("ed25519:")                     # what §5 says to put in trusted_keys
    it.run("postguard pack sign pack.yaml --key ~/keys/acme-2026.key --expires 90d")
    assert (it.cwd / "pack.yaml.sig.json").is_file()
    it.run("postguard pack verify pack.yaml --trust-key ~/keys/acme-2026.pub")

    # §2 + §4 Publish: a folder with the base and a team overlay, one bundle, copied to the file share.
    packdir = it.cwd / "packdir"
    (packdir / "overlays").mkdir(parents=True)
    shutil.copy(it.cwd / "pack.yaml", packdir / "pack.yaml")
    (packdir / "overlays" / "10-support.yaml").write_text(OVERLAY.format(rev=1, more=""))
    publish = "postguard pack publish packdir/ --key ~/keys/acme-2026.key --expires 90d --out acme.bundle.json"
    it.run(publish)
    (it.cwd / "old").mkdir()
    shutil.copy(it.cwd / "acme.bundle.json", it.cwd / "old" / "acme.bundle.json")   # rev 1, for the rollback
    copy_to_share = "install -D -m 0644 acme.bundle.json /srv/postguard/acme.bundle.json"
    it.run(copy_to_share)

    # §5 Configure the companions: the system config names the bundle and trusts the key.
    assert 'trusted_keys = ["ed25519:' in GUIDE and "# contents of acme-2026.pub" in GUIDE
    assert f'pack = "{PUBLISHED}"' in GUIDE
    system_config = tmp / "etc-postguard" / "config.toml"
    system_config.parent.mkdir()
    system_config.write_text(f'pack = "{it.places[PUBLISHED]}"\ntrusted_keys = ["{pub}"]\n')

    # §6 The companion, started as the service unit starts it (`postguard serve`), with that system config.
    home = tmp / "employee"
    home.mkdir()
    companion = CompanionProcess(home, pack=None, extra_env={"POSTGUARD_SYSTEM_CONFIG": str(system_config)})
    started.append(companion)
    port = companion.port
    health = wait_health(port, lambda h: h.get("pack") is not None)
    assert health["status"] == "ok", health
    assert layers(health) == [("nimbusco-social-policy", 1), ("acme-support", 1)]

    # Zero-touch aside, an employee pairs once: `postguard pair` and the code in the extension.
    code = companion.cli("pair").split("Pairing code: ")[1].split()[0]
    status, paired = call(port, "POST", "/v1/pair", {"code": code}, {"Origin": EXT_ORIGIN})
    assert status == 200, paired
    token = {"Authorization": f"Bearer {paired['token']}"}

    def flagged() -> tuple[int, set[str]]:
        status, body = call(port, "POST", "/v1/check", {"text": "Grey Heron and Night Heron land with Falcon Ridge",
                                                         "platform": "x"}, token)
        assert status == 200, body
        return body["pack"]["revision"], {f["rule"] for f in body["findings"] if f["rule"].startswith("conf.")}

    assert flagged() == (1, {"conf.falcon-ridge", "conf.grey-heron"})

    # A broken revision reaches the share: an upload cut short. The last good pack keeps serving.
    (packdir / "overlays" / "10-support.yaml").write_text(OVERLAY.format(rev=2, more=NIGHT))
    it.run(publish)
    whole = (it.cwd / "acme.bundle.json").read_bytes()
    Path(it.places[PUBLISHED]).write_bytes(whole[: len(whole) // 2])
    health = wait_health(port, lambda h: "update_refused" in h.get("reasons", []))
    assert health["status"] == "degraded" and "update_refused" in health["reasons"], health
    assert layers(health) == [("nimbusco-social-policy", 1), ("acme-support", 1)]
    assert flagged() == (1, {"conf.falcon-ridge", "conf.grey-heron"})

    # The whole file arrives: the overlay's new revision serves, the base keeps its own.
    it.run(copy_to_share)
    health = wait_health(port, lambda h: ("acme-support", 2) in layers(h) and h["status"] == "ok")
    assert health["status"] == "ok" and layers(health) == [("nimbusco-social-policy", 1), ("acme-support", 2)], health
    assert flagged()[1] == {"conf.falcon-ridge", "conf.grey-heron", "conf.night-heron"}

    # §4 Rolling back: revision 1's content as a new revision of every layer, then copied to the share.
    rollback = ("postguard pack rollback old/acme.bundle.json --current "
                f"{URL} \\\n    --key ~/keys/acme-2026.key --out acme.bundle.json")
    printed = it.run(rollback)
    assert re.search(r"acme-support.*revision 1.*revision 3", printed), printed
    it.run(copy_to_share)
    health = wait_health(port, lambda h: ("acme-support", 3) in layers(h))
    assert health["status"] == "ok" and layers(health) == [("nimbusco-social-policy", 2), ("acme-support", 3)], health
    assert flagged()[1] == {"conf.falcon-ridge", "conf.grey-heron"}     # Night Heron is gone again
