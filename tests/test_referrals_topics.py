"""Referral links by topic in other words: the shipped thesaurus, Latin-typed Bulgarian, and a referral's
title and description as a weak signal (companion/engine/referrals.py, topicindex.py, topicwords.py,
language/latin_bulgarian.py). The real thesaurus file is used; the packs are small ones written here."""

from __future__ import annotations

import pytest

from companion.engine.check import CheckRequest, check
from companion.engine.language.latin_bulgarian import spellings, splits, verb_stem
from companion.engine.normalize import normalize
from companion.engine.referrals import ReferralChooser
from companion.engine.topicindex import TopicIndex
from companion.engine.topicwords import TOPIC_WORDS_PATH, parse, topic_words
from companion.pack.compiled import compile_pack


def referral(id_: str, topics: list[str], title: str = "", description: str | None = None) -> dict:
    r = {"id": id_, "title": title or id_.title(), "url": f"https://example.com/{id_}", "topics": topics}
    if description is not None:
        r["description"] = description
    return r


def first(chooser: ReferralChooser, message: str, draft: str = "") -> dict | None:
    got = chooser.choose(normalize(draft), normalize(message))
    return got[0] if got else None


# -- the thesaurus file ---------------------------------------------------------------------------

def test_the_shipped_thesaurus_loads_with_60_to_120_groups():
    tw = topic_words()
    assert 60 <= len(tw.groups) <= 120
    assert "refund" in tw.groups_of("refunds") and "deposit" in tw.groups_of("депозита")
    assert {"the", "and", "за", "как"} <= tw.stop_words
    assert TOPIC_WORDS_PATH.name == "topic-words.yaml"


@pytest.mark.parametrize("data, problem", [
    ([], "expected a mapping"),
    ({"groups": {"refund": []}}, "non-empty list"),
    ({"groups": {"refund": ["refund", 3]}}, "non-empty list"),
    ({"groups": {"refund": ["refund"]}, "stop_words": "the"}, "stop_words"),
])
def test_a_broken_thesaurus_says_what_is_wrong(data, problem):
    with pytest.raises(ValueError, match=problem):
        parse(data, "topic-words.yaml")


# -- thesaurus matching ---------------------------------------------------------------------------

def test_a_thesaurus_synonym_finds_the_referral_in_english_cyrillic_and_latin_letters():
    chooser = ReferralChooser([referral("careers", ["job"]), referral("returns", ["refund"])])
    for message in ("I want my money back", "Искам си парите!", "кога ще ми върнете парите?",
                    "koga shte mi vurnete parite", "shte mi varnete li parite"):
        got = first(chooser, message)
        assert got and got["id"] == "returns", message
    assert "(like “refund”)" in first(chooser, "I want my money back")["reason"]


def test_the_companys_own_topic_word_beats_a_thesaurus_synonym():
    # "money back" is the thesaurus' word for a refund; this company gives it to its own page
    chooser = ReferralChooser([referral("refunds", ["refund"]), referral("money", ["money back"])])
    got = first(chooser, "how do I get my money back?")
    assert got["id"] == "money" and got["reason"] == "mentions “money back”"
    # and where both are named, the own word of one outweighs the synonym of the other
    chooser = ReferralChooser([referral("repairs", ["repair"]), referral("deposits", ["deposit"])])
    assert first(chooser, "my deposit is gone and the thing is broken")["id"] == "deposits"


def test_an_own_word_outweighs_one_synonym_even_when_the_synonym_group_is_named_many_times():
    chooser = ReferralChooser([referral("complaints", ["complaint"]), referral("deposits", ["deposit"])])
    got = first(chooser, "I'll sue you for my deposit, my lawyer is ready, see you in court")
    assert got["id"] == "deposits"


def test_how_staff_treated_someone_goes_to_the_complaints_page_whatever_place_is_named():
    chooser = ReferralChooser([referral("shops", ["shop"]), referral("feedback", ["complaint", "feedback"])])
    got = first(chooser, "the girl at your Partick shop was so rude to my mum")
    assert got["id"] == "feedback" and "rude staff" in got["reason"]
    assert first(chooser, "what time does the Partick shop open?")["id"] == "shops"
    # a company with no complaints page keeps the place's own page
    assert first(ReferralChooser([referral("shops", ["shop"])]), "the girl at your shop was so rude")["id"] == "shops"
    # and one that sends rudeness to a page of its own keeps it there
    chooser = ReferralChooser([referral("complaints", ["complaint"]), referral("shop_feedback", ["shop", "rude"])])
    assert first(chooser, "your cashier was so rude to me")["id"] == "shop_feedback"


def test_a_complaint_that_names_no_topic_goes_to_the_complaints_page():
    chooser = ReferralChooser([referral("repairs", ["repair"]), referral("complaints", ["complaint"])])
    got = first(chooser, "absolute joke, nothing since Tuesday")
    assert got["id"] == "complaints" and "a complaint" in got["reason"]
    assert first(chooser, "my boiler needs a repair, useless")["id"] == "repairs"   # a topic still decides
    assert first(chooser, "thanks, lovely day") is None
    assert first(ReferralChooser([referral("repairs", ["repair"])]), "absolute joke, nothing since Tuesday") is None


def test_a_synonym_another_referral_owns_stays_with_that_referral():
    # "fix" is a repair word, but this company's "help" page owns it: repairs does not get it too
    chooser = ReferralChooser([referral("repairs", ["repair"]), referral("help", ["fix"])])
    got = chooser.choose(normalize(""), normalize("can you fix it"))
    assert [r["id"] for r in got] == ["help"]


def test_a_word_in_no_group_of_the_referrals_topics_finds_nothing():
    chooser = ReferralChooser([referral("repairs", ["repair"]), referral("careers", ["job"])])
    assert first(chooser, "I want my money back") is None


# -- Latin-typed Bulgarian ------------------------------------------------------------------------

def test_spellings_follow_how_bulgarians_type():
    assert spellings("депозит") == ["depozit"]
    assert {"maistor", "maystor", "majstor"} <= set(spellings("майстор"))
    assert {"vurnete", "varnete", "vyrnete"} <= set(spellings("върнете"))
    assert {"zhalba", "jalba"} <= set(spellings("жалба"))
    assert spellings("още") == ["oshte"] and {"zayavka", "zaqvka", "zaiavka"} <= set(spellings("заявка"))
    assert {"tsena", "cena"} <= set(spellings("цена")) and {"chip"} <= set(spellings("чип"))
    assert {"informatsiya", "informatsia", "informaciq"} <= set(spellings("информация"))
    assert spellings("deposit") == [] and spellings("") == []
    assert len(spellings("възстановяване")) <= 48


def test_endings_and_verb_stems():
    assert ("depozit", False) in list(splits("depozita"))
    assert verb_stem("върнете", "върна") == "върн" and verb_stem("закъснявам", "закъснявам") == "закъсняв"
    assert verb_stem("работа", "работа") is None         # a noun: "raboti" is a verb's form, not "jobs"


def test_a_bulgarian_companys_cyrillic_topics_match_latin_typed_messages():
    chooser = ReferralChooser([referral("repairs", ["ремонт", "теч"]), referral("deposits", ["депозит"]),
                               referral("careers", ["работа"])])
    assert first(chooser, "kude mi e depozita??")["id"] == "deposits"
    got = first(chooser, "techut ot tavana ne e spiral")
    assert got["id"] == "repairs" and got["reason"] == "mentions “techut” (“теч”)"
    assert first(chooser, "Кога ще ми върнете депозита?")["id"] == "deposits"
    assert first(chooser, "printerat ne raboti") is None      # "raboti" is "works", not "работа"
    assert first(chooser, "the tech team is great") is None   # an English word is not a Latin-typed one


def test_latin_typed_thesaurus_words_reach_a_bulgarian_topic():
    chooser = ReferralChooser([referral("repairs", ["ремонт"]), referral("careers", ["работа"])])
    got = first(chooser, "koga shte pratite maistor?")
    assert got["id"] == "repairs" and "like “ремонт”" in got["reason"]


# -- title and description ------------------------------------------------------------------------

def test_title_and_description_words_are_a_weak_signal():
    chooser = ReferralChooser([
        referral("lockers", ["locker"], "Parcel lockers", "Codes, opening times and sizes of our lockers."),
        referral("claims", ["claim"], "Claims for damaged parcels", "Compensation for damaged or lost items."),
    ])
    got = first(chooser, "what size boxes fit?")
    assert got["id"] == "lockers" and "“size” (in its description)" in got["reason"]
    # a word both describe ("parcel") says nothing; a topic word outweighs a description word
    assert first(chooser, "my parcel") is None
    assert first(chooser, "the locker code for my claim sizes")["id"] == "lockers"
    assert first(chooser, "my claim, which size?")["id"] == "claims"


def test_a_message_with_no_topic_or_description_word_gets_no_link():
    chooser = ReferralChooser([
        referral("repairs", ["repair", "ремонт"], "Report a repair", "Report a repair or an emergency at home."),
        referral("rent", ["rent"], "Paying your rent", "Ways to pay rent and what to do if you are late."),
    ])
    for message in ("Lovely weather today, thanks for the help!", "Здравейте, как сте днес?", "zdraveite, kak ste"):
        assert chooser.choose(normalize(""), normalize(message)) == [], message


def test_company_names_and_handles_in_titles_name_no_topic():
    chooser = ReferralChooser([referral("pharmacy", ["prescription"], "Medisant Pharmacy refills")],
                              ["Medisant"])
    assert first(chooser, "Our crew at Medisant after the 5K") is None
    assert first(chooser, "photo by @refillsfan") is None       # a handle is no title word


def test_no_link_without_a_customer_in_sight():
    pack = compile_pack({"format": "postguard/pack-v1", "company": {"name": "Acme", "handles": {"x": ["@acme"]}},
                         "referrals": [referral("refunds", ["refund"])]})
    posted = check(pack, CheckRequest("We will give everyone their money back today", "x", surface="post"))
    answered = check(pack, CheckRequest("We will give you your money back", "x", surface="reply",
                                        replying_to="I want my money back"))
    assert posted.referrals == [] and answered.referrals[0]["id"] == "refunds"


# -- bounded work ---------------------------------------------------------------------------------

def test_the_index_reads_a_long_text_once_and_caps_its_hits():
    index = TopicIndex()
    index.add("money back", "refund")
    index.add("депозит", "deposit")
    text = normalize("I want my money back, depozita, депозитът. " * 2000)
    hits = index.find(text)
    assert len(hits) == 1000                                     # MAX_HITS
    assert {p for _, _, p in hits} == {"refund", "deposit"}


def test_rudeness_goes_to_the_complaints_page_even_when_the_pack_lists_rude_itself():
    """A pack that puts "rude" among its complaints page's topics must not make rudeness weaker than a
    lesson named beside it: how staff treated someone outweighs the place or product, as it does for
    packs that leave "rude" out."""
    own_rude = ReferralChooser([referral("lessons", ["lesson", "late", "cancel"]),
                                referral("complaints", ["complaint", "rude", "feedback"])])
    no_rude = ReferralChooser([referral("lessons", ["lesson", "late", "cancel"]),
                               referral("complaints", ["complaint", "feedback"])])
    message = "2 stars, the instructor was so rude to my son all through his lesson"
    assert first(own_rude, message)["id"] == first(no_rude, message)["id"] == "complaints"
    assert first(own_rude, "can I move my lesson to Friday?")["id"] == "lessons"


# -- a link already in the draft ------------------------------------------------------------------

def test_a_page_the_draft_already_links_to_comes_first_whatever_the_words_say():
    """The writer chose that page: it leads, ahead of pages the message's words point to, even with no
    topic word at all. Each place counts as the longest address written there; an address that runs
    on into a longer path is another page."""
    chooser = ReferralChooser([
        {"id": "help", "title": "Help", "url": "https://www.acme.example/help/", "topics": ["help"]},
        {"id": "refunds", "title": "Refunds", "url": "https://acme.example/help/refunds", "topics": ["refund"]},
        {"id": "complaints", "title": "Complaints", "url": "https://acme.example/complaints", "topics": ["complaint", "rude"]},
    ])
    got = chooser.choose(normalize("So sorry, please tell us here: acme.example/help/refunds"),
                         normalize("the cashier was rude and I want a refund"))
    assert [g["id"] for g in got][:2] == ["refunds", "complaints"] and got[0]["reason"] == "the draft links to it"
    got = chooser.choose(normalize("see https://ACME.example/help or www.acme.example/complaints"), normalize("hi"))
    assert [g["id"] for g in got] == ["help", "complaints"]
    assert chooser.choose(normalize("acme.example/helpdesk is not ours"), normalize("hi")) == []
    bare = ReferralChooser([{"id": "x", "title": "X", "url": "https://", "topics": ["x"]}])
    assert bare.choose(normalize("anything " * 1000), None) == []       # an empty address links nothing
