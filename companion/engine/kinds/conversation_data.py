"""Customer data in the conversation: the customer posted their own personal data (a phone number, an
e-mail address, an order number in one of the pack's formats) in the public message being answered.

The policy sources ask to move such conversations to private messages. This is advice, not a fault in
the draft: one `info` finding (at the start of the draft, like other findings about the message
answered) that says so, and names the pack's canned reply for it, the first reply with
`category: private_message`, when there is one. The pack's own personal-data pattern rules and the
built-in detectors are what recognise the data, on public surfaces only: a private message is where
those details belong.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from companion.engine.builtin_text import joined, say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.kinds.base import Rule
from companion.engine.kinds.pattern import PUBLIC_SURFACES, PatternRule, PersonalDataRule
from companion.engine.wording import pick, translations_of

RULE_ID = "builtin.conversation-data"   # built in, like the detectors it reads
PRIVATE_MESSAGE_CATEGORY = "private_message"   # a canned reply for it: "please send that in a private message"
KIND_WORDS = ("email", "phone", "address", "card", "iban")   # the detectors' types, named in builtin_text


def _words(finding: Finding, rule: Rule, lang: str | None) -> str:
    """What kind of data it is, in words: the detector's type, else the rule id's last part ("order number")."""
    kind = (finding.detail or {}).get("type")
    if kind in KIND_WORDS:
        return say(lang, f"convo.{kind}")
    return rule.id.rsplit(".", 1)[-1].replace("-", " ").replace("_", " ")


@dataclass
class ConversationData(Rule):
    detectors: list[Rule] = field(default_factory=list)   # the pack's personal-data pattern rules and built-ins
    reply: dict[str, Any] | None = None                     # the pack's private-message canned reply
    id: str = RULE_ID
    category: str = "personal_data"
    layer: str = "base"

    def applies(self, ctx: CheckContext) -> bool:
        return ctx.reply_norm is not None and ctx.surface in PUBLIC_SURFACES

    def found(self, ctx: CheckContext) -> list[tuple[Finding, Rule]]:
        """The detectors' findings in the message being answered (as if it were the draft)."""
        theirs = dataclasses.replace(ctx, text=ctx.replying_to or "", norm=ctx.reply_norm, truncated={}, found=[])
        return [(f, rule) for rule in self.detectors if rule.applies(theirs) for f in rule.run(theirs)]

    def run(self, ctx: CheckContext) -> list[Finding]:
        hits = sorted(self.found(ctx), key=lambda hit: hit[0].start)   # named in the order the customer wrote them
        if not hits:
            return []
        kinds = list(dict.fromkeys(_words(f, rule, ctx.lang) for f, rule in hits))
        what = joined(ctx.lang, kinds)
        suggestions = [Suggestion(say(ctx.lang, "convo.move"))]
        detail: dict[str, Any] = {"match": "pattern", "source": "replying_to", "kinds": kinds, "layer": self.layer}
        if self.reply:
            title = (pick(self.reply.get("translations"), ctx.lang) or {}).get("title", self.reply["title"])
            suggestions.append(Suggestion(say(ctx.lang, "convo.reply", title=title)))
            detail["reply"] = self.reply["id"]
        return [Finding(
            category=self.category, severity="info", rule=self.id, start=0, end=0,
            excerpt=ctx.reply_norm.slice16(hits[0][0].start, hits[0][0].end),
            message=say(ctx.lang, "convo.message", what=what),
            why=say(ctx.lang, "convo.why"),
            suggestions=suggestions, detail=detail)]

    def explain_miss(self, ctx: CheckContext) -> str:
        if ctx.reply_norm is None:
            return "no message being answered"
        if ctx.surface not in PUBLIC_SURFACES:
            return "a private message: customer details belong there"
        return "no personal data in the message being answered"


def conversation_rule(rules: list[Rule], data: dict[str, Any]) -> ConversationData:
    detectors = [r for r in rules if r.category == "personal_data" and isinstance(r, (PatternRule, PersonalDataRule))]
    reply = next(({"id": r["id"], "title": r["title"], "translations": translations_of(r)} for r in data.get("replies", ())
                  if r.get("category") == PRIVATE_MESSAGE_CATEGORY), None)
    return ConversationData(detectors=detectors, reply=reply)
