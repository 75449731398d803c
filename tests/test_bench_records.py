"""bench/run-records --quick, end to end, so the records benchmark never rots.

Checks what the run did, never how long it took: a real records file and the event-log baseline were
written from the same events, `postguard report --json` over the file counted every answered
conversation and every finding shown, and the targets were evaluated.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_records_benchmark_runs_and_the_report_counts_what_was_generated(tmp_path):
    out = tmp_path / "records.json"
    run = subprocess.run([str(ROOT / "bench" / "run-records"), "--quick", "--json", str(out)], cwd=ROOT,
                         env=dict(os.environ), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    days, shown, answers = data["meta"]["days"], data["meta"]["shown_per_day"], data["meta"]["answers_per_day"]
    assert data["report"]["shown"] == days * shown
    assert data["report"]["answered"] == days * answers
    assert data["ours"]["rows"]["answers"] == days * answers
    assert data["baseline"]["rows"] == data["events"] > sum(data["ours"]["rows"].values())
    assert 0 < data["ours"]["size_mb"] and 0 < data["baseline"]["size_mb"]
    assert {t["target"] for t in data["targets"]} == {"a year's records under 50 MB", "postguard report --json under 2 s"}
    assert "ours:" in run.stdout and "baseline:" in run.stdout
