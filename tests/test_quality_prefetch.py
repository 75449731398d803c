"""tests/quality_prefetch.py: the labelled companies checked in a background process give what checking them
here gives, and a failed or vanished background process is a clear error, never a wait without end."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import quality_prefetch
from tests.quality import SETS

SMALL = [s for s in SETS if s.name in ("harbourvale", "relsa")]


def test_the_background_process_gives_what_checking_here_gives(tmp_path):
    process = quality_prefetch.start(tmp_path, [s.name for s in SMALL])
    try:
        read = quality_prefetch.read(tmp_path, [s.name for s in SMALL])
        assert process.wait(timeout=60) == 0, (tmp_path / "log").read_text()
    finally:
        quality_prefetch.stop(process)
    for labelled in SMALL:
        drafts, referral_ids, examples, scores = read[labelled.name]
        _, (drafts_here, ids_here, examples_here, scores_here) = quality_prefetch.compute(labelled)
        assert drafts == drafts_here and referral_ids == ids_here
        assert [(r.rule, r.text, r.found) for r in examples] == [(r.rule, r.text, r.found) for r in examples_here]
        assert scores.table() == scores_here.table()


def test_a_failure_in_the_background_is_raised_with_its_traceback(tmp_path):
    process = quality_prefetch.start(tmp_path, ["no-such-company"])
    process.wait(timeout=60)
    with pytest.raises(RuntimeError, match="no labelled set named"):
        quality_prefetch.read(tmp_path, ["no-such-company"])
    assert process.returncode == 1


def test_a_process_that_ended_without_a_company_is_an_error_not_a_wait(tmp_path):
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    (tmp_path / quality_prefetch.PID_FILE).write_text(str(ended.pid))
    time.sleep(0.5)      # ended, not yet reaped: a zombie counts as ended
    with pytest.raises(RuntimeError, match="ended without writing harbourvale"):
        quality_prefetch.read(tmp_path, ["harbourvale"])
    ended.wait()
    with pytest.raises(RuntimeError, match="ended without writing harbourvale"):
        quality_prefetch.read(tmp_path, ["harbourvale"])


def test_the_pool_runs_at_the_lowest_priority_and_stopping_ends_it_too(tmp_path):
    """nice 19 alone ranks a process only within its session's autogroup; the background process leads a
    session of its own, so without its group's nice it took a whole core from the tests."""
    process = quality_prefetch.start(tmp_path, [s.name for s in SETS[:40]])
    try:
        deadline = time.monotonic() + 60
        while len(_group(process.pid)) < 3 and time.monotonic() < deadline:     # itself and its two workers
            time.sleep(0.1)
        assert len(_group(process.pid)) >= 3
        assert int(quality_prefetch.stat_fields(process.pid)[16]) == 19       # its nice value
        autogroup = Path(f"/proc/{process.pid}/autogroup")
        if autogroup.exists():           # a kernel with autogroups
            assert autogroup.read_text().split()[-1] == "19", autogroup.read_text()
    finally:
        quality_prefetch.stop(process)      # a failed assertion must not leave 40 companies being checked
    time.sleep(0.3)
    assert _group(process.pid) == []


def _group(pgid: int) -> list[str]:
    out = subprocess.run(["ps", "-o", "pid=,stat=", "-g", str(pgid)], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if "Z" not in line.split()[1]]
