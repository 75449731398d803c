"""A real `postguard serve` process for tests that need the service itself (privacy, e2e, bench)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PACK = ROOT / "policy_packs" / "example" / "nimbusco.yaml"
TEST_PACK = ROOT / "tests" / "data" / "test_pack.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CompanionProcess:
    """A real `postguard serve` on a free loopback port, its stderr captured to a file."""

    def __init__(self, workdir: Path, pack: Path | str | None = EXAMPLE_PACK, extra_env: dict | None = None,
                 extra_args: list[str] = ()):
        self.port = free_port()
        self.workdir = workdir
        self.log_path = workdir / "companion.log"
        env = {**os.environ, "HOME": str(workdir), "XDG_CONFIG_HOME": str(workdir / "config"),
               "XDG_DATA_HOME": str(workdir / "data"), "XDG_STATE_HOME": str(workdir / "state"),
               "TMPDIR": str(workdir / "tmp"), "POSTGUARD_SYSTEM_CONFIG": str(workdir / "no-system-config.toml"),
               # never touch the developer's real keyring: tokens go to the file fallback under workdir
               "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
               **(extra_env or {})}
        (workdir / "tmp").mkdir(exist_ok=True)
        args = [sys.executable, "-m", "companion", "serve", "--port", str(self.port)]
        if pack:
            args += ["--pack", str(pack)]
        args += list(extra_args)
        self.env = env
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, cwd=workdir, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"companion exited: {self.log_path.read_text(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("companion did not start listening within 30 s")

    def cli(self, *args: str) -> str:
        """Run `postguard ARGS` as the same user as the companion (same state folder and keyring)."""
        out = subprocess.run([sys.executable, "-m", "companion", *args], cwd=self.workdir, env=self.env,
                             capture_output=True, text=True, timeout=60, check=True)
        return out.stdout

    def token(self) -> str:
        """The install's token, through `postguard token` (as an IT script would get it)."""
        return self.cli("token").strip()

    def pairing_code(self) -> str:
        return self.cli("pair").split("Pairing code: ")[1].split()[0]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")
