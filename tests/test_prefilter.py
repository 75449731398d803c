"""The per-rule prefilter (engine/prefilter.py) and the anchors it is built from (language/anchors.py):
a rule is skipped only where it could not have found anything."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from companion.engine.check import CheckRequest, check, context_for
from companion.engine.language.tokenpattern import TokenPatterns
from companion.engine.prefilter import Prefilter
from companion.pack.compiled import compile_pack, load_pack
from tests.quality import SETS, TODAY, load_drafts

RULE = {"kind": "phrases", "message": "m", "why": "w"}
PACK = compile_pack({
    "format": "postguard/pack-v1", "id": "prefilter", "revision": 1, "company": {"name": "Zentrix"},
    "classes": {"gadget": ["blender", "toaster", "stand mixer"]},
    "rules": [
        {**RULE, "id": "t.refund", "tokens": ["we will ... refund|reimburse you"]},
        {**RULE, "id": "t.warehouse", "tokens": ["отварям ..2 склад"]},
        {**RULE, "id": "t.latin-bg", "tokens": ["zatvaryam magazina|sklada"]},
        {**RULE, "id": "t.gadget", "tokens": ["my <gadget> broke"]},
        {**RULE, "id": "t.depot-time", "tokens": ["depot ..3 <clock>"]},
        {**RULE, "id": "t.prefix", "phrases": ["refund* due"]},
        {**RULE, "id": "t.prefix-only", "phrases": ["reimburs*"]},
        {**RULE, "id": "t.product", "tokens": ["<product> is out"]},      # the company has no products
        {**RULE, "id": "t.regex", "tokens": ["parcel"], "patterns": ["NC-\\d{6}"]},
        {"id": "t.order", "kind": "pattern", "message": "m", "why": "w", "patterns": ["NC-\\d{6}"]},
        {**RULE, "id": "t.reply", "scope": "both", "tokens": ["lawyer|solicitor"]},
        {"id": "t.combo", "kind": "combination", "message": "m", "why": "w", "groups": [
            {"name": "alone", "tokens": ["<alone>"]}, {"name": "time", "tokens": ["<clock>"]}]},
    ],
})


def look(rule_id: str, text: str, replying_to: str | None = None) -> tuple[bool, list]:
    """Whether the prefilter lets the rule run on this draft, and what the rule finds when it runs."""
    rule = next(r for r in PACK.rules if r.id == rule_id)
    ctx = context_for(PACK, CheckRequest(text, "facebook", "reply" if replying_to else "post",
                                         replying_to=replying_to, today=TODAY))
    return PACK.prefilter.may_fire(rule, ctx.norm, ctx.reply_norm), rule.run(ctx)


@pytest.mark.parametrize("rule_id, text", [
    ("t.refund", "We will be there on Saturday, see you"),          # no refund in any form
    ("t.warehouse", "Утре сме на море"),
    ("t.latin-bg", "Utre otvaryam magazina"),
    ("t.gadget", "My bike broke again"),
    ("t.depot-time", "Back home tomorrow"),                          # neither the depot nor a clock time
    ("t.prefix", "The match is off"),
    ("t.prefix-only", "Our reply is late"),
    ("t.product", "The new one is out"),
    ("t.combo", "Meeting at 5:30 with the team"),                   # a clock time, but nobody alone
])
def test_a_rule_whose_words_are_absent_is_skipped_and_would_have_found_nothing(rule_id, text):
    may, found = look(rule_id, text)
    assert not may
    assert found == []


@pytest.mark.parametrize("rule_id, text", [
    ("t.refund", "We will be refunding you by Friday"),              # inflected: refunding → refund
    ("t.refund", "we'll reimburse you"),
    ("t.warehouse", "Утре отваряме склада в 5"),                     # Cyrillic forms: отваряме, склада
    ("t.latin-bg", "Utre zatvaryam sklada sama"),                    # Bulgarian typed in Latin letters
    ("t.gadget", "my stand mixer broke"),                            # a pack class, a two-word entry
    ("t.gadget", "my toasters broke"),
    ("t.depot-time", "At the depot by 5:30 every day"),              # a built-in token class
    ("t.prefix", "Refunds due on Monday"),                           # a prefix word and an exact one
    ("t.prefix-only", "We reimbursed everyone"),                     # a prefix word alone
    ("t.combo", "Alone at the counter at 5:30 again"),
])
def test_a_rule_whose_words_are_present_in_some_form_is_not_skipped(rule_id, text):
    may, found = look(rule_id, text)
    assert may
    assert found, "the case should fire, or it proves nothing about skipping"


def test_a_rule_in_the_message_answered_is_not_skipped_for_a_draft_without_its_words():
    assert look("t.reply", "Thanks for letting us know", replying_to="My solicitor will be in touch")[0]
    assert not look("t.reply", "Thanks for letting us know", replying_to="Great service, thanks")[0]


@pytest.mark.parametrize("rule_id", ["t.regex", "t.order", "base.model.safety", "platform.limit"])
def test_a_rule_with_no_required_words_that_can_be_told_is_never_skipped(rule_id):
    rule = next(r for r in PACK.rules if r.id == rule_id)
    for text in ("", "Lovely day", "Order NC-482119 shipped"):
        ctx = context_for(PACK, CheckRequest(text, "facebook", today=TODAY))
        assert PACK.prefilter.may_fire(rule, ctx.norm, None)


def test_a_rule_the_pack_was_not_compiled_with_runs():
    stranger = dataclasses.replace(next(r for r in PACK.rules if r.id == "t.refund"))
    ctx = context_for(PACK, CheckRequest("Lovely day", "facebook", today=TODAY))
    assert PACK.prefilter.may_fire(stranger, ctx.norm, None)


def test_a_pattern_is_anchored_on_its_rarest_required_element():
    vocab = next(r for r in PACK.rules if r.id == "t.refund").matcher.vocab
    (anchor,) = TokenPatterns([("we will ... refund|reimburse you", None)], vocab.class_names).anchors(vocab)
    assert anchor.words >= {"refund", "reimburse"} and "we" not in anchor.words
    (optional,) = TokenPatterns([("sue me? xylophone?", None)], vocab.class_names).anchors(vocab)
    assert optional.words == {"sue"}               # optional elements are not required


@pytest.mark.parametrize("labelled", SETS[:4], ids=lambda s: s.name)
def test_the_check_finds_the_same_with_and_without_the_prefilter(labelled):
    pack = load_pack(labelled.pack)
    unfiltered = dataclasses.replace(pack, prefilter=Prefilter())
    for d in load_drafts(labelled.drafts):
        for req in (CheckRequest(d["text"], d["platform"], surface=d["surface"], replying_to=d.get("replying_to"),
                                 account=d.get("account"), today=TODAY),
                    CheckRequest(d["text"], "x", surface="reply", replying_to=d["text"], today=dt.date(2026, 1, 5))):
            assert check(pack, req).to_dict() == check(unfiltered, req).to_dict(), d["text"]
