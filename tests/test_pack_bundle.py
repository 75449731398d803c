"""Atomic publishing: IT writes one signed bundle (pack + overlays + signatures) with `postguard pack
publish`, uploads that one file to a REAL local HTTPS server, and a REAL companion process picks it
up whole: overlays over HTTPS, an overlay changed on its own, a truncated upload refused without
getting stuck, a rollback published as a new revision, and a restart with a broken bundle published.
The same commands test, check, explain and diff folders, bundles and lone overlays before publishing."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from companion.pack.signing import generate_keypair
from support import cli_here as cli
from test_pack_fleet import PACK, Fleet

BUNDLE = "/social/acme.bundle.json"
OVERLAY = textwrap.dedent("""\
    format: postguard/overlay-v1
    id: acme-support
    revision: {rev}
    extends: acme
    confidential:
      - id: conf.grey-heron
        term: Grey Heron
        reason: support project
        examples: {{flag: [Grey Heron is coming], pass: [a grey sky]}}
    """)
NIGHT = "  - {id: conf.night-heron, term: Night Heron, reason: next year}\n"


def write_folder(folder, base_rev: int = 1, overlay_rev: int = 1, night: bool = False):
    (folder / "overlays").mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(PACK.format(rev=base_rev))
    (folder / "overlays" / "10-support.yaml").write_text(
        OVERLAY.format(rev=overlay_rev) + (NIGHT if night else ""))
    return folder


@pytest.fixture
def it(tmp_path):
    """IT's signing key: the one the fleet's companions trust when a test has a fleet (made first)."""
    key, pub = tmp_path / "keys" / "it.key", tmp_path / "keys" / "it.pub"
    if not key.exists():
        generate_keypair(tmp_path / "keys", "it")
    return {"key": str(key), "pub": str(pub), "dir": tmp_path / "it"}


@pytest.fixture
def fleet(tmp_path):
    f = Fleet(tmp_path, path=BUNDLE)
    yield f
    f.close()


def publish(it, folder, name: str) -> bytes:
    out = it["dir"] / name
    done = cli("pack", "publish", str(folder), "--key", it["key"], "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}" in done.stdout and "Upload this one file" in done.stdout
    return out.read_bytes()


def flagged(fleet: Fleet) -> set[str]:
    status, body = fleet.call("POST", "/v1/check", {"text": "Blue Heron, Grey Heron and Night Heron", "platform": "x"},
                              token=fleet.token())
    assert status == 200, body
    return {f["rule"] for f in body["findings"] if f["rule"].startswith("conf.")}


def layers(health: dict) -> list[tuple[str, int]]:
    return [(layer["id"], layer["revision"]) for layer in health["pack"]["layers"]]


def test_one_bundle_carries_overlays_over_https_and_every_update_arrives_whole(fleet, it):
    folder = write_folder(it["dir"] / "v1")
    first = publish(it, folder, "v1.bundle.json")
    bundle = json.loads(first)
    assert [layer["name"] for layer in bundle["layers"]] == ["pack.yaml", "overlays/10-support.yaml"]
    assert all(layer["signature"]["format"] == "postguard/sig-v1" for layer in bundle["layers"])
    assert str(it["dir"]) not in first.decode()            # no machine paths in what is uploaded
    fleet.server.files[BUNDLE] = first
    fleet.start()
    body = fleet.health()
    assert (body["status"], layers(body)) == ("ok", [("acme", 1), ("acme-support", 1)])
    assert flagged(fleet) == {"conf.blue-heron", "conf.grey-heron"}      # the overlay came over HTTPS
    assert fleet.server.requests[0] == (BUNDLE, 200)
    assert all(path == BUNDLE for path, _ in fleet.server.requests)     # one file: no .sig.json to get out of step

    # the support team changes its overlay alone: a new overlay revision, the base stays revision 1
    write_folder(it["dir"] / "v2", overlay_rev=2, night=True)
    second = publish(it, it["dir"] / "v2", "v2.bundle.json")
    # an upload cut short: refused, revision 1 keeps checking, and the next poll fetches it whole again
    since = len(fleet.server.requests)
    fleet.server.files[BUNDLE] = second[: len(second) // 2]
    body = fleet.wait_health(lambda h: h["status"] == "degraded")
    assert (body["reason"], layers(body)) == ("update_refused", [("acme", 1), ("acme-support", 1)])
    assert any("not a pack bundle" in p for p in fleet.health(token=fleet.token())["pack_error"]["problems"])
    fleet.wait_fetched(BUNDLE, since)
    fleet.server.files[BUNDLE] = second
    body = fleet.wait_health(lambda h: h["status"] == "ok" and h["pack"]["layers"][1]["revision"] == 2)
    assert layers(body) == [("acme", 1), ("acme-support", 2)]
    assert flagged(fleet) == {"conf.blue-heron", "conf.grey-heron", "conf.night-heron"}

    # Night Heron was a mistake: roll back to the first bundle's content, as new revisions above the published ones
    rolled = it["dir"] / "rollback.bundle.json"
    done = cli("pack", "rollback", str(it["dir"] / "v1.bundle.json"), "--current", str(it["dir"] / "v2.bundle.json"),
               "--key", it["key"], "--out", str(rolled))
    assert done.returncode == 0, done.stderr
    assert "acme: the content of revision 1 becomes revision 2 (revision 1 is published now)" in done.stdout
    assert "acme-support: the content of revision 1 becomes revision 3 (revision 2 is published now)" in done.stdout
    fleet.server.files[BUNDLE] = rolled.read_bytes()
    body = fleet.wait_health(lambda h: h["pack"]["revision"] == 2)
    assert (body["status"], layers(body)) == ("ok", [("acme", 2), ("acme-support", 3)])
    assert flagged(fleet) == {"conf.blue-heron", "conf.grey-heron"}

    # replaying the old bundle (revision 1 again) is refused; after a restart the rollback still serves
    fleet.server.files[BUNDLE] = first
    body = fleet.wait_health(lambda h: h["status"] == "degraded")
    assert any("older than revision" in p for p in fleet.health(token=fleet.token())["pack_error"]["problems"])
    fleet.restart()
    body = fleet.health()
    assert (body["reasons"], layers(body)) == (["serving_saved_pack", "update_refused"], [("acme", 2), ("acme-support", 3)])
    assert flagged(fleet) == {"conf.blue-heron", "conf.grey-heron"}
    assert "Heron" not in "\n".join(fleet.logs + [fleet.companion.log()])


def test_a_bundle_file_on_disk_is_served_and_replaced_whole(fleet, it):
    """Software distribution drops the bundle on each machine: `pack publish --out` writes it whole
    (a temporary file renamed), and the running companion takes the new one."""
    target = fleet.machine / "acme.bundle.json"
    write_folder(it["dir"] / "v1")
    assert cli("pack", "publish", str(it["dir"] / "v1"), "--key", it["key"], "--out", str(target)).returncode == 0
    fleet.system_config.write_text(fleet.system_config.read_text().replace(fleet.server.url(BUNDLE), str(target)))
    fleet.start()
    body = fleet.health()
    assert (body["status"], layers(body)) == ("ok", [("acme", 1), ("acme-support", 1)])
    write_folder(it["dir"] / "v2", overlay_rev=2, night=True)
    assert cli("pack", "publish", str(it["dir"] / "v2"), "--key", it["key"], "--out", str(target)).returncode == 0
    body = fleet.wait_health(lambda h: h["pack"]["layers"][1]["revision"] == 2)
    assert (body["status"], layers(body)) == ("ok", [("acme", 1), ("acme-support", 2)])
    assert flagged(fleet) == {"conf.blue-heron", "conf.grey-heron", "conf.night-heron"}
    assert fleet.server.requests == []


def test_rollback_from_a_url(fleet, it):
    """`pack rollback --current URL` reads what is published over HTTPS (with the CA of the pack server)."""
    write_folder(it["dir"] / "v1")
    fleet.server.files[BUNDLE] = publish(it, it["dir"] / "v1", "v1.bundle.json")
    # the CLI trusts the system CAs: point it at the test CA the way an internal CA is added (SSL_CERT_FILE)
    import os
    out = it["dir"] / "rb.bundle.json"
    done = subprocess.run([sys.executable, "-m", "companion", "pack", "rollback", str(it["dir"] / "v1"),
                           "--current", fleet.server.url(BUNDLE), "--key", it["key"], "--out", str(out)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SSL_CERT_FILE": str(fleet.server.ca)})
    assert done.returncode == 0, done.stderr
    assert [layer["yaml"].split("\n")[0] for layer in json.loads(out.read_bytes())["layers"]] == [
        "# postguard pack rollback: the content of acme revision 1, published as revision 2",
        "# postguard pack rollback: the content of acme-support revision 1, published as revision 2"]


def test_test_check_explain_and_diff_take_folders_bundles_and_lone_overlays(it):
    v1 = write_folder(it["dir"] / "v1")
    v2 = write_folder(it["dir"] / "v2", overlay_rev=2, night=True)
    bundle = it["dir"] / "v1.bundle.json"
    publish(it, v1, bundle.name)
    overlay = v2 / "overlays" / "10-support.yaml"

    def passed(*args):
        done = cli("pack", "test", *args)
        assert done.returncode == 0 and done.stdout.endswith(" passed, 0 failed\n"), (args, done.stdout, done.stderr)
        return int(done.stdout.split()[-4])

    alone = passed(str(v1 / "pack.yaml"))
    for target in (v1, bundle):
        assert passed(str(target)) == alone + 2, target        # the overlay's two examples ran too
        done = cli("check", "--pack", str(target), "--json", "Grey Heron soon")
        assert done.returncode == 1 and json.loads(done.stdout)["findings"][0]["rule"] == "conf.grey-heron"
        assert "conf.grey-heron: fired" in cli("pack", "explain", str(target), "Grey Heron soon").stdout
    # a lone overlay is tested on the pack.yaml above its overlays/ folder, or on --base
    assert passed(str(overlay)) == alone + 2
    done = cli("pack", "lint", str(overlay))
    assert done.returncode == 0 and "pack acme revision 1 with 1 overlay(s)" in done.stdout, done.stdout
    loose = it["dir"] / "loose.yaml"
    loose.write_text(overlay.read_text())
    done = cli("pack", "test", str(loose))
    assert done.returncode == 2 and "this is an overlay: give its base pack with --base" in done.stderr
    assert passed(str(loose), "--base", str(v1 / "pack.yaml")) == alone + 2
    # diff: folder against bundle, overlays included
    out = cli("pack", "diff", str(bundle), str(v2)).stdout.splitlines()
    assert "confidential: + conf.night-heron Night Heron" in out, out


def test_sign_lints_and_tests_an_overlay_on_its_base_before_signing_it(it):
    folder = write_folder(it["dir"] / "p")
    overlay = folder / "overlays" / "10-support.yaml"
    overlay.write_text(overlay.read_text().replace("reason: support project", "reason: support project\n    raeson: typo"))
    done = cli("pack", "sign", str(overlay), "--key", it["key"])
    assert done.returncode == 1 and "raeson: unknown key" in done.stderr, done.stderr
    assert not (folder / "overlays" / "10-support.yaml.sig.json").exists()
    overlay.write_text(OVERLAY.format(rev=1).replace("Grey Heron is coming", "a grey morning"))
    done = cli("pack", "sign", str(overlay), "--key", it["key"])
    assert done.returncode == 1 and "example should flag: 'a grey morning'" in done.stderr
    overlay.write_text(OVERLAY.format(rev=1))
    done = cli("pack", "sign", str(overlay), "--key", it["key"])
    assert done.returncode == 0 and "signed acme-support revision 1" in done.stdout, done.stderr
    assert (folder / "overlays" / "10-support.yaml.sig.json").exists()
    assert not (folder / "pack.yaml.sig.json").exists()      # only the file named is signed
    done = cli("pack", "sign", str(folder), "--key", it["key"])   # a folder: every layer
    assert done.returncode == 0 and done.stdout.count("signed acme") == 2
    pub = open(it["pub"]).read().strip()
    assert cli("pack", "verify", str(folder), "--trust-key", pub).returncode == 0


def test_serve_refuses_overlays_it_would_drop_on_a_url_or_a_bundle(tmp_path):
    import os

    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "POSTGUARD_TEST_MODE": "1",
           "POSTGUARD_SYSTEM_CONFIG": str(tmp_path / "none.toml"), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for pack, said in (("https://127.0.0.1:1/pack.yaml", "an https:// URL (publish a bundle: postguard pack publish)"),
                       (str(tmp_path / "acme.bundle.json"), "a bundle (it carries its own)")):
        done = subprocess.run([sys.executable, "-m", "companion", "serve", "--pack", pack, "--overlay", "x.yaml",
                               "--port", "0"], capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == 2 and f"overlays cannot be added to {said}" in done.stderr, done.stderr
