"""`postguard report`: the records summed per ISO week and per rule, with rates and the noisiest rules,
and champions' response times (responses.py).

Rates are per finding shown: fixed through a suggestion, ignored, posted anyway past it (overridden),
marked wrong. A rule is noisy when people ignore it, post past it or call it wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

from companion.records import responses
from companion.records.events import RULE_EVENTS, WRONG_REASONS
from companion.records.store import kept

ACTIONS = ("fixed", "ignored", "overridden", "wrong")
NOISY = ("ignored", "overridden", "wrong")
NOISIEST = 10


def parse_since(value: str, today: dt.date) -> dt.date:
    """`30d`, `12w` or a date YYYY-MM-DD."""
    m = re.fullmatch(r"(\d{1,4})([dw])", value.strip())
    if m:
        days = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        return today - dt.timedelta(days=max(days - 1, 0))
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--since {value!r}: use a number of days or weeks (30d, 12w) or a date YYYY-MM-DD") from None


def _counts() -> dict[str, int]:
    return dict.fromkeys(RULE_EVENTS, 0)


def _rated(c: dict[str, int]) -> dict[str, Any]:
    shown = c["shown"]
    return {**c, "rates": {a: (round(c[a] / shown, 3) if shown else None) for a in ACTIONS}}


def build(conn: sqlite3.Connection, since: dt.date, today: dt.date) -> dict[str, Any]:
    start = since.isoformat()
    # One pass sums each week's (rule, category) counts; everything else is rolled up from those (a
    # year of a busy champion is ~100k rows: per-row work is what `report` costs).
    weekly: dict[str, dict[tuple[str, str], dict[str, int]]] = defaultdict(dict)
    conn.create_function("iso_week", 1, responses.week_of, deterministic=True)
    for week, rule, category, event, n in conn.execute(
            "SELECT iso_week(day) AS week, rule, category, event, SUM(n) FROM rule_events WHERE day >= ?"
            " GROUP BY week, rule, category, event", (start,)):
        if event not in RULE_EVENTS:
            continue   # an event a newer PostGuard records
        per_rule = weekly[week]
        counts = per_rule.get((rule, category))
        if counts is None:
            counts = per_rule[(rule, category)] = _counts()
        counts[event] += n
    weeks: dict[str, dict] = defaultdict(lambda: {"categories": defaultdict(_counts), "rules": {}})
    rules: dict[tuple[str, str], dict[str, int]] = defaultdict(_counts)
    categories: dict[str, dict[str, int]] = defaultdict(_counts)
    totals = _counts()
    for week, per_rule in weekly.items():
        weeks[week]["rules"] = per_rule
        for (rule, category), counts in per_rule.items():
            for target in (weeks[week]["categories"][category], rules[(rule, category)], categories[category], totals):
                for event, n in counts.items():
                    target[event] += n
    reasons: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*WRONG_REASONS, "none"), 0))
    for rule, reason, n in conn.execute(
            "SELECT rule, reason, SUM(n) FROM wrong_reasons WHERE day >= ? GROUP BY rule, reason", (start,)):
        reasons[rule][reason] = n
    rule_rows = [{"rule": r, "category": c, **_rated(v)} for (r, c), v in sorted(rules.items())]
    noisy = [row for row in rule_rows if sum(row[a] for a in NOISY)]
    noisy.sort(key=lambda row: (-sum(row[a] for a in NOISY), row["rule"]))
    return {
        "since": start, "until": today.isoformat(),
        "kept": kept(conn),
        "totals": _rated(totals),
        "categories": {c: _rated(v) for c, v in sorted(categories.items())},
        "weeks": [{"week": w,
                   "categories": {c: _rated(v) for c, v in sorted(weeks[w]["categories"].items())},
                   "rules": [{"rule": r, "category": c, **_rated(v)} for (r, c), v in sorted(weeks[w]["rules"].items())]}
                  for w in sorted(weeks)],
        "rules": rule_rows,
        "noisiest": [{"rule": row["rule"], "category": row["category"], "shown": row["shown"],
                      "noise": sum(row[a] for a in NOISY), **{a: row[a] for a in NOISY}} for row in noisy[:NOISIEST]],
        "wrong_reasons": {r: v for r, v in sorted(reasons.items())},
        "replies": [{"reply_id": r, "used": n} for r, n in conn.execute(
            "SELECT reply_id, SUM(n) FROM reply_uses WHERE day >= ? GROUP BY reply_id ORDER BY 2 DESC, 1", (start,))],
        "responses": responses.build(conn, since),
        "handoffs": [{"topic": t, "opened": n} for t, n in conn.execute(
            "SELECT topic, SUM(n) FROM handoffs WHERE day >= ? GROUP BY topic ORDER BY 2 DESC, 1", (start,))],
        "sites": [{"site": s, "paused": p, "resumed": r} for s, p, r in conn.execute(
            "SELECT site, SUM(CASE WHEN event = 'site_paused' THEN n ELSE 0 END),"
            " SUM(CASE WHEN event = 'site_resumed' THEN n ELSE 0 END) FROM site_events WHERE day >= ?"
            " GROUP BY site ORDER BY site", (start,))],
    }


def _pct(rate: float | None) -> str:
    return "  -  " if rate is None else f"{rate * 100:4.0f}%"


def text(report: dict[str, Any], path: Path) -> list[str]:
    k = report["kept"]
    rows = sum(k["rows"].values())
    lines = [f"PostGuard records {report['since']} to {report['until']} (kept in {path}: {rows} rows of counts"
             + (f", {k['first_day']} to {k['last_day']})" if rows else ")"),
             "Only counts are kept: which rule, which day, what you did. Never your text.", ""]
    t = report["totals"]
    if not t["shown"] and not report["replies"] and not report["sites"] and not report["responses"]["answered"] \
            and not report["handoffs"]:
        return [*lines, "Nothing recorded in this period."]
    lines.append(f"findings shown {t['shown']}: fixed {t['fixed']} ({_pct(t['rates']['fixed']).strip()}), "
                 f"ignored {t['ignored']} ({_pct(t['rates']['ignored']).strip()}), posted anyway {t['overridden']} "
                 f"({_pct(t['rates']['overridden']).strip()}), marked wrong {t['wrong']} ({_pct(t['rates']['wrong']).strip()})")
    for w in report["weeks"]:
        lines += ["", f"week {w['week']}", f"  {'category / rule':40} {'shown':>6} {'fixed':>6} {'ignored':>7} "
                                            f"{'anyway':>6} {'wrong':>6}"]
        for c, v in w["categories"].items():
            lines.append(f"  {c:40} {v['shown']:6} {_pct(v['rates']['fixed']):>6} {_pct(v['rates']['ignored']):>7} "
                         f"{_pct(v['rates']['overridden']):>6} {_pct(v['rates']['wrong']):>6}")
            for r in (r for r in w["rules"] if r["category"] == c):
                lines.append(f"    {r['rule']:38} {r['shown']:6} {r['fixed']:6} {r['ignored']:7} {r['overridden']:6} "
                             f"{r['wrong']:6}")
    if report["noisiest"]:
        lines += ["", "noisiest rules (ignored + posted anyway + marked wrong):"]
        for r in report["noisiest"]:
            reasons = report["wrong_reasons"].get(r["rule"], {})
            why = ", ".join(f"{k} {n}" for k, n in reasons.items() if n)
            lines.append(f"  {r['rule']:40} {r['noise']:5} of {r['shown']} shown" + (f"  (wrong: {why})" if why else ""))
    if report["replies"]:
        lines += ["", "canned replies used: " + ", ".join(f"{r['reply_id']} {r['used']}" for r in report["replies"])]
    lines += responses.text(report["responses"])
    if report["handoffs"]:
        lines += ["", "hand-offs opened: " + ", ".join(f"{h['topic']} {h['opened']}" for h in report["handoffs"])]
    if report["sites"]:
        lines += ["", "sites paused / resumed: " + ", ".join(f"{s['site']} {s['paused']}/{s['resumed']}"
                                                            for s in report["sites"])]
    return lines


def write_csv(report: dict[str, Any], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    cols = ["shown", *ACTIONS]
    tables = {
        "weekly_rules.csv": (["week", "rule", "category", *cols],
                             [[w["week"], r["rule"], r["category"], *(r[c] for c in cols)]
                              for w in report["weeks"] for r in w["rules"]]),
        "rules.csv": (["rule", "category", *cols, *(f"{a}_rate" for a in ACTIONS)],
                      [[r["rule"], r["category"], *(r[c] for c in cols), *(r["rates"][a] for a in ACTIONS)]
                       for r in report["rules"]]),
        "wrong_reasons.csv": (["rule", "reason", "count"],
                              [[rule, reason, n] for rule, v in report["wrong_reasons"].items()
                               for reason, n in v.items() if n]),
        "replies.csv": (["reply_id", "used"], [[r["reply_id"], r["used"]] for r in report["replies"]]),
        "handoffs.csv": (["topic", "opened"], [[h["topic"], h["opened"]] for h in report["handoffs"]]),
        "sites.csv": (["site", "paused", "resumed"], [[s["site"], s["paused"], s["resumed"]] for s in report["sites"]]),
        "weekly_responses.csv": responses.csv_rows(report["responses"]),
    }
    written = []
    for name, (header, rows) in tables.items():
        path = folder / name
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(header)
            out.writerows(rows)
        written.append(path)
    return written
