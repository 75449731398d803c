"""The example pack's everyday scenarios (issue 16), through the v1 API: a thank-you and a simple
question each get their canned reply suggested first, and it renders with no finding; the simple
question's link follows what is asked (a manual question to the help centre, a delivery question to
order tracking). A threat has no canned reply at all: suggest offers none and names the hand-off."""

import json

import pytest

JSON = {"Content-Type": "application/json"}
VALUES = {"customer_name": "Dana", "agent_name": "Sam"}
SCENARIOS = {
    "thank-you": "Just wanted to say thank you, I love my new NimbusCo blender, best purchase this year!",
    "simple-question": "Quick question: how do I descale the Nimbus Kettle? I can't find it in the manual.",
}


def post(client, path, body):
    r = client.post(path, data=json.dumps(body), headers=JSON)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


@pytest.mark.parametrize("platform", ["x", "facebook", "instagram", "linkedin"])
@pytest.mark.parametrize("reply_id", sorted(SCENARIOS))
def test_the_scenarios_reply_is_suggested_first_and_passes(client, reply_id, platform):
    message = SCENARIOS[reply_id]
    body = post(client, "/v1/replies/suggest", {"platform": platform, "replying_to": message})
    assert body["handoff"] == [] and body["escalations"] == []
    assert body["replies"][0]["id"] == reply_id, body["replies"]
    rendered = post(client, "/v1/replies/render", {"reply_id": reply_id, "platform": platform, "values": VALUES,
                                                   "replying_to": message})
    assert rendered["findings"] == [], rendered["findings"]
    assert "Dana" in rendered["text"] and rendered["text"].endswith("— Sam")


@pytest.mark.parametrize("question, link", [
    (SCENARIOS["simple-question"], "https://support.nimbusco.example/help"),
    ("Quick question: where can I see when my order is delivered?", "https://nimbusco.example/orders"),
])
def test_the_simple_questions_link_follows_the_question(client, question, link):
    rendered = post(client, "/v1/replies/render", {"reply_id": "simple-question", "platform": "x", "values": VALUES,
                                                   "replying_to": question})
    assert link in rendered["text"], rendered["text"]


def test_a_threat_gets_no_public_reply_but_the_handoff(client, pack):
    assert not [r for r in pack.canned_replies if r.escalate_to == "threat" or r.category == "threat"]
    body = post(client, "/v1/replies/suggest", {"platform": "x", "replying_to": "I know where you live and you will regret this"})
    assert body["replies"] == [] and body["handoff"] == ["threat"]
