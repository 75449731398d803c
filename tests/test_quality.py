"""Quality gate: the engine against hand-labelled drafts of several companies (tests/quality.py).

Each company's drafts are checked against its own pack on a pinned date. The targets below are the
product's goals for any company; FLOORS are what each company measures today, so that no change makes
detection worse while the targets are not yet all met (the closing notes say which are). A target
reached becomes the floor. Companies marked untouched were measured without tuning rules on them.

The tables are printed (run with -s) and added to pytest's terminal summary; `python -m tests.quality`
prints them without the test.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests import quality_prefetch
from tests.quality import CATEGORIES, SETS, LabelledSet, customer_in_sight

PLATFORMS = ("x", "facebook", "linkedin", "instagram")
SURFACES = ("post", "reply", "comment", "message", "caption")
KEYS = {"text", "platform", "surface", "replying_to", "account", "expect", "referral", "note"}

TARGET = {"precision": 0.90, "recall": 0.90, "confidential": 0.95, "referral_accuracy": 0.90,
          "stray_referrals": 0.05, "clean_warned": 0.10}
CLEAN_WARNED_CEILINGS: dict[str, float] = {"pestbury": 0.125}   # a company over the 10 % target, at what it measured untouched
GATED = ("confidential", "safety", "speaking_for_company", "disclosure", "escalation", "personal_data", "tone")

# (precision, recall) floors per company and category, from the measured figures; referral accuracy floor.
FLOORS = {
    "nimbusco": ({"confidential": (0.94, 1.0), "safety": (0.95, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.93, 1.0)},
        1.0),
    "harbourvale": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.95), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        1.0),
    "relsa": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.95), "escalation": (1.0, 1.0), "personal_data": (0.9, 1.0), "tone": (0.97, 1.0)},
        0.94),
    "medisant": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 0.95), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "bramble": ({"confidential": (1.0, 0.95), "safety": (1.0, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 0.94), "escalation": (0.96, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.94),
    "kestrel": ({"confidential": (1.0, 1.0), "safety": (0.95, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (0.94, 1.0), "tone": (0.95, 1.0)},
        0.97),
    "dunav": ({"confidential": (0.85, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.93, 1.0), "personal_data": (1.0, 1.0), "tone": (0.94, 1.0)},
        0.92),
    "pinecrest": ({"confidential": (1.0, 0.95), "safety": (0.95, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.96, 1.0), "personal_data": (1.0, 0.92), "tone": (1.0, 1.0)},
        1.0),
    "lale": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.94), "escalation": (0.96, 1.0), "personal_data": (0.93, 1.0), "tone": (1.0, 1.0)},
        0.86),
    "fernhill": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.93), "escalation": (0.96, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.89),
    "tessellate": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.93),
    "calder": ({"confidential": (0.94, 0.9), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "vireo": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.9, 1.0)},
        0.97),
    "kovach": ({"confidential": (1.0, 0.95), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.96, 1.0), "personal_data": (0.94, 1.0), "tone": (0.93, 1.0)},
        0.81),
    "skylark": ({"confidential": (0.95, 0.85), "safety": (0.97, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (0.98, 1.0)},
        0.91),
    "keystone": ({"confidential": (1.0, 0.95), "safety": (0.97, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.96, 1.0), "personal_data": (0.76, 1.0), "tone": (1.0, 1.0)},
        0.87),
    "pulse": ({"confidential": (0.96, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.85), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "tidewell": ({"confidential": (0.95, 1.0), "safety": (0.93, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.95, 1.0)},
        0.96),
    "marlow": ({"confidential": (0.95, 0.95), "safety": (0.97, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 0.8), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (0.94, 1.0)},
        0.82),
    "ember": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (0.95, 1.0), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.94, 1.0)},
        0.85),
    "northwind": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.9, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.8),
    "zippa": ({"confidential": (1.0, 0.94), "safety": (0.94, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.95, 0.98), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.89),
    "ironclad": ({"confidential": (0.95, 1.0), "safety": (0.86, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.9),
    "riverside": ({"confidential": (0.94, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.96),
    "acorns": ({"confidential": (1.0, 0.95), "safety": (1.0, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.92, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.82),
    "swoop": ({"confidential": (0.88, 0.95), "safety": (0.9, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.95), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.97),
    "pawpoint": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.87),
    "reelhouse": ({"confidential": (1.0, 0.95), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.97, 1.0), "personal_data": (0.93, 1.0), "tone": (0.95, 1.0)},
        0.95),
    "kindhands": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 0.94), "escalation": (1.0, 1.0), "personal_data": (0.88, 1.0), "tone": (1.0, 1.0)},
        0.9),
    "brightline": ({"confidential": (1.0, 0.95), "safety": (0.94, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (0.89, 1.0), "escalation": (0.98, 1.0), "personal_data": (0.93, 1.0), "tone": (1.0, 1.0)},
        1.0),
    "cobalt": ({"confidential": (1.0, 0.95), "safety": (0.96, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.91),
    "summit": ({"confidential": (0.9, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.87),
    "greencycle": ({"confidential": (0.95, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.96, 1.0), "personal_data": (1.0, 1.0), "tone": (0.95, 1.0)},
        0.86),
    "velvetrow": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 0.95), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.95),
    "goldenace": ({"confidential": (1.0, 1.0), "safety": (0.94, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.98),
    "meridian": ({"confidential": (1.0, 0.94), "safety": (0.97, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.93, 1.0), "personal_data": (1.0, 1.0), "tone": (0.96, 1.0)},
        1.0),
    "luma": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.88),
    "harvestlane": ({"confidential": (1.0, 1.0), "safety": (0.89, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.94),
    "brightwater": ({"confidential": (1.0, 0.88), "safety": (1.0, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.95, 1.0), "personal_data": (1.0, 0.92), "tone": (1.0, 1.0)},
        0.97),
    "corvid": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 0.93), "tone": (1.0, 1.0)},
        0.93),
    "tandem": ({"confidential": (1.0, 0.81), "safety": (0.96, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (0.93, 1.0), "tone": (1.0, 1.0)},
        0.93),
    "oakridge": ({"confidential": (1.0, 1.0), "safety": (0.87, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (0.92, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "nightowl": ({"confidential": (1.0, 0.94), "safety": (1.0, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 0.94), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        1.0),
    "crestway": ({"confidential": (1.0, 1.0), "safety": (0.93, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 0.93), "escalation": (0.98, 1.0), "personal_data": (1.0, 0.85), "tone": (0.97, 1.0)},
        0.89),
    "larkspur": ({"confidential": (1.0, 1.0), "safety": (0.94, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.94),
    "paloma": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (0.9, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (0.95, 1.0)},
        0.92),
    "hearthstone": ({"confidential": (0.94, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (0.92, 1.0), "tone": (1.0, 1.0)},
        0.8),
    "relaypoint": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (0.98, 1.0)},
        0.88),
    "wrenfield": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.96),
    "mopwell": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.96, 1.0)},
        0.82),
    "parkwise": ({"confidential": (1.0, 1.0), "safety": (0.87, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.76), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (0.96, 1.0)},
        0.95),
    "evergreen": ({"confidential": (0.94, 0.8), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (0.86, 0.86), "escalation": (0.95, 1.0), "personal_data": (0.94, 1.0), "tone": (0.97, 1.0)},
        0.98),
    "bassline": ({"confidential": (0.95, 0.95), "safety": (0.97, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (0.89, 0.89), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (0.95, 1.0)},
        0.96),
    "thornbury": ({"confidential": (1.0, 0.94), "safety": (0.89, 1.0), "speaking_for_company": (0.9, 1.0), "disclosure": (0.94, 0.84), "escalation": (0.91, 1.0), "personal_data": (0.94, 1.0), "tone": (0.94, 1.0)},
        0.93),
    "hivespace": ({"confidential": (0.87, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (0.89, 0.89), "escalation": (0.96, 1.0), "personal_data": (0.94, 1.0), "tone": (0.96, 1.0)},
        0.96),
    "gearshift": ({"confidential": (0.95, 0.9), "safety": (1.0, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (1.0, 0.86), "escalation": (0.96, 1.0), "personal_data": (0.94, 1.0), "tone": (0.97, 1.0)},
        0.96),
    "dentaria": ({"confidential": (0.95, 0.9), "safety": (0.88, 1.0), "speaking_for_company": (0.92, 1.0), "disclosure": (1.0, 0.73), "escalation": (0.94, 1.0), "personal_data": (1.0, 1.0), "tone": (0.96, 1.0)},
        0.84),
    "fibrelink": ({"confidential": (1.0, 0.86), "safety": (0.89, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (0.95, 0.91), "escalation": (0.95, 1.0), "personal_data": (0.94, 1.0), "tone": (1.0, 1.0)},
        0.9),
    "galloway": ({"confidential": (1.0, 0.95), "safety": (0.97, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (0.85, 0.33), "escalation": (0.94, 1.0), "personal_data": (1.0, 1.0), "tone": (0.98, 1.0)},
        0.95),
    "goldcrest": ({"confidential": (1.0, 0.96), "safety": (0.93, 1.0), "speaking_for_company": (0.85, 1.0), "disclosure": (0.96, 0.96), "escalation": (0.93, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.93),
    "bounceworks": ({"confidential": (0.96, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (0.96, 0.88), "escalation": (0.94, 1.0), "personal_data": (1.0, 1.0), "tone": (0.96, 1.0)},
        0.98),
    "saltmarsh": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.97),
    "quarrystone": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.92), "escalation": (1.0, 1.0), "personal_data": (0.92, 1.0), "tone": (1.0, 1.0)},
        0.9),
    "copperkettle": ({"confidential": (1.0, 0.96), "safety": (0.96, 1.0), "speaking_for_company": (0.9, 1.0), "disclosure": (1.0, 0.93), "escalation": (0.97, 1.0), "personal_data": (0.96, 1.0), "tone": (1.0, 1.0)},
        0.98),
    "liftwell": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.9), "escalation": (0.95, 1.0), "personal_data": (0.87, 1.0), "tone": (0.96, 1.0)},
        0.83),
    "runway": ({"confidential": (0.96, 0.96), "safety": (0.93, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.92), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.94),
    "hirewise": ({"confidential": (1.0, 1.0), "safety": (0.9, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.94, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.93),
    "lantern": ({"confidential": (1.0, 1.0), "safety": (0.93, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.88), "escalation": (0.9, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "aquaforth": ({"confidential": (0.96, 0.87), "safety": (0.93, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 0.96), "tone": (1.0, 1.0)},
        0.93),
    "bluehaven": ({"confidential": (1.0, 1.0), "safety": (0.87, 1.0), "speaking_for_company": (0.86, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.85),
    "rapidaid": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (1.0, 0.92), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.98),
    "ardent": ({"confidential": (1.0, 0.96), "safety": (0.94, 1.0), "speaking_for_company": (0.89, 1.0), "disclosure": (0.96, 0.9), "escalation": (0.94, 1.0), "personal_data": (0.96, 1.0), "tone": (0.94, 1.0)},
        0.97),
    "quadhouse": ({"confidential": (1.0, 0.96), "safety": (0.9, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (0.96, 0.88), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.94),
    "fairpath": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.88),
    "wardline": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.92),
    "coinvale": ({"confidential": (1.0, 0.96), "safety": (1.0, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.94, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.94),
    "hurst": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.93), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.94),
    "lynxmoor": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.98, 1.0), "personal_data": (0.96, 1.0), "tone": (1.0, 1.0)},
        1.0),
    "shearline": ({"confidential": (0.96, 0.96), "safety": (0.96, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (0.96, 1.0), "escalation": (1.0, 1.0), "personal_data": (0.96, 1.0), "tone": (1.0, 1.0)},
        0.96),
    "racklight": ({"confidential": (1.0, 0.9), "safety": (0.93, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.96),
    "clearsight": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 0.92), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.92),
    "moorings": ({"confidential": (1.0, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (0.96, 0.92), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "tumbler": ({"confidential": (1.0, 0.92), "safety": (0.85, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.97), "escalation": (0.93, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.91),
    "heatherfield": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (0.96, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.98),
    "pressly": ({"confidential": (0.97, 1.0), "safety": (0.94, 1.0), "speaking_for_company": (0.9, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.94, 1.0), "personal_data": (0.96, 1.0), "tone": (1.0, 1.0)},
        0.92),
    "inkwell": ({"confidential": (1.0, 0.96), "safety": (0.93, 1.0), "speaking_for_company": (0.88, 1.0), "disclosure": (0.97, 1.0), "escalation": (0.88, 1.0), "personal_data": (1.0, 1.0), "tone": (0.88, 1.0)},
        0.94),
    "bloomwick": ({"confidential": (0.97, 0.97), "safety": (0.94, 1.0), "speaking_for_company": (0.89, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (0.97, 1.0), "tone": (0.94, 1.0)},
        0.94),
    "flowright": ({"confidential": (1.0, 0.96), "safety": (0.94, 1.0), "speaking_for_company": (0.89, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.95, 1.0), "personal_data": (0.82, 1.0), "tone": (1.0, 1.0)},
        0.91),
    "riddlecrest": ({"confidential": (1.0, 0.88), "safety": (0.82, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 0.9), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (0.96, 1.0)},
        0.93),
    "kennelly": ({"confidential": (1.0, 0.96), "safety": (0.92, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 0.96), "escalation": (1.0, 1.0), "personal_data": (0.96, 0.96), "tone": (0.96, 1.0)},
        0.88),
    "spokehaus": ({"confidential": (1.0, 0.97), "safety": (0.86, 1.0), "speaking_for_company": (0.9, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.92, 1.0), "personal_data": (1.0, 1.0), "tone": (0.95, 1.0)},
        0.97),
    "stackwell": ({"confidential": (0.97, 0.94), "safety": (1.0, 1.0), "speaking_for_company": (0.91, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (0.92, 1.0)},
        0.94),
    "roadwise": ({"confidential": (0.96, 1.0), "safety": (0.88, 1.0), "speaking_for_company": (0.89, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.9, 1.0), "personal_data": (1.0, 1.0), "tone": (0.94, 1.0)},
        0.77),
    "fixbay": ({"confidential": (0.94, 0.96), "safety": (0.86, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (0.97, 0.97), "escalation": (0.97, 0.97), "personal_data": (1.0, 1.0), "tone": (0.94, 1.0)},
        0.86),
    "saffron": ({"confidential": (0.97, 0.97), "safety": (0.97, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (0.94, 0.96), "escalation": (0.87, 1.0), "personal_data": (0.93, 1.0), "tone": (0.94, 1.0)},
        0.86),
    "encore": ({"confidential": (1.0, 0.94), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 0.97), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.93),
    "hearthwood": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (0.97, 0.97), "escalation": (0.93, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.9),
    "stillwater": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (0.96, 1.0), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (0.94, 1.0)},
        0.94),
    "boltright": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.88, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.94),
    "ashcombe": ({"confidential": (1.0, 0.93), "safety": (0.97, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (0.93, 0.96), "escalation": (0.82, 1.0), "personal_data": (0.96, 1.0), "tone": (0.89, 1.0)},
        0.9),
    "crumbwell": ({"confidential": (0.96, 0.93), "safety": (0.95, 1.0), "speaking_for_company": (0.91, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (0.88, 1.0)},
        0.94),
    "loamfield": ({"confidential": (1.0, 1.0), "safety": (0.92, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.96, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "nestara": ({"confidential": (0.97, 1.0), "safety": (0.94, 1.0), "speaking_for_company": (0.92, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.94, 1.0), "personal_data": (0.96, 0.96), "tone": (0.96, 1.0)},
        0.9),
    "wayfarer": ({"confidential": (0.93, 0.9), "safety": (0.97, 1.0), "speaking_for_company": (0.92, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.91, 1.0), "personal_data": (1.0, 1.0), "tone": (0.91, 1.0)},
        0.92),
    "kindred": ({"confidential": (0.96, 1.0), "safety": (0.94, 1.0), "speaking_for_company": (0.92, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.93, 0.98), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.93),
    "crag": ({"confidential": (1.0, 0.96), "safety": (0.94, 1.0), "speaking_for_company": (0.86, 1.0), "disclosure": (0.96, 0.96), "escalation": (0.96, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.95),
    "whiskerwood": ({"confidential": (0.96, 0.96), "safety": (0.97, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.86),
    "vitalis": ({"confidential": (0.97, 0.97), "safety": (0.97, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (0.96, 0.96), "tone": (1.0, 1.0)},
        0.86),
    "zanetti": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (0.97, 1.0), "escalation": (0.92, 1.0), "personal_data": (0.96, 1.0), "tone": (0.97, 1.0)},
        0.93),
    "stratalink": ({"confidential": (1.0, 1.0), "safety": (0.93, 1.0), "speaking_for_company": (0.9, 1.0), "disclosure": (1.0, 0.96), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (0.94, 1.0)},
        0.95),
    "marisol": ({"confidential": (0.93, 0.88), "safety": (1.0, 1.0), "speaking_for_company": (0.82, 1.0), "disclosure": (1.0, 0.96), "escalation": (1.0, 1.0), "personal_data": (0.93, 0.96), "tone": (0.96, 1.0)},
        0.95),
    "trueshot": ({"confidential": (0.97, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.91, 1.0), "disclosure": (1.0, 0.9), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.96),
    "furlong": ({"confidential": (1.0, 1.0), "safety": (0.91, 1.0), "speaking_for_company": (0.88, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.93, 1.0), "personal_data": (1.0, 1.0), "tone": (0.96, 1.0)},
        0.96),
    "kelpie": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (1.0, 0.9), "escalation": (1.0, 1.0), "personal_data": (0.96, 0.96), "tone": (1.0, 1.0)},
        0.96),
    "cipherwall": ({"confidential": (1.0, 0.95), "safety": (0.91, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.93, 1.0)},
        0.95),
    "rosehill": ({"confidential": (1.0, 0.91), "safety": (0.96, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.92, 1.0), "personal_data": (0.96, 1.0), "tone": (0.96, 1.0)},
        0.95),
    "brindle": ({"confidential": (1.0, 0.86), "safety": (1.0, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.88), "escalation": (0.96, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "halden": ({"confidential": (0.94, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.92, 1.0), "disclosure": (1.0, 0.97), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.98),
    "readwell": ({"confidential": (1.0, 0.85), "safety": (0.92, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.98, 1.0), "personal_data": (1.0, 0.96), "tone": (1.0, 1.0)},
        0.98),
    "birchholt": ({"confidential": (1.0, 0.81), "safety": (1.0, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.92),
    "wildacre": ({"confidential": (0.93, 0.97), "safety": (0.95, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (0.96, 1.0), "tone": (0.96, 1.0)},
        0.95),
    "chorus": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.97),
    "quayline": ({"confidential": (0.96, 0.93), "safety": (0.93, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (0.96, 0.92), "escalation": (0.97, 1.0), "personal_data": (0.93, 1.0), "tone": (0.97, 1.0)},
        0.88),
    "meadowfold": ({"confidential": (0.97, 0.97), "safety": (0.97, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 0.96), "tone": (1.0, 1.0)},
        0.97),
    "gladestone": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.96, 1.0), "personal_data": (0.96, 1.0), "tone": (1.0, 1.0)},
        0.88),
    "lingomark": ({"confidential": (0.97, 1.0), "safety": (0.9, 1.0), "speaking_for_company": (0.9, 1.0), "disclosure": (0.96, 0.96), "escalation": (0.89, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.97),
    "tallyfield": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.94),
    "sunbarrow": ({"confidential": (0.97, 1.0), "safety": (0.96, 1.0), "speaking_for_company": (0.9, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.92, 1.0), "personal_data": (0.93, 1.0), "tone": (1.0, 1.0)},
        0.94),
    "ravensgate": ({"confidential": (0.94, 0.92), "safety": (0.97, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.93), "escalation": (0.94, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "corriemoor": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.9, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.95),
    "rustbeck": ({"confidential": (0.94, 0.97), "safety": (0.95, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.91, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.91),
    "loomcraft": ({"confidential": (1.0, 0.97), "safety": (0.96, 1.0), "speaking_for_company": (0.9, 1.0), "disclosure": (1.0, 0.97), "escalation": (0.93, 1.0), "personal_data": (1.0, 1.0), "tone": (0.92, 1.0)},
        0.95),
    "deepwell": ({"confidential": (0.97, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.91, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.9, 1.0), "personal_data": (1.0, 0.96), "tone": (1.0, 1.0)},
        0.91),
    "petalis": ({"confidential": (1.0, 0.97), "safety": (0.96, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (0.97, 0.97), "escalation": (0.98, 1.0), "personal_data": (0.96, 0.96), "tone": (1.0, 1.0)},
        0.97),
    "grayhaven": ({"confidential": (0.94, 0.94), "safety": (0.96, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.9, 1.0), "personal_data": (0.93, 1.0), "tone": (0.93, 1.0)},
        0.96),
    "pennant": ({"confidential": (1.0, 1.0), "safety": (0.92, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 0.97), "escalation": (0.91, 1.0), "personal_data": (0.96, 1.0), "tone": (1.0, 1.0)},
        0.92),
    "swapsy": ({"confidential": (0.96, 0.88), "safety": (0.96, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 0.93), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (0.96, 1.0)},
        0.98),
    "sleeperline": ({"confidential": (1.0, 0.97), "safety": (0.94, 1.0), "speaking_for_company": (0.92, 1.0), "disclosure": (1.0, 0.93), "escalation": (0.94, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.89),
    "voltmere": ({"confidential": (1.0, 0.97), "safety": (0.9, 1.0), "speaking_for_company": (0.93, 1.0), "disclosure": (0.9, 0.55), "escalation": (0.96, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.93),
    "kitefield": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.97), "escalation": (0.96, 1.0), "personal_data": (0.96, 1.0), "tone": (0.97, 1.0)},
        0.94),
    "fabwell": ({"confidential": (1.0, 0.97), "safety": (0.89, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 0.93), "escalation": (0.94, 1.0), "personal_data": (0.9, 1.0), "tone": (0.95, 1.0)},
        0.94),
    "nookstay": ({"confidential": (1.0, 0.95), "safety": (0.91, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 0.97), "escalation": (0.96, 1.0), "personal_data": (1.0, 0.93), "tone": (1.0, 1.0)},
        0.88),
    "fleetfoot": ({"confidential": (1.0, 0.97), "safety": (0.97, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "copperdeep": ({"confidential": (0.97, 0.94), "safety": (0.95, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (0.96, 1.0), "escalation": (0.98, 1.0), "personal_data": (0.96, 1.0), "tone": (0.97, 1.0)},
        0.95),
    "vendora": ({"confidential": (0.92, 0.94), "safety": (0.98, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.95, 1.0), "personal_data": (0.9, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "lenswick": ({"confidential": (1.0, 0.93), "safety": (1.0, 1.0), "speaking_for_company": (0.89, 1.0), "disclosure": (1.0, 0.9), "escalation": (0.95, 1.0), "personal_data": (1.0, 0.96), "tone": (0.94, 1.0)},
        0.96),
    "driftmoor": ({"confidential": (0.97, 0.97), "safety": (0.97, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.92),
    "rigmont": ({"confidential": (1.0, 0.93), "safety": (0.89, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.96, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.98),
    "quillby": ({"confidential": (0.98, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.91),
    "danlow": ({"confidential": (0.98, 0.91), "safety": (0.98, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.96, 1.0), "personal_data": (0.92, 0.92), "tone": (0.97, 1.0)},
        0.89),
    "voidlark": ({"confidential": (0.95, 0.97), "safety": (0.91, 1.0), "speaking_for_company": (0.88, 1.0), "disclosure": (1.0, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        1.0),
    "sudsbury": ({"confidential": (1.0, 0.92), "safety": (0.95, 1.0), "speaking_for_company": (0.96, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.98, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.94),
    "lanternby": ({"confidential": (0.97, 0.94), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.92),
    "hollyfen": ({"confidential": (1.0, 0.97), "safety": (0.97, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.97, 1.0), "personal_data": (0.96, 1.0), "tone": (1.0, 1.0)},
        0.87),
    "glasshaven": ({"confidential": (1.0, 0.97), "safety": (0.96, 1.0), "speaking_for_company": (0.92, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.98, 1.0), "personal_data": (1.0, 0.96), "tone": (0.97, 1.0)},
        0.97),
    "fairmead": ({"confidential": (0.97, 0.94), "safety": (0.94, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (0.94, 1.0), "escalation": (1.0, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.98),
    "gullwing": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (1.0, 0.97), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.98),
    "brawnly": ({"confidential": (0.96, 0.81), "safety": (0.91, 1.0), "speaking_for_company": (0.91, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (0.94, 1.0)},
        1.0),
    "sootwick": ({"confidential": (1.0, 1.0), "safety": (0.91, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.92, 1.0), "personal_data": (0.96, 1.0), "tone": (1.0, 1.0)},
        0.83),
    "bridlewood": ({"confidential": (1.0, 0.97), "safety": (0.96, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (0.93, 1.0), "escalation": (0.98, 1.0), "personal_data": (1.0, 0.93), "tone": (0.94, 1.0)},
        0.93),
    "earwell": ({"confidential": (0.97, 0.97), "safety": (0.97, 1.0), "speaking_for_company": (0.9, 1.0), "disclosure": (1.0, 0.97), "escalation": (0.92, 1.0), "personal_data": (0.96, 1.0), "tone": (0.94, 1.0)},
        0.93),
    "flexa": ({"confidential": (0.97, 0.92), "safety": (0.97, 1.0), "speaking_for_company": (0.87, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.96, 1.0), "personal_data": (0.96, 1.0), "tone": (1.0, 1.0)},
        0.96),
    "wrecksall": ({"confidential": (1.0, 0.72), "safety": (0.89, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.97, 1.0), "personal_data": (0.96, 0.96), "tone": (1.0, 1.0)},
        0.88),
    "willowmere": ({"confidential": (1.0, 0.97), "safety": (0.94, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (0.97, 1.0), "escalation": (0.93, 1.0), "personal_data": (1.0, 1.0), "tone": (0.94, 1.0)},
        0.88),
    "trowelby": ({"confidential": (1.0, 0.88), "safety": (0.96, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 0.94), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.94),
    "scoopwell": ({"confidential": (1.0, 1.0), "safety": (1.0, 1.0), "speaking_for_company": (0.89, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.9, 1.0), "personal_data": (0.96, 1.0), "tone": (0.91, 1.0)},
        0.92),
    "paneway": ({"confidential": (1.0, 0.91), "safety": (0.94, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 0.96), "escalation": (0.98, 1.0), "personal_data": (0.96, 0.96), "tone": (0.91, 1.0)},
        0.87),
    "sparkmoor": ({"confidential": (1.0, 0.95), "safety": (0.87, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 0.9), "escalation": (0.95, 1.0), "personal_data": (1.0, 1.0), "tone": (0.9, 1.0)},
        0.87),
    "hollowbrook": ({"confidential": (1.0, 1.0), "safety": (0.97, 1.0), "speaking_for_company": (0.89, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.96, 1.0), "personal_data": (1.0, 0.96), "tone": (1.0, 1.0)},
        0.91),
    "gritstone": ({"confidential": (0.97, 0.94), "safety": (0.94, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.96, 1.0), "personal_data": (1.0, 0.96), "tone": (0.94, 1.0)},
        0.91),
    "apexton": ({"confidential": (1.0, 0.94), "safety": (0.96, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 0.97), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.97, 1.0)},
        0.93),
    "skymast": ({"confidential": (1.0, 1.0), "safety": (0.94, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.87, 1.0), "personal_data": (0.91, 1.0), "tone": (0.91, 1.0)},
        0.96),
    "heronsgate": ({"confidential": (1.0, 0.94), "safety": (0.91, 1.0), "speaking_for_company": (0.89, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.95, 1.0), "personal_data": (0.97, 1.0), "tone": (1.0, 1.0)},
        0.89),
    "jibston": ({"confidential": (1.0, 0.94), "safety": (1.0, 1.0), "speaking_for_company": (0.97, 1.0), "disclosure": (1.0, 0.94), "escalation": (0.93, 1.0), "personal_data": (1.0, 0.96), "tone": (0.94, 1.0)},
        0.78),
    "twirlwood": ({"confidential": (0.97, 0.94), "safety": (0.96, 1.0), "speaking_for_company": (0.89, 1.0), "disclosure": (1.0, 0.93), "escalation": (0.91, 1.0), "personal_data": (0.96, 1.0), "tone": (1.0, 1.0)},
        0.96),
    "lidomere": ({"confidential": (0.92, 0.89), "safety": (0.96, 1.0), "speaking_for_company": (1.0, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.97, 1.0), "personal_data": (0.94, 1.0), "tone": (1.0, 1.0)},
        0.84),
    "shutterlane": ({"confidential": (0.97, 1.0), "safety": (0.94, 1.0), "speaking_for_company": (0.92, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.91, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.95),
    "cascara": ({"confidential": (0.94, 0.89), "safety": (0.87, 1.0), "speaking_for_company": (0.95, 1.0), "disclosure": (0.97, 0.97), "escalation": (0.94, 1.0), "personal_data": (1.0, 1.0), "tone": (1.0, 1.0)},
        0.96),
    "ridgeway": ({"confidential": (0.91, 0.97), "safety": (0.97, 1.0), "speaking_for_company": (0.94, 1.0), "disclosure": (1.0, 1.0), "escalation": (0.97, 1.0), "personal_data": (1.0, 1.0), "tone": (0.94, 1.0)},
        0.93),
    "rinkhollow": ({"confidential": (1.0, 0.85), "safety": (0.88, 0.94), "speaking_for_company": (0.93, 0.87), "disclosure": (0.91, 0.97), "escalation": (0.82, 0.92), "personal_data": (0.97, 1.0), "tone": (0.82, 0.86)},
        0.76),
    "lucksworth": ({"confidential": (0.97, 1.0), "safety": (0.89, 0.97), "speaking_for_company": (0.82, 0.97), "disclosure": (0.91, 0.96), "escalation": (0.91, 0.97), "personal_data": (0.96, 0.96), "tone": (0.81, 0.88)},
        0.89),
    "pillbrook": ({"confidential": (1.0, 0.91), "safety": (0.96, 0.88), "speaking_for_company": (0.96, 0.91), "disclosure": (0.93, 0.88), "escalation": (0.88, 0.9), "personal_data": (0.96, 0.93), "tone": (0.84, 0.88)},
        0.83),
    "cinderwick": ({"confidential": (1.0, 0.94), "safety": (0.91, 0.97), "speaking_for_company": (0.88, 0.81), "disclosure": (0.96, 0.87), "escalation": (0.89, 0.87), "personal_data": (1.0, 0.97), "tone": (0.83, 0.88)},
        0.83),
    "quenby": ({"confidential": (1.0, 0.96), "safety": (0.93, 0.96), "speaking_for_company": (0.88, 0.88), "disclosure": (0.94, 0.97), "escalation": (0.81, 0.8), "personal_data": (0.96, 0.96), "tone": (0.81, 0.78)},
        0.86),
    "velourie": ({"confidential": (1.0, 0.97), "safety": (0.91, 1.0), "speaking_for_company": (0.87, 0.93), "disclosure": (0.96, 0.96), "escalation": (0.92, 0.92), "personal_data": (1.0, 0.96), "tone": (0.93, 0.96)},
        0.73),
    "rigmoor": ({"confidential": (0.96, 0.94), "safety": (0.89, 0.94), "speaking_for_company": (0.91, 0.88), "disclosure": (0.97, 0.97), "escalation": (0.89, 0.85), "personal_data": (1.0, 0.88), "tone": (0.89, 0.85)},
        0.91),
    "flintmoor": ({"confidential": (0.97, 0.95), "safety": (0.82, 0.9), "speaking_for_company": (0.87, 0.8), "disclosure": (0.96, 1.0), "escalation": (0.73, 0.85), "personal_data": (1.0, 0.9), "tone": (0.85, 0.7)},
        0.79),
    "lacewell": ({"confidential": (0.93, 1.0), "safety": (0.94, 0.97), "speaking_for_company": (0.86, 0.93), "disclosure": (0.93, 0.9), "escalation": (0.9, 0.95), "personal_data": (0.96, 0.9), "tone": (0.72, 0.72)},
        0.73),
    "aerlyn": ({"confidential": (0.98, 1.0), "safety": (0.83, 0.9), "speaking_for_company": (0.92, 0.89), "disclosure": (0.9, 0.93), "escalation": (0.8, 0.86), "personal_data": (0.92, 0.82), "tone": (0.76, 0.9)},
        0.81),
    "passmoor": ({"confidential": (1.0, 1.0), "safety": (0.89, 0.94), "speaking_for_company": (0.82, 1.0), "disclosure": (1.0, 0.91), "escalation": (0.85, 0.94), "personal_data": (0.93, 0.96), "tone": (0.79, 0.91)},
        0.77),
    "cocoaridge": ({"confidential": (0.94, 0.97), "safety": (0.91, 0.97), "speaking_for_company": (0.91, 0.94), "disclosure": (0.93, 0.85), "escalation": (0.93, 0.95), "personal_data": (1.0, 1.0), "tone": (0.88, 0.96)},
        0.87),
    "threadmoor": ({"confidential": (1.0, 1.0), "safety": (0.94, 1.0), "speaking_for_company": (0.8, 1.0), "disclosure": (0.96, 0.86), "escalation": (0.88, 0.93), "personal_data": (1.0, 0.93), "tone": (0.84, 0.84)},
        0.76),
    "gaugewell": ({"confidential": (1.0, 0.97), "safety": (0.96, 0.96), "speaking_for_company": (0.73, 1.0), "disclosure": (0.9, 0.96), "escalation": (0.88, 0.94), "personal_data": (0.96, 1.0), "tone": (0.86, 0.93)},
        0.95),
    "vaultbrook": ({"confidential": (1.0, 1.0), "safety": (0.92, 0.94), "speaking_for_company": (0.92, 1.0), "disclosure": (0.96, 0.93), "escalation": (0.89, 0.84), "personal_data": (1.0, 0.96), "tone": (0.86, 0.96)},
        0.83),
    "brackwater": ({"confidential": (1.0, 1.0), "safety": (0.91, 0.96), "speaking_for_company": (0.9, 0.77), "disclosure": (1.0, 0.91), "escalation": (0.86, 0.93), "personal_data": (0.96, 1.0), "tone": (0.91, 0.91)},
        0.85),
    "stairwise": ({"confidential": (0.97, 1.0), "safety": (0.85, 1.0), "speaking_for_company": (0.83, 1.0), "disclosure": (1.0, 0.92), "escalation": (0.86, 0.93), "personal_data": (0.91, 0.97), "tone": (0.88, 0.93)},
        0.73),
    "renalby": ({"confidential": (1.0, 0.97), "safety": (0.94, 0.91), "speaking_for_company": (0.84, 0.84), "disclosure": (0.94, 1.0), "escalation": (0.91, 0.84), "personal_data": (0.92, 0.83), "tone": (0.88, 0.91)},
        0.87),
    "crimsonvale": ({"confidential": (0.95, 1.0), "safety": (1.0, 0.97), "speaking_for_company": (0.96, 0.94), "disclosure": (0.93, 0.93), "escalation": (0.9, 0.85), "personal_data": (1.0, 0.9), "tone": (0.87, 0.87)},
        0.82),
    "wrightgate": ({"confidential": (1.0, 1.0), "safety": (0.88, 0.84), "speaking_for_company": (0.8, 0.8), "disclosure": (1.0, 0.9), "escalation": (0.84, 0.87), "personal_data": (0.91, 1.0), "tone": (0.82, 0.89)},
        0.83),
    "pestbury": ({"confidential": (1.0, 0.97), "safety": (0.85, 0.94), "speaking_for_company": (0.86, 0.88), "disclosure": (0.87, 1.0), "escalation": (0.66, 0.8), "personal_data": (1.0, 1.0), "tone": (0.82, 0.85)},
        0.82),
    "kingsmere": ({"confidential": (0.97, 1.0), "safety": (0.89, 0.91), "speaking_for_company": (0.8, 0.9), "disclosure": (0.96, 0.9), "escalation": (0.89, 0.94), "personal_data": (0.93, 1.0), "tone": (0.75, 0.77)},
        0.89),
    "hushaby": ({"confidential": (0.92, 0.97), "safety": (0.91, 0.94), "speaking_for_company": (0.87, 0.77), "disclosure": (0.96, 0.85), "escalation": (0.86, 0.78), "personal_data": (1.0, 0.87), "tone": (0.87, 0.77)},
        0.67),
    "marrowfield": ({"confidential": (1.0, 0.97), "safety": (0.86, 0.93), "speaking_for_company": (0.79, 0.88), "disclosure": (0.94, 0.94), "escalation": (0.86, 0.78), "personal_data": (0.88, 0.9), "tone": (0.8, 0.75)},
        0.79),
}

# Per company, its drafts are read, and its pack compiled and run, once for all the tests below (its
# examples and its drafts checked). Under pytest-xdist that happened in the background while the other
# files ran (tests/quality_prefetch.py; this file runs last, tests/conftest.py); otherwise the same run is
# started here for the companies the session selected.
_computed: dict = {}    # name → (its drafts, the pack's referral ids, its example results, its scores)


@pytest.fixture(scope="module", autouse=True)
def _compute_selected(request):
    """The selected companies' results: read from the background run pytest-xdist's controlling process
    started, or, without it, from the same run started here."""
    wanted = {item.callspec.params["labelled"].name for item in request.session.items
              if item.module is request.module and hasattr(item, "callspec")}
    todo = [s.name for s in SETS if s.name in wanted and s.name not in _computed]
    if not todo:
        return
    prefetched = getattr(request.config, "workerinput", {}).get(quality_prefetch.WORKER_INPUT)
    _computed.update(quality_prefetch.read(Path(prefetched), todo) if prefetched else quality_prefetch.check_apart(todo))


def drafts_for(labelled: LabelledSet) -> list[dict]:
    return _computed[labelled.name][0]


def referral_ids_for(labelled: LabelledSet) -> set[str]:
    return _computed[labelled.name][1]


def examples_for(labelled: LabelledSet):
    return _computed[labelled.name][2]


def scores_for(labelled: LabelledSet):
    return _computed[labelled.name][3]


class _Summary:
    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_sep("=", "quality evaluation")
        for labelled in SETS:
            if labelled.name in _computed:
                for line in scores_for(labelled).table().splitlines():
                    terminalreporter.write_line(line)
                if not labelled.tuned:
                    terminalreporter.write_line("  (untouched: rules were not tuned on this company)")


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    if not request.config.pluginmanager.has_plugin("postguard-quality-summary"):
        request.config.pluginmanager.register(_Summary(), "postguard-quality-summary")


IDS = [s.name for s in SETS]


@pytest.mark.parametrize("labelled", SETS, ids=IDS)
def test_labelled_set_is_well_formed(labelled):
    drafts = drafts_for(labelled)
    referral_ids = referral_ids_for(labelled)
    problems = []
    for i, d in enumerate(drafts):
        where = f"draft #{i + 1} {d.get('text', '')[:50]!r}"
        if set(d) - KEYS:
            problems.append(f"{where}: unknown keys {sorted(set(d) - KEYS)}")
        if not isinstance(d.get("text"), str) or not d["text"].strip():
            problems.append(f"{where}: no text")
        if d.get("platform") not in PLATFORMS:
            problems.append(f"{where}: platform {d.get('platform')!r}")
        if d.get("surface") not in SURFACES:
            problems.append(f"{where}: surface {d.get('surface')!r}")
        if not isinstance(d.get("expect"), list) or set(d["expect"]) - set(CATEGORIES):
            problems.append(f"{where}: expect must be a list of {CATEGORIES}")
        if d.get("referral") is not None and d["referral"] not in referral_ids:
            problems.append(f"{where}: referral {d['referral']!r} is not in the pack")
        if d.get("referral") and not customer_in_sight(d):
            problems.append(f"{where}: a referral label needs a customer in sight")
    texts = Counter(d.get("text") for d in drafts)
    problems += [f"duplicate draft {t[:50]!r}" for t, n in texts.items() if n > 1]
    assert not problems, "labelled drafts are malformed:\n" + "\n".join(problems)


@pytest.mark.parametrize("labelled", SETS, ids=IDS)
def test_every_base_example_holds_for_the_company(labelled):
    """The base policy's examples hold over every company's slots; so do a pack's own examples, except an
    untouched company's, which say what its author expected before any tuning (reported, not fixed).
    Here, not in test_base_policy.py, so that each company's pack is compiled once for both."""
    results = examples_for(labelled)
    base = [r for r in results if r.rule.startswith("base.")]
    assert len(base) > 40
    checked = results if labelled.tuned else base
    assert not [r for r in checked if not r.ok], [(r.rule, r.text) for r in checked if not r.ok]


@pytest.mark.parametrize("labelled", SETS, ids=IDS)
def test_labelled_set_is_big_and_balanced(labelled):
    drafts = drafts_for(labelled)
    assert len(drafts) >= 120, f"only {len(drafts)} labelled drafts, want at least 120"
    clean = sum(1 for d in drafts if not d["expect"])
    assert clean / len(drafts) >= 0.40, f"only {clean}/{len(drafts)} drafts are clean, want at least 40%"
    per = Counter(c for d in drafts for c in d["expect"])
    thin = {c: per[c] for c in GATED if per[c] < 5}
    assert not thin, f"categories with too few expected drafts: {thin}"


@pytest.mark.parametrize("labelled", SETS, ids=IDS)
def test_no_category_falls_below_its_floor(labelled):
    s = scores_for(labelled)
    floors, _ = FLOORS[labelled.name]
    failures = []
    for c, (p_min, r_min) in floors.items():
        p, r = s.precision(c), s.recall(c)
        if p + 1e-9 < p_min or r + 1e-9 < r_min:
            failures.append(f"{c}: precision {p:.3f} (floor {p_min}), recall {r:.3f} (floor {r_min})\n" + s.problems(c))
    assert not failures, f"{labelled.name}:\n" + "\n".join(failures)


@pytest.mark.parametrize("labelled", SETS, ids=IDS)
def test_referrals_only_where_a_customer_is_in_sight(labelled):
    s = scores_for(labelled)
    _, acc_floor = FLOORS[labelled.name]
    assert s.stray_referral_share <= TARGET["stray_referrals"], (
        f"referral links on {len(s.stray_referrals)}/{s.no_customer} drafts with no customer in sight:\n"
        + "\n".join(o.label() for o in s.stray_referrals))
    assert s.referral_accuracy + 1e-9 >= acc_floor, (
        f"referral accuracy {s.referral_accuracy:.3f} (floor {acc_floor})\n"
        + "\n".join(f"  {o.label()} want {o.draft['referral']!r}, got {o.referral!r}" for o in s.referral_misses))


@pytest.mark.parametrize("labelled", SETS, ids=IDS)
def test_few_clean_drafts_get_a_warning(labelled):
    s = scores_for(labelled)
    # every tuned company meets the target; a set measured as written may not yet, and its ceiling is what
    # it was measured at, so it cannot get worse unnoticed (earlier ones: Flowright, Spokehaus, Stackwell,
    # Kennelly, Roadwise, Ashcombe, Aerlyn, all under the target once tuned on)
    assert s.clean_warned_share <= CLEAN_WARNED_CEILINGS.get(labelled.name, TARGET["clean_warned"]), (
        f"{len(s.clean_warned)}/{s.clean} clean drafts got a warning:\n"
        + "\n".join(f"  {o.label()} [{'; '.join(f.rule for f in o.findings)}]" for o in s.clean_warned))
