"""The v1 API through Flask's test client: contract, validation, JSON errors, guards."""

import json

import pytest

from companion.config import DEFAULT_ORIGINS
from support import make_client

JSON = {"Content-Type": "application/json"}


def post(client, path, body, **headers):
    return client.post(path, data=json.dumps(body), headers={**JSON, **headers})


def test_health_says_which_pack_without_policy_content(client):
    r = client.get("/v1/health")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "ok" and body["pack"]["id"] == "nimbusco-social-policy"
    assert body["pack"]["signed"] is False
    assert "Falcon" not in r.get_data(as_text=True)
    assert r.headers["Cache-Control"] == "no-store" and r.headers["X-Content-Type-Options"] == "nosniff"


def test_check_returns_findings_with_utf16_offsets(client):
    text = "👩‍👩‍👧 FalconRidge is here"
    r = post(client, "/v1/check", {"text": text, "platform": "x", "surface": "post"})
    assert r.status_code == 200
    body = r.get_json()
    assert set(body) == {"findings", "referrals", "pack", "elapsed_ms"}
    f = body["findings"][0]
    assert (f["start"], f["end"]) == (9, 20)     # the family emoji is 8 UTF-16 code units + a space
    assert set(f) >= {"id", "category", "severity", "rule", "start", "end", "excerpt", "message", "why", "suggestions"}
    assert body["pack"] == {"id": "nimbusco-social-policy", "revision": 1}


def test_check_with_replying_to_chooses_referrals(client):
    r = post(client, "/v1/check", {"text": "Sorry to hear that!", "platform": "x", "surface": "reply",
                                   "replying_to": "I have a great idea for a new feature"})
    assert r.get_json()["referrals"][0]["id"] == "ideas"


@pytest.mark.parametrize("body,status,code", [
    ({"platform": "x"}, 400, "missing_field"),
    ({"text": 5, "platform": "x"}, 400, "bad_field"),
    ({"text": "hi", "platform": "myspace"}, 400, "bad_field"),
    ({"text": "hi", "platform": "x", "surface": "story"}, 400, "bad_field"),
    ({"text": "hi", "platform": "x", "extra": 1}, 400, "unknown_field"),
    ({"text": "hi", "platform": "x", "account": ["a"]}, 400, "bad_field"),
    ({"text": "a" * 70_001, "platform": "x"}, 413, "too_long"),
    (["text"], 400, "bad_json"),
])
def test_check_validation(client, body, status, code):
    r = post(client, "/v1/check", body)
    assert r.status_code == status
    assert r.get_json()["error"]["code"] == code


def test_not_json_and_broken_json(client):
    r = client.post("/v1/check", data="text=hi", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "unsupported_media_type"
    r = client.post("/v1/check", data="{nope", headers=JSON)
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "bad_json"


def test_body_cap(client):
    r = client.post("/v1/check", data=b"{" + b" " * (600 * 1024) + b"}", headers=JSON)
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"


def test_unknown_path_and_method_are_json(client):
    assert client.get("/v1/nope").get_json()["error"]["code"] == "not_found"
    r = client.get("/v1/check")
    assert r.status_code == 405 and r.get_json()["error"]["code"] == "method_not_allowed"


def test_host_allowlist_stops_dns_rebinding():
    c, _ = make_client(port=7311)
    assert c.get("/v1/health", headers={"Host": "127.0.0.1:7311"}).status_code == 200
    assert c.get("/v1/health", headers={"Host": "localhost:7311"}).status_code == 200
    for host in ("attacker.example:7311", "127.0.0.1.nip.io:7311", "127.0.0.1:80", "127.0.0.1"):
        r = c.get("/v1/health", headers={"Host": host})
        assert r.status_code == 400 and r.get_json()["error"]["code"] == "bad_host", host


def test_origin_allowlist(client):
    r = post(client, "/v1/check", {"text": "hi", "platform": "x"}, Origin="https://evil.example")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "bad_origin"
    r = post(client, "/v1/check", {"text": "hi", "platform": "x"}, Origin=DEFAULT_ORIGINS[0])
    assert r.status_code == 200
    assert r.headers.get("Access-Control-Allow-Origin") == DEFAULT_ORIGINS[0]



def test_a_hook_added_to_the_app_reaches_the_check(client, caplog):
    """Checks go through the same app as every other call: its headers, its hooks, its log."""
    import logging

    app = client.application

    @app.after_request
    def _mark(resp):
        resp.headers["X-Added-Later"] = "1"
        return resp

    with caplog.at_level(logging.DEBUG, logger="postguard.access"):
        r = post(client, "/v1/check", {"text": "hi", "platform": "x"}, Origin=DEFAULT_ORIGINS[0])
        r.close()   # the log line is written once the response has been handed over
    assert r.status_code == 200 and r.headers["X-Added-Later"] == "1"
    assert r.headers["Cache-Control"] == "no-store" and r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Access-Control-Allow-Origin"] == DEFAULT_ORIGINS[0]
    assert any("POST /v1/check 200" in rec.getMessage() for rec in caplog.records)

def test_pack_view_for_the_side_panel(client):
    body = client.get("/v1/pack").get_json()
    assert {r["id"] for r in body["replies"]} >= {"unhappy-customer", "refund-request", "bad-review", "defamation",
                                                   "copyright"}
    assert body["platforms"]["x"]["limit"] == 280
    assert {t["topic"] for t in body["escalation_matrix"]} >= {"legal_threat", "press", "threat"}
    refund = next(r for r in body["replies"] if r["id"] == "refund-request")
    assert refund["placeholders"][0] == {"name": "customer_name", "label": "Customer's first name", "required": True,
                                         "default": "", "hint": "", "max_length": 40}
    assert "confidential" not in body


def test_render_fills_placeholders_and_links_and_rechecks(client):
    r = post(client, "/v1/replies/render", {"reply_id": "repair-referral", "platform": "x",
                                            "values": {"customer_name": "Dana"}})
    assert r.status_code == 200
    body = r.get_json()
    assert body["text"].startswith("Hi Dana, sorry") and "https://support.nimbusco.example/repairs" in body["text"]
    assert [f for f in body["findings"] if f["severity"] != "info"] == []


def test_render_flags_customer_data_typed_into_a_placeholder(client):
    r = post(client, "/v1/replies/render", {"reply_id": "repair-referral", "platform": "x",
                                            "values": {"customer_name": "Dana, call me on +1 555 123 4567"}})
    assert [f["rule"] for f in r.get_json()["findings"] if f["severity"] != "info"] == ["builtin.phone"]


def test_render_values_are_not_expanded_again(client):
    r = post(client, "/v1/replies/render", {"reply_id": "repair-referral", "platform": "x",
                                            "values": {"customer_name": "{link:repairs}"}})
    assert r.get_json()["text"].startswith("Hi {link:repairs},")


@pytest.mark.parametrize("body,status,code", [
    ({"reply_id": "nope", "platform": "x"}, 404, "unknown_reply"),
    ({"reply_id": "repair-referral", "platform": "x"}, 400, "missing_placeholder"),
    ({"reply_id": "repair-referral", "platform": "x", "values": {"who": "x"}}, 400, "unknown_placeholder"),
    ({"reply_id": "repair-referral", "platform": "x", "values": {"customer_name": "x" * 41}}, 400, "value_too_long"),
    ({"reply_id": "repair-referral", "platform": "x", "values": {"customer_name": 3}}, 400, "bad_field"),
    ({"reply_id": "repair-referral", "values": {"customer_name": "A"}}, 400, "missing_field"),
])
def test_render_errors(client, body, status, code):
    r = post(client, "/v1/replies/render", body)
    assert r.status_code == status and r.get_json()["error"]["code"] == code


def test_no_pack_means_503_and_health_says_why(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: postguard/pack-v1\nid: x\n")
    c, _ = make_client(broken)
    r = post(c, "/v1/check", {"text": "hi", "platform": "x"})
    assert r.status_code == 503 and r.get_json()["error"]["code"] == "no_pack"
    health = c.get("/v1/health").get_json()
    assert health["status"] == "no_pack"
    assert any(p.endswith("broken.yaml:1:1: 'revision' is a required property") for p in health["pack_error"]["problems"])


def test_broken_update_keeps_the_last_good_pack(tmp_path, pack):
    path = tmp_path / "pack.yaml"
    good = pack.source and open(pack.source, encoding="utf-8").read()
    path.write_text(good)
    c, holder = make_client(path)
    path.write_text(good.replace("revision: 1", "revision: 2").replace("severity: critical", "severity: loud", 1))
    assert holder.load() is False
    r = post(c, "/v1/check", {"text": "Falcon Ridge", "platform": "x"})
    assert r.status_code == 200 and r.get_json()["pack"]["revision"] == 1
    health = c.get("/v1/health").get_json()
    assert health["pack"]["revision"] == 1 and "severity" in health["pack_error"]["problems"][0]
    path.write_text(good.replace("revision: 1", "revision: 2"))
    assert holder.load(force=False) is True
    assert post(c, "/v1/check", {"text": "x", "platform": "x"}).get_json()["pack"]["revision"] == 2
    assert "pack_error" not in c.get("/v1/health").get_json()


def test_suggest_ranks_replies_and_referrals_for_the_message_being_answered(client):
    r = post(client, "/v1/replies/suggest", {"platform": "x",
                                             "replying_to": "My kettle broke after a week and the dealer refuses to repair it"})
    body = r.get_json()
    assert r.status_code == 200
    assert body["replies"][0]["id"] == "repair-referral" and "“repair”" in body["replies"][0]["reason"]
    assert body["referrals"][0]["id"] == "repairs"
    assert body["escalations"] == []


def test_suggest_puts_the_escalation_reply_first(client):
    body = post(client, "/v1/replies/suggest", {"platform": "facebook",
                                                "replying_to": "You stole my photo, this is a DMCA takedown notice"}).get_json()
    assert body["replies"][0]["id"] == "copyright"
    assert body["replies"][0]["reason"].startswith("the message is a copyright")
    assert [e["topic"] for e in body["escalations"]] == ["copyright"]


def test_suggest_with_nothing_to_go_on_suggests_nothing(client):
    body = post(client, "/v1/replies/suggest", {"platform": "x"}).get_json()
    assert body["replies"] == [] and body["referrals"] == []


def test_a_preview_shows_labels_for_values_not_typed_yet_and_checks_nothing(client):
    r = post(client, "/v1/replies/render", {"reply_id": "repair-referral", "platform": "x", "preview": True,
                                            "values": {}})
    body = r.get_json()
    assert r.status_code == 200 and body["preview"] is True and body["findings"] == []
    assert body["text"].startswith("Hi [") and "https://support.nimbusco.example/repairs" in body["text"]
    typed = post(client, "/v1/replies/render", {"reply_id": "repair-referral", "platform": "x", "preview": True,
                                                "values": {"customer_name": "Dana"}}).get_json()
    assert typed["text"].startswith("Hi Dana,")
    listed = {x["id"]: x for x in client.get("/v1/pack").get_json()["replies"]}
    assert listed["repair-referral"]["preview"] == body["text"]
