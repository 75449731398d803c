"""Cold start: from `postguard serve` to the first answer, with and without the compiled-pack cache.

    bench/run-coldstart                 # 10,000 and 100,000 terms (~5 minutes)
    bench/run-coldstart --quick         # 2,000 terms, fewer runs (the test suite runs this)
    bench/run-coldstart --json out.json

For each pack size, in this order and in the same run (each start a fresh process, its own state folder):
- baseline: `postguard serve` with the cache switched off (bench/serve_nocache.py), as every start was before;
- cold: the real `postguard serve`, no cache entry yet (it compiles the pack and writes the entry);
- warm: the real `postguard serve` again, `--warm-runs` times, reading the entry.
The time is from starting the process to the first `POST /v1/check` answered 200 (the client knocks
every 20 ms). The companion's log must say which path it took ("read from the cache" / "compiled in").

Then, at the largest size:
- gc: checks in one process with the pack loaded from the cache, with gc.freeze (as the companion
  does) and without (unfrozen after loading): what a full collection costs, and how many full
  collections the checks triggered and how long they paused them;
- reload: a warm `postguard serve` gets a new pack revision (one more term; not in the cache, so it
  compiles in full) while a client keeps checking: which revision answered, how long checks took
  before and during the compile, and when the new revision took over.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import host, synth
from bench.http_rt import _env, _free_port, _stop
from bench.workload import make_pack
from companion.config import DEFAULT_ORIGINS

ROOT = Path(__file__).resolve().parent.parent
NEW_TERM = "Quillon Vantaberg"     # the term revision 2 adds


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench/run-coldstart", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="2,000 terms, one warm run, a short gc and reload part")
    p.add_argument("--sizes", type=int, nargs="+", help="term counts (default 10000 100000)")
    p.add_argument("--warm-runs", type=int, help="warm starts per size (default 3; quick 1)")
    p.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    p.add_argument("--gc-child", nargs=4, metavar=("PACK", "CACHE", "FREEZE", "DRAFTS"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.gc_child:
        pack, cache, freeze, drafts = args.gc_child
        print(json.dumps(_gc_child(Path(pack), Path(cache), freeze == "1", int(drafts))))
        return 0
    sizes = args.sizes or ([2000] if args.quick else [10000, 100000])
    warm_runs = args.warm_runs or (1 if args.quick else 3)
    started, load_before, cpu_before = time.time(), host.load_average(), host.cpu_times()
    work = Path(tempfile.mkdtemp(prefix="postguard-coldstart-"))
    try:
        rows = [_startups(n, warm_runs, work) for n in sizes]
        big = max(sizes)
        gc_rows = _gc_effect(big, work, drafts=2 if args.quick else 8)
        reload = _reload_while_serving(big, work, idle_checks=50 if args.quick else 300)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    meta = {"mode": "quick" if args.quick else "full", "cpu": host.cpu_name(), "cpus": os.cpu_count(),
            "python": sys.version.split()[0], "load_average_before": load_before,
            "load_average_after": host.load_average(), "cpu_stolen_pct": host.stolen_percent(cpu_before, host.cpu_times()),
            "seconds": round(time.time() - started, 1)}
    print(report(rows, gc_rows, reload, meta))
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "startups": rows, "gc": gc_rows, "reload": reload},
                                              indent=2) + "\n", encoding="utf-8")
    return 0


# -- starts --------------------------------------------------------------------------------------
def _startups(n: int, warm_runs: int, work: Path) -> dict:
    pack = work / f"pack-{n}.yaml"
    pack.write_text(json.dumps(make_pack(synth.code_names(n, 7))), encoding="utf-8")   # JSON is YAML
    row: dict = {"terms": n, "pack_mb": round(pack.stat().st_size / 1e6, 1)}
    baseline = _first_answer([sys.executable, "-m", "bench.serve_nocache"], pack, work / f"home-{n}-baseline")
    row["baseline"] = baseline
    home = work / f"home-{n}"
    row["cold"] = _first_answer([sys.executable, "-m", "companion", "serve"], pack, home, expect="compiled in")
    row["warm"] = [_first_answer([sys.executable, "-m", "companion", "serve"], pack, home, expect="read from the cache")
                   for _ in range(warm_runs)]
    row["warm_median_s"] = round(statistics.median(r["first_answer_s"] for r in row["warm"]), 2)
    row["cache_mb"] = round(sum(f.stat().st_size for f in (home / "state" / "postguard" / "compiled").rglob("*")
                                if f.is_file()) / 1e6, 1)
    return row


def _first_answer(cmd: list[str], pack: Path, home: Path, expect: str | None = None) -> dict:
    """Start the companion; seconds until a check is answered 200, its RSS then, and what its log says."""
    home.mkdir(parents=True, exist_ok=True)
    env = _env(home)
    token = _token(home, env)
    port = _free_port()
    body = json.dumps({"text": f"Can't wait for {synth.code_names(1, 7)[0]} next week", "platform": "x"}).encode()
    log_path = home / "companion.log"
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        proc = subprocess.Popen([*cmd, "--pack", str(pack), "--port", str(port)], cwd=home, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the companion exited: {log_path.read_text(errors='replace')[-2000:]}")
            status, reply = _post(port, body, token)
            if status == 200:
                elapsed = time.perf_counter() - started
                break
            if time.perf_counter() - started > 600:
                raise RuntimeError("no answer within 600 s")
            time.sleep(0.02)
        rss, cpu = _rss_mb(proc.pid), _cpu_s(proc.pid)
    finally:
        _stop(proc)
    text = log_path.read_text(errors="replace")
    if expect and expect not in text:
        raise RuntimeError(f"the companion's log does not say {expect!r}:\n{text[-2000:]}")
    return {"first_answer_s": round(elapsed, 2), "cpu_s": cpu, "rss_mb": rss, "findings": len(json.loads(reply)["findings"]),
            "from_cache": "read from the cache" in text, "cached": "and cached" in text}


def _token(home: Path, env: dict) -> str:
    return subprocess.run([sys.executable, "-m", "companion", "token"], cwd=home, env=env, capture_output=True,
                          text=True, timeout=60, check=True).stdout.strip()


def _post(port: int, body: bytes, token: str, timeout: float = 30) -> tuple[int | None, bytes]:
    """(status, body) of one check; (None, b"") while nothing listens."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/v1/check", body=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}", "Origin": DEFAULT_ORIGINS[0]})
        resp = conn.getresponse()
        return resp.status, resp.read()
    except OSError:
        return None, b""
    finally:
        conn.close()


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _cpu_s(pid: int) -> float | None:
    """CPU seconds the process has used (user + system): what the start cost, whatever else the machine did."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)
    except (OSError, IndexError, ValueError):
        return None


# -- gc.freeze -------------------------------------------------------------------------------------
def _gc_effect(n: int, work: Path, drafts: int) -> list[dict]:
    pack, cache = work / f"pack-{n}.yaml", work / f"home-{n}" / "state" / "postguard" / "compiled"
    rows = []
    for freeze in ("1", "0"):
        out = subprocess.run([sys.executable, "-m", "bench.coldstart", "--gc-child", str(pack), str(cache), freeze,
                              str(drafts)], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                             text=True, timeout=1800, check=True)
        rows.append(json.loads(out.stdout))
    return rows


def _gc_child(pack: Path, cache: Path, freeze: bool, n_drafts: int) -> dict:
    """In this process: load the pack as the companion does (from the cache, then gc.freeze), undo
    the freeze when asked, and time full collections and checks."""
    from companion.engine.check import CheckRequest, check
    from companion.pack.sources import FileSource
    from companion.packcache import PackCache
    from companion.packstate import PackHolder

    holder = PackHolder(FileSource(pack), cache=PackCache(cache), check_examples=False)
    holder.load()
    if not freeze:
        gc.unfreeze()
    walked = len(gc.get_objects())
    full = []
    for _ in range(3):
        t0 = time.perf_counter()
        gc.collect()
        full.append((time.perf_counter() - t0) * 1000)
    pauses: list[float] = []
    began: list[float] = []

    def watch(phase, info):
        if info["generation"] == 2:
            if phase == "start":
                began.append(time.perf_counter())
            elif began:
                pauses.append((time.perf_counter() - began.pop()) * 1000)

    rng = random.Random(11)
    texts = [synth.prose(63206, rng) for _ in range(n_drafts)] + [synth.prose(280, rng) for _ in range(200)]
    gc.callbacks.append(watch)
    times = []
    for text in texts:
        t0 = time.perf_counter()
        check(holder.pack, CheckRequest(text, "facebook"))
        times.append((time.perf_counter() - t0) * 1000)
    gc.callbacks.remove(watch)
    long_ms, short_ms = times[:n_drafts], times[n_drafts:]
    return {"freeze": freeze, "objects_walked": walked, "frozen": gc.get_freeze_count(),
            "full_collect_ms": round(statistics.median(full), 1), "full_collections": len(pauses),
            "full_pause_total_ms": round(sum(pauses), 1), "full_pause_max_ms": round(max(pauses, default=0), 1),
            "long_check_p50_ms": round(statistics.median(long_ms), 1), "long_check_max_ms": round(max(long_ms), 1),
            "short_check_p50_ms": round(statistics.median(short_ms), 3), "short_check_max_ms": round(max(short_ms), 2),
            "checks": len(times), "seconds": round(sum(times) / 1000, 2)}


# -- reload while serving ------------------------------------------------------------------------
def _reload_while_serving(n: int, work: Path, idle_checks: int) -> dict:
    """A warm companion; revision 2 of the pack is written while a client keeps checking."""
    home = work / f"home-{n}"
    pack = work / f"pack-{n}-reload.yaml"
    data = make_pack(synth.code_names(n, 7))
    pack.write_text(json.dumps(data), encoding="utf-8")
    env = _env(home)
    token = _token(home, env)
    port = _free_port()
    log_path = home / "reload.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--pack", str(pack), "--port", str(port)],
                                cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    rng = random.Random(5)
    bodies = [json.dumps({"text": synth.prose(280, rng) + f" {NEW_TERM}", "platform": "x"}).encode() for _ in range(20)]
    try:
        while _post(port, bodies[0], token)[0] != 200:
            if proc.poll() is not None:
                raise RuntimeError(log_path.read_text(errors="replace")[-2000:])
            time.sleep(0.05)
        idle = [_timed(port, bodies[i % len(bodies)], token)[0] for i in range(idle_checks)]
        data["revision"] = 2
        data["confidential"].append({"id": "conf.new", "term": NEW_TERM, "reason": "bench"})
        changed = time.perf_counter()
        pack.write_text(json.dumps(data), encoding="utf-8")
        during, revisions, errors, took_over = [], {}, 0, None
        i = 0
        while took_over is None and time.perf_counter() - changed < 1200:
            ms, status, reply = _timed(port, bodies[i % len(bodies)], token)
            i += 1
            if status != 200:
                errors += 1
                continue
            answer = json.loads(reply)
            rev = answer["pack"]["revision"]
            revisions[rev] = revisions.get(rev, 0) + 1
            if rev == 2:
                took_over = time.perf_counter() - changed
                new_found = any(f["rule"] == "conf.new" for f in answer["findings"])
            else:
                during.append(ms)
        if took_over is None:
            raise RuntimeError("revision 2 never answered")
    finally:
        _stop(proc)
    log = log_path.read_text(errors="replace")
    return {"terms": n, "idle_p50_ms": _pct(idle, 0.5), "idle_p99_ms": _pct(idle, 0.99),
            "during_checks": len(during), "during_p50_ms": _pct(during, 0.5), "during_p99_ms": _pct(during, 0.99),
            "during_max_ms": round(max(during, default=0), 1), "answers_by_revision": revisions, "errors": errors,
            "new_revision_after_s": round(took_over, 1), "new_term_found": new_found,
            "compiled_in_full": "compiled in" in log.split("revision 1 loaded", 1)[-1]}


def _timed(port: int, body: bytes, token: str) -> tuple[float, int | None, bytes]:
    t0 = time.perf_counter()
    status, reply = _post(port, body, token)
    return (time.perf_counter() - t0) * 1000, status, reply


def _pct(samples: list[float], q: float) -> float | None:
    if not samples:
        return None
    s = sorted(samples)
    return round(s[min(len(s) - 1, int(q * len(s)))], 2)


# -- report --------------------------------------------------------------------------------------
def report(rows: list[dict], gc_rows: list[dict], reload: dict, meta: dict) -> str:
    out = ["Time from starting the companion to its first check answered (wall clock; the process's CPU time "
           "and RSS then):", "",
           "| terms | pack | baseline (no cache) | cold cache | warm cache (median) | warm runs | cache on disk |",
           "|---:|---:|---:|---:|---:|---|---:|"]

    def cell(r: dict) -> str:
        return f"{r['first_answer_s']:.2f} s ({r['cpu_s']} s CPU, {r['rss_mb']:.0f} MB)"

    for r in rows:
        warm = ", ".join(f"{w['first_answer_s']:.2f} s" for w in r["warm"])
        median = sorted(r["warm"], key=lambda w: w["first_answer_s"])[len(r["warm"]) // 2]
        out.append(f"| {r['terms']:,} | {r['pack_mb']} MB | {cell(r['baseline'])} | {cell(r['cold'])} | "
                   f"{cell(median)} | {warm} | {r['cache_mb']} MB |")
    out += ["", f"gc at {reload['terms']:,} terms (one process, pack from the cache):", "",
            "| | objects the collector walks | one full collection | full collections during the checks | "
            "their pauses (total / longest) | 63,206-char check p50 / max | 280-char check p50 / max |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for g in gc_rows:
        out.append(f"| {'gc.freeze()' if g['freeze'] else 'no freeze'} | {g['objects_walked']:,} | "
                   f"{g['full_collect_ms']} ms | {g['full_collections']} | {g['full_pause_total_ms']} / "
                   f"{g['full_pause_max_ms']} ms | {g['long_check_p50_ms']} / {g['long_check_max_ms']} ms | "
                   f"{g['short_check_p50_ms']} / {g['short_check_max_ms']} ms |")
    r = reload
    out += ["", f"Reload at {r['terms']:,} terms: revision 2 written while checking; answers by revision "
            f"{r['answers_by_revision']}, {r['errors']} errors; revision 2 answered after {r['new_revision_after_s']} s "
            f"(compiled in full: {r['compiled_in_full']}; its new term found: {r['new_term_found']}).",
            f"Check round trip before the change p50 {r['idle_p50_ms']} ms, p99 {r['idle_p99_ms']} ms; while revision 2 "
            f"compiled ({r['during_checks']} checks) p50 {r['during_p50_ms']} ms, p99 {r['during_p99_ms']} ms, "
            f"max {r['during_max_ms']} ms.", "",
            f"{meta['cpus']} CPUs ({meta['cpu']}), Python {meta['python']}; load average before/after "
            f"{meta['load_average_before']} / {meta['load_average_after']}; CPU stolen by the hypervisor: "
            f"{meta['cpu_stolen_pct']}%; {meta['seconds']} s."]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
