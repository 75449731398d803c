"""The language view of one draft, built once per check and shared by every rule that asks for it.

It holds each token's possible base forms, an index from form to token positions (so a pattern is
tried only where its first word occurs), the token spans of every class a rule asks for (computed on
first use), and the clause each token is in (for negation, hedges and questions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.engine.language import lemmas, timeclasses
from companion.engine.normalize import Normalized

if TYPE_CHECKING:
    from companion.engine.language.vocabulary import Vocabulary

CLAUSE_MARKS = set(".!?;:,\n—–()\"“”")
SENTENCE_MARKS = set(".!?\n")
CLAUSE_WORDS = {"but", "however", "although", "though", "whereas", "но", "обаче", "ама", "макар"}


class Analysis:
    def __init__(self, norm: Normalized, vocab: "Vocabulary"):
        self.norm = norm
        self.vocab = vocab
        toks = norm.tokens
        self.size = len(toks)
        self.forms = norm.analyses.get("forms")           # shared by every vocabulary's view of this text
        if self.forms is None:
            self.forms = norm.analyses["forms"] = [lemmas.forms(t.text) for t in toks]
        self._by_form: dict[str, list[int]] | None = None
        self._by_text: dict[str, list[int]] | None = None
        self._classes: dict[str, dict[int, list[int]]] = {}
        self._starts: dict[tuple[frozenset, bool], list[int]] = {}
        self._pool: set[str] | None = None           # every form of every token of the draft
        self._pool_exact: set[str] | None = None     # every token as written (normalized)
        self._builtin: dict[str, list[tuple[int, int]]] | None = None
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

    def _words(self, exact: bool) -> set[str]:
        """Every token of the draft as written (exact), or every form of every token."""
        if exact:
            if self._pool_exact is None:
                self._pool_exact = {t.text for t in self.norm.tokens}
            return self._pool_exact
        if self._pool is None:
            self._pool = set().union(*self.forms)
        return self._pool

    def _find_starts(self, keys: frozenset, exact: bool) -> list[int]:
        if exact:
            if self._by_text is None:
                self._by_text = {}
                for i, t in enumerate(self.norm.tokens):
                    self._by_text.setdefault(t.text, []).append(i)
            index = self._by_text
        else:
            if self._by_form is None:
                self._by_form = {}
                for i, fs in enumerate(self.forms):
                    for f in fs:
                        self._by_form.setdefault(f, []).append(i)
            index = self._by_form
        if len(keys) > len(index):       # a big class against a short draft: walk the draft's forms
            found = [p for k, ps in index.items() if k in keys for p in ps]
        else:
            found = [p for k in keys for p in index.get(k, ())]
        return sorted(set(found)) if len(keys) > 1 else found

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
        if self._builtin is None:
            self._builtin = timeclasses.find(self.norm.regex_text)
        out = []
        for s, e in self._builtin.get(name, ()):
            r = self.norm.token_range(*self.norm.span16(s, e))
            if r:
                out.append(r)
        return out

    # -- clauses and sentences ----------------------------------------------------------------
    def _split(self) -> tuple[list[int], list[int], list[bool]]:
        """clause start and clause index of every token, and whether each clause is asked ("?")."""
        if self._clauses is not None:
            return self._clauses
        toks, text = self.norm.tokens, self.norm
        clause_start: list[int] = []
        clause: list[int] = []
        questions: list[bool] = []
        start = c = 0
        for i, t in enumerate(toks):
            if i:
                between = text.slice16(toks[i - 1].end, t.start)
                if (CLAUSE_MARKS | SENTENCE_MARKS) & set(between) or t.text in CLAUSE_WORDS or " - " in between:
                    questions.append("?" in between)
                    c += 1
                    start = i
            clause_start.append(start)
            clause.append(c)
        tail = text.slice16(toks[-1].end, text.utf16[-1]) if toks else ""
        questions.append("?" in tail)
        for i, t in enumerate(toks):                    # Bulgarian yes/no questions: "ще ни върнат ли парите"
            if t.text == "ли":
                questions[clause[i]] = True
        self._clauses = (clause_start, clause, questions)
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
