"""second_opinion: the shipped text model's opinion for one category, where no rule of it has spoken.

A finding is added only when the model's probability reaches its threshold (language/textmodel.py),
and check.py keeps it only if no other rule found the same category in the draft: it widens what the
rules catch and never repeats them. The finding underlines the draft's word pair that weighs most
and says what the draft resembled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.engine.builtin_text import say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding
from companion.engine.kinds.base import PackRule
from companion.engine.language.textmodel import TextModel, features, shipped_model
from companion.engine.language.vocabulary import Vocabulary


@dataclass
class SecondOpinionRule(PackRule):
    model: TextModel | None = None

    def _features(self, ctx: CheckContext) -> dict:
        key = ("second-opinion", ctx.customer_in_sight)     # features are shared by every category's rule
        feats = ctx.norm.analyses.get(key)
        if feats is None:
            feats = ctx.norm.analyses[key] = features(ctx.norm, ctx.reply_norm, ctx.customer_in_sight)
        return feats

    def run(self, ctx: CheckContext) -> list[Finding]:
        opinion = self.model.opinion(self.category, self._features(ctx))
        if opinion is None:
            return []
        tokens = ctx.norm.tokens
        first, last, _ = opinion.evidence[0]
        resembles = [ctx.norm.slice16(tokens[a].start, tokens[b].end) for a, b, _ in opinion.evidence]
        detail = {"match": "second_opinion", "probability": round(opinion.probability, 2), "resembles": resembles}
        return [self.finding(ctx, tokens[first].start, tokens[last].end, detail=detail,
                             why=self.wording(ctx.lang)[1] + say(ctx.lang, "model.resembles",
                                                                 drafts=", ".join(f"“{r}”" for r in resembles)))]

    def explain_miss(self, ctx: CheckContext) -> str:
        p = self.model.probability(self.category, self._features(ctx))
        return (f"the model's probability is {p:.2f}; it speaks at {self.model.threshold(self.category):.2f} "
                "or more, with words of the draft to point at")


def compile(raw: dict[str, Any], pack_data: dict[str, Any], vocab: Vocabulary | None = None) -> SecondOpinionRule:
    return SecondOpinionRule(**PackRule.common(raw, raw["category"]), model=shipped_model())
