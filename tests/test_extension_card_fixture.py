"""The real /v1/check answers the extension's card tests render (extension/tests/card.test.js).

The answers come from the real companion app (Flask routes, real engine, the bundled example pack,
the date pinned like every other test) for drafts that cover every finding category and every shape
of `detail` the engine sends. The file is generated, never hand-written: this test fails when it no
longer equals what the companion answers today.

    POSTGUARD_UPDATE_FIXTURES=1 .venv/bin/python -m pytest -q tests/test_extension_card_fixture.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from support import make_client

FIXTURE = Path(__file__).resolve().parent.parent / "extension" / "tests" / "fixtures" / "check-responses.json"

# (name, request body): one draft per finding kind, named after what it shows
DRAFTS = [
    ("confidential-exact", {"text": "Just tested Project Kestrel in the lab", "platform": "x"}),
    ("confidential-codename-context", {"text": "Juniper app beta starts next week", "platform": "x"}),
    ("confidential-fuzzy-and-safety-combination",
     {"text": "Can't wait for Projct Falcn Ridge 🚀 — alone in the parking lot at 4 am", "platform": "x"}),
    ("safety-with-referral", {"text": "Closing the store alone tonight, my order hasn't arrived", "platform": "facebook",
                              "surface": "comment"}),   # a comment: a customer is in sight, so a referral comes
    ("speaking-and-escalation-with-referrals",
     {"text": "We will refund you, my lawyer says lawsuit", "platform": "x", "surface": "reply",
      "replying_to": "Where is my order? I will sue"}),
    ("escalation-in-the-conversation",
     {"text": "Sorry to hear that, we are on it", "platform": "x", "surface": "reply",
      "replying_to": "I'll take you to court over this blender"}),
    ("disclosure", {"text": "AeroBake makes perfect sourdough", "platform": "linkedin"}),
    ("personal-data-pattern", {"text": "Your order NC-482-119305 ships tomorrow", "platform": "x", "surface": "reply"}),
    ("tone", {"text": "Calm down, it's obviously your fault", "platform": "instagram", "surface": "comment"}),
    ("platform-limit", {"text": "Loving this blender. " * 15, "platform": "x"}),
    ("clean-with-referral", {"text": "So sorry your order hasn't arrived yet", "platform": "x", "surface": "reply"}),
]

CATEGORIES = {"confidential", "safety", "speaking_for_company", "disclosure", "escalation", "personal_data", "tone",
              "platform_limit"}


def generate() -> list[dict]:
    client, _ = make_client()
    out = []
    for name, body in DRAFTS:
        r = client.post("/v1/check", json=body)
        assert r.status_code == 200, (name, r.get_json())
        out.append({"name": name, "request": body, "response": r.get_json()})
    return out


def _comparable(entries):
    """elapsed_ms is a timing, not content."""
    return [{**e, "response": {k: v for k, v in e["response"].items() if k != "elapsed_ms"}} for e in entries]


def test_fixture_is_what_the_real_companion_answers():
    fresh = generate()
    found = {f["category"] for e in fresh for f in e["response"]["findings"]}
    assert found == CATEGORIES, f"drafts no longer cover every category: missing {CATEGORIES - found}"
    # the shapes the card must render: combination context objects, codename context words, tips
    details = [f.get("detail") or {} for e in fresh for f in e["response"]["findings"]]
    assert any(isinstance(c, dict) for d in details for c in d.get("context", []))
    assert any(isinstance(c, str) for d in details for c in d.get("context", []))
    assert any("replacement" not in s and "insert" not in s
               for e in fresh for f in e["response"]["findings"] for s in f["suggestions"])
    if os.environ.get("POSTGUARD_UPDATE_FIXTURES") == "1":
        old = json.loads(FIXTURE.read_text(encoding="utf-8")) if FIXTURE.exists() else None
        if old is None or _comparable(old) != _comparable(fresh):
            FIXTURE.parent.mkdir(parents=True, exist_ok=True)
            FIXTURE.write_text(json.dumps(fresh, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert FIXTURE.exists(), f"run with POSTGUARD_UPDATE_FIXTURES=1 to write {FIXTURE}"
    stored = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert _comparable(stored) == _comparable(fresh), (
        f"{FIXTURE.name} is out of date with the companion's answers; regenerate it with "
        "POSTGUARD_UPDATE_FIXTURES=1 .venv/bin/python -m pytest -q tests/test_extension_card_fixture.py")
