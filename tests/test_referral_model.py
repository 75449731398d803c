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
from companion.engine.referrals import MAX_READ, ReferralChooser
from companion.pack.compiled import compile_pack
from tests.quality import SETS, model_training_sets

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
    assert set(m.trained_on) == {s.name for s in model_training_sets()}
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
    assert [r.id for r in learnt.referrals] == ["tickets", "access"]


def test_the_reason_names_a_learnt_word_only_where_it_changed_the_first_page():
    learnt = ReferralChooser(PAGES, ["Acme"], model({"d|dog|assistance": 3.0, "d|ticket|ticket": 3.0}))
    access, tickets = learnt.choose(normalize("can I bring my dog on this ticket?"), None)
    assert access["id"] == "access"
    assert access["reason"] == "mentions “ticket”, “dog” (learnt: other companies sent such conversations to such a page)"
    assert tickets["reason"] == "mentions “ticket”"
    # "ticket" puts Tickets first as the points would anyway, and it already found the page: said once
    (only,) = [r for r in learnt.choose(normalize("my tickets please"), None) if r["id"] == "tickets"]
    assert only["reason"] == "mentions “tickets”"


def test_a_page_the_words_do_not_find_comes_only_where_they_find_none_and_the_model_leans_clearly():
    """The model adds no page beside those the words found; where they found none, its page goes first
    when its sum clears LEARNT_ONLY, with the learnt word as the reason."""
    pages = [PAGES[0], {**PAGES[1], "topics": ["wheelchair"]}]
    learnt = ReferralChooser(pages, ["Acme"], model({"d|dog|assistance": 30.0}, bias=-10.0))
    [access] = learnt.choose(normalize("can I bring my dog?"), None)
    assert access["id"] == "access" and access["reason"] == (
        "mentions “dog” (learnt: other companies sent such conversations to such a page)")
    assert [r["id"] for r in learnt.choose(normalize("can I bring my dog on this ticket?"), None)] == ["tickets"]
    unsure = ReferralChooser(pages, ["Acme"], model({"d|dog|assistance": 5.0}, bias=-10.0))    # sum -5: under -4
    assert unsure.choose(normalize("can I bring my dog?"), None) == []
    assert ReferralChooser(pages, ["Acme"]).choose(normalize("can I bring my dog?"), None) == []   # no model


def test_the_run_time_sum_is_the_sum_of_the_trained_features():
    """What the trainer gives the regression (pair_features) and what a check adds up (the reader) agree."""
    pairs = {"d|dog|assistance": 1.5, "r|dog|animal": 0.25, "d|ticket|ticket": -0.5, "r|lost|assistance": 2.0,
             "d|cat|wheelchair": 9.0}
    m = model(pairs)
    pages = [frozenset({"ticket"}), frozenset({"assistance", "animal", "accessibility"})]
    draft, reply = frozenset({"dog", "ticket", "hello"}), frozenset({"dog", "lost"})
    sums = m.reader(pages).sums(draft, reply, 2)
    for k, page in enumerate(pages):
        assert sums[k] == pytest.approx(sum(pairs.get(f, 0.0) for f in pair_features(page, draft, reply)))


def test_every_pair_of_a_conversation_word_and_a_page_word_is_a_feature():
    assert sorted(pair_features(frozenset({"assistance"}), frozenset({"dog"}), frozenset({"wheelchair"}))) == \
        ["d|dog|assistance", "r|wheelchair|assistance"]


def test_a_long_conversation_is_read_up_to_its_limit():
    text = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(5000))
    assert len(conversation_words(normalize(text))) == MAX_WORDS


def test_the_file_round_trips(tmp_path):
    pairs = {"r|late|refund": 0.75, "d|dog|assistance": 1.5, "d|cat|animal": -2.0, "d|dog|animal": 0.5,
             "r|dog|zebra": 3.0}
    m = model(pairs, bias=-1.25)
    m.save(tmp_path / "m.npz")
    back = ReferralModel.load(tmp_path / "m.npz")
    assert (back.trained_on, back.bias, back.lexical) == (m.trained_on, m.bias, m.lexical)
    pages = [frozenset({"refund"}), frozenset({"animal", "assistance"}), frozenset({"zebra"})]
    assert back.reader(pages) == m.reader(pages)
    assert back.reader(pages).draft == {"dog": ((1, 2.0),), "cat": ((1, -2.0),)}
    assert back.reader(pages).reply == {"late": ((0, 0.75),), "dog": ((2, 3.0),)}


def _write(path, meta: bytes, pages: str, page_of, words: str, weights) -> None:
    np.savez(path, meta=np.frombuffer(meta, np.uint8), pages=np.frombuffer(pages.encode(), np.uint8),
             page_of=np.asarray(page_of), words=np.frombuffer(words.encode(), np.uint8), weights=np.asarray(weights))


META = b'{"trained_on": ["acme"], "bias": 0.0, "lexical": {"score": 1.0}}'


@pytest.mark.parametrize("meta, pages, page_of, words, weights, said", [
    (META, "animal\nzebra", np.array([1, 0], np.int32), "d|dog\nd|cat", np.ones(2, np.float32), "not grouped by page word"),
    (META, "animal\nzebra", np.array([0, 2], np.int32), "d|dog\nd|cat", np.ones(2, np.float32), "not grouped by page word"),
    (META, "zebra\nanimal", np.array([0, 1], np.int32), "d|dog\nd|cat", np.ones(2, np.float32), "not sorted without repeats"),
    (META, "animal\nanimal", np.array([0, 1], np.int32), "d|dog\nd|cat", np.ones(2, np.float32), "not sorted without repeats"),
    (META, "animal", np.array([0, 0], np.int32), "d|dog", np.ones(2, np.float32), "1 word pairs, 2 weights"),
    (META, "animal", np.array([0], np.int32), "x|dog", np.ones(1, np.float32), "not d|word or r|word"),
    (META, "animal", np.array([0], np.int32), "d|", np.ones(1, np.float32), "not d|word or r|word"),
    (META, "animal", np.array([0, 0], np.int32), "d|dog\nrr|cat", np.ones(2, np.float32), "not d|word or r|word"),
    (META, "animal", np.array([0.0]), "d|dog", np.ones(1, np.float32), "one row of integers"),
    (b'{"trained_on": []}', "animal", np.array([0], np.int32), "d|dog", np.ones(1, np.float32), "bias"),
    (b'[1, 2]', "animal", np.array([0], np.int32), "d|dog", np.ones(1, np.float32), "not a referral model"),
])
def test_a_broken_file_names_itself_and_what_is_wrong(tmp_path, meta, pages, page_of, words, weights, said):
    path = tmp_path / "bad.npz"
    _write(path, meta, pages, page_of, words, weights)
    with pytest.raises(ValueError, match="bad.npz") as e:
        ReferralModel.load(path)
    assert said in str(e.value)


def test_a_missing_or_garbled_file_is_a_clear_error_and_a_pack_without_referrals_never_reads_it(tmp_path):
    with pytest.raises(ValueError, match="gone.npz: not a referral model"):
        ReferralModel.load(tmp_path / "gone.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="junk.npz: not a referral model"):
        ReferralModel.load(tmp_path / "junk.npz")
    with pytest.raises(ValueError, match="1 word pairs but 2 weights"):
        ReferralModel(["acme"], 0.0, {}, ["d|dog|assistance"], np.zeros(2, dtype=np.float32))
    pack = compile_pack({"format": "postguard/pack-v1", "id": "p", "revision": 1, "company": {"name": "Acme"}})
    assert pack.referral_chooser.model is None


def test_links_are_chosen_from_the_first_characters_of_a_long_conversation(monkeypatch):
    """A 63,206-character draft addressed to @someone is read for its links up to MAX_READ characters:
    what it is about shows by then, and its topics' matching is not run over every word. Without the
    learnt order: both pages have the topic "ticket", and what the filler's words weigh to a retrained
    model (once, "and so on" 1,200 times leaned to the accessibility page) is not what this reads."""
    chooser = ReferralChooser(PAGES, ["Acme"])
    filler = " and so on" * ((MAX_READ // 10) + 10)
    seen = []
    lexical = chooser.lexical
    monkeypatch.setattr(chooser, "lexical", lambda d, r: seen.append(len(d.text)) or lexical(d, r))
    assert first(chooser, "@dana about your ticket" + filler) == "tickets"
    assert chooser.choose(normalize("@dana" + filler + " your ticket"), None) == []
    assert max(seen) <= MAX_READ
    assert first(chooser, "hi", "my ticket" + filler) == "tickets"         # the message answered alike
    assert chooser.choose(normalize("hi"), normalize(filler + " my ticket")) == []
