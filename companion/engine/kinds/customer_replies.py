"""Customer replies from personal accounts: the pack's `customer_replies: refer_only`.

Some companies let only their official accounts help customers; an employee answering a customer's
problem from their own account should send them to the official place instead of solving it in
public. With `refer_only`, a draft answering (on a public surface) a message about something the
pack's referrals cover (a broken appliance, a refund, an order) gets one warning whose fix inserts
that referral's link, unless the draft already carries one of the pack's referral links. Official
accounts and the pack's canned replies are not checked (it is a speaking-for-the-company rule:
check.py skips those for them). `allowed`, the default, adds no rule at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.engine.builtin_text import say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.kinds.base import Rule
from companion.engine.kinds.pattern import PUBLIC_SURFACES
from companion.engine.normalize import normalize, utf16_len
from companion.engine.referrals import ReferralChooser

RULE_ID = "builtin.customer-replies"
EXCERPT = 80   # UTF-16 units of the draft shown as the excerpt


@dataclass
class ReferOnly(Rule):
    chooser: ReferralChooser
    id: str = RULE_ID
    category: str = "speaking_for_company"
    layer: str = "base"

    def applies(self, ctx: CheckContext) -> bool:
        return ctx.reply_norm is not None and ctx.surface in PUBLIC_SURFACES and bool(ctx.norm.tokens)

    def run(self, ctx: CheckContext) -> list[Finding]:
        if any(r.url in ctx.text for r in self.chooser.referrals):
            return []
        about = self.chooser.choose(normalize(""), ctx.reply_norm)   # what the customer's message is about
        if not about:
            return []
        ref = about[0]
        end = utf16_len(ctx.text)
        return [Finding(
            category=self.category, severity="warning", rule=self.id, start=0, end=end,
            excerpt=ctx.norm.slice16(0, min(end, EXCERPT)),
            message=say(ctx.lang, "refer_only.message", title=ref["title"]), why=say(ctx.lang, "refer_only.why"),
            suggestions=[Suggestion(say(ctx.lang, "refer_only.add", title=ref["title"]), insert=f" {ref['url']}")],
            detail={"match": "referral", "source": "replying_to", "referral": ref["id"], "layer": self.layer})]

    def explain_miss(self, ctx: CheckContext) -> str:
        if ctx.reply_norm is None:
            return "no message being answered"
        if ctx.surface not in PUBLIC_SURFACES:
            return "a private message"
        if any(r.url in ctx.text for r in self.chooser.referrals):
            return "the draft already sends them to a referral"
        return "the message answered is about nothing the pack's referrals cover"
