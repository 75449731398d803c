"""bench/run-coldstart --quick, end to end, so the cold-start benchmark never rots.

Checks what each start did, never how long it took: the baseline compiles without a cache, the
cold start compiles and writes the cache, the warm start reads it; the reload keeps answering with
the old revision until the new one serves; the frozen heap leaves the collector nothing to walk.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_coldstart_benchmark_runs_and_each_start_takes_its_path(tmp_path):
    out = tmp_path / "coldstart.json"
    run = subprocess.run([str(ROOT / "bench" / "run-coldstart"), "--quick", "--json", str(out)], cwd=ROOT,
                         env=dict(os.environ), capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    (row,) = data["startups"]
    assert not row["baseline"]["from_cache"] and not row["baseline"]["cached"]
    assert not row["cold"]["from_cache"] and row["cold"]["cached"]
    assert all(w["from_cache"] and not w["cached"] for w in row["warm"])
    assert row["baseline"]["findings"] == row["cold"]["findings"] == row["warm"][0]["findings"] > 0
    frozen, unfrozen = data["gc"]
    assert frozen["freeze"] and not unfrozen["freeze"]
    assert frozen["objects_walked"] < unfrozen["objects_walked"] // 10
    reload = data["reload"]
    assert reload["errors"] == 0 and reload["compiled_in_full"] and reload["new_term_found"]
    assert set(reload["answers_by_revision"]) == {"1", "2"}
    assert "warm cache" in run.stdout and "Reload at" in run.stdout
