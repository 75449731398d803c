"""The language view of one draft, built once per check and shared by every rule that asks for it.

It holds each token's possible base forms, an index from form to token positions (so a pattern is
tried only where its first word occurs), the token spans of every class a rule asks for (computed on
first use), and the clause each token is in (for negation, hedges and questions).
"""

from __future__ import annotations

import re
from operator import attrgetter
from typing import TYPE_CHECKING

import numpy as np

from companion.engine.addresses import tokens_inside
from companion.engine.language import lemmas, timeclasses
from companion.engine.normalize import Normalized

if TYPE_CHECKING:
    from companion.engine.language.vocabulary import Vocabulary

CLAUSE_MARKS = ".!?;:,\n—–()\"“”"      # any of these between two words ends a clause
_MARK = re.compile("[" + re.escape(CLAUSE_MARKS) + "]")
CLAUSE_WORDS = {"but", "however", "although", "though", "whereas", "но", "обаче", "ама", "макар"}
# Bulgarian puts a comma before "че" ("Надявам се, че ще ви върнат парите"): that comma does not end the
# clause, so a hedge or a negation before it still reads what follows, as "I hope they refund you" does.
THAT_WORDS = {"че", "che"}


def _mark_positions(text: str, utf16: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UTF-16 offsets (as tokens have them) of the clause marks, of the question marks and of every
    " - " in a text."""
    if utf16[-1] == len(text):        # no astral characters: code points are UTF-16 offsets
        def at(m):
            return m.start()
    else:
        def at(m):
            return utf16[m.start()]
    marks = np.fromiter(map(at, _MARK.finditer(text)), dtype=np.int64)
    asks = np.fromiter(map(at, re.finditer(r"\?", text)), dtype=np.int64)
    dashes = np.fromiter(map(at, re.finditer(" - ", text)), dtype=np.int64)
    return marks, asks, dashes


def token_forms(norm: Normalized) -> list[frozenset[str]]:
    """Every token's forms (lemmas.forms), computed once per text and shared by everything that reads them."""
    forms = norm.analyses.get("forms")
    if forms is None:
        forms = norm.analyses["forms"] = [lemmas.forms(t.text) for t in norm.tokens]
    return forms


def form_pool(norm: Normalized) -> tuple[set[str], set[str]]:
    """Every form of every token of the text, and the first 3 letters of every token (once per text)."""
    pool = norm.analyses.get("form pool")
    if pool is None:
        pool = norm.analyses["form pool"] = (set().union(*token_forms(norm)), {t.text[:3] for t in norm.tokens})
    return pool


def builtin_spans(norm: Normalized, name: str) -> list[tuple[int, int]]:
    """A built-in class's code-point spans in the text (timeclasses), found once per text and class."""
    found = norm.analyses.get("builtin classes")
    if found is None:
        found = norm.analyses["builtin classes"] = timeclasses.Found(norm.regex_text)
    return found.spans(name)


class Analysis:
    def __init__(self, norm: Normalized, vocab: "Vocabulary"):
        self.norm = norm
        self.vocab = vocab
        toks = norm.tokens
        self.size = len(toks)
        self.forms = token_forms(norm)           # shared by every vocabulary's view of this text
        self._by_form: dict[str, list[list[int]]] | None = None     # form -> the positions of each word in it
        self._by_text: dict[str, list[int]] | None = None
        self._classes: dict[str, dict[int, list[int]]] = {}
        self._starts: dict[tuple[frozenset, bool], list[int]] = {}
        self._position_sets: dict[tuple[frozenset, bool], frozenset[int]] = {}
        self._pool_exact: set[str] | None = None     # every token as written (normalized)
        self._clauses: tuple[list[int], list[int], list[bool]] | None = None
        self._busy: set[str] = set()
        self.extra: dict = {}     # per-check results other modules keep here (assertion cues)

    # -- words --------------------------------------------------------------------------------
    def starts_for(self, keys: frozenset, exact: bool) -> list[int]:
        """Sorted positions of tokens in one of these forms (kept: patterns share their words)."""
        if keys.isdisjoint(self._words(exact)):          # most words of most rules are not in a given draft
            return []
        cached = self._starts.get((keys, exact))
        if cached is None:
            cached = self._starts[(keys, exact)] = self._find_starts(keys, exact)
        return cached

    def form_pool(self) -> set[str]:
        """Every form of every token of the draft."""
        return form_pool(self.norm)[0]

    def has_builtin(self, name: str) -> bool:
        """Does the draft hold the built-in class `name` (language/timeclasses.py) anywhere?"""
        return bool(builtin_spans(self.norm, name))

    def _words(self, exact: bool) -> set[str]:
        """Every token of the draft as written (exact), or every form of every token."""
        if exact:
            if self._pool_exact is None:
                self._pool_exact = {t.text for t in self.norm.tokens}
            return self._pool_exact
        return form_pool(self.norm)[0]

    def _find_starts(self, keys: frozenset, exact: bool) -> list[int]:
        if self._by_text is None:
            self._by_text = {}
            in_links = tokens_inside(self.norm)         # a link's words are not the draft's
            for i, t in enumerate(self.norm.tokens):
                if i not in in_links:
                    self._by_text.setdefault(t.text, []).append(i)
        if exact:
            index = self._by_text
        else:
            if self._by_form is None:
                # a word's forms are the same wherever it stands: indexed once per distinct word
                self._by_form = {}
                forms = self.forms
                for positions in self._by_text.values():
                    for f in forms[positions[0]]:
                        self._by_form.setdefault(f, []).append(positions)
            index = self._by_form
        found: list[int] = []
        lists = 0
        for k in (keys.intersection(index) if len(keys) > len(index) else keys):
            ps = index.get(k)
            if ps:
                if exact:
                    found.extend(ps)
                    lists += 1
                else:
                    for positions in ps:
                        found.extend(positions)
                    lists += len(ps)
        # several words, or one token in several of the forms (its lemma and its inflection): merge once
        return sorted(set(found)) if lists > 1 else found

    def position_set(self, keys: frozenset, exact: bool) -> frozenset[int]:
        """starts_for's positions as a set, for many membership tests (kept like them)."""
        held = self._position_sets.get((keys, exact))
        if held is None:
            held = self._position_sets[(keys, exact)] = frozenset(self.starts_for(keys, exact))
        return held

    def token_matches(self, i: int, keys: frozenset, exact: bool) -> bool:
        if exact:
            return self.norm.tokens[i].text in keys
        return not keys.isdisjoint(self.forms[i])

    # -- classes ------------------------------------------------------------------------------
    def class_spans(self, name: str) -> dict[int, list[int]]:
        """first token → last tokens of every occurrence of the class (longest first)."""
        spans = self._classes.get(name)
        if spans is not None:
            return spans
        if name in self._busy:
            raise ValueError(f"class <{name}> refers to itself")
        self._busy.add(name)
        try:
            pairs: list[tuple[int, int]] = []
            if name in timeclasses.PATTERNS:
                pairs = self._builtin_pairs(name)
            patterns = self.vocab.classes.get(name)
            if patterns:
                pairs += [(h.first, h.last) for h in patterns.find(self)]
        finally:
            self._busy.discard(name)
        spans = {}
        for a, b in sorted(set(pairs), key=lambda p: (p[0], -p[1])):
            spans.setdefault(a, []).append(b)
        self._classes[name] = spans
        return spans

    def _builtin_pairs(self, name: str) -> list[tuple[int, int]]:
        out = []
        for s, e in builtin_spans(self.norm, name):
            r = self.norm.token_range(*self.norm.span16(s, e))
            if r:
                out.append(r)
        return out

    # -- clauses and sentences ----------------------------------------------------------------
    def _split(self) -> tuple[list[int], list[int], list[bool]]:
        """clause start and clause index of every token, and whether each clause is asked ("?").

        A clause ends where the text between two tokens holds a clause mark or " - ", or a clause
        word begins; found with array searches over the marks' positions, linear in the draft."""
        if self._clauses is not None:
            return self._clauses
        toks, norm = self.norm.tokens, self.norm
        if not toks:
            self._clauses = ([], [], [False])
            return self._clauses
        marks, asks, dashes = _mark_positions(norm.text, norm.utf16)
        starts = np.fromiter(map(attrgetter("start"), toks), dtype=np.int64, count=len(toks))
        ends = np.fromiter(map(attrgetter("end"), toks), dtype=np.int64, count=len(toks))
        texts = list(map(attrgetter("text"), toks))
        lo, hi = ends[:-1], starts[1:]            # the text between token i-1 and token i
        marked = np.searchsorted(marks, lo) < np.searchsorted(marks, hi)
        asked = np.searchsorted(asks, lo) < np.searchsorted(asks, hi)
        k = np.searchsorted(dashes, lo)           # " - ": the first one after token i-1 ends before token i
        dashed = np.zeros(len(lo), dtype=bool)
        inside = k < len(dashes)
        dashed[inside] = dashes[k[inside]] + 3 <= hi[inside]
        worded = np.fromiter(map(CLAUSE_WORDS.__contains__, texts[1:]), dtype=bool, count=len(toks) - 1)
        between = marked | dashed | worded
        if THAT_WORDS.intersection(texts):
            for j, text in enumerate(texts[1:]):
                if text in THAT_WORDS and marked[j] and not dashed[j] and not worded[j] \
                        and norm.slice16(int(lo[j]), int(hi[j])).strip() == ",":
                    between[j] = False
        breaks = np.concatenate(([False], between))
        index = np.arange(len(toks))
        clause_start = np.maximum.accumulate(np.where(breaks, index, 0))
        clause = np.cumsum(breaks)
        questions = np.concatenate((asked[breaks[1:]], [np.searchsorted(asks, ends[-1]) < len(asks)])).tolist()
        clause = clause.tolist()
        if "ли" in texts:                               # Bulgarian yes/no questions: "ще ни върнат ли парите"
            for i, text in enumerate(texts):
                if text == "ли":
                    questions[clause[i]] = True
        self._clauses = (clause_start.tolist(), clause, questions)
        return self._clauses

    def clause_start(self, i: int) -> int:
        return self._split()[0][i]

    def in_question(self, i: int) -> bool:
        _, clause, questions = self._split()
        return questions[clause[i]]


def analyse(norm: Normalized, vocab: "Vocabulary") -> Analysis:
    """The draft's analysis for this vocabulary, built on first use and kept for the rest of the check."""
    cache = norm.analyses
    an = cache.get(id(vocab))
    if an is None or an.vocab is not vocab:
        an = cache[id(vocab)] = Analysis(norm, vocab)
    return an
