"""The second readers' labels line up with the drafts they label, and only name known categories."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.quality import CATEGORIES, SETS, load_drafts
from tests.reader_agreement import SECOND_READER, agreement, twice_labelled


def test_every_second_reader_labelled_each_draft_once_in_order_with_known_categories():
    files = [s for s in SETS if Path(s.drafts).with_name(SECOND_READER).exists()]
    assert files, "no company is labelled twice"
    for labelled in files:
        rows = yaml.safe_load(Path(labelled.drafts).with_name(SECOND_READER).read_text(encoding="utf-8"))
        assert [r["i"] for r in rows] == list(range(len(load_drafts(labelled.drafts)))), labelled.name
        assert {c for r in rows for c in r.get("expect") or ()} <= set(CATEGORIES), labelled.name


def test_agreement_counts_each_category_where_both_or_one_reader_put_it():
    first = [{"tone"}, {"safety", "tone"}, set()]
    second = [{"tone"}, {"safety"}, {"escalation"}]
    counts = agreement(first, second)
    assert counts["tone"] == (1, 0, 1) and counts["safety"] == (1, 0, 0) and counts["escalation"] == (0, 1, 0)
    assert {name for name, _, _ in twice_labelled()} == {"bloomwick", "flowright"}
