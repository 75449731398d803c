"""The per-rule prefilter: which rules cannot find anything in a draft, told from its words alone.

When the pack is compiled, each rule's `required()` (kinds/base.py) names the matchers that must all
find something for it to fire. What a text must hold for a matcher to find anything is the union of
its phrases' and token patterns' anchors: each phrase holds all its words, so its rarest word stands
for it; each token pattern holds all its required elements, so its rarest element does
(language/anchors.py: words in any form, built-in classes such as a clock time). Per check, the
draft's word forms, collected once, settle most rules with a set test or two, and check.py runs only
the rules that may fire. Exact: a rule skipped is one whose run() would have found nothing. A
matcher with regular expressions may match anywhere, and a rule that names no matchers is never
skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.engine.language.analysis import builtin_spans, form_pool
from companion.engine.language.anchors import NOTHING, Needs, commonness
from companion.engine.matcher import Matcher
from companion.engine.normalize import Normalized


@dataclass(frozen=True)
class Required:
    """What a rule needs to fire: every matcher of `draft` finding something in the draft, or every
    matcher of `reply` finding something in the message answered. None: not that way."""
    draft: tuple[Matcher, ...] | None
    reply: tuple[Matcher, ...] | None = None


def matcher_needs(m: Matcher) -> Needs | None:
    """What a text must hold for `m` to find anything; None when it cannot be told (regex patterns)."""
    if m.patterns:
        return None
    needs = NOTHING
    for phrase in m.phrases.phrases():
        exact = [w for w, is_prefix in phrase if not is_prefix]
        if exact:
            needs |= Needs(words=frozenset({min(exact, key=commonness)}))
        else:             # prefix words only: a hit begins where a token starts like the first one
            needs |= Needs(starts=frozenset({phrase[0][0][:3]}))
    if m.tokens:
        for anchor in m.tokens.anchors(m.vocab):
            needs |= anchor
    return needs


class Prefilter:
    """Each rule's needs, from its `required()` at compile time (rules that name none are not in it),
    and one pass over a text's forms that tells which needs it holds."""

    def __init__(self, rules: list = ()):
        self._needs: list[Needs] = []
        self._by_word: dict[str, list[int]] = {}     # word -> the needs it meets
        self._by_start: dict[str, list[int]] = {}
        self._rules: dict[int, tuple[object, tuple[int, ...] | None, tuple[int, ...] | None]] = {}
        for rule in rules:
            req = rule.required()
            if req is None:
                continue
            draft, reply = self._number(req.draft), self._number(req.reply)
            if draft == () or reply == ():      # one way needs nothing that can be told: always may fire
                continue
            self._rules[id(rule)] = (rule, draft, reply)

    def may_fire(self, rule, draft: Normalized, reply: Normalized | None) -> bool:
        entry = self._rules.get(id(rule))
        if entry is None or entry[0] is not rule:   # a rule the pack was not compiled with: run it
            return True
        _, in_draft, in_reply = entry
        if in_draft is not None and self._holds(in_draft, draft):
            return True
        return in_reply is not None and reply is not None and self._holds(in_reply, reply)

    def _holds(self, numbers: tuple[int, ...], norm: Normalized) -> bool:
        """Does the text hold every one of these needs (by its words, or by a built-in class)?"""
        held = self._held(norm)
        return all(k in held or any(builtin_spans(norm, name) for name in self._needs[k].classes) for k in numbers)

    def _held(self, norm: Normalized) -> set[int]:
        """The needs the text holds by its words or word starts: one pass over its forms, once per text."""
        held = norm.analyses.get(self)
        if held is None:
            pool, starts = form_pool(norm)
            held = norm.analyses[self] = set()
            for index, keys in ((self._by_word, pool), (self._by_start, starts)):
                for key in keys:
                    found = index.get(key)
                    if found:
                        held.update(found)
        return held

    def _number(self, matchers: tuple[Matcher, ...] | None) -> tuple[int, ...] | None:
        """The numbers of the needs of every matcher that can tell, those without built-in classes first."""
        if matchers is None:
            return None
        numbers = []
        for needs in _all_needs(matchers):
            k = len(self._needs)
            self._needs.append(needs)
            for w in needs.words:
                self._by_word.setdefault(w, []).append(k)
            for start in needs.starts:
                self._by_start.setdefault(start, []).append(k)
            numbers.append(k)
        return tuple(numbers)


def _all_needs(matchers: tuple[Matcher, ...]) -> list[Needs]:
    """The needs of every matcher that can tell, those without built-in classes first (cheaper)."""
    needs = [n for n in map(matcher_needs, matchers) if n is not None]
    return sorted(needs, key=lambda n: bool(n.classes))
