"""`customer_replies: refer_only | allowed` (issue 16), through /v1/check and /v1/replies/render on the
example pack: with refer_only, a helpful answer from a personal account to a customer's problem gets a
warning whose fix inserts the referral's link (and the fixed draft passes); official accounts, canned
replies, drafts already sending them to a referral and new posts are left alone. With allowed (and
without the option) nothing changes."""

import json

import pytest

from support import EXAMPLE_PACK, make_client

JSON = {"Content-Type": "application/json"}
BROKEN = "My NimbusCo blender broke after two weeks and the dealer won't fix it. Where do I get a repair?"
HELPFUL = "Oh no! Hold the power button for ten seconds, that resets it."
REPAIRS = "https://support.nimbusco.example/repairs"
RULE = "builtin.customer-replies"


def client_with(tmp_path, option: str | None):
    source = EXAMPLE_PACK.read_text(encoding="utf-8")
    if option:
        source = source.replace("\nresponse_targets:", f"\ncustomer_replies: {option}\n\nresponse_targets:", 1)
    path = tmp_path / "pack.yaml"
    path.write_text(source, encoding="utf-8")
    return make_client(path)[0]


def check(client, text, **kw):
    body = {"text": text, "platform": "x", "surface": "reply", "replying_to": BROKEN, **kw}
    r = client.post("/v1/check", data=json.dumps(body), headers=JSON)
    assert r.status_code == 200, r.get_json()
    return r.get_json()["findings"]


def ours(findings):
    return [f for f in findings if f["rule"] == RULE]


def test_refer_only_a_personal_answer_gets_the_referral_as_its_fix(tmp_path):
    client = client_with(tmp_path, "refer_only")
    (f,) = ours(check(client, HELPFUL))
    assert f["severity"] == "warning" and f["category"] == "speaking_for_company"
    assert "Repairs and dealer service" in f["message"] and f["detail"]["referral"] == "repairs"
    assert (f["start"], f["end"]) == (0, len(HELPFUL))
    (fix,) = f["suggestions"]
    assert fix["insert"] == f" {REPAIRS}"
    fixed = HELPFUL + fix["insert"]
    assert ours(check(client, fixed)) == [], "the fix settles it"
    (bg,) = ours(check(client, HELPFUL, lang="bg"))          # the companion's own words in the reader's language
    assert bg["message"].startswith("Клиентите получават помощ") and bg["suggestions"][0]["insert"] == fix["insert"]


@pytest.mark.parametrize("situation", [
    {"account": "@NimbusCoHelp"},                    # an official account helps customers
    {"surface": "post", "replying_to": None},        # no customer being answered
    {"surface": "message"},                          # a private message
    {"replying_to": "Happy Friday everyone!"},       # nothing a referral covers
])
def test_refer_only_leaves_these_alone(tmp_path, situation):
    client = client_with(tmp_path, "refer_only")
    assert ours(check(client, HELPFUL, **situation)) == []


def test_refer_only_a_canned_reply_passes(tmp_path):
    client = client_with(tmp_path, "refer_only")
    r = client.post("/v1/replies/render", data=json.dumps({
        "reply_id": "bad-review", "platform": "x", "replying_to": BROKEN,
        "values": {"customer_name": "Sam", "agent_name": "Dana"}}), headers=JSON)
    assert ours(r.get_json()["findings"]) == []


@pytest.mark.parametrize("option", ["allowed", None])
def test_allowed_changes_nothing(tmp_path, option):
    client = client_with(tmp_path, option)
    got = check(client, HELPFUL)
    assert ours(got) == []
    plain = check(make_client()[0], HELPFUL)
    assert [(f["rule"], f["start"], f["end"]) for f in got] == [(f["rule"], f["start"], f["end"]) for f in plain]


def test_an_unknown_option_is_refused_with_its_line(tmp_path):
    from companion.pack.compiled import load_pack_bytes
    from companion.pack.errors import PackError

    source = "format: postguard/pack-v1\nid: t\nrevision: 1\ncompany: {name: TestCo}\ncustomer_replies: sometimes\n"
    with pytest.raises(PackError) as e:
        load_pack_bytes(source.encode(), "t.yaml")
    assert "t.yaml:5:" in str(e.value) and "customer_replies" in str(e.value), str(e.value)
