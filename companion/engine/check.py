"""One check: pack + draft (+ situation) in, findings and referrals out. No I/O here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from companion.engine.context import CheckContext
from companion.engine.findings import SEVERITIES, Finding, severity_rank, sort_key
from companion.engine.gcpause import collector_paused
from companion.engine.kinds.second_opinion import SecondOpinionRule
from companion.engine.normalize import normalize
from companion.engine.referrals import customer_in_sight

if TYPE_CHECKING:   # the pack is compiled from the engine's parts, so only the type checker imports it
    from companion.pack.compiled import CompiledPack


@dataclass(frozen=True)
class CheckRequest:
    """One draft and the situation it is written in: what /v1/check, `postguard check` and
    `pack explain` all ask."""
    text: str
    platform: str
    surface: str = "post"
    replying_to: str | None = None
    account: str | None = None       # the posting account's handle: official accounts may speak for the company
    today: dt.date | None = None     # check as of this day (None: today)
    approved_wording: bool = False   # the text is a canned reply of the pack: its wording may speak for the company
    lang: str | None = None          # the reader's language: findings' texts in it where there is a translation


@dataclass
class Report:
    findings: list[Finding]
    referrals: list[dict[str, Any]] = field(default_factory=list)
    truncated: dict[str, str] = field(default_factory=dict)   # rule id -> the budget that stopped it short

    def to_dict(self) -> dict[str, Any]:
        d = {"findings": [f.to_dict() for f in self.findings], "referrals": self.referrals}
        if self.truncated:
            d["truncated"] = self.truncated
        return d

    @property
    def worst(self) -> str | None:
        return max((f.severity for f in self.findings), key=severity_rank, default=None)


def context_for(pack: CompiledPack, req: CheckRequest) -> CheckContext:
    """What every rule of `pack` sees for this request, referrals chosen when someone is answered."""
    norm = normalize(req.text)
    reply_norm = normalize(req.replying_to) if req.replying_to else None
    linked = pack.referral_chooser.linked(req.text)     # read once: the rules and the referrals both use it
    ctx = CheckContext(text=req.text, norm=norm, platform=req.platform, surface=req.surface,
                       replying_to=req.replying_to, reply_norm=reply_norm,
                       official=pack.is_official(req.platform, req.account), today=req.today or dt.date.today(),
                       customer_in_sight=customer_in_sight(req.text, req.surface, req.replying_to, pack.own_handles),
                       links_official_page=bool(linked),
                       lang=req.lang)
    if ctx.customer_in_sight:
        ctx.referrals = pack.referral_chooser.choose(norm, reply_norm, linked)
    return ctx


def check(pack: CompiledPack, req: CheckRequest, every_finding: bool = False) -> Report:
    """Check a draft against a compiled pack (companion.pack.compiled.CompiledPack). `every_finding`
    keeps the findings that others of their category already cover (`pack test` asks whether a rule
    finds a draft, not whether its card is the one shown)."""
    with checking(pack, req) as ctx:
        return _check(pack, ctx, req, every_finding)


@contextmanager
def checking(pack: CompiledPack, req: CheckRequest) -> Iterator[CheckContext]:
    """The request's context, with the collector paused while it is in use, its language views dropped after."""
    with collector_paused():
        ctx = context_for(pack, req)
        try:
            yield ctx
        finally:
            ctx.release()


def _check(pack: CompiledPack, ctx: CheckContext, req: CheckRequest, every_finding: bool) -> Report:
    may_speak = _may_speak(ctx, req)
    findings: list[Finding] = []
    for rule in in_order(pack.rules):
        if rule.runs_after_others:
            ctx.found = second_opinions_where_rules_are_silent(findings)
        if _runs(pack, rule, ctx, may_speak):
            findings.extend(rule.run(ctx))
    findings = second_opinions_where_rules_are_silent(findings)
    return Report(findings if every_finding else _drop_contained(findings), ctx.referrals, ctx.truncated)


def _may_speak(ctx: CheckContext, req: CheckRequest) -> bool:
    """The one place that decides it: an official account, or wording IT approved, is authorised to speak
    for the company, so those rules do not run at all; everything else is still checked."""
    return ctx.official or req.approved_wording


def _runs(pack: CompiledPack, rule: Any, ctx: CheckContext, may_speak: bool) -> bool:
    return rule.applies(ctx) and not (may_speak and rule.category == "speaking_for_company") and \
        pack.prefilter.may_fire(rule, ctx.norm, ctx.reply_norm)   # skips rules the words rule out


def findings_of(pack: CompiledPack, req: CheckRequest, rule: Any, rule_id: str) -> list[Finding]:
    """The findings `rule_id` gets from `rule` in check(req, every_finding=True), running only that rule
    where no other rule's findings can change them: a `flag` example asks only this, at every pack load."""
    if rule.runs_after_others or isinstance(rule, SecondOpinionRule):   # they read, or give way to, the others
        return [f for f in check(pack, req, every_finding=True).findings if f.rule == rule_id]
    with checking(pack, req) as ctx:
        found = rule.run(ctx) if _runs(pack, rule, ctx, _may_speak(ctx, req)) else []
    return [f for f in found if f.rule == rule_id]


def in_order(rules: list) -> list:
    """The rules as they run: those that read the others' findings (kinds/follows.py) last."""
    return [r for r in rules if not r.runs_after_others] + [r for r in rules if r.runs_after_others]


def second_opinions_where_rules_are_silent(findings: list[Finding]) -> list[Finding]:
    """The text model (kinds/second_opinion.py) only adds a category that no rule found."""
    by_rules = {f.category for f in findings if not is_second_opinion(f)}
    return [f for f in findings if f.category not in by_rules or not is_second_opinion(f)]


def is_second_opinion(f: Finding) -> bool:
    """A finding of the text model, not of a rule."""
    return (f.detail or {}).get("match") == "second_opinion"


def is_base(f: Finding) -> bool:
    """A finding of the base policy or a built-in detector, not of the pack's own rules (a pack's rule that
    replaces a base rule by its id is the pack's own): the layer every rule writes into its findings."""
    return (f.detail or {}).get("layer") == "base"


def _drop_contained(findings: list[Finding]) -> list[Finding]:
    """Within a category, a finding inside another one of equal or higher severity says nothing new, and
    so does one on the very same words as another of higher severity, or as the pack's own rule of equal
    severity when it is the base policy's (the pack's words are the more specific); two of the pack's own,
    or two of the base policy's, on the same words both stay.

    One sweep by start per category (not every pair: a draft can carry thousands of findings).
    ends_before[r]: the farthest end among findings that start earlier, with severity rank >= r."""
    out = []
    by_category: dict[str, list[Finding]] = {}
    for f in findings:
        by_category.setdefault(f.category, []).append(f)
    for group in by_category.values():
        group.sort(key=lambda f: f.start)
        ends_before = [-1] * len(SEVERITIES)
        i = 0
        while i < len(group):
            j = i
            while j < len(group) and group[j].start == group[i].start:
                j += 1
            ends_here = [-1] * len(SEVERITIES)      # the same for findings with this very start
            ends_above = [-1] * len(SEVERITIES)     # ... of a higher severity than r: the same words, said louder
            for g in group[i:j]:
                for r in range(severity_rank(g.severity) + 1):
                    ends_here[r] = max(ends_here[r], g.end)
                for r in range(severity_rank(g.severity)):
                    ends_above[r] = max(ends_above[r], g.end)
            packs_own = {(g.end, g.severity) for g in group[i:j] if not is_base(g)}
            for f in group[i:j]:
                r = severity_rank(f.severity)
                if not (ends_before[r] >= f.end or ends_here[r] > f.end or ends_above[r] >= f.end
                        or (is_base(f) and (f.end, f.severity) in packs_own)):
                    out.append(f)
            ends_before = [max(a, b) for a, b in zip(ends_before, ends_here)]
            i = j
    out.sort(key=sort_key)
    return out
