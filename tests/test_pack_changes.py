"""What changed between pack revisions, for employees (GET /v1/pack/changes): from pack diff's item changes,
confidential terms by their reason and never their name."""

import json

from companion.pack.compiled import load_pack_bytes
from companion.pack.diff import diff_packs
from companion.pack.digest import pack_digest
from support import make_client

OLD = """\
format: postguard/pack-v1
id: tiny
revision: 3
company:
  name: TinyCo
confidential:
  - term: Blue Heron
    reason: The new kettle, unreleased.
rules:
  - id: tone.rude
    kind: phrases
    category: tone
    message: Rude.
    why: Be kind.
    phrases: [calm down]
referrals:
  - {id: repairs, title: Repairs, url: https://tiny.example/repairs, topics: [repair]}
"""
NEW = OLD.replace("revision: 3", "revision: 4\npolicy_url: https://intranet.tiny.example/social").replace(
    "    reason: The new kettle, unreleased.\n",
    "    reason: The new kettle, unreleased.\n  - term: Grey Owl\n    reason: The store-closure plan, not announced.\n").replace(
    "    message: Rude.", "    message: Rude to a customer.") + """\
  - {id: ideas, title: Ideas, url: https://tiny.example/ideas, topics: [idea]}
replies:
  - {id: thanks, title: Thanks for the idea, category: idea, text: "Thanks! {link:ideas}"}
"""


def packs():
    return load_pack_bytes(OLD.encode(), "old.yaml"), load_pack_bytes(NEW.encode(), "new.yaml")


def test_the_digest_tells_new_terms_by_their_reason_never_their_name():
    digest = pack_digest(*packs())
    assert digest["terms"] == [{"change": "added", "reason": "The store-closure plan, not announced."}]
    assert "Grey Owl" not in json.dumps(digest) and "grey" not in json.dumps(digest).lower()
    assert digest["rules"] == [{"change": "changed", "rule": "tone.rude", "message": "Rude to a customer.", "why": "Be kind."}]
    assert digest["links"] == [{"change": "added", "title": "Ideas", "url": "https://tiny.example/ideas"}]
    assert digest["replies"] == [{"change": "added", "id": "thanks", "title": "Thanks for the idea"}]
    assert digest["escalation"] == []
    assert digest["policy_url"] == "https://intranet.tiny.example/social"


def test_pack_diff_still_names_everything_for_the_reviewer():
    lines = diff_packs(*packs())
    assert "confidential: + conf.grey-owl Grey Owl" in lines
    assert "policy_url: None → https://intranet.tiny.example/social" in lines
    assert any(line.startswith("rules: ~ tone.rude: message: Rude. → Rude to a customer.") for line in lines)


def test_the_route_has_no_digest_until_a_new_revision_arrives(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text(OLD)
    client, holder = make_client(path)
    first = client.get("/v1/pack/changes").get_json()
    assert first == {"pack": {"id": "tiny", "revision": 3}, "from": None, "digest": None}
    path.write_text(NEW)
    assert holder.load() is True
    body = client.get("/v1/pack/changes").get_json()
    assert body["pack"] == {"id": "tiny", "revision": 4} and body["from"] == {"id": "tiny", "revision": 3}
    assert body["digest"]["terms"] == [{"change": "added", "reason": "The store-closure plan, not announced."}]
    anonymous, _ = make_client(path, paired=False)
    assert anonymous.get("/v1/pack/changes").status_code == 401


def _holder(path, state):
    from companion.packstate import LastGoodStore, PackHolder
    holder = PackHolder(path, saved=LastGoodStore(state))
    holder.load()
    return holder


def test_the_digest_survives_a_restart_of_the_companion(tmp_path):
    path, state = tmp_path / "pack.yaml", tmp_path / "last-good"
    path.write_text(OLD)
    holder = _holder(path, state)
    path.write_text(NEW)
    assert holder.load() is True
    kept = json.loads((state / "changes.json").read_text())
    assert kept == holder.changes and kept["to"] == {"id": "tiny", "revision": 4}
    assert "Grey Owl" not in json.dumps(kept)   # the digest's words only, never a term's name
    restarted = _holder(path, state)
    assert restarted.changes == kept


def test_a_revision_that_arrived_while_the_companion_was_stopped_gets_its_digest(tmp_path):
    path, state = tmp_path / "pack.yaml", tmp_path / "last-good"
    path.write_text(OLD)
    _holder(path, state)            # the last run saved revision 3
    assert not (state / "changes.json").exists()
    path.write_text(NEW)            # revision 4 published while it was stopped
    holder = _holder(path, state)
    assert holder.changes["from"] == {"id": "tiny", "revision": 3} and holder.changes["to"] == {"id": "tiny", "revision": 4}
    assert holder.changes["digest"]["replies"] == [{"change": "added", "id": "thanks", "title": "Thanks for the idea"}]
    assert json.loads((state / "changes.json").read_text()) == holder.changes
    again = _holder(path, state)    # the same revision again: the kept digest, nothing recomputed away
    assert again.changes == holder.changes


def test_a_damaged_kept_digest_is_no_digest(tmp_path):
    path, state = tmp_path / "pack.yaml", tmp_path / "last-good"
    path.write_text(OLD)
    _holder(path, state)
    (state / "changes.json").write_text("{not json")
    assert _holder(path, state).changes is None
