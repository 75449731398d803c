"""follows: another category's finding, read again in the light of the conversation.

"A rude reply to a critic is a public dispute": when a rule of the category named in `follows` found
something in the draft and the message answered matches `when_replying_to`, this rule reports its own
category (with an escalation `topic`, the hand-off) on the same words. Whatever found the first
category counts, the text model included, so the second reading reaches as far as the first one.
check.py runs these rules after all the others (`runs_after_others`) and gives them the findings so
far in `ctx.found`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.engine.context import CheckContext
from companion.engine.findings import Finding
from companion.engine.kinds.base import PackRule, escalation_topic, with_handoff
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.matcher import Matcher


@dataclass
class FollowsRule(PackRule):
    follows: str = ""
    when_replying_to: Matcher | None = None
    topic: dict[str, Any] | None = None
    runs_after_others = True

    def run(self, ctx: CheckContext) -> list[Finding]:
        if not self._conversation_matches(ctx):
            return []
        first = next((f for f in ctx.found if f.category == self.follows and f.end > f.start), None)
        if first is None:
            return []
        about = {"topic": self.topic["topic"]} if self.topic else {}
        suggestions = with_handoff(self.wording(ctx.lang)[2], self.topic, ctx.lang)
        return [self.finding(ctx, first.start, first.end, suggestions=suggestions,
                             detail={"match": "follows", "follows": first.rule, **about})]

    def explain_miss(self, ctx: CheckContext) -> str:
        if not self._conversation_matches(ctx):
            return "the message answered does not match its `when_replying_to`"
        return f"no {self.follows} finding in the draft to follow"

    def _conversation_matches(self, ctx: CheckContext) -> bool:
        return self.when_replying_to is None or (
            ctx.reply_norm is not None and bool(self.when_replying_to.find(ctx.reply_norm)))


def compile(raw: dict[str, Any], pack_data: dict[str, Any], vocab: Vocabulary | None = None) -> FollowsRule:
    topic = escalation_topic(raw, pack_data)
    return FollowsRule(**PackRule.common(raw, "escalation"), follows=raw["follows"], topic=topic,
                       when_replying_to=Matcher(tokens=raw["when_replying_to"], vocab=vocab) if raw.get("when_replying_to") else None)
