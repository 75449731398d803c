"""Hostile drafts and packs: what one check costs at its worst, next to an ordinary draft of the same
length against the same pack, measured in the same run.

    bench/run-adversarial                 # full: 70,000-character drafts, packs up to 100,000 terms (~3 min)
    bench/run-adversarial --quick         # 7,000 characters, 5,000-term packs: seconds (tests/test_bench_adversarial.py)
    bench/run-adversarial --json out.json # also write the rows as JSON
    bench/run-adversarial --case proj5k:repeated   # one pack:draft pair (or a pack, or a draft name)

Every row is one pack and one draft: the whole check (`companion.engine.check.check`, every rule of
the pack, platform Facebook) and the confidential rule alone, median of a few runs; the work units the
term index spent and whether a budget stopped it; the findings; the peak RSS the check added (Linux:
VmHWM reset through /proc/self/clear_refs before each check). The baseline column is an ordinary
social-media draft of the same length against the same pack, timed in between, so both see the same
machine. The hypothesis row is the worst draft hypothesis found for that pack (it maximises the work
units per character of short drafts), repeated to the full length.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from bench import host, synth
from bench.workload import make_pack
from companion.engine import lexicon
from companion.engine.check import CheckRequest, check
from companion.engine.context import CheckContext
from companion.engine.kinds.confidential import ConfidentialTerms
from companion.engine.normalize import normalize
from companion.engine.termindex import Budget
from companion.pack.compiled import compile_pack, load_pack

TODAY = dt.date(2026, 11, 23)
FULL_CHARS, QUICK_CHARS = 70_000, 7_000
TARGET_MS, TARGET_MB = 250, 50
SHARED = ["Zentrix", "Proj", "Nimbrel", "Quorvia", "Talvex", "Brisko", "Moravin", "Keltra", "Duvessa", "Ostrin",
          "Pelago", "Virent", "Caldor", "Fennix", "Halvo", "Jorvik", "Lumera", "Sarvo", "Trevik", "Ulmari"]


# -- packs ---------------------------------------------------------------------------------------------

def _pack(pack_id: str, terms: list[str], aliases: dict[int, list[str]] | None = None) -> dict:
    entries = []
    for i, term in enumerate(terms):
        entry = {"id": f"conf.a{i:06d}", "term": term, "reason": "bench"}
        if aliases and i in aliases:
            entry["aliases"] = aliases[i]
        entries.append(entry)
    return {"format": "postguard/pack-v1", "id": pack_id, "revision": 1, "company": {"name": "BenchCo"},
            "confidential": entries}


def _lexicon_words() -> list[str]:
    return sorted(w for w in lexicon.words() if len(w) >= 4)


def proj_pack(n: int) -> dict:
    """The review's case: `Proj <word> Q<i>`, every term sharing "Proj"."""
    rng, words = random.Random(1), _lexicon_words()
    return _pack(f"proj{n}", [f"Proj {rng.choice(words)} Q{i}" for i in range(n)])


def zentrix_pack(n: int) -> dict:
    """The review's realistic case: `Zentrix <Word>`, a product line."""
    rng, words = random.Random(2), _lexicon_words()
    return _pack(f"zentrix{n}", [f"Zentrix {rng.choice(words).capitalize()}" for i in range(n)])


def synth_pack(n: int) -> dict:
    """bench/run's synthetic code names (dense: the nature and colour words are shared many times)."""
    return make_pack(synth.code_names(n, 7))


def hostile_pack(n: int) -> dict:
    """Built to make every stage work: pairs of shared invented words (each pair shared by dozens of
    terms), thousands of words one deletion apart ("orvia" + one letter), the same term under many
    entries, and one alias of 100 one-letter words (every window reaches 100 tokens)."""
    rng = random.Random(3)
    letters = [chr(c) for c in range(0x4E00, 0x4E00 + 4000)]          # CJK: letters that fold to nothing else
    terms: list[str] = []
    aliases: dict[int, list[str]] = {0: [" ".join("abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(100))]}
    while len(terms) < n:
        kind = len(terms) % 10
        if kind < 6:
            terms.append(f"{rng.choice(SHARED)} {rng.choice(SHARED)} Q{len(terms)}")
        elif kind < 8:
            terms.append("orvia" + letters[len(terms) % len(letters)] if kind == 6 else
                         letters[len(terms) % len(letters)] + "orvia")
        else:
            terms.append("Falcon Ridge")
    return _pack(f"hostile{n}", terms, aliases)


@dataclass
class Pack:
    name: str
    build: Callable[[], object]
    shared: str            # the word its terms share most: what a hostile draft repeats
    words: list[str]       # other words of its terms
    term: str              # one of its terms, written out


def packs(quick: bool) -> list[Pack]:
    big = 5_000 if quick else 100_000
    return [
        Pack("example", load_pack, "Nimbus", ["AeroBake", "Falcon", "Ridge", "blender"], "Falcon Ridge"),
        Pack("proj5k", lambda: compile_pack(proj_pack(5_000)), "Proj", ["able", "about", "Q17"], "Proj about Q17"),
        Pack("zentrix2k", lambda: compile_pack(zentrix_pack(2_000)), "Zentrix", ["Team", "Store", "Great"],
             "Zentrix Store"),
        Pack(f"synth{big // 1000}k", lambda: compile_pack(synth_pack(big)), "Project", ["Silver", "Falcon", "Ridge"],
             "Falcon Ridge"),
        Pack(f"hostile{big // 1000}k", lambda: compile_pack(hostile_pack(big)), "Zentrix", SHARED[1:6],
             "Falcon Ridge"),
    ]


# -- drafts --------------------------------------------------------------------------------------------

def _fill(piece: str, chars: int) -> str:
    return (piece * (chars // max(1, len(piece)) + 1))[:chars]


def _typo(word: str) -> str:
    return word[:2] + word[1:]          # one letter doubled: "Zeentrix"


def drafts(pack: Pack, chars: int) -> dict[str, str]:
    rng = random.Random(11)
    shared, words = pack.shared, pack.words
    return {
        "no spaces": "x" * chars,
        "no spaces, letters": "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(chars)),
        "repeated": _fill(shared + " ", chars),
        "repeated typo": _fill(_typo(shared) + " ", chars),
        "shared words": _fill(" ".join(f"{_typo(shared)} {w}" for w in words) + " ", chars),
        "shared words, numbered": _fill(" ".join(f"{_typo(shared)} {words[i % len(words)]} Q{i}"
                                                 for i in range(chars // 8)), chars),
        "a term repeated": _fill(pack.term + " ", chars),
        "camel #tag": "#" + _fill(shared.capitalize() + "Ab", chars - 1),
        "combining": _fill("e\u0301", chars),
        "combining pile": _fill("a" + "\u0301" * 99 + " ", chars),
        "emoji": _fill("🚀", chars),
        "emoji joined": _fill(f"{shared}👩‍👩‍👧", chars),
        "mixed scripts": _fill("Fаlcоn Гроза αβγ Zеntrіx 漢字 ", chars),
        "one-letter words": _fill("a ", chars),
        "addresses": _fill(f"{shared.lower()}@x.co https://{shared.lower()}.com ", chars),
    }


def hypothesis_worst(conf: ConfidentialTerms, pack: Pack, examples: int) -> str:
    """The short draft (up to ~600 characters) with the most work units per character that hypothesis
    finds in `examples` tries, guided by `target`. Pieces: the pack's words, their typos, separators,
    camel case, digits, emoji, combining marks, look-alike letters."""
    from hypothesis import HealthCheck, Phase, given, settings, target
    from hypothesis import strategies as st

    pieces = [pack.shared, _typo(pack.shared), pack.shared.lower(), *pack.words, *map(_typo, pack.words),
              " ", " ", "#", "-", "1", "3", "🚀", "\u0301", "\u200b", "а", "о", "Ab", "x", "orvia", "Q1"]
    best = {"score": -1.0, "text": pack.shared}

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate, Phase.target], suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(pieces), min_size=1, max_size=120).map("".join))
    def search(text: str) -> None:
        budget = Budget(units=10**9, matches=10**9)
        conf.index.find(normalize(text).tokens, budget)
        score = budget.spent / max(1, len(text))
        target(score)
        if score > best["score"]:
            best.update(score=score, text=text)

    search()
    return best["text"]


# -- measuring -----------------------------------------------------------------------------------------

def _status() -> dict[str, int]:
    try:
        with open("/proc/self/status") as fh:
            fields = dict(line.split(":", 1) for line in fh if ":" in line)
        return {"rss": int(fields["VmRSS"].split()[0]), "hwm": int(fields["VmHWM"].split()[0])}
    except OSError:
        return {}


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def measure(pack, conf: ConfidentialTerms, text: str, reps: int) -> dict:
    gc.collect()
    peak_ok = _reset_peak()
    before = _status()
    times, cpu_times, conf_times = [], [], []
    report = None
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        report = check(pack, CheckRequest(text, "facebook", today=TODAY))
        times.append(time.perf_counter() - t0)
        cpu_times.append(time.process_time() - c0)
    after = _status()
    norm = normalize(text)
    ctx = CheckContext(text=text, norm=norm, platform="facebook", surface="post", replying_to=None,
                       reply_norm=None, official=False, today=TODAY)
    for _ in range(reps):
        t0 = time.perf_counter()
        conf.run(ctx)
        conf_times.append(time.perf_counter() - t0)
    budget = Budget()
    conf.index.find(norm.tokens, budget)
    extra = (after["hwm"] - before["rss"]) / 1024 if peak_ok and before else None
    return {"check_ms": round(statistics.median(times) * 1000, 2),
            "check_cpu_ms": round(statistics.median(cpu_times) * 1000, 2),
            "confidential_ms": round(statistics.median(conf_times) * 1000, 2),
            "units": budget.spent, "truncated": budget.truncated,
            "findings": len(report.findings), "tokens": len(norm.tokens),
            "extra_rss_mb": None if extra is None else round(max(0.0, extra), 1)}


def run(quick: bool, only: list[str], reps: int, examples: int) -> list[dict]:
    chars = QUICK_CHARS if quick else FULL_CHARS
    rows: list[dict] = []
    all_packs = packs(quick)
    names = {p.name for p in all_packs}
    for p in all_packs:
        if only and not any(c == p.name or c.startswith(p.name + ":") or (":" not in c and c not in names)
                            for c in only):
            continue
        print(f"building {p.name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        pack = p.build()
        build_s = time.perf_counter() - t0
        conf = next(r for r in pack.rules if isinstance(r, ConfidentialTerms))
        ordinary = synth.prose(chars, random.Random(5))
        texts = drafts(p, chars)
        if not only or any(_selects(c, p.name, "hypothesis worst") for c in only):
            texts["hypothesis worst"] = _fill(hypothesis_worst(conf, p, examples) + " ", chars)
        check(pack, CheckRequest(ordinary, "facebook", today=TODAY))            # warm up
        # measure() collects garbage before each timing; with the pack and the word tables frozen out of the
        # collector's walks that takes milliseconds instead of a sixth of a second (most of a quick run)
        gc.collect()
        gc.freeze()
        for name, text in texts.items():
            if only and not any(_selects(c, p.name, name) for c in only):
                continue
            print(f"  {p.name}: {name}", file=sys.stderr, flush=True)
            base = measure(pack, conf, ordinary, reps)
            row = measure(pack, conf, text, reps)
            rows.append({"pack": p.name, "terms": len(conf.terms), "build_s": round(build_s, 2), "draft": name,
                         "chars": len(text), **row, "baseline_check_ms": base["check_ms"],
                         "baseline_check_cpu_ms": base["check_cpu_ms"],
                         "baseline_confidential_ms": base["confidential_ms"], "baseline_units": base["units"],
                         "baseline_truncated": base["truncated"],
                         "sample": text[:40] if name == "hypothesis worst" else None})
        gc.unfreeze()     # this pack may go now
    return rows


def _selects(case: str, pack: str, draft: str) -> bool:
    if ":" in case:
        return case == f"{pack}:{draft}"
    return case in (pack, draft)


def table(rows: list[dict]) -> str:
    head = ("pack", "terms", "draft", "check", "check CPU", "confidential", "baseline check", "baseline CPU", "units",
            "stopped by", "findings", "extra RSS")
    lines = [head]
    for r in rows:
        lines.append((r["pack"], f"{r['terms']:,}", r["draft"], _ms(r["check_ms"]), _ms(r["check_cpu_ms"]),
                      _ms(r["confidential_ms"]), _ms(r["baseline_check_ms"]), _ms(r["baseline_check_cpu_ms"]),
                      f"{r['units']:,}", r["truncated"] or "-", f"{r['findings']:,}",
                      "?" if r["extra_rss_mb"] is None else f"{r['extra_rss_mb']:.1f} MB"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    fmt = lambda line: "  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths)))  # noqa: E731
    return "\n".join([fmt(lines[0]), "  ".join("-" * w for w in widths)] + [fmt(line) for line in lines[1:]])


def _ms(v: float) -> str:
    return f"{v / 1000:.1f} s" if v >= 10_000 else f"{v:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench/run-adversarial", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="7,000-character drafts and 5,000-term packs")
    p.add_argument("--json", metavar="PATH", help="write the rows as JSON to PATH")
    p.add_argument("--case", action="append", default=[], help="pack, draft or pack:draft to run (repeatable)")
    p.add_argument("--reps", type=int, help="checks timed per row (default 3; quick 1)")
    p.add_argument("--examples", type=int, help="drafts hypothesis tries per pack (default 300; quick 60)")
    args = p.parse_args(argv)
    started = time.time()
    load_before = host.load_average()
    cpu_before = host.cpu_times()
    rows = run(args.quick, args.case, args.reps or (1 if args.quick else 3), args.examples or (60 if args.quick else 300))
    meta = {"mode": "quick" if args.quick else "full", "load_average_before": load_before,
            "load_average_after": host.load_average(), "cpu_stolen_pct": host.stolen_percent(cpu_before, host.cpu_times()),
            "seconds": round(time.time() - started, 1)}
    print()
    print(table(rows))
    worst_ms = max((r["check_ms"] for r in rows), default=0.0)
    worst_cpu = max((r["check_cpu_ms"] for r in rows), default=0.0)
    worst_mb = max((r["extra_rss_mb"] or 0.0 for r in rows), default=0.0)
    base_cut = [r for r in rows if r["baseline_truncated"]]
    print(f"\ncheck = every rule of the pack, median of the runs (wall clock, and CPU time of this process); "
          f"confidential = that rule alone; baseline = an ordinary draft of the same length, same pack, same run; "
          f"units = the term index's work (budget {Budget().units:,}).")
    print(f"Worst check: {worst_ms:.1f} ms, {worst_cpu:.1f} ms CPU (target {TARGET_MS} ms); worst extra RSS: {worst_mb:.1f} MB "
          f"(target {TARGET_MB} MB); ordinary drafts stopped by a budget: {len(base_cut)}.")
    for r in rows:
        if r["sample"]:
            print(f"hypothesis worst for {r['pack']} begins {r['sample']!r}")
    stolen = "" if meta["cpu_stolen_pct"] is None else f"; CPU stolen by the hypervisor: {meta['cpu_stolen_pct']}%"
    print(f"load average before/after: {load_before} / {meta['load_average_after']}{stolen}; {meta['seconds']} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
