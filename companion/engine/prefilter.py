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


def met(needs: Needs, norm: Normalized) -> bool:
    """Does the text hold one of the needed words, word starts or built-in classes?"""
    pool, starts = form_pool(norm)
    if not needs.words.isdisjoint(pool) or not needs.starts.isdisjoint(starts):
        return True
    return any(builtin_spans(norm, name) for name in needs.classes)


class Prefilter:
    """Each rule's needs, from its `required()` at compile time; rules that name none are not in it."""

    def __init__(self, rules: list = ()):
        self._needs: dict[int, tuple[object, tuple | None, tuple | None]] = {}
        for rule in rules:
            req = rule.required()
            if req is None:
                continue
            draft, reply = _all_needs(req.draft), _all_needs(req.reply)
            if draft == () or reply == ():      # one way needs nothing that can be told: always may fire
                continue
            self._needs[id(rule)] = (rule, draft, reply)

    def may_fire(self, rule, draft: Normalized, reply: Normalized | None) -> bool:
        entry = self._needs.get(id(rule))
        if entry is None or entry[0] is not rule:   # a rule the pack was not compiled with: run it
            return True
        _, in_draft, in_reply = entry
        if in_draft is not None and all(met(n, draft) for n in in_draft):
            return True
        return in_reply is not None and reply is not None and all(met(n, reply) for n in in_reply)


def _all_needs(matchers: tuple[Matcher, ...] | None) -> tuple[Needs, ...] | None:
    """The needs of every matcher that can tell, those without built-in classes first (cheaper)."""
    if matchers is None:
        return None
    needs = [n for n in map(matcher_needs, matchers) if n is not None]
    return tuple(sorted(needs, key=lambda n: bool(n.classes)))
