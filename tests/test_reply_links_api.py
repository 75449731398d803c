"""Links chosen by what the conversation is about (issue 16): a canned reply's {link:a|b} becomes the
referral the customer's message (replying_to) is about, the first named when it is about none; the
example pack's complaint reply sends rude-staff complaints to service feedback, broken appliances
(and a message it cannot read) to repairs. A choice naming an unknown or repeated referral is a
file:line error."""

import json

import pytest

from companion.pack.compiled import load_pack_bytes
from companion.pack.errors import PackError

JSON = {"Content-Type": "application/json"}
REPAIRS = "https://support.nimbusco.example/repairs"
FEEDBACK = "https://nimbusco.example/feedback"
RUDE = "The cashier in your Sofia store was so rude to me, terrible service"
BROKEN = "My blender broke after two weeks, this is terrible"
VALUES = {"customer_name": "Dana", "agent_name": "Sam"}


def render(client, **body):
    r = client.post("/v1/replies/render", data=json.dumps({"reply_id": "unhappy-customer", "platform": "x",
                                                           "values": VALUES, **body}), headers=JSON)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_the_complaint_reply_names_a_choice_of_links(pack):
    assert "{link:repairs|service-feedback}" in pack.canned_reply("unhappy-customer").text


@pytest.mark.parametrize("message, link, not_link", [(RUDE, FEEDBACK, REPAIRS), (BROKEN, REPAIRS, FEEDBACK)])
def test_the_link_follows_the_customers_message(client, message, link, not_link):
    body = render(client, replying_to=message)
    assert link in body["text"] and not_link not in body["text"], body["text"]
    assert body["findings"] == [], body["findings"]
    shown = render(client, replying_to=message, preview=True)
    assert link in shown["text"] and not_link not in shown["text"]


@pytest.mark.parametrize("message", [None, "Hello there"])
def test_no_topic_in_the_conversation_gives_the_default(client, message):
    body = render(client, **({"replying_to": message} if message else {}))
    assert REPAIRS in body["text"] and FEEDBACK not in body["text"]


def test_suggest_offers_the_complaint_reply_for_rude_staff(client):
    r = client.post("/v1/replies/suggest", data=json.dumps({"platform": "x", "replying_to": RUDE}), headers=JSON)
    body = r.get_json()
    assert body["replies"][0]["id"] == "unhappy-customer", body["replies"]
    assert body["referrals"][0]["id"] == "service-feedback", body["referrals"]


MINI = """format: postguard/pack-v1
id: t
revision: 1
company: {name: TestCo}
referrals:
  - {id: repairs, title: Repairs, url: "https://t.example/r", topics: [broken]}
  - {id: feedback, title: Feedback, url: "https://t.example/f", topics: [rude]}
replies:
  - {id: sorry, title: Sorry, category: complaint, text: "Sorry! Here: %s"}
"""


def test_a_choice_loads_and_picks_by_topic():
    from companion.engine.replies import render as fill

    pack = load_pack_bytes((MINI % "{link:repairs|feedback}").encode(), "t.yaml")
    links = pack.referral_chooser.links_for
    reply = pack.canned_reply("sorry")
    assert fill(reply, {}, links("he was rude")).endswith("https://t.example/f")
    assert fill(reply, {}, links("it is broken")).endswith("https://t.example/r")
    assert fill(reply, {}, links(None)).endswith("https://t.example/r")
    assert fill(reply, {}, pack.referral_urls).endswith("https://t.example/r"), "a plain map takes the first"


@pytest.mark.parametrize("link, problem", [
    ("{link:repairs|nowhere}", "{link:repairs|nowhere}: 'nowhere' names no referral"),
    ("{link:repairs|repairs}", "names a referral twice"),
    ("{link:nowhere}", "{link:nowhere} names no referral"),
])
def test_a_bad_choice_is_refused_with_its_line(link, problem):
    with pytest.raises(PackError) as e:
        load_pack_bytes((MINI % link).encode(), "t.yaml")
    assert "t.yaml:9:" in str(e.value) and "replies[0].text" in str(e.value) and problem in str(e.value), str(e.value)
