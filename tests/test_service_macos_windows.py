"""The service files for macOS and Windows, for one user and for every user, read back here since
those systems are not on this machine: the LaunchAgent through plistlib, the scheduled task's XML
against the Task Scheduler schema's rules (the element lists and types of
learn.microsoft.com/windows/win32/taskschd/task-scheduler-schema), the PowerShell that `service show`
prints against the command `install` runs. And the log they rely on: a real companion started with the
agent's own --log-file writes its log under the user's home (~ expanded by the companion).
Not proven here: launchd loading the agent and Task Scheduler registering the task (docs/it-guide.md)."""

from __future__ import annotations

import base64
import http.client
import json
import ntpath
import os
import plistlib
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from companion import logfile, service, service_windows
from tests.companion_process import CompanionProcess

INSTALLED = Path(sys.executable).absolute().parent / "postguard"
NS = {"t": service_windows.NS}
# The Task Scheduler schema (xs:all: each at most once, any order) for the elements the task uses.
TASK_CHILDREN = {"RegistrationInfo", "Triggers", "Settings", "Data", "Principals", "Actions"}
PRINCIPAL_CHILDREN = {"UserId", "LogonType", "GroupId", "DisplayName", "RunLevel", "ProcessTokenSidType", "RequiredPrivileges"}
SETTINGS_CHILDREN = {"AllowStartOnDemand", "RestartOnFailure", "MultipleInstancesPolicy", "DisallowStartIfOnBatteries",
                     "StopIfGoingOnBatteries", "AllowHardTerminate", "StartWhenAvailable", "NetworkProfileName",
                     "RunOnlyIfNetworkAvailable", "WakeToRun", "Enabled", "Hidden", "DeleteExpiredTaskAfter", "IdleSettings",
                     "NetworkSettings", "ExecutionTimeLimit", "Priority", "RunOnlyIfIdle", "UseUnifiedSchedulingEngine",
                     "DisallowStartOnRemoteAppSession"}
BOOLEAN_SETTINGS = SETTINGS_CHILDREN - {"RestartOnFailure", "MultipleInstancesPolicy", "NetworkProfileName", "DeleteExpiredTaskAfter",
                                        "IdleSettings", "NetworkSettings", "ExecutionTimeLimit", "Priority"}
DURATION = re.compile(r"P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?")
LAUNCHD_KEYS = {"Label", "ProgramArguments", "RunAtLoad", "KeepAlive", "StandardOutPath", "StandardErrorPath",
                "LimitLoadToSessionType"}


def local(el: ET.Element) -> str:
    return el.tag.split("}")[1]


def only_children(el: ET.Element, allowed: set[str]) -> dict[str, ET.Element]:
    names = [local(c) for c in el]
    assert set(names) <= allowed and len(names) == len(set(names)), (local(el), names)
    return {local(c): c for c in el}


def validate_task(xml: str) -> ET.Element:
    """The rules of the schema for what the task uses; the parsed task."""
    task = ET.fromstring(xml)
    assert task.tag == f"{{{service_windows.NS}}}Task" and task.get("version") == "1.2"
    parts = only_children(task, TASK_CHILDREN)
    assert "Actions" in parts                                            # the only required child
    triggers = list(parts["Triggers"])
    assert [local(t) for t in triggers] == ["LogonTrigger"]
    assert only_children(triggers[0], {"Enabled", "UserId", "Delay", "StartBoundary", "EndBoundary", "Repetition",
                                       "ExecutionTimeLimit", "Id"})["Enabled"].text == "true"
    principals = list(parts["Principals"])
    assert len(principals) == 1
    principal = only_children(principals[0], PRINCIPAL_CHILDREN)
    assert ("UserId" in principal) != ("GroupId" in principal)
    assert all(p.text and p.text.strip() for p in principal.values())    # nonEmptyString
    assert principal["RunLevel"].text in ("LeastPrivilege", "HighestAvailable")
    if "LogonType" in principal:
        assert principal["LogonType"].text in ("S4U", "Password", "InteractiveToken", "InteractiveTokenOrPassword", "Group",
                                               "ServiceAccount", "None")
    settings = only_children(parts["Settings"], SETTINGS_CHILDREN)
    for name, el in settings.items():
        if name in BOOLEAN_SETTINGS:
            assert el.text in ("true", "false"), name
    assert settings["MultipleInstancesPolicy"].text in ("Parallel", "Queue", "IgnoreNew", "StopExisting")
    assert DURATION.fullmatch(settings["ExecutionTimeLimit"].text)
    restart = only_children(settings["RestartOnFailure"], {"Interval", "Count"})
    assert DURATION.fullmatch(restart["Interval"].text) and 1 <= int(restart["Count"].text) <= 999
    actions = parts["Actions"]
    assert actions.get("Context") == principals[0].get("id")             # the action runs as that principal
    execs = list(actions)
    assert [local(e) for e in execs] == ["Exec"]
    assert only_children(execs[0], {"Command", "Arguments", "WorkingDirectory"})["Command"].text.strip()
    return task


def windows_argv(line: str) -> list[str]:
    """Split a command line as the Microsoft C runtime does (backslashes before a quote escape it)."""
    out, cur, i, quoted, any_ = [], "", 0, False, False
    while i < len(line):
        c = line[i]
        if c == "\\":
            n = len(line[i:]) - len(line[i:].lstrip("\\"))
            if i + n < len(line) and line[i + n] == '"':
                cur += "\\" * (n // 2)
                if n % 2:
                    cur += '"'
                    i += n + 1
                else:
                    i += n
                continue
            cur += "\\" * n
            i += n
            continue
        if c == '"':
            quoted, any_ = not quoted, True
        elif c in " \t" and not quoted:
            if cur or any_:
                out.append(cur)
            cur, any_ = "", False
        else:
            cur += c
        i += 1
    if cur or any_:
        out.append(cur)
    return out


WIN_EXE = r"C:\Program Files\PostGuard\Scripts\postguard.exe"
WIN_ARGS = ["serve", "--pack", r"C:\Policies\Post Guard\pack 100%.yaml", "--overlay", r'C:\odd "name"\x.yaml']


def test_the_task_for_every_user_is_the_users_group_at_each_log_on_with_a_log_file():
    xml = service_windows.task_xml(service_windows.with_log_file([WIN_EXE, *WIN_ARGS]), user=None)
    task = validate_task(xml)
    principal = task.find("t:Principals/t:Principal", NS)
    assert principal.find("t:GroupId", NS).text == "S-1-5-32-545"           # BUILTIN\Users, any language
    assert principal.find("t:RunLevel", NS).text == "LeastPrivilege"
    assert task.find("t:Triggers/t:LogonTrigger/t:UserId", NS) is None     # anyone's log-on
    assert task.find("t:Settings/t:ExecutionTimeLimit", NS).text == "PT0S"   # never stopped after 72 h
    assert task.find("t:Actions/t:Exec/t:Command", NS).text == WIN_EXE
    argv = windows_argv(task.find("t:Actions/t:Exec/t:Arguments", NS).text)
    assert argv == [*WIN_ARGS, "--log-file", r"%LOCALAPPDATA%\PostGuard\logs\companion.log"]


def test_the_task_for_one_user_runs_at_their_log_on_as_them(monkeypatch):
    monkeypatch.setenv("USERDOMAIN", "NIMBUS")
    monkeypatch.setenv("USERNAME", "dana")
    script = service.windows_script([WIN_EXE, "serve", "--log-file", r"D:\logs\pg.log"], all_users=False, start=True)
    xml = script.split("@'\n", 1)[1].split("\n'@", 1)[0]
    task = validate_task(xml)
    assert task.find("t:Triggers/t:LogonTrigger/t:UserId", NS).text == "NIMBUS\\dana"
    assert task.find("t:Principals/t:Principal/t:UserId", NS).text == "NIMBUS\\dana"
    assert task.find("t:Principals/t:Principal/t:LogonType", NS).text == "InteractiveToken"
    assert windows_argv(task.find("t:Actions/t:Exec/t:Arguments", NS).text) == ["serve", "--log-file", r"D:\logs\pg.log"]
    assert script.endswith("Start-ScheduledTask -TaskName 'PostGuard companion'\n")
    monkeypatch.delenv("USERNAME")
    with pytest.raises(service.ServiceError, match="USERNAME"):
        service.windows_script([WIN_EXE, "serve"])


def test_what_show_prints_is_what_install_runs(monkeypatch):
    """On Windows `install` runs PowerShell -EncodedCommand; decoded, it is `service show`'s text."""
    ran = []
    monkeypatch.setattr(service.subprocess, "run", lambda cmd, check: ran.append(cmd))
    for all_users in (True, False):
        monkeypatch.setenv("USERNAME", "dana")
        shown = service.render(service.command(["--port", "7312"]), platform="win32", all_users=all_users)
        assert service.install(["--port", "7312"], platform="win32", all_users=all_users).startswith("scheduled task")
        cmd = ran.pop()
        assert cmd[:4] == ["powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand"]
        assert base64.b64decode(cmd[4]).decode("utf-16-le") == shown
        assert shown.startswith("$xml = @'\n<?xml") and "Register-ScheduledTask -TaskName 'PostGuard companion' -Xml $xml -Force" in shown
        assert ("Start-ScheduledTask" in shown) is not all_users          # every user: at their next log-on
        validate_task(shown.split("@'\n", 1)[1].split("\n'@", 1)[0])
    assert service.install([], start=False, platform="win32").startswith("nothing done")
    assert ran == []
    service.uninstall(platform="win32")
    assert base64.b64decode(ran.pop()[4]).decode("utf-16-le") == "Unregister-ScheduledTask -TaskName 'PostGuard companion' -Confirm:$false\n"


def test_show_all_users_passes_through_the_cli():
    """`postguard service show --all-users` on this machine prints the systemd unit; the Windows text
    comes from the same render() (above). Here: the CLI passes --all-users and --no-start through."""
    out = subprocess.run([sys.executable, "-m", "companion", "service", "show", "--all-users", "--", "--port", "7313"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert f"ExecStart={INSTALLED} serve --port 7313\n" in out.stdout


def test_the_agent_for_every_user_has_each_user_log_to_their_own_library(tmp_path):
    agent = plistlib.loads(service.launchd_plist([str(INSTALLED), "serve", "--port", "7311"], all_users=True).encode())
    assert set(agent) <= LAUNCHD_KEYS
    assert agent["Label"] == "com.postguard.companion" and agent["RunAtLoad"] is True and agent["KeepAlive"] is True
    assert agent["ProgramArguments"] == [str(INSTALLED), "serve", "--port", "7311",
                                         "--log-file", "~/Library/Logs/PostGuard/companion.log"]
    assert agent["LimitLoadToSessionType"] == "Aqua"                        # graphical log-ins, not ssh
    assert "StandardErrorPath" not in agent                                  # launchd would not expand ~
    assert service.target("darwin", all_users=True, root=tmp_path) == tmp_path / "Library/LaunchAgents/com.postguard.companion.plist"


def test_the_agent_for_every_user_is_written_root_owned_and_removed(tmp_path, monkeypatch):
    if os.geteuid() != 0:
        pytest.skip("the all-users install runs as root (CI does); it refuses a postguard a user could replace")
    ran = []
    monkeypatch.setattr(service.subprocess, "run", lambda *a, **k: ran.append(a))
    msg = service.install([], platform="darwin", all_users=True, root=tmp_path)
    path = tmp_path / "Library/LaunchAgents/com.postguard.companion.plist"
    assert msg == f"wrote {path}: launchd starts it at each user's next log-in"
    assert path.stat().st_mode & 0o777 == 0o644 and path.stat().st_uid == 0
    assert plistlib.loads(path.read_bytes())["ProgramArguments"][-1] == "~/Library/Logs/PostGuard/companion.log"
    assert ran == []                                                         # no launchctl as root: that is the system domain
    assert service.uninstall(platform="darwin", all_users=True, root=tmp_path) == f"removed {path}"
    assert not path.exists() and ran == []


def test_the_agent_for_every_user_refuses_a_postguard_users_could_replace(tmp_path, monkeypatch):
    exe = tmp_path / "shared" / "postguard"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n")
    exe.parent.chmod(0o777)
    monkeypatch.setattr(service, "executable", lambda: exe)
    with pytest.raises(service.ServiceError, match="writable by root alone"):
        service.install([], platform="darwin", all_users=True, root=tmp_path)
    assert not (tmp_path / "Library/LaunchAgents/com.postguard.companion.plist").exists()


def test_windows_log_path_expands_in_each_users_process(monkeypatch):
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\dana\AppData\Local")
    assert ntpath.expandvars(service_windows.LOG_FILE) == r"C:\Users\dana\AppData\Local\PostGuard\logs\companion.log"
    monkeypatch.delenv("LOCALAPPDATA")
    with pytest.raises(OSError, match="not set"):      # here, or a user without it: a clear refusal
        logfile.file_handler(service_windows.LOG_FILE)


@pytest.fixture(scope="module")
def agent_companion(tmp_path_factory):
    """A real companion started with the macOS agent's --log-file, HOME a fresh folder."""
    home = tmp_path_factory.mktemp("home")
    proc = CompanionProcess(home, extra_args=["--log-file", "~/Library/Logs/PostGuard/companion.log"])
    try:
        yield proc, home
    finally:
        proc.stop()


def test_the_companion_writes_the_agents_log_under_the_users_home(agent_companion):
    proc, home = agent_companion
    log = home / "Library/Logs/PostGuard/companion.log"
    assert log.is_file()
    line = f"PostGuard companion on http://127.0.0.1:{proc.port} serving"
    assert _wait_for(log, line), log.read_text(encoding="utf-8")


def _wait_for(path, line, seconds=10):
    """The log is written from a background thread: the line may land after the port answers."""
    deadline = time.monotonic() + seconds
    while line not in path.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.05)
    return line in path.read_text(encoding="utf-8")


def test_the_log_file_holds_no_draft(agent_companion):
    """The file sink gets the same records as stderr (tests/test_privacy.py): requests, never a draft."""
    proc, home = agent_companion
    marker = "Zqx7MarkerDraft"
    conn = http.client.HTTPConnection("127.0.0.1", proc.port, timeout=10)
    for text in (f"{marker} alone at the depot at 4am", marker * 6000):      # an answer, and a 413
        conn.request("POST", "/v1/check", body=json.dumps({"text": text, "platform": "x"}),
                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {proc.token()}"})
        conn.getresponse().read()
    conn.close()
    path = home / "Library/Logs/PostGuard/companion.log"
    assert _wait_for(path, "POST /v1/check 413")  # a refused request is logged (a successful one only with --verbose)
    text = path.read_text(encoding="utf-8")
    assert marker.lower() not in text.lower() and marker.lower() not in proc.log().lower()


def test_an_unwritable_log_file_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("")
    out = subprocess.run([sys.executable, "-m", "companion", "serve", "--port", "0", "--log-file", str(tmp_path / "file" / "x.log")],
                         capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(tmp_path)})
    assert out.returncode == 2 and f"cannot write the log file {tmp_path / 'file' / 'x.log'}" in out.stderr
