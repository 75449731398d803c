"""Install the companion as a background service that starts at log-on, for one user or, with
--all-users, for every user of the machine: a systemd user unit (Linux; /etc/systemd/user for all), a
launchd agent (macOS; /Library/LaunchAgents for all), or a scheduled task (Windows; the BUILTIN\\Users
group for all: companion/service_windows.py).
`postguard service install|uninstall|show [--all-users] [--no-start] [-- SERVE ARGS]`.

The service runs the `postguard` installed with the Python running this command (its venv's bin/ or
Scripts\\ folder), never whichever `postguard` comes first on PATH. Logs: the journal on Linux
(`journalctl --user -u postguard`), ~/Library/Logs/PostGuard/companion.log on macOS,
%LOCALAPPDATA%\\PostGuard\\logs\\companion.log on Windows (the last two written by the companion itself
where one file serves every user: serve --log-file, expanded in each user's process).
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from companion import service_windows

LABEL = "com.postguard.companion"
UNIT = "postguard.service"
TASK = service_windows.TASK
GLOBAL_UNIT_DIR = Path("etc/systemd/user")   # under the system root: user units for every user
GLOBAL_AGENT_DIR = Path("Library/LaunchAgents")   # under the system root: agents for every user
MAC_LOG = "Library/Logs/PostGuard/companion.log"   # under each user's home


class ServiceError(ValueError):
    pass


def executable() -> Path:
    """The `postguard` script installed beside this Python (the same venv), not one found on PATH."""
    folder = Path(sys.executable).absolute().parent
    exe = folder / ("postguard.exe" if sys.platform == "win32" else "postguard")
    if not exe.is_file():
        raise ServiceError(f"{exe} does not exist: install PostGuard into this Python first (pip install …)")
    return exe


def command(extra: list[str]) -> list[str]:
    """How to start the companion from this installation."""
    return [str(executable()), "serve", *extra]


def check_root_owned(path: Path) -> None:
    """A program every user runs must be root's: the file and every folder above it owned by root and
    writable by nobody else, or one user could put code that runs as every other user."""
    for p in dict.fromkeys([path, *path.parents, path.resolve(), *path.resolve().parents]):
        st = os.stat(p)
        sticky_dir = stat.S_ISDIR(st.st_mode) and st.st_mode & stat.S_ISVTX
        if st.st_uid != 0 or (st.st_mode & 0o022 and not sticky_dir):
            raise ServiceError(f"{path}: {p} must belong to root and be writable by root alone, since every user "
                               f"will run it; install PostGuard system-wide (e.g. a venv in /opt/postguard)")


def _systemd_word(arg: str) -> str:
    """One ExecStart argument, quoted for systemd (specifiers % and variables $ escaped)."""
    word = arg.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_unit(cmd: list[str]) -> str:
    return (
        "[Unit]\nDescription=PostGuard companion (checks social-media drafts on 127.0.0.1)\n\n"
        "[Service]\n"
        f"ExecStart={' '.join(_systemd_word(c) for c in cmd)}\n"
        "Restart=on-failure\nRestartSec=5\n"
        # the log: journalctl --user -u postguard (never a draft: companion/api/app.py)
        "StandardOutput=journal\nStandardError=journal\nSyslogIdentifier=postguard\n"
        # The companion only needs loopback and its own config/state; keep everything else away.
        "NoNewPrivileges=yes\nPrivateTmp=yes\nRestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n\n"
        "[Install]\nWantedBy=default.target\n"
    )


def launchd_plist(cmd: list[str], log: Path | None = None, all_users: bool = False) -> str:
    """One user's agent logs through launchd to `log`. launchd expands no `~`, so the agent for every
    user has the companion write its own log under each user's home (serve --log-file) and loads only
    in a user's graphical session (Aqua), not for ssh or background log-ins."""
    if all_users:
        cmd = [*cmd, "--log-file", f"~/{MAC_LOG}"]
    args = "".join(f"    <string>{escape(c)}</string>\n" for c in cmd)
    logs = "".join(f"  <key>{k}</key>\n  <string>{escape(str(log))}</string>\n"
                   for k in ("StandardOutPath", "StandardErrorPath")) if log and not all_users else ""
    logs += "  <key>LimitLoadToSessionType</key>\n  <string>Aqua</string>\n" if all_users else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n<dict>\n'
        f"  <key>Label</key>\n  <string>{LABEL}</string>\n"
        f"  <key>ProgramArguments</key>\n  <array>\n{args}  </array>\n"
        "  <key>RunAtLoad</key>\n  <true/>\n  <key>KeepAlive</key>\n  <true/>\n"
        f"{logs}</dict>\n</plist>\n"
    )


def windows_user() -> str:
    """DOMAIN\\name of the user running this, for a task of their own."""
    domain, name = os.environ.get("USERDOMAIN"), os.environ.get("USERNAME")
    if not name:
        raise ServiceError("USERNAME is not set: cannot tell whose log-on starts the task")
    return f"{domain}\\{name}" if domain else name


def windows_script(cmd: list[str], all_users: bool = False, start: bool = True) -> str:
    """The PowerShell that registers the task (what `service show` prints and `install` runs)."""
    xml = service_windows.task_xml(service_windows.with_log_file(cmd), None if all_users else windows_user())
    return service_windows.register_script(xml, start=start and not all_users)


def target(platform: str = sys.platform, home: Path | None = None, all_users: bool = False,
           root: Path = Path("/")) -> Path | None:
    home = home or Path.home()
    if platform.startswith("linux"):
        return root / GLOBAL_UNIT_DIR / UNIT if all_users else home / ".config" / "systemd" / "user" / UNIT
    if platform == "darwin":
        return root / GLOBAL_AGENT_DIR / f"{LABEL}.plist" if all_users else home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
    return None


def mac_log(home: Path) -> Path:
    return home / MAC_LOG


def render(cmd: list[str], platform: str = sys.platform, home: Path | None = None, all_users: bool = False,
           start: bool = True) -> str:
    if platform.startswith("linux"):
        return systemd_unit(cmd)
    if platform == "darwin":
        return launchd_plist(cmd, mac_log(home or Path.home()), all_users)
    return windows_script(cmd, all_users, start)


def _systemctl(all_users: bool, root: Path, *args: str, check: bool = True) -> None:
    scope = ["--global", *([f"--root={root}"] if root != Path("/") else [])] if all_users else ["--user"]
    subprocess.run(["systemctl", *scope, *args], check=check)


def install(extra: list[str], start: bool = True, platform: str = sys.platform, home: Path | None = None,
            all_users: bool = False, root: Path = Path("/")) -> str:
    """Write the service file and (unless `start` is False) enable and start it. All users: it starts
    at each user's next log-in (Linux: /etc/systemd/user, enabled for every user; macOS:
    /Library/LaunchAgents, which launchd reads at every log-in; Windows: a task for BUILTIN\\Users)."""
    cmd = command(extra)
    path = target(platform, home, all_users, root)
    if path is None:
        if not start:
            return "nothing done on Windows with --no-start: `service show` prints the PowerShell that registers the task"
        subprocess.run(service_windows.powershell(windows_script(cmd, all_users, start)), check=True)
        return f"scheduled task '{TASK}' registered" + (" for every user: it starts at each one's next log-on" if all_users else "")
    if all_users:
        if root == Path("/") and os.geteuid() != 0:
            raise ServiceError(f"--all-users writes {path.parent}: run it as root")
        check_root_owned(Path(cmd[0]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(cmd, platform, home, all_users), encoding="utf-8")
    if platform == "darwin" and not all_users:
        mac_log(home or Path.home()).parent.mkdir(parents=True, exist_ok=True)
    if platform == "darwin" and all_users:
        path.chmod(0o644)   # launchd ignores an agent others could write
        return f"wrote {path}: launchd starts it at each user's next log-in"
    if start:
        if platform.startswith("linux") and all_users:
            _systemctl(True, root, "enable", UNIT)
        elif platform.startswith("linux"):
            _systemctl(False, root, "daemon-reload")
            _systemctl(False, root, "enable", "--now", UNIT)
        else:
            subprocess.run(["launchctl", "load", "-w", str(path)], check=True)
    if not start:
        return f"wrote {path} (not enabled or started: --no-start)"
    return f"wrote {path}" + (", enabled for every user: it starts at each one's next log-in" if all_users else "")


def uninstall(start: bool = True, platform: str = sys.platform, home: Path | None = None,
              all_users: bool = False, root: Path = Path("/")) -> str:
    path = target(platform, home, all_users, root)
    if path is None:
        if start:
            subprocess.run(service_windows.powershell(service_windows.unregister_script()), check=True)
        return f"scheduled task '{TASK}' removed"
    if start and path.exists() and not (platform == "darwin" and all_users):
        if platform.startswith("linux"):
            _systemctl(all_users, root, "disable", *([] if all_users else ["--now"]), UNIT, check=False)
        else:
            subprocess.run(["launchctl", "unload", "-w", str(path)], check=False)
    existed = path.exists()
    path.unlink(missing_ok=True)
    if start and platform.startswith("linux") and not all_users:
        _systemctl(False, root, "daemon-reload", check=False)
    return f"removed {path}" if existed else f"nothing to remove at {path}"
