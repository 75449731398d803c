"""Measure one term count in a fresh process, so that its memory figure is its own.

    python -m bench.worker --terms 10000 [--quick] [--seed 7] [--baseline-budget 20]

Prints one JSON object: {"terms", "build_s", "rss_mb", "peak_rss_mb", "index_arrays_mb", "rows": [...]}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import statistics
import sys
import time

from bench.baseline import Baseline
from bench.synth import VARIANTS
from bench.workload import Draft, entry_of, make_workload
from companion.engine import lexicon
from companion.engine.check import CheckRequest, check
from companion.engine.context import CheckContext
from companion.engine.kinds.confidential import ConfidentialTerms
from companion.engine.normalize import normalize
from companion.pack.compiled import compile_pack

TODAY = dt.date(2026, 11, 23)
LENGTHS = {280: (20, 0), 3000: (8, 8), 63206: (3, 3)}          # chars -> (clean drafts, planted drafts)
QUICK_LENGTHS = {280: (6, 0), 3000: (2, 2), 63206: (1, 1)}      # (280: planted drafts come from RECALL_280)
RECALL_280, QUICK_RECALL_280 = 20, 4                           # terms x 9 variant kinds, one per draft
REPS = {280: 5, 3000: 3, 63206: 2}
# The whole check again as a reply to a customer: the message answered is read too, and the referral
# links chosen (their learnt order included), which a post never costs.
CUSTOMER = ("My blender from you broke after two weeks, the jar cracked and nobody answers the support line. "
            "I want a refund or a repair, this is ridiculous.")


def memory() -> dict[str, float]:
    """Resident and peak resident memory of this process, in MB (Linux /proc; getrusage elsewhere)."""
    try:
        with open("/proc/self/status") as fh:
            fields = dict(line.split(":", 1) for line in fh if ":" in line)
        return {"rss": int(fields["VmRSS"].split()[0]) / 1024, "hwm": int(fields["VmHWM"].split()[0]) / 1024}
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"rss": peak, "hwm": peak}


def percentile(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]


def run_matcher(conf: ConfidentialTerms, text: str):
    """What the confidential-term matcher costs per check: normalization, index, per-term rules."""
    norm = normalize(text)
    ctx = CheckContext(text=text, norm=norm, platform="facebook", surface="post", replying_to=None,
                       reply_norm=None, official=False, today=TODAY)
    return norm, conf.run(ctx)


def found_planted(draft: Draft, conf: ConfidentialTerms) -> tuple[list[bool], list[bool]]:
    """For each planted variant: did the matcher find its term over (part of) the planted span?

    First list: among everything the term index reports there (the planted terms carry no per-term
    rules in the synthetic pack, so that is what the rule sees). Second list: among the findings the
    user is shown, after overlapping matches were merged into one finding per stretch of text (in
    a dense synthetic list, the words around a planted name sometimes form another term)."""
    norm, findings = run_matcher(conf, draft.text)
    shown = [(entry_of(f.rule), f.start, f.end) for f in findings]
    toks = norm.tokens
    index = [(m.entry, toks[m.first].start, toks[m.last].end) for m in conf.index.find(toks)]
    found, seen = [], []
    for p in draft.planted:
        s16, e16 = norm.utf16[p.start], norm.utf16[p.end]
        found.append(any(e == p.entry and s < e16 and s16 < end for e, s, end in index))
        seen.append(any(e == p.entry and s < e16 and s16 < end for e, s, end in shown))
    return found, seen


def measure(n_terms: int, quick: bool, seed: int, budget: float) -> dict:
    lexicon.words()                    # shared by every pack: loaded before the memory baseline
    lengths = QUICK_LENGTHS if quick else LENGTHS
    work = make_workload(n_terms, lengths, QUICK_RECALL_280 if quick else RECALL_280, seed)
    baseline = Baseline(work.terms)
    check(compile_pack({"format": "postguard/pack-v1", "id": "warm", "revision": 1, "company": {"name": "W"},
                        "confidential": [{"term": "Warm Up", "reason": "x"}]}), CheckRequest("warm up", "facebook"))
    gc.collect()
    before = memory()
    t0 = time.perf_counter()
    pack = compile_pack(work.pack)
    build_s = time.perf_counter() - t0
    gc.collect()
    after = memory()
    conf = next(r for r in pack.rules if isinstance(r, ConfidentialTerms))
    gc.freeze()     # as the companion does after a pack is swapped in (packstate._settle_heap)
    result = {"terms": n_terms, "build_s": round(build_s, 3),
              "rss_mb": round(after["rss"] - before["rss"], 1),
              "peak_rss_mb": round(max(0.0, after["hwm"] - before["rss"]), 1),
              "index_arrays_mb": round(conf.index.memory_bytes() / 2**20, 1), "rows": []}
    for chars in lengths:
        result["rows"].append(_measure_length(work, conf, pack, baseline, chars, quick, budget))
    return result


def _measure_length(work, conf, pack, baseline: Baseline, chars: int, quick: bool, budget: float) -> dict:
    clean, planted = work.clean[chars], work.planted[chars]
    # Timed, for ours and the baseline alike: the clean drafts and as many drafts with planted variants.
    drafts = clean + planted[:len(clean)]
    reps = 1 if quick else REPS[chars]
    for d in drafts[:3]:
        run_matcher(conf, d.text)      # warm up (normalization's per-character cache)
    # Where scoring every term would take longer than the budget, the baseline scores every
    # step-th term only, and its time and counts are scaled by step.
    probe_step = max(1, len(baseline.terms) // 2000)
    _, per_scan = baseline.scan(max((d.text for d in drafts), key=len), step=probe_step)
    estimate = per_scan * probe_step * len(drafts)
    step = max(1, math.ceil(estimate / (budget / 4 if quick else budget)))
    # Ours and the baseline alternate draft by draft, so both see the same machine load.
    samples, check_samples, check_cpu, cold_samples, base_samples, reply_samples = [], [], [], [], [], []
    base_fp = 0
    clean_ids = {id(d) for d in clean}
    for d in drafts:
        hits, elapsed = baseline.scan(d.text, step)
        base_samples.append(elapsed * step)
        if id(d) in clean_ids:
            base_fp += len(hits) * step
        request = CheckRequest(d.text, "facebook", today=TODAY)
        # Cold: right after the baseline's scan has filled the CPU caches with its own data.
        t0 = time.perf_counter()
        check(pack, request)
        cold_samples.append(time.perf_counter() - t0)
        # Warm: repeated like the matcher's own row, as while someone types one draft.
        for _ in range(reps):
            t0, c0 = time.perf_counter(), time.process_time()
            check(pack, request)
            check_samples.append(time.perf_counter() - t0)
            check_cpu.append(time.process_time() - c0)      # what a busy machine cannot inflate
        as_reply = CheckRequest(d.text, "facebook", surface="reply", replying_to=CUSTOMER, today=TODAY)
        for _ in range(reps):
            t0 = time.perf_counter()
            check(pack, as_reply)
            reply_samples.append(time.perf_counter() - t0)
        for _ in range(reps):
            t0 = time.perf_counter()
            run_matcher(conf, d.text)
            samples.append(time.perf_counter() - t0)
    false_pos = sum(len({f.rule for f in run_matcher(conf, d.text)[1]}) for d in clean)
    by_kind = {k: [0, 0, 0] for k in VARIANTS}      # kind -> [ours, baseline, planted]
    shown = 0
    for d in planted:
        found, seen = found_planted(d, conf)
        shown += sum(seen)
        for p, ok in zip(d.planted, found):
            by_kind[p.kind][0] += ok
            by_kind[p.kind][1] += baseline.finds(p.entry, d.text)
            by_kind[p.kind][2] += 1
    total = sum(v[2] for v in by_kind.values())
    p50 = statistics.median(samples) * 1000
    base_p50 = statistics.median(base_samples) * 1000
    return {
        "terms": len(work.terms), "chars": chars,
        "p50_ms": round(p50, 3), "p95_ms": round(percentile(samples, 0.95) * 1000, 3),
        "check_p50_ms": round(statistics.median(check_samples) * 1000, 3),
        "check_p95_ms": round(percentile(check_samples, 0.95) * 1000, 3),
        "check_cpu_p50_ms": round(statistics.median(check_cpu) * 1000, 3),
        "check_cold_p50_ms": round(statistics.median(cold_samples) * 1000, 3),
        "reply_check_p50_ms": round(statistics.median(reply_samples) * 1000, 3),
        "baseline_p50_ms": round(base_p50, 3),
        "baseline_p95_ms": round(percentile(base_samples, 0.95) * 1000, 3),
        "speedup": round(base_p50 / p50, 1),
        "baseline_sample": "all terms" if step == 1 else f"1/{step} of the terms, scaled x{step}",
        "recall": round(sum(v[0] for v in by_kind.values()) / total, 4),
        "baseline_recall": round(sum(v[1] for v in by_kind.values()) / total, 4),
        "recall_shown": round(shown / total, 4),
        "planted": total,
        "recall_by_kind": {k: v for k, v in by_kind.items() if v[2]},
        "false_positives": false_pos, "baseline_false_positives": base_fp, "clean_drafts": len(clean),
        "timed_drafts": len(drafts), "samples": len(samples),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--terms", type=int, required=True)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--baseline-budget", type=float, default=20.0,
                   help="seconds the baseline may take per draft length before it is sampled")
    args = p.parse_args(argv)
    out = measure(args.terms, args.quick, args.seed, args.baseline_budget)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
