"""Run every rule's `examples`: each `flag` draft must get a finding from that rule, each `pass` none.

A term with `public_after` is flagged only until that date, so its `flag` examples describe the
confidential period: they run as of the day before it (or today, if earlier). Otherwise a pack
would start failing its own tests, and be refused, on launch day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from companion.engine.check import CheckRequest, check, findings_of
from companion.engine.gcpause import collector_paused
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


@collector_paused()     # hundreds of checks in a row: one pause, not one per check (engine/gcpause.py)
def run_examples(pack: CompiledPack, today: dt.date) -> list[ExampleResult]:
    results = []
    for ex in pack.rule_examples():
        # Where the rule applies: its first platform and surface (Facebook: no length limit in the way).
        platform = ex.rule.platforms[0] if ex.rule.platforms else "facebook"
        surface = ex.rule.surfaces[0] if ex.rule.surfaces else "reply" if ex.rule.audience == "customer" else "post"
        flag_day = min(today, ex.public_after - dt.timedelta(days=1)) if ex.public_after else today
        for expect, texts in ((True, ex.flag), (False, ex.passes)):
            for text in texts:
                # a flag example asks whether the rule finds the draft, even where another rule's card
                # covers it; a pass example, whether the user would see a card of the rule (the whole
                # check decides that only when the rule found something)
                req = CheckRequest(text, platform, surface, today=flag_day if expect else today)
                findings = findings_of(pack, req, ex.rule, ex.rule_id)
                if findings and not expect:
                    findings = [f for f in check(pack, req).findings if f.rule == ex.rule_id]
                found = [f"“{f.excerpt}”" for f in findings]
                results.append(ExampleResult(ex.rule_id, text, expect, found))
    return results
