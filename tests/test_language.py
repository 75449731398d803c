"""Language-aware matching: word forms, built-in token classes, token patterns and assertion cues."""

from __future__ import annotations

import pytest

from companion.engine.language import timeclasses
from companion.engine.language.analysis import analyse
from companion.engine.language.lemmas import base_form, forms
from companion.engine.language.tokenpattern import PatternSyntaxError, TokenPatterns, parse
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.matcher import SET_MAX_TEXT, Matcher
from companion.engine.normalize import normalize
from companion.engine.regex import RegexSet
from companion.pack.base import base_policy

VOCAB = Vocabulary.build(base_policy(), {"company": {"name": "Harbour & Vale Bank", "aliases": ["H&V"]}})


def words(patterns, text, assertion=None):
    return [h.words for h in Matcher(tokens=patterns, vocab=VOCAB, assertion=assertion).find(normalize(text))]


@pytest.mark.parametrize("word, base", [
    ("refunded", "refund"), ("refunding", "refund"), ("promised", "promise"), ("closing", "close"),
    ("travelling", "travel"), ("left", "leave"), ("sued", "sue"), ("ll", "will"), ("replies", "reply"),
    ("отваряме", "отварям"), ("склада", "склад"), ("адвокатите", "адвокат"),
])
def test_a_token_knows_the_forms_it_can_be(word, base):
    assert base in forms(word)


def test_a_rule_word_is_matched_by_its_lemma():
    assert base_form("refunds") == "refund"
    assert words(["we will refund"], "We'll be refunding you") == []          # "be" is not in the pattern
    assert words(["we will ... refund"], "We'll be refunding you") == ["We'll … refunding"]


@pytest.mark.parametrize("name, text, found", [
    ("clock", "opening at 5:30 tomorrow", "5:30"), ("clock", "back by 7pm", "7pm"), ("clock", "meet at half six", "half six"), ("clock", "bank run at half 5", "half 5"),
    ("clock", "shift starts 17h30", "17h30"), ("clock", "в 7 сутринта", "7 сутринта"), ("clock", "nosya gi v 17:30", "17:30"),
    ("time_range", "working 22:00-06:00", "22:00-06:00"), ("time_range", "5am-1pm Mon", "5am-1pm"),
    ("time_range", "от 9 до 17 ч.", "от 9 до 17"),
    ("duration", "away for two weeks", "for two weeks"), ("duration", "empty the whole of August", "the whole of August"),
    ("duration", "заминаваме за две седмици", "за две седмици"),
    ("day", "see you tomorrow", "tomorrow"), ("night", "on nights all week", "nights"), ("night", "out at 11pm", "11pm"),
    ("night", "last out at 1.15am", "1.15am"), ("night", "still there at 01.15", "01.15"), ("night", "closing at 2:30", "2:30"),
    ("code", "door code is still 1990", "1990"), ("code", "combo 28-14-33", "28-14-33"),
    ("code", "locker pin 4512, don't tell", "4512"),   # "pin" ends in "in" but is no "in 1990"
])
def test_built_in_classes_find_times_days_and_codes(name, text, found):
    spans = timeclasses.find(text)[name]
    assert found in [text[s:e] for s, e in spans]


@pytest.mark.parametrize("name, text", [
    ("clock", "Version 5.30 is out"), ("clock", "update v 2.30 is out"), ("clock", "score 2:1 at half time"), ("clock", "ratio 16:9"),
    ("clock", "it costs $5.30"), ("clock", "6:30 mile pace"), ("clock", "a 12h shift again"), ("code", "costs $1990"), ("code", "in 1990 we moved"),
    ("code", "500 followers!"), ("time_range", "pages 10-12"), ("night", "staff kept in the dark about the move"),
    ("night", "first race 1.15, see you there"), ("night", "that 3.40 finish!"),   # a British afternoon, written with a dot
    ("code", "ring the store on 0113 496 0520 and they'll open it"), ("code", "обадете се на +359 82 800 650"),
    ("clock", "Nadia, born 14.03.1990, queen of the night shift"), ("clock", "родена 04.11.1995 г."),   # a date, not 14:03
])
def test_built_in_classes_leave_look_alikes_alone(name, text):
    assert timeclasses.find(text)[name] == []


def test_patterns_use_classes_choices_phrases_gaps_and_optional_words():
    assert words(["<alone> ..4 <workplace>"], "alone again at the depot") == ["alone … depot"]
    assert words(["smoke ..3 on_fire|exploded"], "smoke and then it exploded") == ["smoke … exploded"]
    assert words(["smoke ..2 on_fire|exploded"], "smoke everywhere, on fire") == ["smoke … on fire"]
    assert words(["=sue them? all"], "sue them all") == ["sue them all"]
    assert words(["=sue them? all"], "sue all") == ["sue all"]
    # `=form` as one choice of several keeps that form exact and leaves the others any form
    assert words(["alarm|=алармата ..2 код"], "алармата има код") == ["алармата … код"]
    assert words(["alarm|=алармата ..2 код"], "аларми има код") == []
    assert words(["alarm|=алармата ..2 код"], "alarms have a код") == ["alarms … код"]
    # ... also when that form is the base form of another word: "=drill" is not "drilled"
    assert words(["fire_drill|=drill ..2 today"], "we drilled a pipe today") == []
    assert words(["fire_drill|=drill ..2 today"], "a drill today") == ["drill today"]
    assert words(["fire_drill|=drill ..2 today"], "the fire drill was today") == ["fire drill … today"]
    assert words(["<company> will ... refund"], "Harbour & Vale Bank will happily refund you") == \
        ["Harbour & Vale Bank will … refund"]
    assert words(["<alone> ..2 <workplace>"], "alone " + "and then some more words " + "at the depot") == []


@pytest.mark.parametrize("bad", ["... refund", "refund ...", "..9 x", "word? <nonesuch>", "refund? x", "a||b"])
def test_bad_patterns_are_refused(bad):
    with pytest.raises(PatternSyntaxError):
        parse(bad, VOCAB.class_names)


@pytest.mark.parametrize("text, kept", [
    ("We will refund you today.", True),
    ("We won't refund you.", False),
    ("We will not refund you.", False),
    ("I hope we will refund you", False),
    ("If we refund you, will you come back?", False),
    ("They said we will refund you", False),
    ("Will we refund you?", False),
    ("So sorry! We'll refund you, it's order 123 right?", True),
    ("No problem, we will refund you", True),
    ("Ще ви възстановим парите.", True),
    ("Дано ще ви възстановим парите", False),
    ("Надявам се, че ще ви възстановим парите", False),     # the comma before "че" ends no clause
    ("Вярвам, че ще ви възстановим парите", False),
    ("Извинете, ще ви възстановим парите", True),           # any other comma still does
])
def test_assertion_cues_cancel_negated_hedged_conditional_reported_and_asked_statements(text, kept):
    patterns = ["we will ... refund", "ще ви ..2 възстановим"]
    assert bool(words(patterns, text, assertion="affirmed")) is kept, text


def test_negation_alone_is_what_not_negated_drops():
    assert words(["<alone> ..4 <workplace>"], "I'm never alone at the depot", "not_negated") == []
    assert words(["<alone> ..4 <workplace>"], "I might be alone at the depot", "not_negated") == ["alone … depot"]


def test_cue_words_match_as_written():
    # "dont" is a negation cue; "doing" must not count as a form of it
    assert words(["<cash> ..3 run"], "Doing the cash run alone", "not_negated") == ["cash run"]


def test_a_match_knows_the_tokens_its_gaps_skipped_and_a_phrase_is_found_however_often_its_words_occur():
    """The gap tokens are where assertion cues count ("we will not ... refund"); a phrase whose words
    repeat is found where all its words stand in order, whether few or many places are checked."""
    an = analyse(normalize("we will of course refund you, we will refund"), VOCAB)
    hits = TokenPatterns([("we will ..3 refund", None)], VOCAB.class_names).find(an)
    assert [(h.first, h.last, h.gaps) for h in hits] == [(0, 4, (2, 3)), (6, 8, ())]
    for repeats in (1, 7, 30):
        text = "the car park is full. car wash, park bench. " * repeats + "see you at the car park"
        an = analyse(normalize(text), VOCAB)
        hits = TokenPatterns([("car_park", None)], VOCAB.class_names).find(an)
        spots = [i for i in range(an.size - 1) if an.norm.tokens[i].text == "car" and an.norm.tokens[i + 1].text == "park"]
        assert [h.first for h in hits] == spots and len(spots) == repeats + 1


def test_work_per_pattern_is_bounded_on_hostile_drafts():
    """Every start tries at most a fixed number of paths: count them on a draft built to make gaps branch."""
    calls = 0
    an = analyse(normalize("alone " * 3000 + "depot"), VOCAB)
    original = an.token_matches

    def counting(i, keys, exact):
        nonlocal calls
        calls += 1
        return original(i, keys, exact)

    an.token_matches = counting
    TokenPatterns([("alone ..6 alone ..6 alone ..6 depot", None)], VOCAB.class_names).find(an)
    assert calls < 3000 * 7 * 7 * 7 * 2


def test_stated_keeps_denials_but_drops_hedges_reports_and_questions():
    pattern = ["<company> be ..2 close|closing"]
    vocab = Vocabulary.build(base_policy(), {"company": {"name": "Acme"}})

    def kept(text):
        return bool(Matcher(tokens=pattern, vocab=vocab, assertion="stated").find(normalize(text)))

    assert kept("Acme is NOT closing the Leeds store")
    assert kept("Acme is closing the Leeds store")
    assert not kept("I hope Acme isn't closing the Leeds store")
    assert not kept("They said Acme is closing the Leeds store")
    assert not kept("Is Acme closing the Leeds store?")


@pytest.mark.parametrize("text, found", [
    ("Mrs Ruiz, born 11/23/1936, turned 90", "11/23/1936"),
    ("DOB 14/03/1961 on the form", "14/03/1961"),
    ("born 14 March 1961", "14 March 1961"),
    ("born March 14, 1961", "March 14, 1961"),
    ("родена 03.12.1958", "03.12.1958"),
    ("роден на 5 май 1970", "5 май 1970"),
    ("born the 3rd of June 1958", "3rd of June 1958"),
    ("née le 14 juillet 1975", "14 juillet 1975"),
])
def test_dates_with_a_year_are_a_class(text, found):
    spans = timeclasses.find(normalize(text).regex_text)["date"]
    assert found in [text[s:e] for s, e in spans]


@pytest.mark.parametrize("text, found", [
    ("off to Bali 12–26 Dec, house empty", "12–26 Dec"),
    ("away Dec 12-26 with the kids", "Dec 12-26"),
    ("на море сме от 12 до 26 август", "от 12 до 26 август"),
])
def test_a_span_of_days_is_a_duration(text, found):
    spans = timeclasses.find(normalize(text).regex_text)["duration"]
    assert found in [text[s:e] for s, e in spans]


@pytest.mark.parametrize("text", ["alone 🚀 tonight - but the door? no, fine", "alone tonight - but the door? no, fine"])
def test_clauses_and_questions_are_the_same_with_or_without_emoji_before_them(text):
    """Clause marks are found in the text and mapped to UTF-16 offsets: an emoji (two units) before them
    moves nothing."""
    an = analyse(normalize(text), Vocabulary.build(None, {}))
    words = [t.text for t in an.norm.tokens]
    start = {w: words[an.clause_start(i)] for i, w in enumerate(words)}
    assert start == {"alone": "alone", "tonight": "alone", "but": "but", "the": "but", "door": "but",
                     "no": "no", "fine": "fine"}
    asked = {w: an.in_question(i) for i, w in enumerate(words)}
    assert asked["door"] is True and asked["alone"] is False and asked["fine"] is False


def test_english_names_as_bulgarians_write_them():
    from companion.engine.language.english_bulgarian import cyrillic, forms
    assert cyrillic("Nightjar") == ["найтджар"]
    assert cyrillic("Juniper") == ["джунипър"]        # one writing: the typo tolerance finds "джунипер"
    assert cyrillic("Lighthouse")[0].startswith("лайт") and cyrillic("Cedar") == ["седар"]
    assert {"найтджар", "naitdzhar"} <= set(forms("Nightjar"))
    assert cyrillic("Kite") == [] and cyrillic("R2D2") == []          # short or not a word: left alone
    assert "rust" not in forms("Roost")                                 # a typing that is a word of its own
    # by the sound too: a closed "u" is "ъ", a silent final "e" lengthens the vowel; both Latin typings of "ъ"
    assert cyrillic("Windrush") == ["уиндруш", "уиндръш"] and "uindrash" in forms("Windrush")
    assert cyrillic("Primrose") == ["примрос", "примроуз"] and "primrouz" in forms("Primrose")
    assert cyrillic("Bushel")[0] == "бушел" and "uindrush" not in forms("Windrush")   # "bush"; one letter off: typo tolerance


def test_a_classs_cyrillic_words_are_also_found_typed_in_latin_letters():
    from companion.engine.language.analysis import analyse
    from companion.engine.language.vocabulary import Vocabulary
    from companion.engine.normalize import normalize
    vocab = Vocabulary.build({"classes": {"till": ["касата", "=парите", "тук"]}}, {})

    def found(text: str) -> bool:
        return bool(analyse(normalize(text), vocab).class_spans("till"))
    assert found("sama sum na kasata do 22h") and found("nosq parite v bankata")
    assert not found("tuk sum")          # three letters: too short to tell from other words


def test_regex_patterns_run_only_where_one_pass_of_all_of_them_says_they_match():
    """A rule's RE2 patterns are first searched all at once; the spans come from those that matched,
    the same as running each (case sensitivity kept)."""
    rset = RegexSet([r"\bfoo\d+", "bar", "Baz"], case_sensitive=True)
    assert rset.matching("x foo12 and Baz") == [0, 2] and rset.matching("nothing") == []
    m = Matcher(patterns=[r"\bfoo\d+", "bar", "qux"])
    assert [(h.source, h.start) for h in m.find(normalize("x FOO12 and bar, foo3"))] == \
        [(r"\bfoo\d+", 2), ("bar", 12), (r"\bfoo\d+", 17)]
    assert Matcher(patterns=["Foo"], case_sensitive=True).find(normalize("foo")) == []
    long = "x " * SET_MAX_TEXT + "bar foo7"          # past the set's length: each pattern runs, same hits
    assert [h.source for h in m.find(normalize(long))] == ["bar", r"\bfoo\d+"]
    # in a long text the set holds only the narrow patterns; one with a wide repeat always runs on its own
    wide = r"\bbar\b[^\n]{0,80}?\bfoo\d"
    m = Matcher(patterns=[r"\bfoo\d+", wide, "qux"])
    assert [h.source for h in m.find(normalize(long))] == [wide, r"\bfoo\d+"]
    assert [h.source for h in m.find(normalize("x " * SET_MAX_TEXT + "qux"))] == ["qux"]
