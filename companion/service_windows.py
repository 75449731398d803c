"""The Windows scheduled task that starts the companion at log-on: Task Scheduler XML (schema 1.2,
https://learn.microsoft.com/windows/win32/taskschd/task-scheduler-schema) and the PowerShell that
registers it. One user: the task runs as that user at their log-on. Every user (--all-users, as an
administrator): its principal is the group BUILTIN\\Users (SID S-1-5-32-545, the same in every
language), so at each user's log-on it runs as that user, with that user's %LOCALAPPDATA%.

The task has no console, so the companion writes its own log (serve --log-file, expanded in each
user's process): %LOCALAPPDATA%\\PostGuard\\logs\\companion.log.
"""

from __future__ import annotations

import base64
import subprocess
from xml.sax.saxutils import escape

TASK = "PostGuard companion"
USERS_GROUP_SID = "S-1-5-32-545"   # BUILTIN\Users
LOG_FILE = r"%LOCALAPPDATA%\PostGuard\logs\companion.log"
NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"


def with_log_file(cmd: list[str]) -> list[str]:
    """The serve command with --log-file, unless it names its own."""
    return cmd if any(a == "--log-file" or a.startswith("--log-file=") for a in cmd) else [*cmd, "--log-file", LOG_FILE]


def task_xml(cmd: list[str], user: str | None) -> str:
    """The task: at log-on of `user` (DOMAIN\\name) and as that user, or with user None, at every
    user's log-on as that user. No time limit (the default stops a task after 72 hours); restarted
    three times a minute apart if it fails; runs on battery."""
    exe, *args = cmd
    who = f"<UserId>{escape(user)}</UserId>" if user else ""
    principal = (f"<UserId>{escape(user)}</UserId>\n      <LogonType>InteractiveToken</LogonType>" if user
                 else f"<GroupId>{USERS_GROUP_SID}</GroupId>")
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="{NS}">
  <RegistrationInfo>
    <Author>PostGuard</Author>
    <Description>PostGuard companion: checks social-media drafts on 127.0.0.1</Description>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger>
      <Enabled>true</Enabled>{who and chr(10) + "      " + who}
    </LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      {principal}
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <Enabled>true</Enabled>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>3</Count>
    </RestartOnFailure>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(exe)}</Command>
      <Arguments>{escape(subprocess.list2cmdline(args))}</Arguments>
    </Exec>
  </Actions>
</Task>
"""


def register_script(xml: str, start: bool) -> str:
    """PowerShell that registers (replaces) the task; the XML in a literal here-string, so nothing in it
    is interpreted. `start`: run it now too (for one user; every user gets it at their next log-on)."""
    if "\n'@" in xml:
        raise ValueError("the task XML cannot contain a line starting with '@")
    return (f"$xml = @'\n{xml.rstrip(chr(10))}\n'@\n"
            f"Register-ScheduledTask -TaskName '{TASK}' -Xml $xml -Force | Out-Null\n"
            + (f"Start-ScheduledTask -TaskName '{TASK}'\n" if start else ""))


def unregister_script() -> str:
    return f"Unregister-ScheduledTask -TaskName '{TASK}' -Confirm:$false\n"


def powershell(script: str) -> list[str]:
    """The command that runs `script`: -EncodedCommand (UTF-16LE, base64) so no quoting can go wrong."""
    return ["powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand",
            base64.b64encode(script.encode("utf-16-le")).decode()]
