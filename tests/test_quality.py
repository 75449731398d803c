"""Quality evaluation: the engine against hand-labelled drafts (tests/data/labelled_drafts.yaml).

Every draft is checked against the example NimbusCo pack on a pinned date. Per finding category:

  TP  the category is expected and at least one finding of it is reported
  FP  the category is reported but not expected
  FN  the category is expected but not reported

precision = TP / (TP + FP), recall = TP / (TP + FN), per category and overall (summed over all
categories). Referral accuracy = share of drafts with a `referral` label whose first referral is it.

A finding of severity "info" is not a flag: the engine keeps speaking-for-company findings on official
accounts at "info" because official accounts may speak for the company, and the labels follow the policy.

Thresholds: per category precision >= 0.85 and recall >= 0.80 (categories with >= 5 expected drafts),
overall precision and recall >= 0.90, referral accuracy >= 0.80. A failure lists the drafts behind it.

The table is printed (run with -s to see it during the test) and added to pytest's terminal summary.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from companion.engine.check import check
from companion.pack.compiled import load_pack

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "policy_packs" / "example" / "nimbusco.yaml"
DRAFTS = ROOT / "tests" / "data" / "labelled_drafts.yaml"
TODAY = dt.date(2026, 11, 23)   # pinned: public_after dates in the pack must not drift the figures

CATEGORIES = ("confidential", "safety", "speaking_for_company", "disclosure", "escalation", "personal_data",
              "tone", "platform_limit")
PLATFORMS = ("x", "facebook", "linkedin", "instagram")
SURFACES = ("post", "reply", "comment", "message", "caption")
KEYS = {"text", "platform", "surface", "replying_to", "account", "expect", "referral", "note"}

MIN_EXPECTED_FOR_THRESHOLD = 5
MIN_CATEGORY_PRECISION = 0.85
MIN_CATEGORY_RECALL = 0.80
MIN_OVERALL_PRECISION = 0.90
MIN_OVERALL_RECALL = 0.90
MIN_REFERRAL_ACCURACY = 0.80


def load_drafts() -> list[dict]:
    with open(DRAFTS, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass
class Outcome:
    draft: dict
    expected: set[str]
    got: set[str]
    findings: list           # the counted findings (severity above info)
    referral: str | None     # first referral id the engine chose

    def label(self) -> str:
        d = self.draft
        text = " ".join(d["text"].split())
        text = text if len(text) <= 90 else text[:87] + "..."
        where = f"{d['platform']}/{d['surface']}" + (f" as {d['account']}" if d.get("account") else "")
        return f"{text!r} ({where})"

    def evidence(self, category: str) -> str:
        hits = [f"{f.rule} on {f.excerpt!r}" for f in self.findings if f.category == category]
        return "; ".join(hits)


@dataclass
class Scores:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    expected: Counter = field(default_factory=Counter)
    fp_drafts: dict = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    fn_drafts: dict = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    referral_total: int = 0
    referral_right: int = 0
    referral_misses: list = field(default_factory=list)

    @staticmethod
    def ratio(num: int, den: int) -> float:
        return num / den if den else 1.0

    def precision(self, c: str | None = None) -> float:
        tp = self.tp[c] if c else sum(self.tp.values())
        fp = self.fp[c] if c else sum(self.fp.values())
        return self.ratio(tp, tp + fp)

    def recall(self, c: str | None = None) -> float:
        tp = self.tp[c] if c else sum(self.tp.values())
        fn = self.fn[c] if c else sum(self.fn.values())
        return self.ratio(tp, tp + fn)

    @property
    def referral_accuracy(self) -> float:
        return self.ratio(self.referral_right, self.referral_total)

    def table(self, n_drafts: int) -> str:
        lines = [f"PostGuard quality on {n_drafts} labelled drafts (pack {PACK.name}, date {TODAY})",
                 f"{'category':<22}{'expected':>9}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}"]
        for c in CATEGORIES:
            lines.append(f"{c:<22}{self.expected[c]:>9}{self.tp[c]:>5}{self.fp[c]:>5}{self.fn[c]:>5}"
                         f"{self.precision(c):>11.3f}{self.recall(c):>8.3f}")
        lines.append(f"{'overall':<22}{sum(self.expected.values()):>9}{sum(self.tp.values()):>5}"
                     f"{sum(self.fp.values()):>5}{sum(self.fn.values()):>5}"
                     f"{self.precision():>11.3f}{self.recall():>8.3f}")
        lines.append(f"referral accuracy: {self.referral_right}/{self.referral_total} = {self.referral_accuracy:.3f}")
        return "\n".join(lines)


class _Summary:
    """A tiny plugin that adds the figures to pytest's terminal summary."""

    def __init__(self, text: str):
        self.text = text

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_sep("=", "quality evaluation")
        for line in self.text.splitlines():
            terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def drafts() -> list[dict]:
    return load_drafts()


@pytest.fixture(scope="module")
def outcomes(drafts) -> list[Outcome]:
    pack = load_pack(PACK)
    out = []
    for d in drafts:
        report = check(pack, d["text"], d["platform"], surface=d["surface"], replying_to=d.get("replying_to"),
                       account=d.get("account"), today=TODAY)
        counted = [f for f in report.findings if f.severity != "info"]
        out.append(Outcome(d, set(d["expect"]), {f.category for f in counted}, counted,
                           report.referrals[0]["id"] if report.referrals else None))
    return out


@pytest.fixture(scope="module")
def scores(outcomes, drafts, request) -> Scores:
    s = Scores()
    for o in outcomes:
        for c in CATEGORIES:
            e, g = c in o.expected, c in o.got
            s.expected[c] += e
            if e and g:
                s.tp[c] += 1
            elif g:
                s.fp[c] += 1
                s.fp_drafts[c].append(o)
            elif e:
                s.fn[c] += 1
                s.fn_drafts[c].append(o)
        if o.draft.get("referral"):
            s.referral_total += 1
            if o.referral == o.draft["referral"]:
                s.referral_right += 1
            else:
                s.referral_misses.append(o)
    table = s.table(len(drafts))
    print("\n" + table)
    if not request.config.pluginmanager.has_plugin("postguard-quality-summary"):
        request.config.pluginmanager.register(_Summary(table), "postguard-quality-summary")
    return s


def _problems(s: Scores, category: str) -> str:
    lines = []
    for o in s.fn_drafts[category]:
        lines.append(f"  missed   {o.label()}\n           expected {sorted(o.expected)}, got {sorted(o.got)}")
    for o in s.fp_drafts[category]:
        lines.append(f"  flagged  {o.label()}\n           expected {sorted(o.expected)}, got {sorted(o.got)}"
                     f" [{o.evidence(category)}]")
    return "\n".join(lines)


# -- the labelled set itself ----------------------------------------------------------------------

def test_labelled_set_is_well_formed(drafts):
    pack = load_pack(PACK)
    referral_ids = {r["id"] for r in pack.data.get("referrals", ())}
    problems = []
    for i, d in enumerate(drafts):
        where = f"draft #{i + 1} {d.get('text', '')[:50]!r}"
        if set(d) - KEYS:
            problems.append(f"{where}: unknown keys {sorted(set(d) - KEYS)}")
        if not isinstance(d.get("text"), str) or not d["text"].strip():
            problems.append(f"{where}: no text")
        if d.get("platform") not in PLATFORMS:
            problems.append(f"{where}: platform {d.get('platform')!r}")
        if d.get("surface") not in SURFACES:
            problems.append(f"{where}: surface {d.get('surface')!r}")
        if not isinstance(d.get("expect"), list) or set(d["expect"]) - set(CATEGORIES):
            problems.append(f"{where}: expect must be a list of {CATEGORIES}")
        if d.get("referral") is not None and d["referral"] not in referral_ids:
            problems.append(f"{where}: referral {d['referral']!r} is not in the pack")
    texts = Counter(d.get("text") for d in drafts)
    problems += [f"duplicate draft {t[:50]!r}" for t, n in texts.items() if n > 1]
    assert not problems, "labelled drafts are malformed:\n" + "\n".join(problems)


def test_labelled_set_is_big_and_balanced(drafts):
    assert len(drafts) >= 150, f"only {len(drafts)} labelled drafts, want at least 150"
    clean = sum(1 for d in drafts if not d["expect"])
    assert clean / len(drafts) >= 0.30, f"only {clean}/{len(drafts)} drafts are clean, want at least 30%"
    per = Counter(c for d in drafts for c in d["expect"])
    thin = {c: per[c] for c in CATEGORIES if per[c] < (3 if c == "platform_limit" else 5)}
    assert not thin, f"categories with too few expected drafts: {thin}"


# -- the engine against the labels -------------------------------------------------------------------

@pytest.mark.parametrize("category", CATEGORIES)
def test_category_precision_and_recall(category, scores):
    if scores.expected[category] < MIN_EXPECTED_FOR_THRESHOLD:
        pytest.skip(f"{category}: only {scores.expected[category]} expected drafts, no threshold")
    p, r = scores.precision(category), scores.recall(category)
    assert p >= MIN_CATEGORY_PRECISION and r >= MIN_CATEGORY_RECALL, (
        f"{category}: precision {p:.3f} (min {MIN_CATEGORY_PRECISION}), recall {r:.3f} "
        f"(min {MIN_CATEGORY_RECALL}); TP {scores.tp[category]} FP {scores.fp[category]} FN {scores.fn[category]}\n"
        + _problems(scores, category))


def test_overall_precision_and_recall(scores):
    p, r = scores.precision(), scores.recall()
    if p >= MIN_OVERALL_PRECISION and r >= MIN_OVERALL_RECALL:
        return
    detail = "\n".join(f"[{c}]\n{_problems(scores, c)}" for c in CATEGORIES if scores.fp[c] or scores.fn[c])
    pytest.fail(f"overall precision {p:.3f} (min {MIN_OVERALL_PRECISION}), recall {r:.3f} "
                f"(min {MIN_OVERALL_RECALL})\n{detail}", pytrace=False)


def test_referral_accuracy(scores):
    assert scores.referral_total >= 10, "too few drafts carry a referral label to measure"
    acc = scores.referral_accuracy
    misses = "\n".join(f"  {o.label()}\n           want {o.draft['referral']!r}, got {o.referral!r}"
                       for o in scores.referral_misses)
    assert acc >= MIN_REFERRAL_ACCURACY, (
        f"referral accuracy {acc:.3f} (min {MIN_REFERRAL_ACCURACY}), "
        f"{scores.referral_right}/{scores.referral_total}\n{misses}")
