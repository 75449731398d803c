"""A real `postguard serve` process for tests that need the service itself (privacy, e2e, bench)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PACK = ROOT / "policy_packs" / "example" / "nimbusco.yaml"
TEST_PACK = ROOT / "tests" / "data" / "test_pack.yaml"
_warm: dict[Path, Path] = {}     # pack -> a compiled-pack cache folder this test process filled


def _warm_cache(pack: Path) -> Path:
    """A compiled-pack cache folder holding `pack`, compiled here once per test process with its
    examples run, as a companion that served it before would have left it."""
    if pack not in _warm:
        import atexit
        import tempfile

        from companion.pack.sources import FileSource
        from companion.packcache import PackCache
        from companion.packstate import PackHolder

        folder = Path(tempfile.mkdtemp(prefix="pg-warm-cache-")) / "compiled"
        atexit.register(shutil.rmtree, folder.parent, True)
        holder = PackHolder(FileSource(pack), cache=PackCache(folder))
        assert holder.load() is True and holder.status.error is None, holder.status.error
        _warm[pack] = folder
    return _warm[pack]


def free_port() -> int:
    """A port nothing listens on right now (for "nothing answers there" tests; never to start a companion on)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CompanionProcess:
    """A real `postguard serve`, its stderr captured to a file. It binds a free loopback port itself
    (`--port 0`) and reports the port and its pid in a ready file once listening, so no other
    program can take the port between a check and the bind. A restart binds the same port again.

    With `warm` (the default), a new state folder starts with the example or test pack already in its
    compiled-pack cache, as after an earlier start: the companion reads it back instead of compiling it
    and running its examples again, about 3 s of every start. The cold path is tested on packs of its
    own (tests/test_packcache.py), and with `warm=False`."""

    def __init__(self, workdir: Path, pack: Path | str | None = EXAMPLE_PACK, extra_env: dict | None = None,
                 extra_args: list[str] = (), warm: bool = True):
        self.port = 0
        self.pid: int | None = None
        self.workdir = workdir
        self.log_path = workdir / "companion.log"
        self.ready_path = workdir / "companion-ready.json"
        env = {**os.environ, "HOME": str(workdir), "XDG_CONFIG_HOME": str(workdir / "config"),
               "XDG_DATA_HOME": str(workdir / "data"), "XDG_STATE_HOME": str(workdir / "state"),
               "TMPDIR": str(workdir / "tmp"), "POSTGUARD_SYSTEM_CONFIG": str(workdir / "no-system-config.toml"),
               "POSTGUARD_TEST_MODE": "1",   # POSTGUARD_SYSTEM_CONFIG is honoured only in test mode
               # never touch the developer's real keyring: tokens go to the file fallback under workdir
               "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
               **(extra_env or {})}
        (workdir / "tmp").mkdir(exist_ok=True)
        self.pack = pack
        if warm and pack in (EXAMPLE_PACK, TEST_PACK, None) and "XDG_STATE_HOME" not in (extra_env or {}):
            from companion.pack.compiled import BUNDLED_PACK  # what `serve` without --pack serves

            self._seed_cache(Path(pack) if pack else BUNDLED_PACK)
        self.extra_args = list(extra_args)
        self.env = env
        self._log = open(self.log_path, "wb")
        self.start()

    def _seed_cache(self, pack: Path) -> None:
        compiled = self.workdir / "state" / "postguard" / "compiled"
        if not compiled.exists():
            compiled.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copytree(_warm_cache(pack), compiled)

    def args(self) -> list[str]:
        args = [sys.executable, "-m", "companion", "serve", "--port", str(self.port),
                "--ready-file", str(self.ready_path)]
        if self.pack:
            args += ["--pack", str(self.pack)]
        return args + self.extra_args

    def start(self) -> None:
        self.ready_path.unlink(missing_ok=True)
        if self._log.closed:
            self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.args(), cwd=self.workdir, env=self.env, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        self._wait_ready()

    def restart(self) -> None:
        """Start a stopped companion again: same port, same state folder (same token), same pack."""
        assert self.proc.poll() is not None, "stop the companion before restarting it"
        self.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"companion exited: {self.log_path.read_text(errors='replace')}")
            try:
                ready = json.loads(self.ready_path.read_text())
            except (OSError, ValueError):
                time.sleep(0.05)
                continue
            assert ready["pid"] == self.proc.pid, ready
            self.port, self.pid = ready["port"], ready["pid"]
            return
        raise RuntimeError("companion did not start listening within 30 s")

    def cli(self, *args: str) -> str:
        """Run `postguard ARGS` as the same user as the companion (same state folder and keyring)."""
        out = subprocess.run([sys.executable, "-m", "companion", *args], cwd=self.workdir, env=self.env,
                             capture_output=True, text=True, timeout=60)
        # what it said, in the failure itself: CalledProcessError would show only the exit status
        assert out.returncode == 0, f"postguard {' '.join(args)} exited {out.returncode}:\n{out.stderr}{out.stdout}"
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

    def wait_log(self, text: str, timeout: float = 10) -> str:
        """The log once it holds `text` (the companion may write a line just after it answers), or as it is
        when `timeout` seconds have passed."""
        deadline = time.monotonic() + timeout
        while text not in self.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.log()
