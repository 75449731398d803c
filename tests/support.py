"""Helpers the test modules import (not conftest: tests/e2e has a conftest of its own, and
`from conftest import` would pick whichever was imported first)."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import io
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from companion.packcache import PackCache  # noqa: E402
from companion_process import EXAMPLE_PACK, CompanionProcess  # noqa: E402,F401

TODAY = dt.date(2026, 11, 23)   # pinned: public_after dates in the example pack must not drift the tests


@contextlib.contextmanager
def folder_lock(folder: Path):
    """Hold an exclusive lock on FOLDER while building in it: under pytest-xdist two worker processes
    each start the session fixtures, and one build must not delete or rewrite what the other uses."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def cli_here(*args: str, cwd=None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`postguard ARGS` run by the CLI's own main() in this process, its output and exit code returned
    as a finished process's. For the tests about what the commands do with packs: a process of its
    own spends about 2 s importing and compiling before its first line, this one compiles each pack
    once. test_cli.py runs the `postguard` command itself, as a process, for exit codes and stdin."""
    from companion.cli import main

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    old_stdin = sys.stdin
    try:
        if cwd is not None:
            os.chdir(cwd)
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:      # argparse's usage errors and --help
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        os.chdir(here)
        sys.stdin = old_stdin
    return subprocess.CompletedProcess(["postguard", *args], code, out.getvalue(), err.getvalue())


@functools.cache
def _client_cache_dir() -> Path:
    """One compiled-pack cache folder for every test client of this process, removed at its exit."""
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="pg-client-cache-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder / "compiled"


class _InProcessCache(PackCache):
    """A compiled-pack cache whose new packs compile in this process, as without a cache: a reload in a
    client test is not sent to a child process (that path is tested in test_packcache.py)."""

    def build(self, layers, trusted_keys=None, now=None, apart=False):
        return super().build(layers, trusted_keys, now, apart=False)


def make_client(pack_path=EXAMPLE_PACK, paired=True, **kw):
    """A Flask test client (already sending the pairing token unless paired=False) and the pack holder.
    The holder keeps compiled packs in a cache folder shared by this process's clients, as a companion
    keeps them across starts: a pack whose examples passed today is read back, not parsed, validated and
    tried on its examples again (about 3 s of each of some hundred clients). The cold path has tests of
    its own (test_packcache.py)."""
    import tempfile

    from companion.api.app import create_app
    from companion.packstate import PackHolder

    holder = PackHolder(pack_path, cache=_InProcessCache(_client_cache_dir()))
    holder.load()
    app = create_app(holder, Path(tempfile.mkdtemp(prefix="pg-state-")), clock=lambda: TODAY, **kw)
    client = app.test_client()
    store = app.config["POSTGUARD_TOKENS"].store
    if paired:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {store.rotate()}"
    else:
        import keyring

        keyring.delete_password("postguard", "companion-token")   # the in-memory keyring is shared by tests
    client.application = app
    return client, holder
