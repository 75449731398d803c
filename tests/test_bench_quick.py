"""bench/run --quick, end to end, so the benchmark never rots.

Checks behaviour, never wall-clock time: the JSON has every row and field, the numbers are sane,
the matcher finds at least what the naive baseline finds on the planted variants, and reports at
most a tenth of its false positives on clean text. The HTTP round trip went through one kept-alive
connection to a real companion.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIELDS = {"terms", "chars", "p50_ms", "p95_ms", "baseline_p50_ms", "reply_check_p50_ms", "recall", "baseline_recall",
          "false_positives", "baseline_false_positives", "build_s", "rss_mb"}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    run = subprocess.run([str(ROOT / "bench" / "run"), "--quick", "--json", str(out)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), run.stdout


def test_every_size_has_a_row_with_every_field(quick):
    data, _ = quick
    rows = data["rows"]
    assert {(r["terms"], r["chars"]) for r in rows} == {(t, c) for t in (100, 1000) for c in (280, 3000, 63206)}
    for r in rows:
        assert FIELDS <= set(r), FIELDS - set(r)
        assert all(isinstance(r[k], (int, float)) and not isinstance(r[k], bool) for k in FIELDS)


def test_the_figures_are_sane(quick):
    data, _ = quick
    for r in data["rows"]:
        assert 0 < r["p50_ms"] <= r["p95_ms"]
        assert 0 < r["baseline_p50_ms"] <= r["baseline_p95_ms"]
        assert 0 <= r["baseline_recall"] <= r["recall"] <= 1
        assert r["planted"] >= 9 and set(r["recall_by_kind"]) == {
            "exact", "case", "spacing", "hashtag", "leet", "homoglyph", "zero_width", "typo1", "typo2"}
        for ours, base, planted in r["recall_by_kind"].values():
            assert 0 <= ours <= planted and 0 <= base <= planted
        assert r["recall_by_kind"]["exact"][0] == r["recall_by_kind"]["exact"][2]   # exact: always found
        assert r["false_positives"] >= 0 and r["false_positives"] * 10 <= r["baseline_false_positives"]
        assert r["build_s"] >= 0 and r["rss_mb"] > -5 and r["clean_drafts"] >= 1


def test_recall_and_false_positive_targets_are_evaluated_and_met(quick):
    data, stdout = quick
    behaviour = [t for t in data["targets"] if t["target"].startswith(("recall", "false positives"))]
    assert len(behaviour) == 2 * len(data["rows"])
    assert all(t["met"] for t in behaviour), [t for t in behaviour if not t["met"]]
    assert "Targets:" in stdout and "NOT MET" not in stdout


def test_http_round_trip_used_one_kept_alive_connection(quick):
    data, stdout = quick
    http = data["http"]
    assert http["requests"] == 200 and http["connections"] == 1
    assert 0 < http["p50_ms"] <= http["p95_ms"] <= http["p99_ms"] <= http["max_ms"]
    assert http["findings"] > 0            # half the drafts carry a misspelt code name
    assert len(http["round_p50_ms"]) == http["rounds"] and http["server_check_p50_ms"] < http["p50_ms"]
    for floor in ("floor_waitress_p50_ms", "floor_flask_p50_ms", "health_p50_ms", "http_client_p50_ms"):
        assert http[floor] > 0, floor      # the floors and the other calls were measured in the same run
    assert "HTTP keep-alive round trip" in stdout and "Flask hello world on waitress" in stdout
    if Path("/proc/stat").exists():        # Linux: the report says how much CPU other guests took
        assert 0 <= http["cpu_stolen_pct"] <= 100 and 0 <= data["meta"]["cpu_stolen_pct"] <= 100


def test_stolen_share_is_steal_over_all_cpu_time():
    from bench.host import stolen_percent
    before = [100, 0, 50, 800, 0, 0, 0, 50, 7, 0]    # user nice system idle iowait irq softirq steal guest ...
    after = [160, 0, 70, 900, 0, 0, 0, 70, 9, 0]      # +60 +20 +100 +20 steal: 20 of 200
    assert stolen_percent(before, after) == 10.0
    assert stolen_percent(before, before) is None and stolen_percent(None, after) is None


def test_the_table_has_a_line_per_row(quick):
    data, stdout = quick
    lines = [line for line in stdout.splitlines() if line.strip().startswith(("100 ", "1,000 "))]
    assert len(lines) == len(data["rows"])
    assert data["meta"]["mode"] == "quick"
