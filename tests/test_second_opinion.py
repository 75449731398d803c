"""The second-opinion text model: what it was trained on, what it adds, how it explains itself, bounded work."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from companion.engine.check import second_opinions_where_rules_are_silent
from companion.engine.context import CheckContext
from companion.engine.findings import Finding
from companion.engine.kinds import disclosure, follows, second_opinion
from companion.engine.kinds.second_opinion import SecondOpinionRule
from companion.engine.language import timeclasses
from companion.engine.language.textmodel import CLASSES, MAX_TOKENS, TextModel, features, shipped_model, word_pieces
from companion.engine.language.vocabulary import SLOT_CLASSES, Vocabulary
from companion.engine.normalize import normalize
from companion.pack.base import base_policy
from tests.quality import SETS, model_training_sets


def context(text: str, reply: str | None = None, answering: bool = False) -> CheckContext:
    return CheckContext(text=text, norm=normalize(text), platform="x", surface="reply" if answering else "post",
                        replying_to=reply, reply_norm=normalize(reply) if reply else None, official=False,
                        today=dt.date(2026, 11, 23), customer_in_sight=answering)


def test_the_shipped_model_never_saw_the_untouched_companies():
    model = shipped_model()
    assert set(model.trained_on) == {s.name for s in model_training_sets()}
    assert not {s.name for s in SETS if not s.tuned} & set(model.trained_on)
    assert set(model.categories) == {"safety", "speaking_for_company", "tone", "escalation", "disclosure",
                                     "disclosure_in_thread", "personal_data", "critic"}
    base_model_rules = {r["category"] for r in base_policy()["rules"] if r["kind"] == "second_opinion"}
    assert base_model_rules <= set(model.categories)      # no base model rule that could never speak


def test_features_are_lemmas_and_pairs_of_the_draft_and_the_message_answered():
    f = features(normalize("We refunded her"), normalize("Where is my money"), answering=True)
    assert f["refund"] == (1, 1) and f["we refund"] == (0, 1)
    assert f["r:money"] == (3, 3) and f["r:my money"] == (2, 3)      # tokens of the message answered
    assert f["__answering__"] == (-1, -1)
    assert features(normalize("sure you did 🙄🙄 hun"), None, answering=True)["e:🙄"] == (-1, -1)   # counts, underlines nothing


def test_a_word_stands_for_its_pieces_which_reach_forms_no_lemma_lists_and_never_point():
    """"idioti" (Latin-typed Bulgarian) shares pieces with "idiots"; words weigh as their pieces but
    underline nothing."""
    english = features(normalize("idiots"), None, answering=False)
    typed = features(normalize("idioti"), normalize("nope"), answering=False)
    assert english["w:idiots"] == typed["w:idioti"] == typed["w:r:nope"] == (-1, -1)
    assert {"c: id", "c:idiot", "c:ts "} <= set(word_pieces("w:idiots"))
    assert {"c: id", "c:idiot"} <= set(word_pieces("w:idioti")) and "r:c: no" in word_pieces("w:r:nope")
    assert len(word_pieces(next(f for f in features(normalize("a" * 5000), None, False) if f.startswith("w:")))) <= 3 * 42
    model = TextModel.from_weights({"trained_on": [], "categories": {"tone": {"bias": 0.0, "threshold": 0.5,
                                                                  "weights": {"c: id": 1.0, "c:idiot": 2.0}}}})
    assert model.probability("tone", model.weigh(typed)) == model.probability("tone", model.weigh(english)) > 0.95
    assert model.opinion("tone", model.weigh(typed)) is None        # nothing of the draft's words to point at


def test_a_contraction_s_tail_weighs_but_is_never_the_word_a_card_points_at():
    """"I'll" is read as "I" and "ll" (lemma "will"): the card may quote "I'll", never "ll"."""
    f = features(normalize("I'll call you"), None, answering=False)
    assert f["will"] == (-1, -1) and f["i will"] == (0, 1)
    model = TextModel.from_weights({"trained_on": [], "categories": {"speaking_for_company": {
        "bias": 0.0, "threshold": 0.5, "weights": {"will": 3.0, "i will": 1.0}}}})
    opinion = model.opinion("speaking_for_company", model.weigh(f))
    assert opinion.probability > 0.95 and [(a, b) for a, b, _ in opinion.evidence] == [(0, 1)]


def test_class_words_count_as_their_class_so_one_company_teaches_another():
    """A model that learnt "<company> will refund" from one company's drafts reads another company's
    name, clock times and workplaces as the same words. The company's own names count only as their
    class: words learnt from one company's name would say nothing true of another's."""
    data = {"company": {"name": "Acme Freight", "aliases": ["Acme"]}}
    vocab = Vocabulary.build(base_policy(), data)
    f = features(normalize("Acme Freight will refund everyone"), None, answering=False, vocab=vocab)
    assert f["<company>"] == (0, 1) and f["<company> will"] == (0, 2)
    assert not {"acme", "freight", "acme freight", "freight will", "w:acme"} & set(f)
    assert f["will refund"] == (2, 3) and f["w:will"] == (-1, -1)   # the other words still count
    f = features(normalize("alone at the warehouse from 05:30"), None, answering=False, vocab=vocab)
    assert f["the <workplace>"] == (2, 3) and f["from <clock>"][0] == 4
    assert "<company>" not in features(normalize("will refund everyone"), None, answering=False, vocab=vocab)


def test_every_class_the_model_reads_exists():
    """A class missing from the base policy would silently read as nothing at run time."""
    vocab = Vocabulary.build(base_policy(), {"company": {"name": "Acme"}})
    known = set(vocab.classes) | set(timeclasses.PATTERNS) | set(SLOT_CLASSES)
    assert set(CLASSES) <= known, set(CLASSES) - known


def test_a_long_draft_s_classes_are_read_no_further_than_its_features():
    data = {"company": {"name": "Acme"}}
    vocab = Vocabulary.build(base_policy(), data)
    text = "nice day. " * MAX_TOKENS + "Acme will refund"
    assert "<company>" not in features(normalize(text), None, answering=False, vocab=vocab)
    assert "<company>" in features(normalize("nice day. Acme will refund"), None, answering=False, vocab=vocab)


def test_an_opinion_underlines_what_weighs_most_and_says_what_it_resembled():
    model = TextModel.from_weights({"trained_on": [], "categories": {"speaking_for_company": {
        "bias": -2.0, "threshold": 0.8, "weights": {"we sort": 3.0, "sort": 0.5, "mate": 0.1, "__answering__": 0.5}}}})
    rule = SecondOpinionRule(id="t.model", category="speaking_for_company", severity="warning",
                             message="m", why="Only official accounts speak for the company.", model=model)
    ctx = context("no worries mate, we sort it tomorrow", answering=True)
    [f] = rule.run(ctx)
    assert f.excerpt == "we sort"
    assert f.detail["match"] == "second_opinion" and f.detail["resembles"][:2] == ["we sort", "sort"]
    assert f.detail["probability"] >= 0.8 and "“we sort”" in f.why
    assert rule.run(context("no worries mate, see you tomorrow")) == []     # below the threshold


def test_an_escalation_opinion_points_at_the_message_answered_and_hands_it_to_the_team():
    """The draft "Reported." has no words that weigh; the threat it answers does. The finding sits
    at the start with the customer's words, like an escalation rule's, and offers the pack's
    social_media_team (the model names no topic)."""
    model = TextModel.from_weights({"trained_on": [], "categories": {"escalation": {
        "bias": -3.0, "threshold": 0.85, "weights": {"r:wait till": 4.0, "r:leave tonight": 2.0, "report": -0.5}}}})
    data = {"company": {"name": "Acme"}, "social_media_team": {"owner": "Social team", "contact": "social@acme.example"}}
    rule = second_opinion.compile({"id": "t.model", "kind": "second_opinion", "category": "escalation",
                                   "severity": "warning", "message": "m", "why": "Hand it over."}, data)
    rule.model = model
    [f] = rule.run(context("Reported.", reply="I know where you work. Wait till you leave tonight.", answering=True))
    assert (f.start, f.end, f.detail["source"], f.detail["topic"]) == (0, 0, "replying_to", "social_media_team")
    assert f.excerpt == "Wait till" and "“leave tonight”" in f.why
    assert f.suggestions[0].handoff == "social_media_team" and "Social team" in f.suggestions[0].label
    no_team = second_opinion.compile({"id": "t.model", "kind": "second_opinion", "category": "escalation",
                                      "severity": "warning", "message": "m", "why": "w"}, {"company": {"name": "Acme"}})
    no_team.model = model
    [g] = no_team.run(context("Reported.", reply="Wait till you leave tonight.", answering=True))
    assert g.suggestions[0].handoff is None          # no contact to open: "your social-media team"
    draft_only = SecondOpinionRule(id="t.s", category="escalation", severity="warning", message="m", why="w", model=model)
    assert draft_only.run(context("Reported.", reply="Wait till you leave tonight.", answering=True)) == []  # no topic: draft words only


def test_a_follows_rule_hears_the_critic_the_model_reads_in_the_message_answered():
    """`when_model: critic`: a rude answer to a message the model reads as criticism is a dispute,
    though no word of `when_replying_to` is in it; to a message it does not, it stays tone only."""
    model = TextModel.from_weights({"trained_on": [], "categories": {"critic": {
        "bias": -2.0, "threshold": 0.6, "weights": {"r:rig": 3.0, "r:two star": 2.5}}}})
    rule = follows.compile({"id": "t.dispute", "kind": "follows", "follows": "tone", "category": "escalation",
                            "severity": "warning", "message": "m", "why": "w", "topic": "public_dispute",
                            "when_replying_to": ["scam"], "when_model": "critic"},
                           {"company": {"name": "Acme"}, "escalation_matrix": [{"topic": "public_dispute", "owner": "Social"}]})
    rule.model = model
    tone = Finding("tone", "warning", "base.tone.hostile", 0, 4, "lmao", "m", "w")

    def dispute(reply):
        ctx = context("lmao imagine thinking that", reply=reply, answering=True)
        ctx.found = [tone]
        return [(f.rule, f.start, f.end, f.detail["topic"]) for f in rule.run(ctx)]

    assert dispute("the quiz is rigged, same family wins every time") == [("t.dispute", 0, 4, "public_dispute")]
    assert dispute("total scam") == [("t.dispute", 0, 4, "public_dispute")]          # the token list still counts
    assert dispute("what time do doors open?") == []
    ctx = context("lmao imagine thinking that", reply="what time do doors open?", answering=True)
    assert "`critic` reading of it is 0.12 (it counts at 0.60)" in rule.explain_miss(ctx)


def test_the_model_only_adds_a_category_no_rule_found():
    def finding(category, match):
        return Finding(category, "warning", "r", 0, 1, "x", "m", "w", detail={"match": match})

    kept = second_opinions_where_rules_are_silent([
        finding("tone", "tokens"), finding("tone", "second_opinion"), finding("safety", "second_opinion")])
    assert [(f.category, f.detail["match"]) for f in kept] == [("tone", "tokens"), ("safety", "second_opinion")]


def test_work_is_bounded_on_a_huge_draft():
    text = "we will refund everyone at the depot tonight " * 8000
    f = features(normalize(text), normalize(text), answering=True)
    assert len(f) <= 4 * MAX_TOKENS + 1


def test_an_escalation_guess_does_not_take_a_champions_replies_away():
    """/v1/replies/suggest hands over only on topics rules found: the model's escalation names none."""
    from companion.engine.check import CheckRequest, check
    from companion.engine.reply_suggest import suggest
    from companion.pack.compiled import load_pack

    pack = load_pack("policy_packs/example/nimbusco.yaml")
    [rule] = [r for r in pack.rules if r.id == "base.model.escalation"]
    message = "My kettle broke again, can the dealer repair it?"
    before = suggest(pack, message, "x", today=dt.date(2026, 11, 23))
    rule.model = TextModel.from_weights({"trained_on": [], "categories": {"escalation": {
        "bias": 0.0, "threshold": 0.85, "weights": {"r:kettle": 5.0}}}})
    try:
        after = suggest(pack, message, "x", today=dt.date(2026, 11, 23))
        report = check(pack, CheckRequest("", "x", surface="reply", replying_to=message, today=dt.date(2026, 11, 23)))
    finally:
        rule.model = shipped_model()
    assert [f.rule for f in report.findings if f.category == "escalation"] == ["base.model.escalation"]
    assert after.handoff == [] and after.escalations == []
    assert [r["id"] for r in after.replies] == [r["id"] for r in before.replies] and after.replies


@pytest.mark.parametrize("answer", ["So sorry to hear that!", "Hope you get it sorted", "Loving Falcon Ridge so far"])
def test_the_shipped_model_does_not_read_a_kind_answer_to_a_complaint_as_escalation(answer):
    """A complaint is no escalation by itself: the model once learnt the complaint from the rude answers
    that escalate (tests/train_second_opinion.py, examples()) and flagged every answer under it."""
    from companion.engine.check import CheckRequest, check
    from companion.pack.compiled import load_pack

    pack = load_pack("policy_packs/example/nimbusco.yaml")
    message = "My NimbusCo blender broke after two weeks and the dealer won't fix it. Where do I get a repair?"
    report = check(pack, CheckRequest(answer, "x", surface="reply", replying_to=message, today=dt.date(2026, 11, 23)))
    assert [f.rule for f in report.findings if f.category in ("escalation", "tone")] == []


def test_one_pass_weighs_every_category_and_the_word_cache_stays_bounded(monkeypatch):
    """weigh() sums each category's own weights (a feature one category lacks adds 0 there), and the
    per-word sums it keeps are emptied when full, so a stream of new words cannot grow them without end."""
    from companion.engine.language import textmodel

    model = TextModel.from_weights({"trained_on": [], "categories": {
        "tone": {"bias": -1.0, "threshold": 0.5, "weights": {"idiot": 3.0, "c: id": 0.5}},
        "safety": {"bias": -2.0, "threshold": 0.5, "weights": {"alone": 4.0}}}})
    w = model.weigh(features(normalize("idiots alone"), None, answering=False))
    assert w.z[0] == -1.0 + 3.0 + 0.5 and w.z[1] == -2.0 + 4.0      # the lemma, and "w:idiots" as its piece " id"
    assert model.opinion("tone", w).evidence[0][2] == "idiot" and model.opinion("safety", w).evidence[0][2] == "alone"
    monkeypatch.setattr(textmodel, "MAX_CACHED_WORDS", 50)
    for i in range(500):
        model.weigh(features(normalize(f"word{i}x"), None, answering=False))
    assert len(model._words) <= 51


def test_the_model_file_round_trips_and_a_damaged_one_says_what_is_wrong(tmp_path):
    """The shipped form (features as text, weights as one array, nothing pickled) reads back to the same
    model; a file whose weights do not fit its features is refused with both counts named."""
    model = TextModel.from_weights({"trained_on": ["a", "b"], "categories": {
        "tone": {"bias": -1.5, "threshold": 0.8, "weights": {"idiot": 2.0, "c:idiot": 0.5}},
        "safety": {"bias": -2.0, "threshold": 0.85, "weights": {"alone": 1.25}}}})
    path = tmp_path / "m.npz"
    model.save(path, "probability >= the category's threshold")
    again = TextModel.load(path)
    assert again.trained_on == ["a", "b"] and again.categories == {"tone": 0.8, "safety": 0.85}
    feats = {"idiot": (0, 0), "alone": (1, 1)}
    assert again.weigh(feats) == model.weigh(feats)
    with np.load(path) as z:
        parts = dict(z)
    np.savez(path, **{**parts, "weights": parts["weights"][:1]})
    with pytest.raises(ValueError, match="3 features and 2 categories"):
        TextModel.load(path)


def test_the_disclosure_rule_asks_the_model_only_when_the_pack_says_so_and_no_marker_disclosed():
    """A mention no listed marker discloses is dropped when the model reads the draft as saying that the
    writer works there; a rule without `model` never asks, and a listed marker needs no model."""
    model = TextModel.from_weights({"trained_on": [], "categories": {"disclosure": {
        "bias": 2.0, "threshold": 0.1, "weights": {"my studio": -6.0, "studio": 0.5}}}})
    data = {"company": {"name": "Inkwell", "disclosure": {"line": "I work at Inkwell."}}}
    raw = {"id": "t.disclosure", "kind": "disclosure", "category": "disclosure", "severity": "warning",
           "message": "m", "why": "w", "tokens": ["i work at <company>"]}
    vocab = Vocabulary.build(base_policy(), data)
    asking = disclosure.compile({**raw, "model": True}, data, vocab)
    asking.model = model
    silent = disclosure.compile(raw, data, vocab)
    assert silent.model is None

    in_other_words = context("Day 1 at Inkwell Toronto, my studio for the summer")
    assert asking.run(in_other_words) == [] and len(silent.run(in_other_words)) == 1
    assert "the model reads the draft as saying that the writer works there" in asking.explain_miss(in_other_words)
    plain = context("Inkwell Toronto does the best fine-line work in town")
    assert len(asking.run(plain)) == 1                       # the model's probability stays high
    assert asking.run(context("I work at Inkwell and love it")) == []     # a listed marker, before any model


def test_a_reply_vouching_for_the_company_in_a_thread_about_it_is_read_by_the_thread_column():
    """A reply that names nothing, under a message that names the company, with no praise token: the
    `disclosure_in_thread` column decides, and its finding points at the words that weigh most."""
    model = TextModel.from_weights({"trained_on": [], "categories": {
        "disclosure": {"bias": 2.0, "threshold": 0.1, "weights": {}},
        "disclosure_in_thread": {"bias": -4.0, "threshold": 0.8, "weights": {"gorgeous": 6.0}}}})
    data = {"company": {"name": "Inkwell"}}
    raw = {"id": "t.disclosure", "kind": "disclosure", "category": "disclosure", "severity": "warning",
           "message": "m", "why": "w", "praise": ["best in town"], "tokens": ["full_disclosure"]}
    vocab = Vocabulary.build(base_policy(), data)
    asking = disclosure.compile({**raw, "model": True}, data, vocab)
    asking.model = model
    silent = disclosure.compile(raw, data, vocab)
    thread = "is Inkwell any good for fine-line work?"

    vouching = context("tbh yes, they did my sister's and it was gorgeous", thread)
    [finding] = asking.run(vouching)
    assert finding.excerpt == "gorgeous" and finding.detail["match"] == "second_opinion"
    assert "gorgeous" in finding.detail["resembles"] and "Inkwell" in finding.message
    assert silent.run(vouching) == []                                  # without `model`, praise tokens only
    assert asking.run(context("it was gorgeous")) == []                # no thread about the company
    assert asking.run(context("full disclosure, it was gorgeous", thread)) == []    # disclosed
    assert len(asking.run(context("honestly the best in town", thread))) == 1      # a praise token, before any model
    neutral = context("no idea, never been", thread)
    assert asking.run(neutral) == [] and "its probability is 0.02" in asking.explain_miss(neutral)
    assert asking.required().reply is not None and silent.required().reply is not None


def test_the_shipped_model_reads_disclosures_in_words_no_marker_lists():
    """The shipped disclosure column, on drafts no labelled company wrote: a job named in other words
    counts as saying so; praise with no word of working there does not."""
    data = {"company": {"name": "Larchwood Bakery", "aliases": ["Larchwood"]}}
    raw = {"id": "t.d", "kind": "disclosure", "category": "disclosure", "severity": "warning", "message": "m", "why": "w"}
    vocab = Vocabulary.build(base_policy(), data)
    rule = disclosure.compile({**raw, "model": True}, data, vocab)
    no_model = disclosure.compile(raw, data, vocab)
    for mention in ("Larchwood sourdough is the best in the city, go get some",
                    "Has anyone tried the new Larchwood cinnamon knots? worth the queue?"):
        assert rule.run(context(mention)) != []
    in_other_words = ["Twelve years of 4am starts on the ovens at Larchwood and I still love the smell of the first batch",
                      "Last shift of the season behind the counter at Larchwood, thank you to the best regulars",
                      "Our head baker at Larchwood just won regional bread of the year, so proud of this crew"]
    no_marker = [d for d in in_other_words if no_model.run(context(d))]
    read = [d for d in no_marker if not rule.run(context(d))]
    assert len(no_marker) >= 2 and len(read) >= len(no_marker) - 1, (no_marker, read)


def test_the_shipped_model_reads_vouching_in_a_thread_no_praise_token_lists():
    """The shipped thread column, on replies no labelled company wrote, under a question naming the
    company: a recommendation in words gets the finding; not knowing, or pointing elsewhere, does not."""
    data = {"company": {"name": "Larchwood Bakery", "aliases": ["Larchwood"]}}
    raw = {"id": "t.d", "kind": "disclosure", "category": "disclosure", "severity": "warning", "message": "m", "why": "w"}
    rule = disclosure.compile({**raw, "model": True}, data, Vocabulary.build(base_policy(), data))
    thread = "Has anyone ordered a wedding cake from Larchwood? worth it?"
    vouching = ["honestly yes, they did ours last June and every guest asked where it was from",
                "100% go for it, their lemon sponge is unreal and they deliver on time",
                "trust me they're the best bakers in the county, you won't regret it",
                "да, правиха тортата на сестра ми, беше уникална, препоръчвам"]
    neutral = ["no idea, we went with a friend in the end", "what date is your wedding? congrats!!",
               "I'd ask in the wedding group, loads of reviews there", "не знам, питай в групата на булките"]
    read = [d for d in vouching if rule.run(context(d, thread))]
    assert len(read) >= 3, read
    assert not [d for d in neutral if rule.run(context(d, thread))]


def test_the_shipped_model_reads_a_named_person_s_health_in_public_and_not_in_a_private_message():
    """The shipped personal-data column (base.model.personal-data), on drafts no labelled company
    wrote: of five named colleagues' pregnancy, seizure, chemotherapy, depression or diabetes, worded
    freely, the chemotherapy gets the finding (0.98); the diabetes (0.73 since the 35th round's retraining),
    the seizure (0.44) and the depression (0.18) stay under its 0.75, and base.pd.health's lexicon has all
    three; the same names with good news, and health as a topic with no one named, do not. It reads the conditions the labelled drafts name in new words; a result worded
    in medical terms they never use ("her biopsy came back") is left to base.pd.health's lexicon.
    Like the other personal-data rules it reads public surfaces only."""
    data = {"company": {"name": "Larchwood Bakery", "aliases": ["Larchwood"]}}
    [raw] = [r for r in base_policy()["rules"] if r["id"] == "base.model.personal-data"]
    rule = second_opinion.compile(raw, data, Vocabulary.build(base_policy(), data))
    private = ["So happy for Lucia on the tills, she's expecting twins in the spring!!",
               "Nadia from accounts had a seizure at her desk this morning, she's ok now",
               "Keep Piotr in your prayers, he starts chemo on Thursday",
               "Колегата Явор от нощната смяна е с тежка депресия, не го товарете",
               "Benji on my team found out he's diabetic, no more doughnut Fridays for him"]
    harmless = ["Our new blood pressure machines arrived today, come try them",
                "Flu jabs available at every branch from Monday",
                "Marta from the bakery counter just won the regional bread award!",
                "Read an interesting article about kidney research this morning",
                "Поздрави на Дани от склада, днес е последният му ден преди отпуската"]
    read = [d for d in private if rule.run(context(d))]
    assert "Keep Piotr in your prayers, he starts chemo on Thursday" in read, read
    assert not [d for d in harmless if rule.run(context(d))]
    in_a_message = CheckContext(text=private[0], norm=normalize(private[0]), platform="facebook", surface="message",
                                replying_to=None, reply_norm=None, official=False, today=dt.date(2026, 11, 23),
                                customer_in_sight=True)
    assert not rule.applies(in_a_message)
