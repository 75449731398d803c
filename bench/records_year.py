"""A year of a busy champion's local records, in a real file: its size and `postguard report --json` time.

    bench/run-records                  # a year, busy champion (~1 minute)
    bench/run-records --quick          # 3 weeks, few events (the test suite runs this)
    bench/run-records --json out.json

Generated with the real code path (companion.records.store.add, the real schema and migrations),
seeded: every day of a year, findings of `--rules` rules shown, fixed, ignored, posted past and marked
wrong, canned replies used, sites paused, and `--answers` conversations answered a day (one row each).
Then, in the same run and on the same events:
- ours: the file's size (with its -wal) and `postguard report --json --since 365d` as a process
  (start-up included, what a user waits for), and `report.build` in-process;
- baseline: the naive design, one row per event in an event log (what a logger would write), its size
  and the same week x rule x event sums as one GROUP BY over it.
Times are medians of `--runs` runs. The issue's targets: under 50 MB and under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import host
from companion.records import RECORDS_FILE, open_records, report, store
from companion.records.events import Answer, Event

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ("confidential", "safety", "speaking_for_company", "disclosure", "escalation", "personal_data", "tone",
              "length")
SITES = ("x", "facebook", "linkedin", "instagram")
KINDS = (("complaint", 120), ("question", 240), ("review", 1440))
REASONS = ("not_a_problem", "wrong_words", "allowed_for_me", "other", "none")


def day_events(rng: random.Random, rules: list[tuple[str, str]], replies: list[str], a: argparse.Namespace,
               day: dt.date, conv: int) -> list[Event]:
    """One day: findings shown (a few rules often, most rarely) and what was done, replies, answers."""
    weights = [1 / (i + 1) for i in range(len(rules))]   # Zipf-like: some rules fire all the time
    out: list[Event] = []
    for rule, cat in rng.choices(rules, weights, k=a.shown):
        out.append(Event("shown", rule, cat))
        r = rng.random()
        if r < 0.30:
            out.append(Event("fixed", rule, cat))
        elif r < 0.45:
            out.append(Event("ignored", rule, cat))
        elif r < 0.48:
            out.append(Event("overridden", rule, cat))
        elif r < 0.52:
            out.append(Event("wrong", rule, cat, rng.choice(REASONS)))
    out += [Event("reply_used", rng.choice(replies)) for _ in range(a.answers)]
    for i in range(a.answers):
        kind, target = rng.choice(KINDS)
        minutes = int(rng.lognormvariate(4.2, 1.0))   # median ~67 min, a long tail
        answered = dt.datetime.combine(day, dt.time(9), dt.timezone.utc) + dt.timedelta(minutes=rng.randrange(600))
        posted = answered - dt.timedelta(minutes=minutes)
        out.append(Event("reply_answered", rng.choice(replies), answer=Answer(
            f"{conv + i:032x}", kind, target, posted.strftime("%Y-%m-%dT%H:%M:%SZ"),
            answered.strftime("%Y-%m-%dT%H:%M:%SZ"), minutes)))
    if rng.random() < 0.2:
        site = rng.choice(SITES)
        out += [Event("site_paused", site), Event("site_resumed", site)]
    return out


def baseline_log(conn: sqlite3.Connection, day: dt.date, events: list[Event], rng: random.Random) -> None:
    """The naive design: one row per event with its time of day."""
    rows = []
    for e in events:
        at = f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        a = e.answer
        rows.append((at, e.event, e.key, e.category, e.reason, a and a.conversation, a and a.kind,
                     a and a.posted_at, a and a.minutes, a and a.target_minutes))
    conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


BASELINE_SCHEMA = ("CREATE TABLE events (at TEXT, event TEXT, key TEXT, category TEXT, reason TEXT, conversation TEXT,"
                   " kind TEXT, posted_at TEXT, minutes INTEGER, target_minutes INTEGER)")
BASELINE_QUERY = ("SELECT strftime('%Y-%W', at) AS week, key, category, event, COUNT(*) FROM events"
                  " WHERE at >= ? GROUP BY week, key, category, event")


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists()) / 1e6


def median_time(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def median_cpu(fn, runs: int) -> float:
    """CPU seconds (user + system) of this process and its children: what a loaded machine cannot inflate."""
    def used() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    times = []
    for _ in range(runs):
        t = used()
        fn()
        times.append(used() - t)
    return statistics.median(times)


def generate(a: argparse.Namespace, folder: Path) -> dict:
    rng = random.Random(a.seed)
    rules = [(f"rule.{i:03d}", CATEGORIES[i % len(CATEGORIES)]) for i in range(a.rules)]
    replies = [f"reply-{i:02d}" for i in range(a.replies)]
    state = folder / "state" / "postguard"
    state.mkdir(parents=True)
    ours = open_records(state / RECORDS_FILE)
    naive = sqlite3.connect(folder / "baseline.sqlite", isolation_level=None)
    naive.execute("PRAGMA journal_mode=WAL")
    naive.execute(BASELINE_SCHEMA)
    today = dt.date.today()
    events = 0
    t = time.perf_counter()
    for n in range(a.days):
        day = today - dt.timedelta(days=a.days - 1 - n)
        evs = day_events(rng, rules, replies, a, day, n * a.answers)
        events += len(evs)
        store.add(ours, [(day, evs)])
        naive.execute("BEGIN")
        baseline_log(naive, day, evs, rng)
        naive.execute("COMMIT")
    generate_s = time.perf_counter() - t
    rows = store.kept(ours)["rows"]
    for conn in (ours, naive):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ours.close()
    naive.close()
    return {"events": events, "rows": rows, "generate_s": round(generate_s, 2), "state": state}


def run(a: argparse.Namespace) -> dict:
    load_before, cpu_before = host.load_average(), host.cpu_times()
    with tempfile.TemporaryDirectory(prefix="pg-records-year-") as tmp:
        folder = Path(tmp)
        g = generate(a, folder)
        db = g["state"] / RECORDS_FILE
        env = {**os.environ, "XDG_STATE_HOME": str(folder / "state"), "XDG_CONFIG_HOME": str(folder / "config"),
               "HOME": str(folder), "PYTHONPATH": str(ROOT)}
        since = f"{a.days}d"
        cli = [sys.executable, "-m", "companion", "report", "--json", "--since", since]

        def ours_cli():
            out = subprocess.run(cli, env=env, capture_output=True, text=True, check=True, timeout=600)
            return json.loads(out.stdout)

        body = ours_cli()   # warm the page cache and check the answer, outside the timed runs
        cli_s, cli_runs = median_time(ours_cli, a.runs)
        cli_cpu_s = median_cpu(ours_cli, a.runs)
        today = dt.date.today()
        start = report.parse_since(since, today)

        def ours_build():
            conn = open_records(db)
            try:
                return report.build(conn, start, today)
            finally:
                conn.close()
        build_s, _ = median_time(ours_build, a.runs)

        def naive_query():
            conn = sqlite3.connect(folder / "baseline.sqlite")
            try:
                return conn.execute(BASELINE_QUERY, (start.isoformat(),)).fetchall()
            finally:
                conn.close()
        naive_s, _ = median_time(naive_query, a.runs)
        naive_cpu_s = median_cpu(naive_query, a.runs)
        python_start_s, _ = median_time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), a.runs)
        result = {
            "meta": {"days": a.days, "shown_per_day": a.shown, "answers_per_day": a.answers, "rules": a.rules,
                     "seed": a.seed, "runs": a.runs, "python": sys.version.split()[0],
                     "date": dt.datetime.now().isoformat(timespec="seconds"), "cpu": host.cpu_name(),
                     "load_before": load_before, "load_after": host.load_average(),
                     "stolen_percent": host.stolen_percent(cpu_before, host.cpu_times())},
            "events": g["events"], "generate_s": g["generate_s"],
            "ours": {"rows": g["rows"], "size_mb": round(size_mb(db), 2), "report_cli_s": round(cli_s, 3),
                     "report_cli_runs_s": [round(x, 3) for x in cli_runs],
                     "report_cli_cpu_s": round(cli_cpu_s, 3), "report_build_s": round(build_s, 3),
                     "python_start_s": round(python_start_s, 3)},
            "baseline": {"rows": g["events"], "size_mb": round(size_mb(folder / "baseline.sqlite"), 2),
                         "query_s": round(naive_s, 3), "query_cpu_s": round(naive_cpu_s, 3)},
            "report": {"answered": body["responses"]["answered"], "shown": body["totals"]["shown"],
                       "weeks": len(body["weeks"]), "median_minutes": body["responses"]["median_minutes"],
                       "p90_minutes": body["responses"]["p90_minutes"]},
        }
        result["targets"] = [
            {"target": "a year's records under 50 MB", "value_mb": result["ours"]["size_mb"],
             "met": result["ours"]["size_mb"] < 50},
            {"target": "postguard report --json under 2 s", "value_s": result["ours"]["report_cli_s"],
             "met": result["ours"]["report_cli_s"] < 2},
        ]
        return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--shown", type=int, default=400, help="findings shown a day (default 400)")
    p.add_argument("--answers", type=int, default=150, help="conversations answered a day (default 150)")
    p.add_argument("--rules", type=int, default=300, help="distinct rules that fire (default 300)")
    p.add_argument("--replies", type=int, default=40)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--quick", action="store_true", help="3 weeks, 40 findings and 10 answers a day, 2 runs")
    p.add_argument("--json", metavar="FILE")
    a = p.parse_args(argv)
    if a.quick:
        a.days, a.shown, a.answers, a.rules, a.runs = 21, 40, 10, 30, 2
    r = run(a)
    o, b = r["ours"], r["baseline"]
    print(f"{a.days} days, {r['events']:,} events ({a.shown} findings shown and {a.answers} answers a day, "
          f"{a.rules} rules), generated in {r['generate_s']} s")
    print(f"ours:     {sum(o['rows'].values()):>9,} rows  {o['size_mb']:7.2f} MB  report --json {o['report_cli_s']:.3f} s "
          f"wall, {o['report_cli_cpu_s']:.3f} s CPU (a process; python start-up alone {o['python_start_s']:.3f} s), "
          f"report.build {o['report_build_s']:.3f} s")
    print(f"baseline: {b['rows']:>9,} rows  {b['size_mb']:7.2f} MB  one GROUP BY {b['query_s']:.3f} s wall, "
          f"{b['query_cpu_s']:.3f} s CPU (an event log; the sums only, no report)")
    m = r["meta"]
    print(f"load average before {m['load_before']}, after {m['load_after']}; "
          f"{m['stolen_percent']}% of CPU time stolen by the hypervisor")
    for t in r["targets"]:
        print(f"target {t['target']}: {'met' if t['met'] else 'NOT met'}")
    if a.json:
        Path(a.json).write_text(json.dumps(r, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
