"""second_opinion: the shipped text model's opinion for one category, where no rule of it has spoken.

A finding is added only when the model's probability reaches its threshold (language/textmodel.py),
and check.py keeps it only if no other rule found the same category in the draft: it widens what the
rules catch and never repeats them. The finding underlines the draft's word pair that weighs most
and says what the draft resembled. An escalation opinion names no topic (the model cannot tell a
legal threat from a press enquiry), so it hands the conversation to the pack's `social_media_team`,
who route it; when only the message answered weighs towards it, it points there, as escalation
rules do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.engine.builtin_text import say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding
from companion.engine.kinds.base import PackRule, team_row, with_handoff
from companion.engine.language.textmodel import Opinion, TextModel, Weighed, opinion_texts, shipped_model, weighed_draft
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.normalize import Normalized


def explained(opinion: Opinion, norm: Normalized, lang: str | None) -> tuple[list[str], dict[str, Any], str]:
    """What a finding of the model says of itself (here and in the disclosure rule): the words it
    resembled (in `norm`, the draft or the message answered), its detail, and the sentence for its why."""
    resembles = opinion_texts(norm, opinion)
    detail = {"match": "second_opinion", "probability": round(opinion.probability, 2), "resembles": resembles}
    sentence = say(lang, "model.resembles_reply" if opinion.in_reply else "model.resembles",
                   drafts=", ".join(f"“{r}”" for r in resembles))
    return resembles, detail, sentence


@dataclass
class SecondOpinionRule(PackRule):
    model: TextModel | None = None
    topic: dict[str, Any] | None = None      # escalation: the default hand-off row
    vocab: Vocabulary | None = None          # the pack's classes, which the model also reads words as

    def _weighed(self, ctx: CheckContext) -> Weighed:
        return weighed_draft(ctx, self.model, self.vocab)

    def run(self, ctx: CheckContext) -> list[Finding]:
        opinion = self.model.opinion(self.category, self._weighed(ctx), reply_evidence=self.topic is not None)
        if opinion is None:
            return []
        resembles, detail, resembled = explained(opinion, ctx.reply_norm if opinion.in_reply else ctx.norm, ctx.lang)
        if self.topic:
            detail["topic"] = self.topic["topic"]
        _, own_why, own_suggestions = self.wording(ctx.lang)
        why = own_why + resembled
        suggestions = with_handoff(own_suggestions, self.topic, ctx.lang)
        if opinion.in_reply:
            f = self.finding(ctx, 0, 0, detail={**detail, "source": "replying_to"}, why=why, suggestions=suggestions)
            f.excerpt = resembles[0]
            return [f]
        first, last, _ = opinion.evidence[0]
        tokens = ctx.norm.tokens
        return [self.finding(ctx, tokens[first].start, tokens[last].end, detail=detail, why=why, suggestions=suggestions)]

    def explain_miss(self, ctx: CheckContext) -> str:
        p = self.model.probability(self.category, self._weighed(ctx))
        return (f"the model's probability is {p:.2f}; it speaks at {self.model.threshold(self.category):.2f} "
                "or more, with words of the draft to point at")


def compile(raw: dict[str, Any], pack_data: dict[str, Any], vocab: Vocabulary | None = None) -> SecondOpinionRule:
    topic = team_row(pack_data) if raw["category"] == "escalation" else None
    return SecondOpinionRule(**PackRule.common(raw, raw["category"]), model=shipped_model(), topic=topic,
                            vocab=vocab)
