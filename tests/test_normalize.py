"""Normalization: what it undoes, and that every span maps back into the original text (UTF-16)."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from companion.engine.normalize import normalize, normalize_phrase, utf16_len, utf16_slice


def toks(text):
    return [t.text for t in normalize(text).tokens]


def test_case_accents_and_compatibility_forms_fold():
    assert toks("CAFÉ Ｆａｌｃｏｎ ﬁne") == ["cafe", "falcon", "fine"]


def test_zero_width_and_soft_hyphen_vanish():
    assert toks("Fal\u200bcon Ri\u00addge\ufeff") == ["falcon", "ridge"]


def test_homoglyphs_map_only_inside_mixed_script_words():
    assert toks("Fаlcon") == ["falcon"]             # Cyrillic а inside a Latin word
    assert toks("Гроза идёт") == ["гроза", "идет"]   # genuine Cyrillic stays Cyrillic


def test_leetspeak_inside_words_but_not_numbers():
    assert toks("F4lc0n R1dge") == ["falcon", "ridge"]
    assert toks("4 am 2027 4am") == ["4", "am", "2027", "4am"]


def test_bulgarian_chat_digits_read_as_the_letters_they_stand_for():
    # 4 is ч and 6 is ш in Bulgarian typed in Latin letters; times, ages, codes and leetspeak stay
    assert toks("6te vzemete klyu4a, Ve4e vsi4ki ka6e6") == ["shte", "vzemete", "klyucha", "veche", "vsichki", "kashesh"]
    assert toks("6am 4pm 6th 4yo LS6 F4AA h4x") == ["6am", "4pm", "6th", "4yo", "ls6", "faaa", "hax"]


def test_hashtags_and_camel_case_split_into_words():
    norm = normalize("#ProjectFalconRidge HTMLParser iPhone ProjectFalconRidge")
    assert [t.text for t in norm.tokens] == ["project", "falcon", "ridge", "htmlparser", "iphone",
                                            "project", "falcon", "ridge"]
    assert norm.tokens[0].hashtag and norm.tokens[1].joined and not norm.tokens[0].joined


def test_spans_are_utf16_and_cover_emoji_and_combining_marks():
    text = "🚀 e\u0301te\u0301 👩‍👩‍👧 Falcon"
    norm = normalize(text)
    spans = [(t.text, norm.slice16(t.start, t.end)) for t in norm.tokens]
    assert spans == [("ete", "e\u0301te\u0301"), ("falcon", "Falcon")]
    assert norm.tokens[0].start == 3            # the rocket is two UTF-16 code units
    assert norm.tokens[-1].end == utf16_len(text)


def test_phrases_normalize_like_drafts():
    assert normalize_phrase("We’ll   REFUND") == ("we", "ll", "refund")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_every_token_span_lies_in_the_text_in_order(text):
    norm = normalize(text)
    total = utf16_len(text)
    prev_end = 0
    for t in norm.tokens:
        assert 0 <= t.start < t.end <= total
        assert t.start >= prev_end or t.joined
        assert t.text
        assert utf16_slice(text, t.start, t.end)   # the span slices real characters
        prev_end = t.end


@settings(max_examples=200, deadline=None)
@given(prefix=st.lists(st.sampled_from(["🚀", "é", "e\u0301", " ", "\u200b", "a", "👩‍👩‍👧", "#"]), max_size=12).map("".join),
       inner=st.sampled_from(["", "\u200b", "\u00ad"]))
def test_a_word_after_emoji_maps_back_exactly(prefix, inner):
    word = f"Fal{inner}con"
    text = prefix + " " + word + " done"
    norm = normalize(text)
    found = [t for t in norm.tokens if t.text == "falcon"]
    assert found, [t.text for t in norm.tokens]
    assert norm.slice16(found[-1].start, found[-1].end) == word


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_lone_surrogates_and_controls_never_break_it(text):
    norm = normalize(text + "\ud800 \x00 \x1b")
    for t in norm.tokens:
        assert t.end <= utf16_len(norm.text)


def test_a_plus_closing_a_name_is_the_word_plus():
    """"Disney+" is a product's name: the plus sign is a word there, with its own span. Between
    numbers or words, before a phone number, or in a long run it stays punctuation."""
    assert toks("Tidewell+ is out, Disney+. C++ dev, 18+ only") == [
        "tidewell", "plus", "is", "out", "disney", "plus", "c", "plus", "plus", "dev", "18", "plus", "only"]
    assert toks("2+2=4, a+b, wow+++++ call +359 88 123") == ["2", "2", "4", "a", "b", "wow", "call", "359", "88", "123"]
    plus = normalize("Tidewell+ 😀 ok").tokens[1]
    assert (plus.text, plus.start, plus.end) == ("plus", 8, 9)


@settings(max_examples=300, deadline=None)
@example(words=["hello", "hello", "é", "\u200b", "hello"], cut=13)     # the word the cut falls in reads apart
@given(words=st.lists(st.sampled_from(["hello", "Wörld", "#ProjectFalcon", "😀", "naïve", "F4lc0n", "iPhone",
                                       "Гроза", "e\u0301", "Tidewell+", " ", ", ", ".\n", "\u200b"]), max_size=30),
       cut=st.integers(min_value=0, max_value=200))
def test_a_head_is_the_texts_first_characters_with_the_tokens_already_made(words, cut):
    """A long draft's first characters (what referrals read) come from its tokens, not a second pass:
    the full text's tokens that end by the cut, which up to the last space before it are those of the
    shorter text (the word the cut falls in can read differently once cut: "hello\u200bhello")."""
    text = "".join(words)
    norm = normalize(text)
    head = norm.head(cut)
    if cut >= len(text):
        assert head is norm
        return
    assert head.text == text[:cut]
    assert head.utf16 == norm.utf16[:cut + 1]
    assert head.tokens == [t for t in norm.tokens if t.end <= norm.utf16[cut]]
    space = text.rfind(" ", 0, cut)            # a space ends every word: what lies before it reads alike
    before = norm.utf16[space] if space >= 0 else 0
    assert [t for t in head.tokens if t.end <= before] == [t for t in normalize(text[:cut]).tokens if t.end <= before]
