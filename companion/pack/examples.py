"""Run every rule's `examples`: each `flag` draft must get a finding from that rule, each `pass` none.

A term with `public_after` is flagged only until that date, so its `flag` examples describe the
confidential period: they run as of the day before it (or today, if earlier). Otherwise a pack
would start failing its own tests, and be refused, on launch day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from companion.engine.check import CheckRequest, check
from companion.engine.findings import PLATFORMS


@dataclass
class ExampleResult:
    rule: str
    text: str
    expect_flag: bool
    found: list[str]      # the rule's findings' excerpts

    @property
    def ok(self) -> bool:
        return bool(self.found) == self.expect_flag


def run_examples(pack, today: dt.date) -> list[ExampleResult]:
    rules = {getattr(r, "id", None): r for r in pack.rules}
    results = []
    for rule_id, examples, raw in pack.rule_examples():
        rule = rules.get(rule_id)
        platform = (getattr(rule, "platforms", None) or PLATFORMS)[0]
        platform = "facebook" if platform == "x" and not getattr(rule, "platforms", None) else platform
        surface = (getattr(rule, "surfaces", None) or ("post",))[0]
        flag_day = today
        if raw.get("public_after"):
            flag_day = min(today, dt.date.fromisoformat(raw["public_after"]) - dt.timedelta(days=1))
        for expect, texts in ((True, examples.get("flag", ())), (False, examples.get("pass", ()))):
            for text in texts:
                report = check(pack, CheckRequest(text, platform, surface, today=flag_day if expect else today))
                found = [f"“{f.excerpt}”" for f in report.findings if f.rule == rule_id]
                results.append(ExampleResult(rule_id, text, expect, found))
    return results
