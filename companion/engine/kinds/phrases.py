"""phrases: any of a list of phrases or patterns (speaking for the company, escalation, tone).

`scope` says where to look: the draft, the message being answered (`replying_to`), or both. A hit in
the message being answered has no span in the draft: it is reported at offset 0 with an empty span,
and `detail.source` is "replying_to", so the extension lists it instead of underlining. An `unless` in the
message answered silences a hit there, as one in the draft silences the draft's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.engine.builtin_text import say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.kinds.base import MAX_FINDINGS, PackRule, capped, escalation_topic, with_handoff
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.matcher import Matcher
from companion.engine.prefilter import Required


@dataclass
class PhrasesRule(PackRule):
    matcher: Matcher | None = None
    unless: Matcher | None = None
    scope: str = "draft"
    topic: dict[str, Any] | None = None      # the escalation matrix row, for escalation rules
    refer: bool = False
    when_replying_to: Matcher | None = None   # the rule applies only when the message answered matches
    answering: bool = False     # the rule applies only when the draft answers a message it quotes

    def run(self, ctx: CheckContext) -> list[Finding]:
        # Hits first: most drafts have none, and then neither `unless`, the message answered nor the
        # suggestions need a look.
        hits = self._draft_hits(ctx)
        reply_hits = [] if hits else self._reply_hits(ctx)
        if reply_hits and self._unless_in_reply(ctx):
            reply_hits = []
        if not (hits or reply_hits) or self._out_of_play(ctx) is not None:
            return []
        suggestions = self._suggestions(ctx)
        about = {"topic": self.topic["topic"]} if self.topic else {}   # the matrix row, for the side panel
        findings: list[Finding] = []
        last_end = -1
        for h in hits:
            if h.start < last_end:
                continue
            last_end = h.end
            findings.append(self.finding(ctx, h.start, h.end, suggestions=suggestions, detail={**h.detail(), **about}))
            if len(findings) > MAX_FINDINGS:
                break
        if reply_hits:
            f = self.finding(ctx, 0, 0, suggestions=suggestions,
                             detail={**reply_hits[0].detail(), **about, "source": "replying_to"})
            f.excerpt = ctx.reply_norm.slice16(reply_hits[0].start, reply_hits[0].end)
            findings.append(f)
        return capped(findings)

    def _out_of_play(self, ctx: CheckContext) -> str | None:
        """Why the rule stays silent though it matched: an `unless` in the draft, no message answered for
        an `answering` rule, or a message answered that misses `when_replying_to`; None when in play."""
        if self.unless and self.unless.find(ctx.norm):
            return "one of its `unless` phrases is in the draft"
        if self.answering and ctx.reply_norm is None:
            return "it reads only drafts that answer a message (`answering`), and this one quotes none"
        if self.when_replying_to and (ctx.reply_norm is None or not self.when_replying_to.find(ctx.reply_norm)):
            return "the message answered does not match its `when_replying_to`"
        return None

    def _draft_hits(self, ctx: CheckContext) -> list:
        return self.matcher.find(ctx.norm) if self.scope in ("draft", "both") else []

    def _reply_hits(self, ctx: CheckContext) -> list:
        """Hits in the message answered (run() reads it only where the draft has none)."""
        return [] if self.scope == "draft" or ctx.reply_norm is None else self.matcher.find(ctx.reply_norm)

    def _unless_in_reply(self, ctx: CheckContext) -> bool:
        """An `unless` beside a hit in the message answered reads that hit as the draft's would: "my parcel
        arrived melted" is a spoiled delivery, not an incident, whoever's words hold it."""
        return bool(self.unless and ctx.reply_norm is not None and self.unless.find(ctx.reply_norm))

    def required(self) -> Required:
        return Required(draft=(self.matcher,) if self.scope in ("draft", "both") else None,
                        reply=(self.matcher,) if self.scope in ("replying_to", "both") else None)

    def explain_miss(self, ctx: CheckContext) -> str:
        reason = self._out_of_play(ctx)
        if reason:
            return reason
        if not self._draft_hits(ctx) and self._reply_hits(ctx) and self._unless_in_reply(ctx):
            return "one of its `unless` phrases is in the message answered"
        where = {"draft": "the draft", "replying_to": "the message answered", "both": "the draft or the message answered"}
        return f"none of its phrases, patterns or tokens in {where[self.scope]}"

    def _suggestions(self, ctx: CheckContext) -> list[Suggestion]:
        out = with_handoff(self.wording(ctx.lang)[2], self.topic, ctx.lang)
        if self.refer and ctx.referrals:
            r = ctx.referrals[0]
            out.append(Suggestion(say(ctx.lang, "refer", title=r["title"]), insert=f" {r['url']}"))
        return out


def compile(raw: dict[str, Any], pack_data: dict[str, Any], vocab: Vocabulary | None = None) -> PhrasesRule:
    topic = escalation_topic(raw, pack_data)
    # token patterns like a combination's: "happy_birthday|congrats" is one choice, not a literal phrase
    unless = Matcher((), raw.get("unless_patterns", ()), tokens=raw.get("unless", ()), vocab=vocab) \
        if raw.get("unless") or raw.get("unless_patterns") else None
    return PhrasesRule(**PackRule.common(raw, "escalation" if topic else "speaking_for_company"),
                       matcher=Matcher(raw.get("phrases", ()), raw.get("patterns", ()), tokens=raw.get("tokens", ()),
                                       vocab=vocab, assertion=raw.get("assert")), unless=unless,
                       when_replying_to=Matcher(tokens=raw["when_replying_to"], vocab=vocab) if raw.get("when_replying_to") else None,
                       scope=raw.get("scope", "draft"), topic=topic, refer=raw.get("refer", False),
                       answering=raw.get("answering", False))
