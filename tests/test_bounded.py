"""Every check's work is bounded: linear patterns, capped candidates, a budget per check.

Behaviour and work counts only, never wall-clock times (bench/adversarial.py measures those).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.adversarial import proj_pack, zentrix_pack
from bench.workload import make_workload
from companion.engine import check as check_module
from companion.engine import normalize as normalize_module
from companion.engine import termindex
from companion.engine.addresses import address_spans
from companion.engine.check import CheckRequest, check
from companion.engine.findings import SEVERITIES, Finding, severity_rank, sort_key
from companion.engine.kinds import confidential, disclosure
from companion.engine.normalize import normalize
from companion.engine.phraseset import PhraseSet
from companion.engine.termindex import Budget, TermIndex
from companion.pack.compiled import compile_pack

# -- 1. no backtracking pattern in the check path --------------------------------------------------

# `disclosure.ADDRESS` written for Python's re, which retries it from every start of a long run without
# spaces (quadratic: 70,000 characters took 8-16 s). Kept here as the reference behaviour: links, e-mail
# addresses and bare domains ("status.acme.example/help").
OLD_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|(?:[^\W_]|-)+(?:\.(?:[^\W_]|-)+)*\.[a-z]{2,}(?:/\S*)?",
                         re.IGNORECASE)


@pytest.mark.parametrize("module", [disclosure, confidential, termindex, normalize_module])
def test_no_python_re_pattern_runs_in_these_modules(module):
    """Every pattern these modules run on a draft is RE2 (linear) or a hand-written scanner."""
    patterns = [name for name, value in vars(module).items() if isinstance(value, re.Pattern)]
    assert patterns == []


ADDRESS_PIECES = list("hHtTpPsSwWſ:/.@ab1") + [" ", "\t", "\n", "\u00a0", "\u3000", "\u2028", "\x1c", "\x85",
                                                 "\u200b", "é", "🚀", "\ud800"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(ADDRESS_PIECES), max_size=30).map("".join))
def test_addresses_are_found_as_the_python_pattern_found_them(text):
    norm = normalize_module.normalize(text)
    starts, ends = address_spans(norm)
    expected = [norm.span16(*m.span()) for m in OLD_ADDRESS.finditer(text.replace("\ud800", "\ufffd"))]
    assert list(zip(starts, ends)) == expected


# -- 2. the term index: work counted through names every version of it has -------------------------

@pytest.fixture
def work(monkeypatch):
    """Counts what the index does: Levenshtein comparisons, ids read from its key arrays, characters
    of deletion keys built. Clear it after building an index (building counts too)."""
    counts: Counter = Counter()
    real = termindex.Levenshtein

    class Counting:
        @staticmethod
        def distance(*args, **kwargs):
            counts["compared"] += 1
            return real.distance(*args, **kwargs)

    real_lookup, real_deletes = termindex._SortedKeys.lookup, termindex.deletes

    def lookup(self, *args):
        out = real_lookup(self, *args)
        counts["ids"] += sum(len(r[1]) for r in out)
        return out

    def deletes(word):
        out = real_deletes(word)
        counts["deleted chars"] += sum(map(len, out))
        return out

    monkeypatch.setattr(termindex, "Levenshtein", Counting)
    monkeypatch.setattr(termindex._SortedKeys, "lookup", lookup)
    monkeypatch.setattr(termindex, "deletes", deletes)
    return counts


def forms(pack: dict) -> list[list[str]]:
    return [[e["term"], *e.get("aliases", ())] for e in pack["confidential"]]


@pytest.fixture(scope="module")
def proj_index():
    return TermIndex(forms(proj_pack(5_000)))


def test_a_repeated_shared_word_compares_a_bounded_number_of_windows(proj_index, work):
    """The review's case: 5,000 `Proj <word> Q<i>` terms and a draft of `Proj Proj Proj ...`. Every
    term shares "proj", so the old index verified all 5,000 around every repetition (1.5 million
    comparisons for 60 of them); now a shared word needs another word of the term near it, and a
    window seen before is not verified again."""
    work.clear()
    assert proj_index.find(normalize(" ".join(["Proj"] * 60)).tokens) == []
    assert work["compared"] <= 500
    few = work["compared"]
    work.clear()
    budget = Budget()
    proj_index.find(normalize(" ".join(["Proj"] * 600)).tokens, budget)
    assert work["compared"] == few and budget.truncated is None      # ten times the draft, no more comparisons


def test_a_shared_word_with_another_word_of_its_term_still_matches(proj_index):
    term = proj_pack(5_000)["confidential"][123]["term"]            # "Proj <word> Q123"
    word = term.split()[1]
    typo = "Prooj " + word + " Q123"
    assert [m.entry for m in proj_index.find(normalize(f"see {typo} now").tokens)] == [123]


def test_a_product_line_name_in_a_review_reads_few_ids(work):
    """The review's realistic case: 2,000 `Zentrix <Word>` terms and a 2,880-character review that
    names Zentrix 40 times. The old index read every Zentrix term's id around every mention."""
    index = TermIndex(forms(zentrix_pack(2_000)))
    rng = random.Random(2)
    review = " ".join(rng.choice(REVIEW) for _ in range(90))[:2880]
    work.clear()
    index.find(normalize(review).tokens)
    assert work["ids"] <= 2_000 and work["compared"] <= 100


REVIEW = ["I tried the Zentrix thing and it was great.", "The Zentrix team answered fast.",
          "Would buy Zentrix again, five stars.", "Zentrix support fixed my order."]


def test_a_long_run_of_letters_builds_no_deletion_keys(work):
    """Deleting each letter of a 5,000-letter word in turn built 25 million characters (70,000 letters:
    4.9 GB). Words longer than any anchor cannot be one deletion away from one, so are not looked up."""
    index = TermIndex([["Falcon Ridge"], ["Velmora"]])
    rng = random.Random(4)
    work.clear()
    index.find(normalize("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(5_000))).tokens)
    assert work["deleted chars"] == 0


class CountingTokens(list):
    reads = 0

    def __getitem__(self, i):
        CountingTokens.reads += 1
        return super().__getitem__(i)


def test_a_long_camel_case_hashtag_reads_each_token_a_few_times():
    """Each word of a #CamelCase tag used to walk back to the tag's first word: 2,000 humps, 2 million reads."""
    tokens = CountingTokens(normalize("#" + "Ab" * 2_000).tokens)
    CountingTokens.reads = 0
    TermIndex([["Velmora"]]).find(tokens)
    assert CountingTokens.reads <= 4 * len(tokens)


# -- budgets and caps ------------------------------------------------------------------------------

def test_a_search_that_runs_out_keeps_what_it_found_and_says_so():
    index = TermIndex([["Falcon Ridge"], ["Velmora"]])
    text = "Falcon Ridge " + " ".join(f"Velmxra{i % 10}q Velmra" for i in range(500))
    budget = Budget(units=200)
    found = index.find(normalize(text).tokens, budget)
    assert budget.truncated == "work" and budget.spent <= 200
    assert (found[0].entry, found[0].first, found[0].exact) == (0, 0, True)
    assert Budget().units == termindex.WORK_UNITS


def test_matches_per_draft_are_capped():
    index = TermIndex([["Falcon Ridge"]] * (termindex.MAX_MATCHES + 500))
    budget = Budget()
    found = index.find(normalize("Falcon Ridge").tokens, budget)
    assert len(found) == termindex.MAX_MATCHES and budget.truncated == "matches"


def test_ids_per_key_and_candidates_per_word_are_capped(work):
    """3,000 words one deletion from "orvia": the key "orvia" leads to all of them."""
    letters = [chr(0x4E00 + i) for i in range(3_000)]
    index = TermIndex([["orvia" + ch] for ch in letters])
    work.clear()
    budget = Budget()
    index.find(normalize("orvia").tokens, budget)
    assert budget.truncated == "candidates"
    assert work["ids"] <= 6 * termindex.KEY_IDS                    # "orvia" and its 5 deletions
    assert work["compared"] <= 4 * termindex.WORD_CANDIDATES


def test_pairs_of_shared_words_verify_at_most_the_cap(work):
    index = TermIndex([[f"Zentrix Proj Q{i}"] for i in range(3_000)])
    work.clear()
    budget = Budget()
    assert index.find(normalize("Zentrixx Proj").tokens, budget) == []
    assert budget.truncated == "candidates" and work["compared"] <= 4 * termindex.WORD_CANDIDATES


def test_ordinary_long_drafts_are_never_cut_short():
    """The benchmark's 63,206-character drafts with planted variants against 10,000 code names."""
    work_ = make_workload(10_000, {63206: (1, 2)}, 0, seed=7)
    index = TermIndex([[e["term"]] for e in work_.pack["confidential"]])
    for draft in work_.clean[63206] + work_.planted[63206]:
        budget = Budget()
        index.find(normalize(draft.text).tokens, budget)
        assert budget.truncated is None and budget.spent < termindex.WORK_UNITS // 3


def test_the_rule_and_the_report_say_when_the_search_was_cut_short():
    pack = compile_pack({"format": "postguard/pack-v1", "id": "cut", "revision": 1, "company": {"name": "Cut"},
                         "confidential": [{"id": f"conf.t{i}", "term": "Falcon Ridge", "reason": "x"}
                                          for i in range(termindex.MAX_MATCHES + 10)]})
    report = check(pack, CheckRequest("Falcon Ridge ships", "x"))
    assert [f.detail["truncated"] for f in report.findings] == ["matches"]
    assert report.to_dict()["truncated"] == {"confidential": "matches"}
    assert "truncated" not in check(pack, CheckRequest("nothing here", "x")).to_dict()


# -- the check's own merging of findings -----------------------------------------------------------

def old_drop_contained(findings):
    """The rule pair by pair, as the sweep replaced it (quadratic: 10,000 findings took 24 s): dropped
    inside another of equal or higher severity, or on the very same span as one of higher severity or,
    for a base-policy finding, as the pack's own of equal severity."""
    def says_it(g, f):
        rank_g, rank_f = severity_rank(g.severity), severity_rank(f.severity)
        if (g.start, g.end) != (f.start, f.end):
            return rank_g >= rank_f
        return rank_g > rank_f or (rank_g == rank_f and f.detail["layer"] == "base" != g.detail["layer"])
    out = [f for f in findings if not any(
        g is not f and g.category == f.category and g.start <= f.start and f.end <= g.end and says_it(g, f)
        for g in findings)]
    return sorted(out, key=sort_key)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["confidential", "tone"]), st.sampled_from(SEVERITIES),
                          st.integers(0, 12), st.integers(0, 6)), max_size=25))
def test_contained_findings_are_dropped_as_before(spec):
    findings = [Finding(category=c, severity=s, rule=f"r{i}", start=a, end=a + w, excerpt="", message="", why="",
                        detail={"layer": "base" if i % 3 == 0 else "pack"})
                for i, (c, s, a, w) in enumerate(spec)]
    assert check_module._drop_contained(findings) == old_drop_contained(findings)


# -- normalization: the faster scanner gives the same tokens as the one it replaced ----------------

def reference_fold(ch):
    """_fold_char as it was: (normalized form, was upper)."""
    if unicodedata.category(ch) == "Cf":
        return "", False
    if ch.isascii():
        return ch.lower(), ch.isupper()
    s = "".join(d for d in unicodedata.normalize("NFKD", ch) if unicodedata.category(d) not in ("Mn", "Me"))
    return s.casefold(), ch.isupper()


def reference_tokens(text):
    """normalize() as it was before this work: the character scanner over the whole text, with a
    tuple per character and every check done per character."""
    utf16 = [0]
    for ch in text:
        utf16.append(utf16[-1] + (2 if ord(ch) > 0xFFFF else 1))
    tokens, word, hashtag = [], [], False
    nm = normalize_module

    def flush():
        nonlocal word, hashtag
        w = word
        if w:
            if any(c[0].isdigit() or c[0] in nm.JOINERS for c in w) and any(c[0].isalpha() for c in w):
                w = nm._deleet(w)
            if nm._mixes_latin("".join(c[0] for c in w)):
                w = [(c[0].translate(nm.CONFUSABLES),) + c[1:] for c in w]
            parts = nm._split_humps(w) if (hashtag or nm._hump_count(w) >= 2) else [w]
            for k, p in enumerate(parts):
                s = "".join(c[0] for c in p).strip(nm.JOINERS)
                if s:
                    tokens.append((s, p[0][1], p[-1][2], hashtag, k > 0))
        word, hashtag = [], False

    for i, ch in enumerate(text):
        folded, upper = reference_fold(ch)
        if folded == "":
            if word and unicodedata.category(ch) != "Cf":
                word[-1] = (word[-1][0], word[-1][1], utf16[i + 1], word[-1][3])
        elif all(c.isalnum() for c in folded):
            word.extend((c, utf16[i], utf16[i + 1], upper) for c in folded)
        elif ch in nm.JOINERS and word and i + 1 < len(text) and text[i + 1].isalnum():
            word.append((ch, utf16[i], utf16[i + 1], False))
        elif ch in "#@" and not word and i + 1 < len(text) and text[i + 1].isalnum():
            hashtag = True
        else:
            flush()
    flush()
    return tokens, utf16


SCAN_PIECES = list("aAbBzZ09145378@$#_-. ,'’\n\t!?x") + [
    "é", "e\u0301", "ß", "ﬁ", "½", "™", "Ｆ", "а", "о", "Г", "р", "α", "ο", "\u200b", "\u00ad", "\ufeff", "🚀",
    "👩‍👩‍👧", "\u0301", "ǅ", "İ", "①", "\ud800", "Σ", "\u00a0", "\u2060", "Falcon", "HTMLParser", "iPhone", "F4lc0n",
    "Qu13t", "#ProjectX", "@Nimbus", "Ca$h", "Zеntrіx", "AbAbAb", "ABCdef", "\U0001d400", "ǈ", "ǉ", "ϒ", "ς",
    "\U00010400", "\U00010428", "Ωmega", "ДЖ", "漢字", "Гроза"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(SCAN_PIECES), max_size=30).map("".join))
def test_normalize_gives_the_tokens_it_gave_before(text):
    norm = normalize(text)
    tokens, utf16 = reference_tokens(text)
    assert [tuple(t) for t in norm.tokens] == tokens
    assert norm.utf16 == utf16


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_normalize_gives_the_tokens_it_gave_before_on_any_text(text):
    norm = normalize(text)
    assert [tuple(t) for t in norm.tokens] == with_plus_words(text, reference_tokens(text)[0])


def with_plus_words(text, tokens):
    """The reference tokens and, since a plus sign closing a name became the word "plus" ("Disney+"),
    a "plus" per such sign: one or two of them right after a letter or digit, before no word character."""
    utf16 = [0]
    for ch in text:
        utf16.append(utf16[-1] + (2 if ord(ch) > 0xFFFF else 1))
    runs = [(m.start(), m.end()) for m in re.finditer(r"\++", text)]
    plus = [("plus", utf16[k], utf16[k + 1], False, False) for a, b in runs
            if a and text[a - 1].isalnum() and b - a <= 2 and not (b < len(text) and (text[b].isalnum() or text[b] == "_"))
            for k in range(a, b)]
    return sorted(tokens + plus, key=lambda t: t[1])


def test_a_term_repeated_all_over_a_draft_runs_its_per_term_checks_once(monkeypatch):
    from companion.pack.base import base_rule_ids

    pack = compile_pack({"format": "postguard/pack-v1", "id": "rep", "revision": 1, "company": {"name": "Rep"},
                         "base": {rule_id: "off" for rule_id in base_rule_ids()},   # count the terms' checks only
                         "confidential": [{"id": "conf.falcon", "term": "Falcon Ridge", "reason": "x",
                                           "allow": ["Falcon Ridge Trail"]},
                                          {"id": "conf.juniper", "term": "Juniper", "reason": "x",
                                           "requires_context": ["launch"]}]})
    calls = Counter()
    real = PhraseSet.find

    def find(self, tokens):
        calls["phrase sets"] += 1
        return real(self, tokens)

    monkeypatch.setattr(PhraseSet, "find", find)
    report = check(pack, CheckRequest("Falcon Ridge and the Juniper launch. " * 300, "facebook"))
    assert {f.rule for f in report.findings} == {"conf.falcon", "conf.juniper"}
    assert len(report.findings) == 600
    assert calls["phrase sets"] <= 20          # the old rule ran them for each of the 600 matches
    assert check(pack, CheckRequest("the Falcon Ridge Trail, Juniper", "facebook")).findings == []


@pytest.mark.parametrize("text", ["🚀" * 40, "a🚀" * 100 + "e\u0301", "\U00010000" * 33 + "\ud800x", "漢🚀" * 3])
def test_utf16_offsets_with_few_and_many_astral_characters(text):
    expected = [0]
    for ch in text:
        expected.append(expected[-1] + (2 if ord(ch) > 0xFFFF else 1))
    offsets = normalize_module.utf16_offsets(text)
    assert offsets == expected and all(type(x) is int for x in offsets)
