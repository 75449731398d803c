"""The employee tries to change the policy in force on a machine IT manages, and is refused.

IT's system config (here played by a file through POSTGUARD_TEST_MODE + POSTGUARD_SYSTEM_CONFIG,
companion/settings.py) sets the trusted key, the pack and the revision floors. The employee, with
everything a user has (flags, the user config, environment variables, their own state folder), tries
to get a rogue "revision 99" signed with their own key accepted, to reset the anti-rollback memory,
and to point the system config at a file of their own. Real `postguard` processes and real files."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import pwd
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from companion.pack.errors import PackError
from companion.pack.signing import generate_keypair, parse_public_key, public_key_text, sig_path, sign
from companion.pack.sources import FileSource, PersonalOverlay
from companion.packstate import PackHolder, RevisionStore, _only_adds
from companion.settings import SettingsError, SystemPlace, check_system_file, load_settings, system_place
from support import TODAY, CompanionProcess

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
ROGUE = PACK.replace("Blue Heron", "Nothing Secret").replace("a heron", "a thing")   # same id, the rogue's own terms


def write_signed(path: Path, rev: int, key: Path, text: str = PACK) -> Path:
    data = text.format(rev=rev).encode()
    path.write_bytes(data)
    now = dt.datetime.now(dt.timezone.utc)
    sig_path(path).write_text(json.dumps(sign(data, "acme", rev, key.read_bytes(), now + dt.timedelta(days=30), now)))
    return path


class Machine:
    """IT's key, pack and system config, and the employee's own key and files."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        it_key, it_pub = generate_keypair(tmp / "it-keys", "it")
        self.it_key, self.it_pub = it_key, public_key_text(parse_public_key(it_pub.read_text()))
        rogue_key, rogue_pub = generate_keypair(tmp / "my-keys", "mine")
        self.rogue_key, self.rogue_pub = rogue_key, public_key_text(parse_public_key(rogue_pub.read_text()))
        (tmp / "it").mkdir()
        self.pack = write_signed(tmp / "it" / "pack.yaml", 3, it_key)
        self.rogue_pack = write_signed(tmp / "rogue.yaml", 99, rogue_key, ROGUE)
        self.system = tmp / "it" / "config.toml"
        self.system.write_text(f'pack = "{self.pack}"\ntrusted_keys = ["{self.it_pub}"]\n'
                               f'poll_interval = "1s"\n')
        self.home = tmp / "home"
        self.user_config = self.home / "config" / "postguard" / "config.toml"
        self.user_config.parent.mkdir(parents=True)

    def env(self, test_mode: bool = True, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if k != "POSTGUARD_TEST_MODE"}
        env.update({"HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / "config"),
                    "XDG_STATE_HOME": str(self.home / "state"), "POSTGUARD_SYSTEM_CONFIG": str(self.system),
                    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", **extra})
        if test_mode:
            env["POSTGUARD_TEST_MODE"] = "1"
        return env

    def postguard(self, *args: str, test_mode: bool = True, **env) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "companion", *args], cwd=self.tmp, env=self.env(test_mode, **env),
                              capture_output=True, text=True, timeout=60)


@pytest.fixture
def machine(tmp_path):
    return Machine(tmp_path)


def _health(c: CompanionProcess) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
    conn.request("GET", "/v1/health")
    body = json.loads(conn.getresponse().read())
    conn.close()
    return body


def _wait_revision(c: CompanionProcess, rev: int) -> dict:
    deadline = time.monotonic() + 60   # a reload compiles the new revision and runs its examples: slow on a busy machine
    while time.monotonic() < deadline:
        h = _health(c)
        if h["pack"] and h["pack"]["revision"] == rev:
            return h
        time.sleep(0.2)
    raise AssertionError(f"never served revision {rev}: {_health(c)}")


def test_the_employees_flags_cannot_trust_their_own_key_or_pack(machine):
    for flags in (["--trust-key", machine.rogue_pub, "--pack", str(machine.rogue_pack)],
                  ["--trust-key", machine.rogue_pub], ["--pack", str(machine.rogue_pack)],
                  ["--overlay", str(machine.rogue_pack)], ["--ca-bundle", str(machine.rogue_pack)]):
        out = machine.postguard("serve", "--port", "0", *flags)
        assert out.returncode == 2, (flags, out.stderr)
        assert "is for unmanaged installs only" in out.stderr and str(machine.system) in out.stderr, out.stderr
    # without a system config (a developer's machine) --trust-key is what it was
    machine.system.unlink()
    s = load_settings({"trusted_keys": [machine.rogue_pub], "pack": str(machine.rogue_pack)},
                      place=SystemPlace(machine.system, frozenset({0})))
    assert (s.managed, s.trusted_keys, s.pack) == (False, [machine.rogue_pub], str(machine.rogue_pack))


@pytest.mark.parametrize("line", [
    'trusted_keys = ["{rogue_pub}"]', 'pack = "{rogue_pack}"', 'overlays = ["{rogue_pack}"]',
    'ca_bundle = "/tmp/ca.pem"', 'state_dir = "/tmp/fresh-state"', "min_revisions = {{acme = 1}}",
    "allow_personal_overlay = true", 'pack_url = "https://evil.example/pack.yaml"'])
def test_the_employees_user_config_cannot_set_what_it_sets(machine, line):
    machine.user_config.write_text(line.format(rogue_pub=machine.rogue_pub, rogue_pack=machine.rogue_pack) + "\n")
    out = machine.postguard("config")
    assert out.returncode == 2
    assert "can only be set in the system-wide config" in out.stderr and str(machine.system) in out.stderr, out.stderr
    machine.user_config.write_text("port = 7400\n")      # what is the user's stays the user's
    assert "port = 7400" in machine.postguard("config").stdout


def test_postguard_system_config_is_ignored_outside_test_mode(machine, monkeypatch):
    """The employee points POSTGUARD_SYSTEM_CONFIG at a file of their own: without the test mode the
    variable means nothing, so neither their key nor their pack comes in."""
    mine = machine.home / "system.toml"
    mine.write_text(f'pack = "{machine.rogue_pack}"\ntrusted_keys = ["{machine.rogue_pub}"]\n')
    out = machine.postguard("config", test_mode=False, POSTGUARD_SYSTEM_CONFIG=str(mine))
    assert out.returncode == 0, out.stderr
    assert str(mine) not in out.stdout.split("read:")[1]
    assert machine.rogue_pub not in out.stdout and "trusted_keys = []" in out.stdout
    # and on a managed machine (a system config at the fixed path) not even the test mode honours it
    monkeypatch.setenv("POSTGUARD_SYSTEM_CONFIG", str(mine))
    place = system_place()
    assert (place.path, place.test) == (mine, True)   # here: nothing at the fixed path, test mode on (conftest)
    import companion.settings as settings_module

    orig = settings_module.fixed_system_path
    try:
        settings_module.fixed_system_path = lambda: machine.system   # "IT installed a system config"
        place = system_place()
        assert (place.path, place.test, place.owners) == (machine.system, False, frozenset({0}))
    finally:
        settings_module.fixed_system_path = orig


def test_a_system_config_anyone_but_it_could_write_is_refused(machine):
    # group- or world-writable: the companion does not start
    for mode in (0o664, 0o646):
        machine.system.chmod(mode)
        out = machine.postguard("serve", "--port", "0")
        assert out.returncode == 2 and "can be written by others" in out.stderr and "refusing to start" in out.stderr
    machine.system.chmod(0o644)
    # a folder above it that others may write to (not sticky): they could swap the file
    machine.system.parent.chmod(0o777)
    out = machine.postguard("config")
    assert out.returncode == 2 and "can be written by others" in out.stderr and str(machine.system.parent) in out.stderr
    machine.system.parent.chmod(0o755)
    assert machine.postguard("config").returncode == 0


def test_a_system_config_owned_by_the_user_is_refused_on_a_managed_install(machine):
    """On a real managed install only root may own it. Played here with the employee's uid: ours
    when the tests do not run as root, else an unprivileged one the file is given to."""
    owners = frozenset({0})
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody").pw_uid
        os.chown(machine.system, nobody, -1)
    else:
        nobody = os.geteuid()
    with pytest.raises(SettingsError, match=f"belongs to uid {nobody}, not to root"):
        check_system_file(machine.system, owners)
    with pytest.raises(SettingsError, match="refusing to start"):
        load_settings({}, place=SystemPlace(machine.system, owners))


def test_on_a_managed_install_the_state_folder_comes_from_the_account_not_the_environment(machine, monkeypatch):
    """XDG_STATE_HOME or HOME set to an empty folder would reset the anti-rollback record."""
    monkeypatch.setenv("POSTGUARD_CONFIG", str(machine.user_config))
    monkeypatch.setenv("XDG_STATE_HOME", str(machine.tmp / "fresh"))
    monkeypatch.setenv("HOME", str(machine.tmp / "fresh-home"))
    managed = load_settings({}, place=SystemPlace(machine.system, frozenset({os.geteuid()})))
    account_home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    assert managed.managed and managed.state_dir == str(account_home / ".local" / "state" / "postguard")
    machine.system.write_text(machine.system.read_text() + 'state_dir = "~/.postguard-state"\n')
    managed = load_settings({}, place=SystemPlace(machine.system, frozenset({os.geteuid()})))
    assert managed.state_dir == str(account_home / ".postguard-state")
    machine.system.unlink()   # unmanaged: the environment decides, as before
    assert load_settings({}, place=SystemPlace(machine.system, frozenset({0}))).state_dir == \
        str(machine.tmp / "fresh" / "postguard")


def test_a_rogue_revision_99_never_loads_and_never_blocks_its_real_revision(machine):
    """The whole attack against a running companion: every way in is refused, the companion keeps
    serving IT's pack, and IT's next revision loads (before, a rogue 99 made it answer 503)."""
    (machine.tmp / "run").mkdir()
    c = CompanionProcess(machine.tmp / "run", pack=None,
                         extra_env={"POSTGUARD_SYSTEM_CONFIG": str(machine.system), "HOME": str(machine.home),
                                    "XDG_CONFIG_HOME": str(machine.home / "config"),
                                    "XDG_STATE_HOME": str(machine.home / "state")})
    try:
        assert _health(c)["pack"]["revision"] == 3 and _health(c)["pack"]["signed"]
        # the employee restarts it their way: refused before it even listens
        out = machine.postguard("serve", "--port", "0", "--trust-key", machine.rogue_pub, "--pack", str(machine.rogue_pack))
        assert out.returncode == 2 and "unmanaged installs only" in out.stderr
        machine.user_config.write_text(f'state_dir = "{machine.tmp / "fresh"}"\n')
        assert machine.postguard("serve", "--port", "0").returncode == 2
        machine.user_config.unlink()
        # a rogue revision 99 put where IT's pack is read (say the folder were the employee's): not signed by IT
        write_signed(machine.tmp / "it" / "pack.yaml", 99, machine.rogue_key, ROGUE)
        deadline = time.monotonic() + 10
        while _health(c).get("reason") != "update_refused" and time.monotonic() < deadline:
            time.sleep(0.2)
        h = _health(c)
        assert h["pack"]["revision"] == 3 and h["reason"] == "update_refused"
        # IT publishes revision 4: it loads
        write_signed(machine.pack, 4, machine.it_key)
        assert _wait_revision(c, 4)["status"] == "ok"
        assert (machine.home / "state" / "postguard").stat().st_mode & 0o777 == 0o700
    finally:
        c.stop()


def test_min_revisions_keep_a_floor_when_the_record_is_deleted(machine, tmp_path):
    """The anti-rollback record lives in the user's state folder, which the user can empty; IT's
    min_revisions in the system config cannot be emptied: an older pack IT once signed stays refused."""
    old = write_signed(tmp_path / "old.yaml", 2, machine.it_key)
    record = tmp_path / "state" / "accepted-revisions.json"
    keys = [parse_public_key(machine.it_pub)]
    holder = PackHolder(FileSource(old), trusted_keys=keys, revisions=RevisionStore(record, {"acme": 3}),
                        clock=lambda: TODAY)
    assert holder.load() is False and holder.pack is None
    assert "acme revision 2 is older than revision 3" in holder.status.error
    s = load_settings({}, place=SystemPlace(machine.system, frozenset({os.geteuid()})))
    assert s.min_revisions == {}
    machine.system.write_text(machine.system.read_text() + "min_revisions = {acme = 3}\n")
    assert load_settings({}, place=SystemPlace(machine.system, frozenset({os.geteuid()}))).min_revisions == {"acme": 3}


PERSONAL = textwrap.dedent("""\
    format: postguard/overlay-v1
    id: my-words
    revision: 1
    extends: acme
    confidential:
      - id: conf.my-side-project
        term: Moonlark
        reason: my own side project
    """)


def test_a_personal_overlay_only_adds_and_only_when_it_allows_it(machine, monkeypatch):
    overlay = machine.home / "mine.yaml"
    overlay.write_text(PERSONAL)
    monkeypatch.setenv("POSTGUARD_CONFIG", str(machine.user_config))
    machine.user_config.write_text(f'personal_overlay = "{overlay}"\n')
    place = SystemPlace(machine.system, frozenset({os.geteuid()}))
    with pytest.raises(SettingsError, match="does not allow a personal overlay"):
        load_settings({}, place=place)
    machine.system.write_text(machine.system.read_text() + "allow_personal_overlay = true\n")
    s = load_settings({}, place=place)
    assert s.personal_overlay == str(overlay)

    from companion.engine.check import CheckRequest, check

    keys = [parse_public_key(k) for k in s.trusted_keys]
    holder = PackHolder(PersonalOverlay(FileSource(machine.pack), overlay), trusted_keys=keys, clock=lambda: TODAY)
    assert holder.load() is True
    assert holder.pack.signature is not None and holder.pack.layers[-1].get("personal")
    rules = {f.rule for f in check(holder.pack, CheckRequest("Moonlark and Blue Heron", "x")).findings}
    assert {"conf.my-side-project", "conf.blue-heron"} <= rules
    # one that would replace IT's term is refused; IT's pack serves without it
    overlay.write_text(PERSONAL.replace("confidential:", "overrides: [conf.blue-heron]\nconfidential:")
                       + "  - id: conf.blue-heron\n    term: Blue Heron\n    reason: x\n    severity: info\n")
    assert holder.load(force=True) is True
    assert [layer["id"] for layer in holder.pack.layers] == ["acme"]
    assert any(f.rule == "conf.blue-heron" and f.severity == "critical"
               for f in check(holder.pack, CheckRequest("Blue Heron soon", "x")).findings)
    with pytest.raises(PackError, match="may only add"):
        _only_adds(FileSource(overlay).fetch(force=True)[0])
