"""Run every rule's `examples`: each `flag` draft must get a finding from that rule, each `pass` none.

A term with `public_after` is flagged only until that date, so its `flag` examples describe the
confidential period: they run as of the day before it (or today, if earlier). Otherwise a pack
would start failing its own tests, and be refused, on launch day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from companion.engine.check import CheckRequest, check
from companion.pack.compiled import CompiledPack


@dataclass
class ExampleResult:
    rule: str
    text: str
    expect_flag: bool
    found: list[str]      # the rule's findings' excerpts

    @property
    def ok(self) -> bool:
        return bool(self.found) == self.expect_flag


def run_examples(pack: CompiledPack, today: dt.date) -> list[ExampleResult]:
    results = []
    for ex in pack.rule_examples():
        # Where the rule applies: its first platform and surface (Facebook: no length limit in the way).
        platform = ex.rule.platforms[0] if ex.rule.platforms else "facebook"
        surface = ex.rule.surfaces[0] if ex.rule.surfaces else "reply" if ex.rule.audience == "customer" else "post"
        flag_day = min(today, ex.public_after - dt.timedelta(days=1)) if ex.public_after else today
        for expect, texts in ((True, ex.flag), (False, ex.passes)):
            for text in texts:
                # a flag example asks whether the rule finds the draft, even where another rule's card covers it
                report = check(pack, CheckRequest(text, platform, surface, today=flag_day if expect else today),
                               every_finding=expect)
                found = [f"“{f.excerpt}”" for f in report.findings if f.rule == ex.rule_id]
                results.append(ExampleResult(ex.rule_id, text, expect, found))
    return results
