"""Hand-typed drafts decided like canned replies (issue 16): answering by hand a customer's message on
a topic whose matrix row says public_reply: none, the hand-off ("Don't answer: send it to <owner>") is
the draft's first suggestion, as /v1/replies/suggest offers no reply and the hand-off for it; for an
acknowledge topic the rule's own suggestions keep their place."""

import json

import pytest

from companion.engine.check import CheckRequest, check
from companion.pack.compiled import load_pack_bytes
from support import TODAY
from test_handoff_api import RAISES

JSON = {"Content-Type": "application/json"}
HAND_TYPED = "So sorry to hear that, we will look into it today"


def first_suggestion(report):
    """The suggestion the card shows first, on the finding it opens first (most severe, earliest)."""
    f = report.findings[0]
    return f, f.suggestions[0]


@pytest.mark.parametrize("topic", sorted(RAISES))
def test_a_hand_typed_answer_to_a_no_public_reply_topic_leads_with_the_handoff(client, pack, topic):
    report = check(pack, CheckRequest(HAND_TYPED, "x", surface="reply", replying_to=RAISES[topic], today=TODAY))
    f, s = first_suggestion(report)
    assert f.category == "escalation" and f.detail["topic"] == topic, f
    if pack.public_reply(topic) == "none":
        assert s.handoff == topic and s.label.startswith("Don't answer: send it to"), s
        r = client.post("/v1/replies/suggest", data=json.dumps({"platform": "x", "replying_to": RAISES[topic]}),
                        headers=JSON).get_json()
        assert r["replies"] == [] and topic in r["handoff"], "the canned path: no reply, the hand-off"


MINI = """format: postguard/pack-v1
id: t
revision: 1
company: {name: TestCo}
escalation_matrix:
  - {topic: threat, title: Threat, owner: Security, contact: sec@t.example, respond_within: 15m%s}
rules:
  - id: t.threat
    kind: phrases
    topic: threat
    scope: replying_to
    severity: critical
    message: A threat.
    why: Security handles threats.
    phrases: [I know where you live]
    suggestions: [{label: Stay calm and do not reply}]
"""


@pytest.mark.parametrize("public_reply, first", [("", "handoff"), (", public_reply: acknowledge", "own")])
def test_the_handoff_comes_before_the_rules_own_suggestions_only_for_no_public_reply(public_reply, first):
    pack = load_pack_bytes((MINI % public_reply).encode(), "t.yaml")
    report = check(pack, CheckRequest(HAND_TYPED, "x", surface="reply", replying_to="I know where you live", today=TODAY))
    (f,) = [f for f in report.findings if f.rule == "t.threat"]
    labels = [s.label for s in f.suggestions]
    assert len(labels) == 2 and f.suggestions[0 if first == "handoff" else 1].handoff == "threat", labels
