"""Customer data in the conversation (issue 16): the customer's own phone number, e-mail address or
order number (the pack's format) in the public message being answered gives one `info` finding that
suggests moving to private messages and names the pack's private-message canned reply."""

import json

import pytest

from companion.engine.check import CheckRequest, check
from companion.engine.kinds.conversation_data import RULE_ID, ConversationData, conversation_rule
from companion.pack.compiled import load_pack
from support import EXAMPLE_PACK, TODAY

MESSAGE = "My order NC-482-119305 never arrived, call me on +44 7700 900123 or dana.r@example.org"
DRAFT = "So sorry to hear that, Dana!"


def conversation_findings(pack, replying_to, surface="comment", platform="facebook", text=DRAFT):
    report = check(pack, CheckRequest(text, platform, surface, replying_to=replying_to, today=TODAY))
    return [f for f in report.findings if f.rule == RULE_ID]


# ---- unit: the rule ------------------------------------------------------------------------------

def test_it_reads_the_packs_own_formats_and_the_built_in_detectors(pack):
    rule = next(r for r in pack.rules if isinstance(r, ConversationData))
    ids = {r.id for r in rule.detectors}
    assert {"pd.order-number", "builtin.email", "builtin.phone"} <= ids
    assert all(r.category == "personal_data" for r in rule.detectors)
    assert (rule.reply["id"], rule.reply["title"]) == ("move-to-private", "Move to private messages")
    assert rule.reply["translations"]["bg"]["title"] == "Преминаване към лични съобщения"   # named in the reader's language


def test_one_info_finding_naming_each_kind_and_the_reply(pack):
    (f,) = conversation_findings(pack, MESSAGE)
    assert (f.category, f.severity, f.start, f.end) == ("personal_data", "info", 0, 0)
    assert f.message == "The customer shared their own order number, phone number and e-mail address in public."
    assert f.excerpt == "NC-482-119305"
    assert f.detail["source"] == "replying_to" and f.detail["reply"] == "move-to-private"
    labels = [s.label for s in f.suggestions]
    assert labels[0].startswith("Move to private messages")
    assert labels[1] == "Use the canned reply “Move to private messages” (side panel)"
    assert all(s.replacement is None and s.insert is None for s in f.suggestions), "advice: it does not edit the draft"


@pytest.mark.parametrize("message", [
    "Loved the new kettle, thanks!",                                    # nothing personal
    "Write to support@nimbusco.example if it breaks",                   # the company's own published contact
])
def test_no_finding_without_the_customers_own_data(pack, message):
    assert conversation_findings(pack, message) == []


def test_only_on_public_surfaces_and_only_when_answering(pack):
    assert conversation_findings(pack, MESSAGE, surface="message") == []   # a private message is where it belongs
    assert conversation_findings(pack, None, surface="post") == []
    assert conversation_findings(pack, MESSAGE, surface="reply", platform="x")


def test_a_pack_without_a_private_message_reply_still_advises(pack):
    data = {**pack.data, "replies": [r for r in pack.data["replies"] if r.get("category") != "private_message"]}
    rule = conversation_rule(pack.rules, data)
    assert rule.reply is None
    bare = load_pack(EXAMPLE_PACK)
    bare.rules = [rule if isinstance(r, ConversationData) else r for r in bare.rules]
    (f,) = conversation_findings(bare, MESSAGE)
    assert "reply" not in f.detail and len(f.suggestions) == 1


def test_the_draft_repeating_the_order_number_is_still_its_own_finding(pack):
    report = check(pack, CheckRequest("About NC-482-119305: it ships tomorrow", "facebook", "comment",
                                      replying_to=MESSAGE, today=TODAY))
    assert any(f.rule == "pd.order-number" and f.severity == "critical" for f in report.findings)
    assert any(f.rule == RULE_ID for f in report.findings)


# ---- the API -------------------------------------------------------------------------------------

def post(client, path, body):
    r = client.post(path, data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_api_check_gives_the_info_finding_and_the_reply_renders_clean(client):
    body = post(client, "/v1/check", {"text": DRAFT, "platform": "facebook", "surface": "comment", "replying_to": MESSAGE})
    (f,) = [f for f in body["findings"] if f["rule"] == RULE_ID]
    assert f["severity"] == "info" and f["category"] == "personal_data"
    assert f["detail"]["reply"] == "move-to-private" and f["detail"]["source"] == "replying_to"
    assert [s["label"] for s in f["suggestions"]][1] == "Use the canned reply “Move to private messages” (side panel)"
    # the reply it offers goes through its own re-check
    rendered = post(client, "/v1/replies/render", {"reply_id": "move-to-private", "platform": "facebook", "surface": "comment",
                                                    "replying_to": MESSAGE,
                                                    "values": {"customer_name": "Dana", "agent_name": "Sam"}})
    assert [x for x in rendered["findings"] if x["severity"] != "info"] == [], rendered["findings"]
    # and the panel's suggestions rank it first for such a message
    suggested = post(client, "/v1/replies/suggest", {"platform": "facebook", "replying_to": "Please call me on my phone 07700 900123"})
    assert suggested["replies"] and suggested["replies"][0]["id"] == "move-to-private", suggested["replies"]


def test_api_private_message_gets_no_finding(client):
    body = post(client, "/v1/check", {"text": DRAFT, "platform": "facebook", "surface": "message", "replying_to": MESSAGE})
    assert not [f for f in body["findings"] if f["rule"] == RULE_ID]
