"""How far a second reader agrees with the first: the ceiling the labels themselves allow.

Some companies' drafts were labelled twice. After a company's figures had been reported, a second
helper who saw only the policy sources, the labelling sections of tests/data/companies/README.md, the
company's pack and the drafts without their labels wrote `second-reader.yaml` beside `drafts.yaml`
(one `{i, expect}` per draft, in order). This prints the second reader's precision and recall per
category against the first reader's labels, as PostGuard's are measured:

    .venv/bin/python -m tests.reader_agreement
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.quality import CATEGORIES, SETS, load_drafts

SECOND_READER = "second-reader.yaml"


def twice_labelled() -> list[tuple[str, list[set[str]], list[set[str]]]]:
    """(company, first reader's labels, second reader's labels) for every company labelled twice."""
    out = []
    for labelled in SETS:
        path = Path(labelled.drafts).with_name(SECOND_READER)
        if path.exists():
            first = [set(d["expect"]) for d in load_drafts(labelled.drafts)]
            rows = yaml.safe_load(path.read_text(encoding="utf-8"))
            second = [set(r.get("expect") or ()) for r in sorted(rows, key=lambda r: r["i"])]
            out.append((labelled.name, first, second))
    return out


def agreement(first: list[set[str]], second: list[set[str]]) -> dict[str, tuple[int, int, int]]:
    """category -> (both, second only, first only)."""
    return {c: (sum(c in a and c in b for a, b in zip(first, second)),
                sum(c not in a and c in b for a, b in zip(first, second)),
                sum(c in a and c not in b for a, b in zip(first, second))) for c in CATEGORIES}


def main() -> None:
    total = {c: [0, 0, 0] for c in CATEGORIES}
    for name, first, second in twice_labelled():
        same = sum(a == b for a, b in zip(first, second))
        print(f"{name}: {same} of {len(first)} drafts labelled alike")
        for c, counts in agreement(first, second).items():
            total[c] = [t + n for t, n in zip(total[c], counts)]
    print(f"{'category':22} {'both':>5} {'2nd only':>9} {'1st only':>9}  precision  recall")
    for c, (both, second_only, first_only) in total.items():
        if both + second_only + first_only:
            print(f"{c:22} {both:5} {second_only:9} {first_only:9}  {both / max(1, both + second_only):9.2f}"
                  f"  {both / max(1, both + first_only):6.2f}")


if __name__ == "__main__":
    main()
