"""The background service files: rendered, written and (Linux) enabled for every user, checked by
systemd's own tools where the machine has them; `--no-start` is the service command's, never serve's;
ExecStart is the `postguard` installed with this Python, not the first one on PATH."""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion import service

ROOT = Path(__file__).resolve().parent.parent
INSTALLED = Path(sys.executable).absolute().parent / "postguard"


def analyze(unit: Path) -> None:
    """systemd-analyze verify: unknown keys, bad ExecStart, a missing program are errors."""
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed here")
    r = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    complaints = [line for line in r.stderr.splitlines() if "default.target" not in line]   # absent in a container
    assert r.returncode == 0 and not complaints, r.stderr


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_execstart_is_the_installed_postguard_not_the_first_on_path(tmp_path):
    decoy = tmp_path / "bin" / "postguard"
    decoy.parent.mkdir()
    decoy.write_text("#!/bin/sh\necho not PostGuard\n")
    decoy.chmod(0o755)
    out = cli("service", "show", "--", "--port", "7312", env={"PATH": f"{decoy.parent}:{os.environ['PATH']}"})
    assert out.returncode == 0, out.stderr
    assert f"ExecStart={INSTALLED} serve --port 7312\n" in out.stdout
    assert str(decoy) not in out.stdout


def test_no_start_is_the_service_commands_own_option(tmp_path):
    """Before: `service install --no-start` wrote `serve --no-start` into the unit (and started it)."""
    out = cli("service", "install", "--no-start", "--", "--port", "7399", env={"HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert "not enabled or started: --no-start" in out.stdout
    unit = (tmp_path / ".config/systemd/user/postguard.service").read_text()
    assert f"ExecStart={INSTALLED} serve --port 7399\n" in unit and "--no-start" not in unit
    assert cli("service", "uninstall", "--no-start", env={"HOME": str(tmp_path)}).returncode == 0
    assert not (tmp_path / ".config/systemd/user/postguard.service").exists()


def test_the_checkout_script_passes_no_start_through(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    out = subprocess.run([str(ROOT / "scripts" / "install-service"), "--no-start", "--", "--port", "7398"],
                         capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    unit = (tmp_path / ".config/systemd/user/postguard.service").read_text()
    assert "serve --port 7398\n" in unit and "--no-start" not in unit


def test_serve_arguments_are_checked_at_install_not_at_every_log_in(tmp_path):
    out = cli("service", "install", "--no-start", "--", "--prot", "7399", env={"HOME": str(tmp_path)})
    assert out.returncode == 2 and "not valid for `postguard serve`" in out.stderr
    assert not (tmp_path / ".config/systemd/user/postguard.service").exists()


def test_the_user_unit_logs_to_the_journal_and_passes_systemd_analyze(tmp_path):
    cmd = service.command(["--pack", "/etc/post guard/pack 100%.yaml", "--port", "7311"])
    text = service.systemd_unit(cmd)
    assert "StandardError=journal" in text and "SyslogIdentifier=postguard" in text
    assert 'serve --pack "/etc/post guard/pack 100%%.yaml" --port 7311' in text   # systemd's quoting and %%
    unit = tmp_path / "postguard.service"
    unit.write_text(text)
    analyze(unit)


def test_the_macos_agent_writes_a_log(tmp_path):
    service.install([], start=False, platform="darwin", home=tmp_path)
    agent = plistlib.loads((tmp_path / "Library/LaunchAgents/com.postguard.companion.plist").read_bytes())
    log = str(tmp_path / "Library/Logs/PostGuard/companion.log")
    assert agent["StandardErrorPath"] == log and agent["StandardOutPath"] == log
    assert agent["ProgramArguments"] == [str(INSTALLED), "serve"]
    assert (tmp_path / "Library/Logs/PostGuard").is_dir()


def test_all_users_unit_is_enabled_for_every_user_and_removed_again(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the all-users install runs as root (CI does); it refuses a postguard a user could replace")
    if not shutil.which("systemctl"):
        pytest.skip("systemctl is not installed here")
    msg = service.install(["--port", "7311"], start=True, platform="linux", all_users=True, root=tmp_path)
    unit = tmp_path / "etc/systemd/user/postguard.service"
    wants = tmp_path / "etc/systemd/user/default.target.wants/postguard.service"
    assert "enabled for every user" in msg
    assert f"ExecStart={INSTALLED} serve --port 7311\n" in unit.read_text()
    assert wants.is_symlink() and os.readlink(wants) == "/etc/systemd/user/postguard.service"   # systemctl --global
    analyze(unit)
    assert service.uninstall(platform="linux", all_users=True, root=tmp_path) == f"removed {unit}"
    assert not unit.exists() and not wants.is_symlink()


def test_all_users_refuses_a_postguard_that_users_could_replace(tmp_path, monkeypatch):
    exe = tmp_path / "shared" / "postguard"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n")
    exe.parent.chmod(0o777)          # anyone could swap the program every user runs
    monkeypatch.setattr(service, "executable", lambda: exe)
    with pytest.raises(service.ServiceError, match="writable by root alone"):
        service.install([], start=False, platform="linux", all_users=True, root=tmp_path)
    assert not (tmp_path / "etc/systemd/user/postguard.service").exists()
