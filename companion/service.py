"""Install the companion as a per-user background service: systemd user unit (Linux), launchd agent
(macOS), or a scheduled task at log-on (Windows). `postguard service install|uninstall|show`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

LABEL = "com.postguard.companion"
UNIT = "postguard.service"
TASK = "PostGuard companion"


def command(extra: list[str]) -> list[str]:
    """How to start the companion from this installation."""
    exe = shutil.which("postguard") or str(Path(sys.executable).with_name("postguard"))
    return [exe, "serve", *extra]


def systemd_unit(cmd: list[str]) -> str:
    quoted = " ".join(f'"{c}"' if " " in c else c for c in cmd)
    return (
        "[Unit]\nDescription=PostGuard companion (checks social-media drafts on 127.0.0.1)\n\n"
        "[Service]\n"
        f"ExecStart={quoted}\n"
        "Restart=on-failure\nRestartSec=5\n"
        # The companion only needs loopback and its own config/state; keep everything else away.
        "NoNewPrivileges=yes\nPrivateTmp=yes\nRestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n\n"
        "[Install]\nWantedBy=default.target\n"
    )


def launchd_plist(cmd: list[str]) -> str:
    args = "".join(f"    <string>{escape(c)}</string>\n" for c in cmd)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n<dict>\n'
        f"  <key>Label</key>\n  <string>{LABEL}</string>\n"
        f"  <key>ProgramArguments</key>\n  <array>\n{args}  </array>\n"
        "  <key>RunAtLoad</key>\n  <true/>\n  <key>KeepAlive</key>\n  <true/>\n"
        "</dict>\n</plist>\n"
    )


def windows_task_command(cmd: list[str]) -> list[str]:
    exe, *args = cmd
    action = f"New-ScheduledTaskAction -Execute '{exe}' -Argument '{' '.join(args)}'"
    return ["powershell", "-NoProfile", "-Command",
            f"Register-ScheduledTask -TaskName '{TASK}' -Action ({action}) "
            "-Trigger (New-ScheduledTaskTrigger -AtLogOn) -Settings (New-ScheduledTaskSettingsSet "
            "-RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1)) -Force"]


def target(platform: str = sys.platform, home: Path | None = None) -> Path | None:
    home = home or Path.home()
    if platform.startswith("linux"):
        return home / ".config" / "systemd" / "user" / UNIT
    if platform == "darwin":
        return home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
    return None


def render(cmd: list[str], platform: str = sys.platform) -> str:
    if platform.startswith("linux"):
        return systemd_unit(cmd)
    if platform == "darwin":
        return launchd_plist(cmd)
    return " ".join(windows_task_command(cmd))


def install(extra: list[str], start: bool = True, platform: str = sys.platform, home: Path | None = None) -> str:
    cmd = command(extra)
    path = target(platform, home)
    if path is None:
        if start:
            subprocess.run(windows_task_command(cmd), check=True)
            subprocess.run(["powershell", "-NoProfile", "-Command", f"Start-ScheduledTask -TaskName '{TASK}'"], check=True)
        return f"scheduled task '{TASK}' registered"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(cmd, platform), encoding="utf-8")
    if start:
        if platform.startswith("linux"):
            subprocess.run(["systemctl", "--user", "daemon-reload"], check=True)
            subprocess.run(["systemctl", "--user", "enable", "--now", UNIT], check=True)
        else:
            subprocess.run(["launchctl", "load", "-w", str(path)], check=True)
    return f"wrote {path}" + ("" if start else " (not started: --no-start)")


def uninstall(start: bool = True, platform: str = sys.platform, home: Path | None = None) -> str:
    path = target(platform, home)
    if path is None:
        if start:
            subprocess.run(["powershell", "-NoProfile", "-Command",
                            f"Unregister-ScheduledTask -TaskName '{TASK}' -Confirm:$false"], check=True)
        return f"scheduled task '{TASK}' removed"
    if start and path.exists():
        if platform.startswith("linux"):
            subprocess.run(["systemctl", "--user", "disable", "--now", UNIT], check=False)
        else:
            subprocess.run(["launchctl", "unload", "-w", str(path)], check=False)
    existed = path.exists()
    path.unlink(missing_ok=True)
    if start and platform.startswith("linux"):
        subprocess.run(["systemctl", "--user", "daemon-reload"], check=False)
    return f"removed {path}" if existed else f"nothing to remove at {path}"
