"""IT's pack lifecycle with real files and a real HTTPS server: signing, sources, layering,
last known good, anti-rollback, configuration, diff and explain."""

import base64
import datetime as dt
import json
import textwrap

import pytest

from companion.pack.compiled import build_pack
from companion.pack.errors import PackError
from companion.pack.signing import generate_keypair, parse_public_key, sig_path, sign
from companion.pack.sources import FileSource, SourceError, UrlSource, source_for
from companion.packstate import LastGoodStore, PackHolder, RevisionStore
from support import TODAY
from support import cli_here as cli
from tls import PackServer

BASE = textwrap.dedent("""\
    format: postguard/pack-v1
    id: acme
    revision: {rev}
    company: {{name: Acme}}
    confidential:
      - id: conf.blue-heron
        term: Blue Heron
        reason: unreleased
        examples: {{flag: [Blue Heron soon], pass: [a heron]}}
    referrals:
      - {{id: repairs, title: Repairs, url: "https://acme.example/repairs", topics: [broken]}}
    """)


def write_pack(path, rev=1, extra=""):
    path.write_text(BASE.format(rev=rev) + extra, encoding="utf-8")
    return path


@pytest.fixture
def keys(tmp_path):
    key, pub = generate_keypair(tmp_path / "keys", "it")
    return key, parse_public_key(pub.read_text())


def sign_file(path, key, days=30, now=None):
    data = path.read_bytes()
    import yaml
    meta = yaml.safe_load(data)
    env = sign(data, meta["id"], meta["revision"], key.read_bytes(),
               (now or dt.datetime.now(dt.timezone.utc)) + dt.timedelta(days=days))
    sig_path(path).write_text(json.dumps(env))


def holder_for(path, pub=None, revisions=None):
    return PackHolder(FileSource(path), trusted_keys=[pub] if pub else None, revisions=revisions,
                      clock=lambda: TODAY)


def test_private_key_is_owner_only_and_never_overwritten(tmp_path, keys):
    key, _ = keys
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(FileExistsError):
        generate_keypair(tmp_path / "keys", "it")


def test_signed_pack_loads_and_health_says_so(tmp_path, keys):
    key, pub = keys
    pack = write_pack(tmp_path / "pack.yaml")
    sign_file(pack, key)
    h = holder_for(pack, pub)
    assert h.load() is True
    assert h.pack.signature["key_id"] == json.loads(sig_path(pack).read_text())["key_id"]


@pytest.mark.parametrize("attack,reason", [
    ("tamper", "bytes differ from what was signed"),
    ("unsigned", "not signed"),
    ("wrong_key", "does not trust"),
    ("expired", "expired"),
    ("forged_envelope", "does not verify"),
])
def test_bad_updates_are_refused_and_the_last_good_pack_keeps_serving(tmp_path, keys, attack, reason):
    key, pub = keys
    pack = write_pack(tmp_path / "pack.yaml")
    sign_file(pack, key)
    h = holder_for(pack, pub)
    assert h.load() is True
    write_pack(pack, rev=2)
    if attack == "tamper":
        sign_file(pack, key)
        pack.write_text(pack.read_text().replace("Blue Heron", "Grey Heron"))
    elif attack == "unsigned":
        sig_path(pack).unlink()
    elif attack == "wrong_key":
        other, _ = generate_keypair(tmp_path / "other", "x")
        sign_file(pack, other)
    elif attack == "expired":
        sign_file(pack, key, days=1, now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3))
    elif attack == "forged_envelope":
        sign_file(pack, key)
        env = json.loads(sig_path(pack).read_text())
        env["expires_at"] = "2099-01-01T00:00:00Z"
        sig_path(pack).write_text(json.dumps(env))
    assert h.load() is False
    assert h.pack.revision == 1
    assert reason in h.status.error


def test_replayed_older_revision_is_refused_even_after_a_restart(tmp_path, keys):
    key, pub = keys
    store = RevisionStore(tmp_path / "state" / "accepted.json")
    pack = write_pack(tmp_path / "pack.yaml", rev=5)
    sign_file(pack, key)
    old_bytes, old_sig = pack.read_bytes(), sig_path(pack).read_bytes()
    write_pack(pack, rev=6)
    sign_file(pack, key)
    h = holder_for(pack, pub, store)
    assert h.load() is True and h.pack.revision == 6
    pack.write_bytes(old_bytes)
    sig_path(pack).write_bytes(old_sig)
    assert h.load() is False and "older than revision 6" in h.status.error and h.pack.revision == 6
    restarted = holder_for(pack, pub, RevisionStore(tmp_path / "state" / "accepted.json"))
    assert restarted.load() is False and restarted.pack is None


def test_without_keys_unsigned_packs_load(tmp_path):
    h = holder_for(write_pack(tmp_path / "pack.yaml"))
    assert h.load() is True and h.pack.signature is None


def test_a_pack_whose_own_examples_fail_is_refused(tmp_path):
    pack = write_pack(tmp_path / "pack.yaml")
    h = holder_for(pack)
    assert h.load() is True
    write_pack(pack, rev=2)
    pack.write_text(pack.read_text().replace("pass: [a heron]", "pass: [Blue Heron is here]"))
    assert h.load() is False and "example should pass: 'Blue Heron is here'" in h.status.error
    assert h.pack.revision == 1


def test_with_nothing_serving_a_pack_with_failing_examples_serves_and_says_so(tmp_path):
    pack = write_pack(tmp_path / "pack.yaml")
    pack.write_text(pack.read_text().replace("pass: [a heron]", "pass: [Blue Heron is here]"))
    h = holder_for(pack)
    assert h.load() is True and h.pack.revision == 1
    assert "although its own examples fail" in h.status.error
    from companion.api.app import create_app

    app = create_app(h, tmp_path / "state")
    client = app.test_client()
    anonymous = client.get("/v1/health")
    health = anonymous.get_json()
    assert (health["status"], health["reason"], health["pack"]["revision"]) == ("degraded", "examples_fail", 1)
    assert health["pack_error"] == {"message": "pack problem: see the companion's log, or run `postguard config`"}
    assert "Heron" not in anonymous.get_data(as_text=True) and str(tmp_path) not in anonymous.get_data(as_text=True)
    token = app.config["POSTGUARD_TOKENS"].store.rotate()
    health = client.get("/v1/health", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert health["pack_error"]["message"] == "serving revision 1 although its own examples fail:"
    assert "example should pass: 'Blue Heron is here'" in health["pack_error"]["problems"][0]
    assert client.get("/v1/health", headers={"Authorization": "Bearer wrong"}).get_json()["pack_error"]["message"].startswith("pack problem")


def test_https_source_uses_etags_and_a_ca_bundle(tmp_path, keys):
    key, pub = keys
    server = PackServer(tmp_path)
    try:
        pack = write_pack(tmp_path / "pack.yaml", rev=3)
        sign_file(pack, key)
        server.files = {"/p.yaml": pack.read_bytes(), "/p.yaml.sig.json": sig_path(pack).read_bytes()}
        src = UrlSource(server.url("/p.yaml"), ca_bundle=str(server.ca))
        h = PackHolder(src, trusted_keys=[pub], clock=lambda: TODAY)
        assert h.load(force=False) is True and h.pack.revision == 3
        assert h.load(force=False) is None                     # unchanged: a 304
        assert ("/p.yaml", 304) in server.requests
        server.files["/p.yaml"] = b"format: [broken"                 # a broken update while serving
        assert h.load(force=False) is False and h.pack.revision == 3
        assert "YAML syntax" in h.status.error
        with pytest.raises(PackError, match="cannot fetch"):
            UrlSource(server.url("/p.yaml")).fetch()            # no CA bundle: the test CA is not trusted
    finally:
        server.stop()


def test_http_urls_are_refused():
    with pytest.raises(ValueError, match="https"):
        source_for("http://example.com/pack.yaml")


OVERLAY = textwrap.dedent("""\
    format: postguard/overlay-v1
    id: acme-support
    revision: 2
    extends: acme
    confidential:
      - {id: conf.red-kite, term: Red Kite, reason: support team project}
    replies:
      - id: broken
        title: Broken
        category: unhappy_customer
        text: "Sorry! {link:repairs}"
    platforms:
      x: {guidance: [Use @AcmeHelp]}
    """)


def test_overlays_merge_in_order(tmp_path):
    d = tmp_path / "packdir"
    (d / "overlays").mkdir(parents=True)
    write_pack(d / "pack.yaml")
    (d / "overlays" / "10-support.yaml").write_text(OVERLAY)
    pack = build_pack(source_for(d).fetch(force=True))
    from companion.engine.check import CheckRequest, check

    assert {f.rule for f in check(pack, CheckRequest("Blue Heron and Red Kite", "x", today=TODAY)).findings} == {
        "conf.blue-heron", "conf.red-kite"}
    assert [layer["id"] for layer in pack.layers] == ["acme", "acme-support"]
    assert pack.data["replies"][0]["id"] == "broken"


def test_overlay_conflicts_name_both_places_unless_overridden(tmp_path):
    base = write_pack(tmp_path / "pack.yaml")
    ov = tmp_path / "ov.yaml"
    ov.write_text(OVERLAY.replace("id: conf.red-kite, term: Red Kite", "id: conf.blue-heron, term: Blue Heron II"))
    with pytest.raises(PackError) as e:
        build_pack(FileSource(base, [ov]).fetch(force=True))
    assert str(e.value) == f"{ov}:6:5: confidential[0]: 'conf.blue-heron' conflicts with {base}:6 (list it under overrides to replace it)"
    ov.write_text(ov.read_text().replace("extends: acme\n", "extends: acme\noverrides: [conf.blue-heron]\n"))
    pack = build_pack(FileSource(base, [ov]).fetch(force=True))
    assert [t["term"] for t in pack.data["confidential"]] == ["Blue Heron II"]


def test_overlay_errors_point_into_the_overlay(tmp_path):
    base = write_pack(tmp_path / "pack.yaml")
    ov = tmp_path / "ov.yaml"
    ov.write_text(OVERLAY.replace("extends: acme", "extends: other").replace("title: Broken", "titel: Broken"))
    with pytest.raises(PackError) as e:
        build_pack(FileSource(base, [ov]).fetch(force=True))
    msgs = [str(p) for p in e.value.problems]
    assert f"{ov}:4:1: extends: this overlay extends 'other', but the base pack is 'acme'" in msgs
    assert any(m.startswith(f"{ov}:9:5: replies[0].titel: unknown key") for m in msgs)


def test_cli_keygen_sign_verify(tmp_path):
    out = cli("pack", "keygen", "--out", str(tmp_path), "--name", "k")
    assert out.returncode == 0 and "ed25519:" in out.stdout
    pack = write_pack(tmp_path / "pack.yaml")
    assert cli("pack", "sign", str(pack), "--key", str(tmp_path / "k.key"), "--expires", "30d").returncode == 0
    pub = (tmp_path / "k.pub").read_text().strip()
    ok = cli("pack", "verify", str(pack), "--trust-key", pub)
    assert ok.returncode == 0 and "ok: acme revision 1" in ok.stdout
    pack.write_text(pack.read_text() + "# edited after signing\n")
    bad = cli("pack", "verify", str(pack), "--trust-key", str(tmp_path / "k.pub"))
    assert bad.returncode == 1 and "bytes differ" in bad.stdout


def test_cli_diff_and_explain(tmp_path):
    old = write_pack(tmp_path / "old.yaml")
    new = write_pack(tmp_path / "new.yaml", rev=2, extra="  - {id: ideas, title: Ideas, url: \"https://acme.example/ideas\", topics: [idea]}\n")
    new.write_text(new.read_text().replace("https://acme.example/repairs", "https://help.acme.example/repairs")
                   .replace("reason: unreleased", "reason: unreleased\n    public_after: 2027-01-01"))
    out = cli("pack", "diff", str(old), str(new)).stdout.splitlines()
    assert "revision: 1 → 2" in out
    assert "confidential: ~ conf.blue-heron: public_after added: 2027-01-01" in out
    assert "referrals: + ideas Ideas" in out
    assert "referrals: ~ repairs: url: https://acme.example/repairs → https://help.acme.example/repairs" in out
    ex = cli("pack", "explain", str(new), "the blue heron launch, Blu Heron", "--date", "2026-11-23").stdout
    assert "✔ conf.blue-heron: fired on “blue heron”" in ex
    ex = cli("pack", "explain", str(new), "Blue Heron", "--date", "2027-06-01").stdout
    assert "conf.blue-heron is public since 2027-01-01" in ex


def test_settings_files_and_precedence(tmp_path, monkeypatch):
    from companion.settings import SettingsError, load_settings

    system, user = tmp_path / "system.toml", tmp_path / "user.toml"
    system.write_text('port = 7400\ntrusted_keys = ["ed25519:AAAA"]\npack = "packs/base.yaml"\npoll_interval = "5m"\n')
    user.write_text("port = 7401\n")
    monkeypatch.setenv("POSTGUARD_SYSTEM_CONFIG", str(system))
    monkeypatch.setenv("POSTGUARD_CONFIG", str(user))
    s = load_settings({"port": None})
    assert (s.port, s.trusted_keys, s.poll_interval) == (7401, ["ed25519:AAAA"], 300)
    assert s.pack == str(tmp_path / "packs" / "base.yaml")
    assert load_settings({"port": 7402}).port == 7402
    user.write_text('trusted_keys = []\n')
    with pytest.raises(SettingsError, match="only be set in the system-wide config"):
        load_settings({})
    user.write_text('prot = 1\n')
    with pytest.raises(SettingsError, match="unknown setting 'prot'"):
        load_settings({})


def test_a_real_companion_serves_a_signed_pack_and_keeps_it_through_a_tampered_update(tmp_path, keys):
    import http.client
    import time

    from companion_process import CompanionProcess

    key, pub = keys
    from companion.pack.signing import public_key_text
    pack = write_pack(tmp_path / "pack.yaml", rev=4)
    sign_file(pack, key)
    (tmp_path / "run").mkdir()
    c = CompanionProcess(tmp_path / "run", pack=pack, extra_args=["--trust-key", public_key_text(pub)])

    def health(token=None):
        conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=5)
        conn.request("GET", "/v1/health", headers={"Host": f"127.0.0.1:{c.port}",
                                                   **({"Authorization": f"Bearer {token}"} if token else {})})
        body = json.loads(conn.getresponse().read())
        conn.close()
        return body

    try:
        assert health()["pack"]["signed"] is True and health()["pack"]["revision"] == 4
        write_pack(pack, rev=5, extra="# not re-signed\n")
        deadline = time.monotonic() + 15
        while "pack_error" not in health() and time.monotonic() < deadline:
            time.sleep(0.2)
        body = health()
        assert body["pack"]["revision"] == 4 and body["status"] == "degraded" and body["reason"] == "update_refused"
        assert "problems" not in body["pack_error"] and str(tmp_path) not in json.dumps(body)
        body = health(c.token())
        assert body["pack"]["revision"] == 4 and "bytes differ" in " ".join(body["pack_error"]["problems"])
    finally:
        c.stop()


def signed_overlay(path, key, rev, extra=""):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(OVERLAY.replace("revision: 2", f"revision: {rev}") + extra)
    sign_file(path, key)
    return path


def test_overlays_never_roll_back_or_vanish_even_after_a_restart(tmp_path, keys):
    key, pub = keys
    d, state = tmp_path / "packdir", tmp_path / "state"
    (d / "overlays").mkdir(parents=True)
    sign_file(write_pack(d / "pack.yaml", rev=1), key)
    overlay = signed_overlay(d / "overlays" / "10-support.yaml", key, rev=2)
    old_overlay = overlay.read_bytes(), sig_path(overlay).read_bytes()

    def holder():   # a companion (re)starting with this folder and state
        return PackHolder(source_for(d), trusted_keys=[pub], revisions=RevisionStore(state / "accepted.json"),
                          saved=LastGoodStore(state / "last-good"), clock=lambda: TODAY)

    h = holder()
    assert h.load() is True and [layer["revision"] for layer in h.pack.layers] == [1, 2]
    signed_overlay(overlay, key, rev=3)                  # only the overlay changes: the base keeps revision 1
    assert h.load() is True and [layer["revision"] for layer in h.pack.layers] == [1, 3]

    overlay.write_bytes(old_overlay[0])                  # the older signed overlay comes back
    sig_path(overlay).write_bytes(old_overlay[1])
    restarted = holder()
    assert restarted.load() is False
    assert "acme-support revision 2 is older than revision 3 already accepted" in restarted.status.error
    assert [layer["revision"] for layer in restarted.pack.layers] == [1, 3] and restarted.status.from_saved

    signed_overlay(overlay, key, rev=3, extra="# changed, same revision\n")
    assert restarted.load() is False and "acme-support revision 3 changed without a new revision number" in restarted.status.error

    overlay.unlink()                                     # the overlay disappears, the base is unchanged
    sig_path(overlay).unlink()
    restarted = holder()
    assert restarted.load() is False and [layer["revision"] for layer in restarted.pack.layers] == [1, 3]
    assert "overlay acme-support was removed, but acme is still revision 1" in restarted.status.error

    sign_file(write_pack(d / "pack.yaml", rev=2), key)   # a newer signed base drops it
    assert restarted.load() is True and [layer["id"] for layer in restarted.pack.layers] == ["acme"]
    overlay.write_bytes(old_overlay[0])                  # and the old overlay still cannot come back
    sig_path(overlay).write_bytes(old_overlay[1])
    assert holder().load() is False


def test_the_first_revision_file_format_still_guards(tmp_path, keys):
    key, pub = keys
    (tmp_path / "accepted.json").write_text('{"acme": 6}')
    pack = write_pack(tmp_path / "pack.yaml", rev=5)
    sign_file(pack, key)
    h = holder_for(pack, pub, RevisionStore(tmp_path / "accepted.json"))
    assert h.load() is False and "acme revision 5 is older than revision 6" in h.status.error


def test_a_saved_pack_is_checked_again_at_start(tmp_path, keys, caplog):
    key, pub = keys
    state = tmp_path / "state"
    pack = write_pack(tmp_path / "pack.yaml", rev=3)
    sign_file(pack, key)

    def holder(trusted):
        return PackHolder(FileSource(pack), trusted_keys=[trusted], revisions=RevisionStore(state / "accepted.json"),
                          saved=LastGoodStore(state / "last-good"), clock=lambda: TODAY)

    assert holder(pub).load() is True
    pack.write_text("format: [broken")
    h = holder(pub)
    assert h.load() is False and h.pack.revision == 3 and h.health(details=False)["reasons"] == [
        "serving_saved_pack", "update_refused"]

    _, other = generate_keypair(tmp_path / "rotated", "new")   # IT rotated keys and dropped the old one
    h = holder(parse_public_key(other.read_text()))
    assert h.load() is False and h.pack is None
    assert "the saved last good pack" in caplog.text and "does not trust" in caplog.text

    saved = state / "last-good" / "pack.json"
    record = json.loads(saved.read_text())
    record["layers"][0]["data"] = base64.b64encode(
        base64.b64decode(record["layers"][0]["data"]).replace(b"revision: 3", b"revision: 9")).decode()
    saved.write_text(json.dumps(record))                         # edited on disk
    caplog.clear()
    h = holder(pub)
    assert h.load() is False and h.pack is None
    assert "signature refused" in caplog.text and "Heron" not in caplog.text
    saved.write_text("{not json")
    assert holder(pub).load() is False and "cannot read" in caplog.text


def test_https_source_keeps_only_the_accepted_pair_and_follows_the_signature(tmp_path, keys):
    key, _ = keys
    server = PackServer(tmp_path, last_modified=True)           # Last-Modified dates instead of ETags
    try:
        pack = write_pack(tmp_path / "pack.yaml", rev=1)
        sign_file(pack, key)
        server.publish("/p.yaml", pack.read_bytes())
        server.publish("/p.yaml.sig.json", sig_path(pack).read_bytes())
        src = UrlSource(server.url("/p.yaml"), ca_bundle=str(server.ca))
        first = src.fetch()
        assert first[0].signature == sig_path(pack).read_bytes()
        src.accepted()
        assert src.fetch() is None                              # two 304s
        assert [c[2] is not None for c in server.conditions[-2:]] == [True, True]

        write_pack(pack, rev=2)
        server.publish("/p.yaml", pack.read_bytes())            # the pack is up, its signature not yet
        half = src.fetch()
        assert half[0].data == pack.read_bytes() and half[0].signature == first[0].signature
        again = src.fetch()                                     # refused (not accepted): fetched whole again
        assert again == half and server.requests[-2] == ("/p.yaml", 200)

        sign_file(pack, key)
        server.publish("/p.yaml.sig.json", sig_path(pack).read_bytes())
        assert src.fetch()[0].signature == sig_path(pack).read_bytes()
        src.accepted()
        assert src.fetch() is None

        sign_file(pack, key, days=90)                           # re-signed, pack unchanged
        server.publish("/p.yaml.sig.json", sig_path(pack).read_bytes())
        resigned = src.fetch()
        assert resigned[0].data == pack.read_bytes() and resigned[0].signature == sig_path(pack).read_bytes()
        src.accepted()
        server.unpublish("/p.yaml.sig.json")                    # the signature disappears: a change too
        assert src.fetch()[0].signature is None
        server.unpublish("/p.yaml")
        with pytest.raises(SourceError, match="HTTP 404"):
            src.fetch()
    finally:
        server.stop()


def test_expiry_is_watched_while_serving(tmp_path, keys, caplog):
    key, pub = keys
    pack = write_pack(tmp_path / "pack.yaml")
    sign_file(pack, key, days=30)
    clock = [dt.datetime.now(dt.timezone.utc)]
    h = PackHolder(FileSource(pack), trusted_keys=[pub], clock=lambda: TODAY, now=lambda: clock[0], warn_days=14)
    assert h.load() is True and h.health(details=True)["status"] == "ok"
    clock[0] += dt.timedelta(days=20)
    h.note_expiry()
    h.note_expiry()
    assert h.health(details=False)["reasons"] == ["pack_expires_soon"]
    assert caplog.text.count("re-sign and publish it") == 1
    clock[0] += dt.timedelta(days=11)
    h.note_expiry()
    body = h.health(details=False)
    assert (body["status"], body["reasons"], body["pack"]["revision"]) == ("degraded", ["pack_expired"], 1)
    assert "still checking with it" in caplog.text and h.pack is not None
    assert PackHolder(FileSource(pack), trusted_keys=[pub], clock=lambda: TODAY, warn_days=0).load() is True


def test_settings_expiry_warning_days(tmp_path, monkeypatch):
    from companion.settings import SettingsError, load_settings

    system = tmp_path / "system.toml"
    monkeypatch.setenv("POSTGUARD_SYSTEM_CONFIG", str(system))
    monkeypatch.setenv("POSTGUARD_CONFIG", str(tmp_path / "none.toml"))
    assert load_settings({}).expiry_warning_days == 14
    system.write_text("expiry_warning_days = 30\n")
    assert load_settings({}).expiry_warning_days == 30
    system.write_text('expiry_warning_days = "2 weeks"\n')
    with pytest.raises(SettingsError, match="expiry_warning_days"):
        load_settings({})
