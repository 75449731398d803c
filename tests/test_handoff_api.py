"""One coherent answer per conversation (issue 16), through the v1 API on the example pack: for every
escalation topic of its matrix, what /v1/replies/suggest offers /v1/replies/render lets through, a topic
with no public reply gets no reply and a hand-off; official accounts get no speaking-for-company finding."""

import json

import pytest

from companion.engine.check import CheckRequest, check
from support import TODAY

JSON = {"Content-Type": "application/json"}

# a customer's message that raises each escalation topic of the example pack's matrix
RAISES = {
    "legal_threat": "I'm going to sue you, my lawyer will be in touch",
    "defamation": "Your manager is spreading lies about me, this is defamation",
    "copyright": "You stole my photo, this is a DMCA takedown notice",
    "press": "I'm a reporter at the Daily Herald writing a story about your stores, can you comment?",
    "safety_incident": "My Nimbus Kettle exploded and burned my hand",
    "threat": "I know where you live and you will regret this",
}


def post(client, path, body):
    r = client.post(path, data=json.dumps(body), headers=JSON)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_every_matrix_topic_has_a_message_here(pack):
    assert {row["topic"] for row in pack.escalation_matrix} == set(RAISES)


@pytest.mark.parametrize("platform", ["x", "facebook"])
@pytest.mark.parametrize("topic", sorted(RAISES))
def test_what_suggest_offers_render_lets_through(client, pack, topic, platform):
    message = RAISES[topic]
    body = post(client, "/v1/replies/suggest", {"platform": platform, "replying_to": message})
    assert topic in [e["topic"] for e in body["escalations"]], body["escalations"]
    if pack.public_reply(topic) == "none":
        assert body["replies"] == [] and topic in body["handoff"]
        return
    assert body["handoff"] == [] and body["replies"], "an acknowledge topic offers its acknowledgement"
    for offered in body["replies"]:
        reply = pack.canned_reply(offered["id"])
        assert reply.escalate_to == topic
        values = {p.name: "Sam" for p in reply.placeholders if p.required}
        rendered = post(client, "/v1/replies/render", {"reply_id": reply.id, "platform": platform, "values": values,
                                                        "replying_to": message, "surface": "reply"})
        blocking = [f for f in rendered["findings"] if f["severity"] != "info"]
        assert blocking == [], (reply.id, blocking)


def test_a_threat_gets_the_hand_off_and_no_reply(client, pack):
    body = post(client, "/v1/replies/suggest", {"platform": "x", "replying_to": RAISES["threat"]})
    assert body["replies"] == [] and body["handoff"] == ["threat"]
    assert pack.canned_reply("threat") is None


def test_an_acknowledgement_is_still_blocked_by_another_topic_in_the_same_message(client):
    message = RAISES["copyright"] + ". " + RAISES["threat"]
    body = post(client, "/v1/replies/suggest", {"platform": "x", "replying_to": message})
    assert body["replies"] == [] and "threat" in body["handoff"]
    rendered = post(client, "/v1/replies/render", {"reply_id": "copyright", "platform": "x", "values": {"customer_name": "Sam"},
                                                    "replying_to": message})
    assert any(f["category"] == "escalation" and f["detail"]["topic"] == "threat" and f["severity"] == "critical"
               for f in rendered["findings"])


def test_a_conversation_without_escalation_is_suggested_as_before(client):
    body = post(client, "/v1/replies/suggest", {"platform": "x", "replying_to": "My kettle broke, can the dealer repair it?"})
    assert body["handoff"] == [] and body["escalations"] == [] and body["replies"][0]["id"] == "repair-referral"


def test_official_account_check_has_no_speaking_for_company_finding(client):
    text = "We will refund you today and replace your Nimbus Blend 500, we're sorry"
    official = post(client, "/v1/check", {"text": text, "platform": "x", "surface": "reply", "account": "@NimbusCoHelp",
                                          "replying_to": "My blender broke"})
    personal = post(client, "/v1/check", {"text": text, "platform": "x", "surface": "reply",
                                          "replying_to": "My blender broke"})
    assert "speaking_for_company" in {f["category"] for f in personal["findings"]}
    assert "speaking_for_company" not in {f["category"] for f in official["findings"]}


def test_rendered_canned_reply_has_no_speaking_for_company_finding(client, pack):
    # "We're sorry we let you down" speaks for the company: IT approved it in the pack
    report = check(pack, CheckRequest("We're sorry we let you down, we will refund you", "x", "reply",
                                      "My blender broke", today=TODAY))
    assert "speaking_for_company" in {f.category for f in report.findings}
    rendered = post(client, "/v1/replies/render", {"reply_id": "bad-review", "platform": "x",
                                                    "values": {"customer_name": "Sam", "agent_name": "Dana"}})
    assert rendered["findings"] == []


MINI = """format: postguard/pack-v1
id: t
revision: 1
company: {name: TestCo}
escalation_matrix:
  - {topic: threat, title: Threat, owner: Security, contact: sec@testco.example, respond_within: 15m%s}
replies:
  - {id: calm, title: Calm, category: threat, escalate_to: threat, text: "We have your message."}
"""


def test_lint_refuses_a_reply_for_a_topic_that_gets_no_public_reply():
    from companion.pack.compiled import load_pack_bytes
    from companion.pack.errors import PackError

    with pytest.raises(PackError) as e:
        load_pack_bytes((MINI % "").encode(), "t.yaml")
    assert "t.yaml:8:" in str(e.value) and "replies[0].escalate_to" in str(e.value) and "public_reply" in str(e.value)
    assert load_pack_bytes((MINI % ", public_reply: acknowledge").encode(), "t.yaml").public_reply("threat") == "acknowledge"


def test_lint_checks_the_hand_off_link_template():
    from companion.pack.compiled import load_pack_bytes
    from companion.pack.errors import PackError

    ok = ', public_reply: acknowledge, handoff_url: "https://chat.example/send?to={to}&text={body}"'
    assert load_pack_bytes((MINI % ok).encode(), "t.yaml")
    with pytest.raises(PackError) as e:
        load_pack_bytes((MINI % ', public_reply: acknowledge, handoff_url: "https://chat.example/?m={message}"').encode(), "t.yaml")
    assert "{message} is not a hand-off field" in str(e.value)
    with pytest.raises(PackError) as e:
        load_pack_bytes((MINI % ', public_reply: acknowledge, handoff_url: "javascript:alert(1)"').encode(), "t.yaml")
    assert "handoff_url" in str(e.value)
