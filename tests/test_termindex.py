"""The confidential-term index: what it finds, what it must not find, where, and that it stays so.

Behaviour only; timing is bench/run's business (tests/test_bench_quick.py runs its quick mode).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.engine import lexicon
from companion.engine import normalize as normalize_module
from companion.engine.normalize import normalize, utf16_slice
from companion.engine.termindex import TermIndex

ROOT = Path(__file__).resolve().parent.parent

ENTRIES = [
    ["Falcon Ridge", "Project Falcon Ridge", "FalconRidge"],   # 0
    ["Juniper"],                                               # 1  a lone ordinary word: exact only
    ["Гроза", "Проект Гроза"],                                 # 2  Cyrillic
    ["Velmora"],                                               # 3  an invented word
    ["Blend Pro X2"],                                          # 4
    ["Quintaro Hub"],                                          # 5
    ["Crystal Sage"],                                          # 6  two ordinary words
    ["PriceShift"],                                            # 7
]
FALCON, JUNIPER, GROZA, VELMORA, BLEND, QUINTARO, CRYSTAL, PRICESHIFT = range(8)


@pytest.fixture(scope="module")
def index():
    return TermIndex(ENTRIES)


def found(index, text):
    """(entry, the original text of the span, exact, distance) for every match, in order."""
    norm = normalize(text)
    out = []
    for m in index.find(norm.tokens):
        span = norm.slice16(norm.tokens[m.first].start, norm.tokens[m.last].end)
        out.append((m.entry, span, m.exact, m.distance))
    return out


def entries(index, text):
    return {e for e, *_ in found(index, text)}


# -- exact stage ---------------------------------------------------------------------------------

def test_exact_term_and_alias_with_their_spans(index):
    assert found(index, "We tested Falcon Ridge today") == [(FALCON, "Falcon Ridge", True, 0)]
    matches = found(index, "Project Falcon Ridge ships soon")
    assert matches[0] == (FALCON, "Project Falcon Ridge", True, 0)   # the longest first
    assert (FALCON, "Falcon Ridge", True, 0) in matches


@pytest.mark.parametrize("text", ["FALCON RIDGE", "falcon ridge", "fALCON rIDGE"])
def test_case_does_not_matter(index, text):
    assert found(index, text) == [(FALCON, text, True, 0)]


@pytest.mark.parametrize("text", ["Falcon   Ridge", "Falcon-Ridge", "Falcon\nRidge", "Falcon\u00a0Ridge",
                                  "FalconRidge", "falcon_ridge", "Falcon / Ridge"])
def test_spacing_and_punctuation_between_words(index, text):
    assert found(index, f"about {text} now") == [(FALCON, text, True, 0)]


@pytest.mark.parametrize("tag", ["#FalconRidge", "#falconridge", "#FALCONRIDGE", "@FalconRidge"])
def test_hashtags_and_mentions(index, tag):
    assert (FALCON, tag[1:], True, 0) in found(index, f"so excited {tag} !!")


def test_camel_case_and_longer_hashtags(index):
    assert (FALCON, "ProjectFalconRidge", True, 0) in found(index, "ProjectFalconRidge is a go")
    assert (FALCON, "falconridgelaunch", True, 0) in found(index, "#falconridgelaunch tonight")
    assert (FALCON, "ilovefalconridge", True, 0) in found(index, "#ilovefalconridge")
    assert (FALCON, "FalconRidge", True, 0) in found(index, "#FalconRidgeLaunch")
    assert (PRICESHIFT, "PriceShift", True, 0) in found(index, "#PriceShift")


def test_a_term_inside_a_hashtag_needs_the_rest_to_read_as_words():
    index = TermIndex([["Ation"], ["Velmora"]])
    assert found(index, "#MondayMotivation #mondaymotivation") == []
    assert found(index, "#velmoraforever")[0][0] == 1
    assert found(index, "#xqvelmora") == []


def test_leetspeak(index):
    assert found(index, "F4lc0n R1dge prototypes") == [(FALCON, "F4lc0n R1dge", True, 0)]
    # two digits in a row are left alone by normalization; the index reads them as letters
    m = found(index, "the Velm0r4 beta")
    assert [(e, s) for e, s, *_ in m] == [(VELMORA, "Velm0r4")]
    assert (CRYSTAL, "Cr157al Sage") in {(e, s) for e, s, *_ in found(index, "Cr157al Sage leaked")}


def test_homoglyphs(index):
    text = "F\u0430lc\u043en Ridge"          # Cyrillic а and о inside Latin words
    assert found(index, text) == [(FALCON, text, True, 0)]


def test_zero_width_and_soft_hyphens(index):
    text = "Fal\u200bcon Ri\u00addge\u2060"
    assert found(index, f"see {text} here") == [(FALCON, "Fal\u200bcon Ri\u00addge", True, 0)]


# -- fuzzy stage ---------------------------------------------------------------------------------

def test_one_typo(index):
    assert found(index, "Can't wait for Falcn Ridge!") == [(FALCON, "Falcn Ridge", False, 1)]
    assert found(index, "Velmra beta") == [(VELMORA, "Velmra", False, 1)]
    assert found(index, "Quintaro Hbu rollout")[0][:2] == (QUINTARO, "Quintaro Hbu")


def test_two_typos(index):
    assert found(index, "Projct Falcn Ridge is huge")[0] == (FALCON, "Projct Falcn Ridge", False, 2)
    assert found(index, "Falconn Ridg") == [(FALCON, "Falconn Ridg", False, 2)]


def test_split_and_merged_words(index):
    assert found(index, "the Velm ora beta") == [(VELMORA, "Velm ora", False, 0)]
    assert found(index, "QuintaroHbu")[0][:2] == (QUINTARO, "QuintaroHbu")     # merged with a typo
    assert found(index, "Quintaro Hub")[0] == (QUINTARO, "Quintaro Hub", True, 0)
    assert found(index, "FalconRidg")[0][:3] == (FALCON, "FalconRidg", False)


def test_ordinary_words_are_not_typos(index):
    assert found(index, "falcon bridge") == []
    assert found(index, "A falcon flew over the ridge") == []
    assert found(index, "the falcon fridge is cold") == []
    assert found(index, "Crystal sale today, sage advice") == []


def test_a_window_with_an_unknown_word_may_still_match(index):
    assert found(index, "Crystl Sage") == [(CRYSTAL, "Crystl Sage", False, 1)]


def test_a_lone_ordinary_word_term_is_exact_only(index):
    assert "juniper" in lexicon.words()
    assert found(index, "Juniper launches") == [(JUNIPER, "Juniper", True, 0)]
    assert found(index, "junipr launches, jupiter rises, junipers grow") == []


def test_a_lone_ordinary_word_behind_a_context_gate_matches_typos_too():
    gated = TermIndex(ENTRIES, context_gated=[JUNIPER])   # the caller reports it only next to a context word
    assert found(gated, "junipr launches") == [(JUNIPER, "junipr", False, 1)]
    assert found(gated, "jupiter rises") == []                  # real words are still not typos
    assert found(gated, "junipers") == [(JUNIPER, "junipers", False, 1)]   # a plural is not in the lexicon
    assert found(TermIndex([["Ark"]], context_gated=[0]), "Arc Ar") == []   # short words stay exact


def test_short_words_of_a_term_must_match_exactly_word_by_word(index):
    assert entries(index, "Blend Pro X2") == {BLEND}
    assert entries(index, "Blend Pro X3") == set()        # x3 is another model, not a typo of x2
    assert entries(index, "BlendPro X3 or Blend Pro X4") == set()
    assert found(index, "Blend Pro 2") == [(BLEND, "Blend Pro 2", False, 1)]   # a letter dropped, same model
    assert found(index, "Blend Pr X2") == [(BLEND, "Blend Pr X2", False, 1)]


def test_a_short_word_that_differs_is_another_phrase_not_a_typo():
    index = TermIndex([["Kapana Rooftop", "rooftopa na Kapana"]])
    assert found(index, "drinks on some rooftop in Kapana") == []           # "in" is not a typo of "na"
    assert found(index, "на rooftopa na Kapana") == [(0, "rooftopa na Kapana", True, 0)]
    assert found(index, "rooftopa na Kapanna") == [(0, "rooftopa na Kapanna", False, 1)]


def test_cyrillic_terms(index):
    assert found(index, "Гроза начинается") == [(GROZA, "Гроза", True, 0)]
    assert found(index, "ГРОЗА") == [(GROZA, "ГРОЗА", True, 0)]
    assert (GROZA, "Проект Гроза", True, 0) in found(index, "Проект Гроза")
    assert found(index, "Грозаа") == [(GROZA, "Грозаа", False, 1)]


def test_a_typo_of_a_word_many_terms_share_needs_the_rest_of_the_term():
    terms = [[f"Project {name}"] for name in ("Sparrow", "Heron", "Egret", "Osprey", "Condor", "Magpie")]
    terms += [[f"Project Zorvia{i}"] for i in range(40)]
    index = TermIndex(terms)
    assert {e for e, *_ in found(index, "Projecnt Sparrow is late")} == {0}
    assert found(index, "my projecnt is late") == []


def test_a_close_match_does_not_stretch_an_exact_one(index):
    assert found(index, "👩‍👩‍👧 FalconRidge is here") == [(FALCON, "FalconRidge", True, 0)]


# -- spans ---------------------------------------------------------------------------------------

def test_spans_are_utf16_with_emoji_before_and_inside(index):
    text = "🚀🎉 e\u0301 Falcon 🔥 Ridge 👩‍👩‍👧 Velm🚀ora"
    norm = normalize(text)
    matches = index.find(norm.tokens)
    spans = [(m.entry, norm.tokens[m.first].start, norm.tokens[m.last].end) for m in matches]
    falcon = next(s for s in spans if s[0] == FALCON)
    assert utf16_slice(text, falcon[1], falcon[2]) == "Falcon 🔥 Ridge"
    assert falcon[1] == text.index("Falcon") + 2            # two astral emoji before it
    velmora = next(s for s in spans if s[0] == VELMORA)
    assert utf16_slice(text, velmora[1], velmora[2]) == "Velm🚀ora"


# -- determinism, threads, lifecycle -------------------------------------------------------------

DRAFTS = ["Projct Falcn Ridge and the Velm0r4 beta", "#falconridgelaunch Грозаа Crystl Sage",
          "nothing to see here, just a falcon over the bridge", "Quintaro Hbu QuintaroHub Velm ora"]


def test_results_are_deterministic_within_and_across_builds(index):
    first = [found(index, d) for d in DRAFTS]
    assert [found(index, d) for d in DRAFTS] == first
    assert [found(TermIndex(ENTRIES), d) for d in DRAFTS] == first


def test_results_do_not_depend_on_the_hash_seed(index):
    script = ("import json, sys; sys.path.insert(0, 'tests'); from test_termindex import ENTRIES, DRAFTS, found;"
              "from companion.engine.termindex import TermIndex; i = TermIndex(ENTRIES);"
              "print(json.dumps([found(i, d) for d in DRAFTS]))")
    expected = json.loads(json.dumps([found(index, d) for d in DRAFTS]))
    for seed in ("1", "4242"):
        out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        assert json.loads(out.stdout) == expected


def test_concurrent_finds_on_one_index_agree_with_serial_ones(index):
    expected = {d: found(index, d) for d in DRAFTS}
    errors: list[str] = []

    def work():
        for _ in range(50):
            for d in DRAFTS:
                if found(index, d) != expected[d]:
                    errors.append(d)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_the_fuzzy_index_is_flat_read_only_arrays(index):
    for keys in (index._keys,):
        assert keys.hash.dtype.itemsize == 8 and keys.ids.dtype.itemsize == 4
        assert not keys.hash.flags.writeable and not keys.ids.flags.writeable
        assert list(keys.hash) == sorted(keys.hash)
    assert index.memory_bytes() > 0


def test_few_and_many_key_lookups_agree(index, monkeypatch):
    keys = index._keys
    queries = [int(h) for h in keys.hash[::7]] + [12345, 2**64 - 1, 2**62]
    owners = list(range(len(queries)))
    monkeypatch.setattr(type(keys), "SMALL", 0)
    many = keys.lookup(queries, owners, 10**9)               # numpy searchsorted
    monkeypatch.setattr(type(keys), "SMALL", 10**9)
    assert keys.lookup(queries, owners, 10**9) == many       # bisect
    assert [o for o, _, _ in many] == owners[:-3]
    assert all(ids and len(ids) == total for _, ids, total in many)
    capped = keys.lookup(queries, owners, 1)
    assert [(o, ids[:1], total) for o, ids, total in many] == capped


def test_empty_inputs():
    assert TermIndex([]).find(normalize("Falcon Ridge").tokens) == []
    assert TermIndex(ENTRIES).find([]) == []
    assert TermIndex([["!!!"], []]).find(normalize("!!! Falcon").tokens) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("FalconRidgeVmrqu #-4013\u200b🚀 ") + ["а", "Гроза", "Velm", "ora"]),
                max_size=40).map("".join))
def test_every_match_lies_within_the_tokens_and_names_an_entry(text):
    index = _shared()
    norm = normalize(text)
    for m in index.find(norm.tokens):
        assert 0 <= m.first <= m.last < len(norm.tokens)
        assert 0 <= m.entry < len(ENTRIES) and m.form in ENTRIES[m.entry]
        assert m.exact == (m.distance == 0) or (not m.exact and m.distance == 0)


_SHARED: list[TermIndex] = []


def _shared() -> TermIndex:
    if not _SHARED:
        _SHARED.append(TermIndex(ENTRIES))
    return _SHARED[0]


# -- normalization's fast path equals its character scanner --------------------------------------

def _reference(text: str) -> list[tuple]:
    """normalize() as it was before the fast path: the character scanner over the whole text, then the
    "plus" words of plus signs closing a name (their own reference is in test_bounded.with_plus_words)."""
    offsets = [0] * (len(text) + 1)
    pos = 0
    for i, ch in enumerate(text):
        offsets[i] = pos
        pos += 2 if ord(ch) > 0xFFFF else 1
    offsets[len(text)] = pos
    tokens: list = []
    normalize_module._scan(text, 0, len(text), offsets, tokens)
    normalize_module._plus_words(text, offsets, tokens)
    return [(t.text, t.start, t.end, t.hashtag, t.joined) for t in tokens], offsets


PIECES = list("aAbBzZ09145378@$#_-. ,'’\n\t!?x") + [
    "é", "e\u0301", "ß", "ﬁ", "½", "™", "Ｆ", "а", "о", "Г", "р", "α", "ο", "\u200b", "\u00ad", "\ufeff",
    "🚀", "👩‍👩‍👧", "\u0301", "ǅ", "İ", "①", "\ud800", "Σ", "\u00a0", "\u2060", "Falcon", "HTMLParser", "iPhone"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_fast_normalization_matches_the_character_scanner(text):
    norm = normalize(text)
    tokens, offsets = _reference(text)
    assert [(t.text, t.start, t.end, t.hashtag, t.joined) for t in norm.tokens] == tokens
    assert norm.utf16 == offsets


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fast_normalization_matches_on_any_text(text):
    tokens, offsets = _reference(text)
    norm = normalize(text)
    assert [(t.text, t.start, t.end, t.hashtag, t.joined) for t in norm.tokens] == tokens
    assert norm.utf16 == offsets


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=15).map("".join), st.integers(-2, 40), st.integers(-2, 40))
def test_slice16_equals_slicing_the_utf16_encoding(text, a, b):
    assert normalize(text).slice16(a, b) == utf16_slice(text, a, b)
