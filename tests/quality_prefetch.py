"""The labelled companies checked in the background while pytest-xdist's workers run the other test files.

Those files wait on browsers and companions much of the time, and on two cores the CPU was left idle
during those waits; checking 190-odd companies is CPU work that fills them. tests/conftest.py starts
`python -m tests.quality_prefetch FOLDER NAME...` in pytest-xdist's controlling process as soon as a
worker has collected the tests, at the lowest CPU priority so that it never slows a browser test down,
and test_quality.py, which runs last, reads each company's results from FOLDER/NAME.pickle, written
whole. Without pytest-xdist, test_quality.py starts the same run itself and waits for it (check_apart()).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from companion.pack.compiled import load_pack
from companion.pack.examples import run_examples
from tests.quality import SETS, TODAY, LabelledSet, evaluate, load_drafts

WORKER_INPUT = "postguard_quality_prefetch"     # the folder, as pytest-xdist hands it to each worker
PID_FILE = "pid"          # written by whoever starts this process
FAILED_FILE = "failed"    # the traceback, if this process failed
# Compiling a pack and checking its drafts leave almost no cycles (a check frees its tokens itself), yet
# the collector's walks over the lemma tables and the pack cost a sixth of the time: the collector is off
# in the processes that compute, and what cycles there are go every COLLECT_EVERY companies.
COLLECT_EVERY = 12
_done_here = 0


def compute(labelled: LabelledSet):
    """name → (its drafts, the pack's referral ids, its example results, its scores)"""
    global _done_here
    pack, drafts = load_pack(labelled.pack), load_drafts(labelled.drafts)
    referral_ids = {r["id"] for r in pack.data.get("referrals", ())}
    result = labelled.name, (drafts, referral_ids, run_examples(pack, TODAY), evaluate(labelled, pack, drafts))
    _done_here += 1
    if _done_here % COLLECT_EVERY == 0:
        gc.collect()
    return result


def _write(folder: Path, name: str, result) -> None:
    part = folder / f"{name}.part"
    part.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(part, folder / f"{name}.pickle")     # a reader sees a whole file or none


def stat_fields(pid: int) -> list[str]:
    """/proc/PID/stat after the command name (which may hold spaces and brackets): the state first, the
    nice value 17th (proc(5) numbers them from 3). Raises OSError where there is no such process or file."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _running(pid: int) -> bool:
    try:
        state = stat_fields(pid)[0]
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    return state not in ("Z", "X")      # a zombie has ended; its parent has not reaped it yet


def read(folder: Path, names: list[str]) -> dict:
    """Each named company's results, waiting for those not written yet; a clear error if the process
    failed or ended without them."""
    pid = int((folder / PID_FILE).read_text())
    results = {}
    for name in names:
        path = folder / f"{name}.pickle"
        while not path.exists():
            if (folder / FAILED_FILE).exists():
                raise RuntimeError("checking the labelled companies in the background failed:\n"
                                   + (folder / FAILED_FILE).read_text())
            if not _running(pid) and not path.exists():
                raise RuntimeError(f"the background check of the labelled companies (pid {pid}) ended "
                                   f"without writing {name}")
            time.sleep(0.2)
        results[name] = pickle.loads(path.read_bytes())
    return results


def start(folder: Path, names: list[str]) -> subprocess.Popen:
    """This module run in the background over the named companies, writing into folder; in a process
    group of its own, so that stop() ends its pool's processes too."""
    root = Path(__file__).resolve().parent.parent
    with open(folder / "log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "tests.quality_prefetch", str(folder), *names], cwd=root,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    (folder / PID_FILE).write_text(str(process.pid))
    return process


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)      # its pool's processes too, even if it has ended
    except ProcessLookupError:
        pass
    process.wait()


def check_apart(names: list[str]) -> dict:
    """The same background run without pytest-xdist's controlling process to start it: waited for here."""
    with tempfile.TemporaryDirectory(prefix="pg-quality-") as folder:
        process = start(Path(folder), names)
        try:
            return read(Path(folder), names)
        finally:
            stop(process)


def lowest_priority() -> None:
    """Only the CPU the tests leave idle, for this process and the children it forks. Linux's autogroups
    (sched_autogroup_enabled) share the CPU between sessions first and apply nice only within one, and
    this process leads a session of its own (start()): at nice 19 alone it still took a whole core from
    the tests. So its session's group is set to nice 19 too, where the kernel has autogroups."""
    os.nice(19)
    try:
        Path("/proc/self/autogroup").write_text("19")
    except OSError:
        pass        # no autogroups here: nice alone ranks it


def main(argv: list[str]) -> int:
    folder, names = Path(argv[0]), set(argv[1:])
    try:
        lowest_priority()
        todo = [s for s in SETS if s.name in names]
        if names - {s.name for s in todo}:
            raise ValueError(f"no labelled set named {sorted(names - {s.name for s in todo})}")
        # The children are forked after the lemma tables and models are loaded, so they share them.
        gc.disable()
        load_pack(todo[0].pack)
        with multiprocessing.get_context("fork").Pool(2) as pool:
            for name, result in pool.imap_unordered(compute, todo):
                _write(folder, name, result)
    except BaseException:
        (folder / f"{FAILED_FILE}.part").write_text(traceback.format_exc())
        os.replace(folder / f"{FAILED_FILE}.part", folder / FAILED_FILE)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
