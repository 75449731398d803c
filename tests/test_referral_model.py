"""The learnt referral order (companion/engine/referral_model.py): what it was trained on, how it reads a
page and a conversation, how it reorders the pages the chooser's words found, and its file."""

from __future__ import annotations

import numpy as np
import pytest

from companion.engine.normalize import normalize
from companion.engine.referral_model import (
    LEXICAL,
    MAX_WORDS,
    ReferralModel,
    conversation_words,
    page_words,
    pair_features,
    shipped_referral_model,
)
from companion.engine.referrals import ReferralChooser
from tests.quality import SETS

PAGES = [{"id": "tickets", "title": "Tickets", "url": "https://acme.example/tickets", "topics": ["ticket"]},
         {"id": "access", "title": "Accessibility and assistance", "url": "https://acme.example/access",
          "description": "Wheelchairs, hearing loops and assistance animals", "topics": ["ticket"]}]


def model(pairs: dict[str, float], bias: float = -2.0) -> ReferralModel:
    return ReferralModel(["acme"], bias, {"score": 1.0, "answered": 0.0, "own": 0.0, "found": 1.0},
                         list(pairs), np.array(list(pairs.values()), dtype=np.float32))


def first(chooser: ReferralChooser, draft: str, reply: str | None = None) -> str:
    return chooser.choose(normalize(draft), normalize(reply) if reply else None)[0]["id"]


def test_the_shipped_model_never_saw_the_untouched_companies():
    m = shipped_referral_model()
    assert set(m.trained_on) == {s.name for s in SETS if s.tuned}
    assert not {s.name for s in SETS if not s.tuned} & set(m.trained_on)
    assert set(m.lexical) == set(LEXICAL)


def test_a_page_is_read_by_the_dictionary_forms_of_its_title_description_and_topics():
    words = page_words("Accessibility and assistance", "Wheelchairs, hearing loops", ("assistance animal",),
                       frozenset({"and"}))
    assert {"accessibility", "assistance", "wheelchair", "loop", "animal"} <= words
    assert "and" not in words
    assert conversation_words(normalize("My 2 dogs and I")) == {"dog", "and"}     # three letters or more, no numbers


def test_a_learnt_word_pair_puts_the_page_it_points_to_first():
    """Both pages are found by "ticket" alike; the pack's order puts Tickets first. A model that learnt
    that "dog" goes with "assistance" puts Accessibility first when a dog is in the conversation."""
    plain = ReferralChooser(PAGES, ["Acme"])
    learnt = ReferralChooser(PAGES, ["Acme"], model({"d|dog|assistance": 3.0, "r|wheelchair|accessibility": 3.0}))
    assert first(plain, "can I bring my dog on this ticket?") == "tickets"
    assert first(learnt, "can I bring my dog on this ticket?") == "access"
    assert first(learnt, "send me the ticket please") == "tickets"                    # nothing learnt: as before
    assert first(learnt, "here is the ticket page", "my wheelchair?") == "access"      # the message answered's words
    reason = learnt.choose(normalize("can I bring my dog on this ticket?"), None)[0]["reason"]
    # the words the page was found by, and the learnt word that put it first
    assert reason == "mentions “ticket”, “dog” (learnt: other companies sent such conversations to such a page)"
    assert [r.id for r in learnt.referrals] == ["tickets", "access"]


def test_a_page_the_words_do_not_find_is_never_added():
    learnt = ReferralChooser(PAGES, ["Acme"], model({"d|dog|assistance": 30.0}, bias=10.0))
    assert learnt.choose(normalize("can I bring my dog?"), None) == []


def test_every_pair_of_a_conversation_word_and_a_page_word_is_a_feature():
    assert sorted(pair_features(frozenset({"assistance"}), frozenset({"dog"}), frozenset({"wheelchair"}))) == \
        ["d|dog|assistance", "r|wheelchair|assistance"]


def test_a_long_conversation_is_read_up_to_its_limit():
    text = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(5000))
    assert len(conversation_words(normalize(text))) == MAX_WORDS


def test_the_file_round_trips_and_a_broken_one_names_itself(tmp_path):
    m = model({"d|dog|assistance": 1.5})
    m.save(tmp_path / "m.npz")
    back = ReferralModel.load(tmp_path / "m.npz")
    assert back.trained_on == ["acme"] and back.reader(frozenset({"assistance"})).draft == {"dog": 1.5}
    with pytest.raises(ValueError, match="1 word pairs but 2 weights"):
        ReferralModel(["acme"], 0.0, {}, ["d|dog|assistance"], np.zeros(2, dtype=np.float32))
    np.savez(tmp_path / "bad.npz", meta=np.frombuffer(b'{"trained_on": []}', np.uint8),
             pairs=np.zeros(0, np.uint8), weights=np.zeros(0, np.float32))
    with pytest.raises(ValueError, match="bad.npz"):
        ReferralModel.load(tmp_path / "bad.npz")
