"""follows: another category's finding, read again in the light of the conversation.

"A rude reply to a critic is a public dispute": when a rule of the category named in `follows` found
something in the draft and the message answered matches `when_replying_to`, this rule reports its own
category (with an escalation `topic`, the hand-off) on the same words. Whatever found the first
category counts, the text model included, so the second reading reaches as far as the first one.
With `when_model`, the message answered may also match by the shipped text model's reading of it
(the `critic` head: does this message criticise the company?), which reaches the complaints no token
list names ("two stars", "rigged", "the app logs me out every 5 mins"). check.py runs these rules
after all the others (`runs_after_others`) and gives them the findings so far in `ctx.found`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.engine.context import CheckContext
from companion.engine.findings import Finding
from companion.engine.kinds.base import PackRule, escalation_topic, with_handoff
from companion.engine.language.textmodel import TextModel, shipped_model, weighed_draft
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.matcher import Matcher


@dataclass
class FollowsRule(PackRule):
    follows: str = ""
    when_replying_to: Matcher | None = None
    when_model: str | None = None            # a head of the text model that reads the message answered
    model: TextModel | None = None
    vocab: Vocabulary | None = None
    topic: dict[str, Any] | None = None
    runs_after_others = True

    def run(self, ctx: CheckContext) -> list[Finding]:
        # The finding followed first: most replies have none, and then the message is not read at all.
        first = next((f for f in ctx.found if f.category == self.follows and f.end > f.start), None)
        if first is None or not self._conversation_matches(ctx):
            return []
        about = {"topic": self.topic["topic"]} if self.topic else {}
        suggestions = with_handoff(self.wording(ctx.lang)[2], self.topic, ctx.lang)
        return [self.finding(ctx, first.start, first.end, suggestions=suggestions,
                             detail={"match": "follows", "follows": first.rule, **about})]

    def explain_miss(self, ctx: CheckContext) -> str:
        if not self._conversation_matches(ctx):
            why = "the message answered does not match its `when_replying_to`"
            if self._reads_reply(ctx):
                p = self.model.probability(self.when_model, weighed_draft(ctx, self.model, self.vocab))
                why += (f", and the model's `{self.when_model}` reading of it is {p:.2f} "
                        f"(it counts at {self.model.threshold(self.when_model):.2f})")
            return why
        return f"no {self.follows} finding in the draft to follow"

    def _conversation_matches(self, ctx: CheckContext) -> bool:
        if self.when_replying_to is None and self.when_model is None:
            return True
        if ctx.reply_norm is None:
            return False
        if self.when_replying_to is not None and self.when_replying_to.find(ctx.reply_norm):
            return True
        return self._reads_reply(ctx) and self.model.probability(
            self.when_model, weighed_draft(ctx, self.model, self.vocab)) >= self.model.threshold(self.when_model)

    def _reads_reply(self, ctx: CheckContext) -> bool:
        """The model has the head this rule asks for (a pack may outlive a model) and there is a message."""
        return (self.when_model is not None and self.model is not None and ctx.reply_norm is not None
                and self.when_model in self.model.categories)


def compile(raw: dict[str, Any], pack_data: dict[str, Any], vocab: Vocabulary | None = None) -> FollowsRule:
    topic = escalation_topic(raw, pack_data)
    return FollowsRule(**PackRule.common(raw, "escalation"), follows=raw["follows"], topic=topic,
                       when_replying_to=Matcher(tokens=raw["when_replying_to"], vocab=vocab) if raw.get("when_replying_to") else None,
                       when_model=raw.get("when_model"), model=shipped_model() if raw.get("when_model") else None,
                       vocab=vocab)
