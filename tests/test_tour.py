"""The pack as a lesson (GET /v1/pack/tour) and its policy_url: validated with file:line, served with the token only."""

import datetime as dt
import json

import pytest

from companion.engine.findings import CATEGORIES
from companion.pack.compiled import load_pack_bytes
from companion.pack.errors import PackError
from companion.pack.tour import PRACTICE_PER_CATEGORY, build_tour
from support import TODAY, make_client

PACK = """\
format: postguard/pack-v1
id: tiny
revision: 3
policy_url: https://intranet.tiny.example/social
company:
  name: TinyCo
confidential:
  - term: Blue Heron
    reason: The new kettle, unreleased.
    replacement: our next kettle
    examples: {flag: ["Blue Heron is gorgeous", "blue heron ships soon"], pass: ["A blue heron at the lake"]}
  - term: Old Owl
    reason: Launched last year.
    public_after: 2020-01-01
    examples: {flag: ["Old Owl is great"], pass: []}
"""


def test_policy_url_is_optional_and_kept():
    assert load_pack_bytes(PACK.encode(), "p.yaml").policy_url == "https://intranet.tiny.example/social"
    assert load_pack_bytes(PACK.replace("policy_url: https://intranet.tiny.example/social\n", "").encode(),
                           "p.yaml").policy_url is None


@pytest.mark.parametrize("url", ["http://intranet.tiny.example/social", "intranet/social", "https://", "https://a b/c"])
def test_a_policy_url_that_is_not_an_https_link_names_its_line(url):
    with pytest.raises(PackError) as e:
        load_pack_bytes(PACK.replace("https://intranet.tiny.example/social", json.dumps(url)).encode(), "p.yaml")
    assert [str(p) for p in e.value.problems] == [
        "p.yaml:4:1: policy_url: must be an https:// link to the policy, e.g. https://intranet.example/social-media-policy"]


def test_a_policy_url_that_is_not_a_string_is_refused():
    with pytest.raises(PackError) as e:
        load_pack_bytes(PACK.replace("https://intranet.tiny.example/social", "[a]").encode(), "p.yaml")
    assert str(e.value.problems[0]).startswith("p.yaml:4:")


def test_tour_of_a_small_pack_has_its_own_term_first_and_skips_public_ones():
    pack = load_pack_bytes(PACK.encode(), "p.yaml")
    tour = build_tour(pack, TODAY)
    assert tour["pack"] == {"id": "tiny", "revision": 3, "title": "tiny"}
    assert tour["policy_url"] == "https://intranet.tiny.example/social"
    first = tour["categories"][0]
    assert first["category"] == "confidential"
    assert first["why"] == "The new kettle, unreleased."
    assert (first["flag"], first["pass"]) == ("Blue Heron is gorgeous", "A blue heron at the lake")
    texts = [p["text"] for p in first["practice"]]
    assert texts[:2] == ["Blue Heron is gorgeous", "blue heron ships soon"]   # Old Owl is public: not practised
    # then the base policy's confidential examples (news not yet announced), after the company's own
    assert {p["rule"] for p in first["practice"][2:]} == {"base.conf.unannounced"}
    assert not any("Old Owl" in t for t in texts)
    # the base policy's categories follow, in the vocabulary's order
    assert [c["category"] for c in tour["categories"]] == [c for c in CATEGORIES if c in {x["category"] for x in tour["categories"]}]
    assert {"safety", "escalation", "tone"} <= {c["category"] for c in tour["categories"]}


def test_every_practice_draft_is_flagged_by_its_rule_and_has_a_why(pack):
    tour = build_tour(pack, TODAY)
    client, _ = make_client()
    for cat in tour["categories"]:
        assert cat["why"] and cat["flag"] and 1 <= len(cat["practice"]) <= PRACTICE_PER_CATEGORY
        for p in cat["practice"]:
            r = client.post("/v1/check", data=json.dumps({"text": p["text"], "platform": p["platform"], "surface": p["surface"]}),
                            headers={"Content-Type": "application/json"})
            assert p["rule"] in {f["rule"] for f in r.get_json()["findings"]}, p


def test_the_company_rule_comes_before_the_base_policy(pack):
    cats = {c["category"]: c for c in build_tour(pack, TODAY)["categories"]}
    assert cats["personal_data"]["rule"] == "pd.order-number"        # the pack's own, not a built-in detector
    assert cats["safety"]["rule"].startswith("base.")


def test_the_route_serves_the_tour_with_the_token_only():
    client, _ = make_client()
    body = client.get("/v1/pack/tour").get_json()
    assert body["policy_url"] == "https://intranet.nimbusco.example/policies/social-media"
    assert body["categories"][0]["category"] == "confidential"
    assert client.get("/v1/pack").get_json()["policy_url"] == body["policy_url"]
    anonymous, _ = make_client(paired=False)
    r = anonymous.get("/v1/pack/tour")
    assert r.status_code == 401 and "Falcon" not in r.get_data(as_text=True)


def test_the_tour_is_the_same_object_for_the_same_pack_and_day(pack):
    assert build_tour(pack, TODAY) is build_tour(pack, TODAY)
    assert build_tour(pack, TODAY + dt.timedelta(days=1)) is not build_tour(pack, TODAY)


def test_minimal_pack_gets_a_tour_from_the_base_policy():
    from pathlib import Path

    raw = (Path(__file__).resolve().parent.parent / "policy_packs" / "minimal" / "acme-freight.yaml").read_bytes()
    tour = build_tour(load_pack_bytes(raw, "acme.yaml"), TODAY)
    assert tour["policy_url"] is None
    assert len(tour["categories"]) >= 5
    assert all(c["why"] and c["practice"] for c in tour["categories"])
