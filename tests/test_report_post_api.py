"""'Report this post' (issue 16): the pack's default hand-off contact, `social_media_team`, is in
/v1/pack for the extension's context menu, its hand-offs are counted under the fixed topic
social_media_team, and a pack gets file:line errors for a bad one."""

import json

import pytest

from companion.pack.compiled import load_pack_bytes
from companion.pack.errors import PackError
from companion.records import parse_events
from companion.records.events import Event

MINI = """format: postguard/pack-v1
id: t
revision: 1
company: {name: TestCo}
escalation_matrix:
  - {topic: threat, title: Threat, owner: Security, contact: sec@testco.example, respond_within: 15m}
social_media_team: %s
"""


def test_the_pack_view_names_the_default_contact(client):
    body = client.get("/v1/pack").get_json()
    team = body["social_media_team"]
    assert team["owner"] == "Social media team" and team["contact"] == "social@nimbusco.example"
    assert team["respond_within"] == "4h" and team["instructions"]


def test_a_report_to_the_team_is_counted_under_its_fixed_topic():
    pack = load_pack_bytes((MINI % "{owner: Social, contact: social@testco.example}").encode(), "t.yaml")
    assert parse_events({"events": [{"event": "handoff", "topic": "social_media_team"}]}, pack) == [
        Event("handoff", "social_media_team")]


def test_the_records_api_takes_it(client):
    r = client.post("/v1/records", data=json.dumps({"events": [{"event": "handoff", "topic": "social_media_team"}]}),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 202, r.get_json()


@pytest.mark.parametrize("team, where, problem", [
    ("{owner: Social}", "social_media_team", "contact"),
    ("{owner: Social, contact: s@t.example, handoff_url: \"https://chat.example/?m={message}\"}",
     "social_media_team.handoff_url", "{message} is not a hand-off field"),
    ("{owner: Social, contact: s@t.example, respond_within: soon}", "social_media_team.respond_within", ""),
    ("{owner: Social, contact: s@t.example, phone: 555}", "social_media_team", "phone"),
])
def test_a_bad_default_contact_is_refused_with_its_line(team, where, problem):
    with pytest.raises(PackError) as e:
        load_pack_bytes((MINI % team).encode(), "t.yaml")
    assert "t.yaml:7:" in str(e.value) and where in str(e.value) and problem in str(e.value), str(e.value)


def test_a_matrix_topic_cannot_take_the_default_contacts_name():
    source = MINI.replace("topic: threat", "topic: social_media_team") % "{owner: Social, contact: s@t.example}"
    with pytest.raises(PackError) as e:
        load_pack_bytes(source.encode(), "t.yaml")
    assert "social_media_team" in str(e.value) and "default hand-off" in str(e.value)
