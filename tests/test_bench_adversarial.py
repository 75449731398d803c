"""bench/run-adversarial --quick, end to end, so the adversarial benchmark never rots.

Checks behaviour and budgets, never wall-clock time: every pack meets every hostile draft, the term
index never spends more than its budget, the drafts built to exhaust a budget are stopped by it and
say so, and no ordinary draft is stopped.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from companion.engine import termindex

ROOT = Path(__file__).resolve().parent.parent
PACKS = {"example", "proj5k", "zentrix2k", "synth5k", "hostile5k"}
DRAFTS = {"no spaces", "no spaces, letters", "repeated", "repeated typo", "shared words", "shared words, numbered",
          "a term repeated", "camel #tag", "combining", "combining pile", "emoji", "emoji joined", "mixed scripts",
          "one-letter words", "addresses", "hypothesis worst"}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "adversarial.json"
    run = subprocess.run([str(ROOT / "bench" / "run-adversarial"), "--quick", "--json", str(out)], cwd=ROOT,
                         env=dict(os.environ), capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), run.stdout


def rows_by(data):
    return {(r["pack"], r["draft"]): r for r in data["rows"]}


def test_every_pack_meets_every_hostile_draft(quick):
    data, stdout = quick
    assert set(rows_by(data)) == {(p, d) for p in PACKS for d in DRAFTS}
    for r in data["rows"]:
        assert r["chars"] == 7_000 and r["check_ms"] > 0 and r["check_cpu_ms"] >= 0 and r["baseline_check_ms"] > 0
    assert stdout.count("\n") > len(data["rows"]) and "Worst check:" in stdout


def test_the_index_never_spends_more_than_its_budget(quick):
    data, _ = quick
    for r in data["rows"]:
        assert 0 <= r["units"] <= termindex.WORK_UNITS, r
        assert r["truncated"] in (None, "work", "matches", "candidates"), r


def test_drafts_built_to_exhaust_a_budget_are_stopped_by_it(quick):
    rows = rows_by(quick[0])
    assert rows["hostile5k", "shared words, numbered"]["truncated"] == "work"     # verification budget
    assert rows["hostile5k", "a term repeated"]["truncated"] == "matches"         # 500 entries named Falcon Ridge
    assert rows["hostile5k", "repeated"]["truncated"] is None                     # a repeated word costs one lookup


def test_no_ordinary_draft_is_stopped(quick):
    data, stdout = quick
    assert all(r["baseline_truncated"] is None for r in data["rows"])
    assert all(r["baseline_units"] < termindex.WORK_UNITS // 3 for r in data["rows"])
    assert "ordinary drafts stopped by a budget: 0" in stdout


def test_the_peak_memory_a_check_adds_is_measured(quick):
    data, _ = quick
    if Path("/proc/self/clear_refs").exists():
        assert all(r["extra_rss_mb"] is not None and r["extra_rss_mb"] >= 0 for r in data["rows"])
