"""Token patterns: word sequences that match any form of each word, token classes and bounded gaps.

The syntax, one pattern per string (LanguageTool's token rules, written on one line):

    we will ... refund|replace|reimburse you      any form of each word; `a|b` is a choice
    alone at|in <workplace>                        <name> is a token class (built in or from the vocabulary)
    <you>|<payout>|it                              classes and words can be mixed in a choice
    on_fire|exploded                               `_` joins the words of a choice that is a phrase
    <company> ..4 promise                          `...` skips up to 3 words, `..N` up to N (N <= 6)
    really? =sue                                   `?` makes the element optional; `=word` matches that form only
                                                   (a leading `=` makes every word of the choice exact: =sue|sues;
                                                   `alarm|=алармата` keeps the one form exact)

Matching starts only at tokens that can begin the pattern (found through the per-check form index),
and every gap and class is bounded, so a pattern costs at most a fixed number of steps per start:
the whole check stays linear in the draft's length.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from companion.engine.language.anchors import Needs, pattern_anchors
from companion.engine.language.lemmas import base_form
from companion.engine.normalize import normalize

MAX_GAP = 6
MAX_ELEMENTS = 12
MAX_HITS = 200          # per pattern and check: a draft that repeats a phrase thousands of times says no more


class PatternSyntaxError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Element:
    kind: str                    # "choice" (words and classes) or "gap"
    keys: frozenset = frozenset()   # the word forms that match
    exact: bool = False          # words: surface form only
    classes: tuple[str, ...] = ()   # classes that match here
    phrases: tuple[tuple[frozenset, ...], ...] = ()   # choices of several words (on_fire): forms per word
    optional: bool = False
    gap: int = 0                 # gap: the most words it skips
    phrase_firsts: frozenset = frozenset()   # the forms any phrase's first word can take (a quick no)
    exact_keys: frozenset = frozenset()   # `=form` choices of an element that is not exact: surface forms only

    # A kept compiled pack (packsnapshot.py) holds thousands: as its fields, read back through __init__,
    # pickling is 8x faster than the dataclass's own way (which looks its fields up for each element).
    def __reduce__(self):
        return Element, (self.kind, self.keys, self.exact, self.classes, self.phrases,
                         self.optional, self.gap, self.phrase_firsts, self.exact_keys)


@dataclass(frozen=True, slots=True)
class TokenHit:
    first: int
    last: int
    source: str                  # the pattern as written
    payload: Any
    gaps: tuple[int, ...]        # token indexes skipped by gaps (assertion cues there count)
    parts: tuple[tuple[int, int], ...]   # token spans of the elements that matched, for the explanation


def _choice_element(text: str, optional: bool, known: set[str]) -> list[Element]:
    exact = text.startswith("=")
    text = text.lstrip("=")
    choices = text.split("|")
    classes = tuple(c[1:-1] for c in choices if c.startswith("<") and c.endswith(">"))
    for name in classes:
        if name not in known:
            raise PatternSyntaxError(f"unknown class <{name}> (known: {', '.join(sorted(known))})")
    words = [c for c in choices if not (c.startswith("<") and c.endswith(">"))]
    # a choice of its own written `=form` adds that form alone, not the other forms of its word
    token_lists = [(_tokens_of(c.lstrip("=")), exact or c.startswith("=")) for c in words]
    if any(not toks for toks, _ in token_lists):
        raise PatternSyntaxError(f"'{text}' has an empty choice")
    if len(choices) == 1 and token_lists and len(token_lists[0][0]) > 1 and "_" not in text:      # we'll -> we + ll
        return [Element("choice", frozenset(_keys(t, exact)), exact, optional=optional) for t in token_lists[0][0]]
    # in an element that is not exact, an `=form` choice is kept apart: were its form among the keys,
    # every word whose base form it is would match it too ("=drill" would take "drilled")
    keys = frozenset(k for toks, ex in token_lists if len(toks) == 1 and (exact or not ex) for k in _keys(toks[0], ex))
    exact_keys = frozenset() if exact else frozenset(toks[0] for toks, ex in token_lists if len(toks) == 1 and ex)
    phrases = tuple(tuple(frozenset(_keys(t, ex)) for t in toks) for toks, ex in token_lists if len(toks) > 1)
    firsts = frozenset().union(*(words[0] for words in phrases))
    return [Element("choice", keys, exact, classes, phrases, optional, phrase_firsts=firsts, exact_keys=exact_keys)]


@lru_cache(maxsize=1 << 16)
def _tokens_of(choice: str) -> tuple[str, ...]:
    """A choice's words as the matcher sees them: the same words recur across rules and packs."""
    return tuple(t.text for t in normalize(choice.replace("_", " ")).tokens)


def _keys(word: str, exact: bool) -> set[str]:
    return {word} if exact else {word, base_form(word)}


def parse(pattern: str, known_classes: Iterable[str]) -> tuple[Element, ...]:
    return _parse(pattern, frozenset(known_classes))


@lru_cache(maxsize=1 << 14)
def _parse(pattern: str, known: frozenset[str]) -> tuple[Element, ...]:
    """Parsed once per process: every pack repeats the base policy's patterns, and elements are frozen."""
    elements: list[Element] = []
    for raw in pattern.split():
        optional = raw.endswith("?") and len(raw) > 1
        item = raw[:-1] if optional else raw
        if item == "..." or (item.startswith("..") and item[2:].isdigit()):
            n = 3 if item == "..." else int(item[2:])
            if not 1 <= n <= MAX_GAP:
                raise PatternSyntaxError(f"a gap skips 1 to {MAX_GAP} words, not {n}")
            elements.append(Element("gap", gap=n))
        else:
            elements.extend(_choice_element(item, optional, known))
    if not elements:
        raise PatternSyntaxError("empty pattern")
    if elements[0].kind == "gap" or elements[-1].kind == "gap":
        raise PatternSyntaxError("a pattern cannot start or end with a gap")
    if elements[0].optional:
        raise PatternSyntaxError("the first element cannot be optional")
    if len(elements) > MAX_ELEMENTS:
        raise PatternSyntaxError(f"at most {MAX_ELEMENTS} elements in a pattern")
    return tuple(elements)


class TokenPatterns:
    """Many token patterns; `find(analysis)` gives every (leftmost, shortest) match of each."""

    def __init__(self, items: Iterable[tuple[str, Any]], known_classes: Iterable[str]):
        known = frozenset(known_classes)
        self.items = [(_parse(p, known), p, payload) for p, payload in items]
        self._index: tuple[Any, dict[str, list[int]], frozenset[str], dict[str, list[int]],
                           list[Needs | None], list[Needs]] | None = None

    def __bool__(self) -> bool:
        return bool(self.items)

    def required_elements(self) -> list[list[Element]]:
        """Per pattern, the elements every match of it holds: its choices that are not optional."""
        return [[e for e in elems if e.kind == "choice" and not e.optional] for elems, _, _ in self.items]

    def anchors(self, vocab) -> list[Needs]:
        """Per pattern, what a text must hold for it to match: its anchor (language/anchors.py)."""
        return self.index_for(vocab)[5]

    def index_for(self, vocab):
        """The patterns by their anchors' words and classes, worked out once per vocabulary. Asked for at
        compile time (the prefilter, the vocabulary's own classes), so a compiled pack carries it, also
        when read back from the cache: the first check does not weigh word frequencies."""
        index = self._index
        if index is None or index[0] is not vocab:
            by_word: dict[str, list[int]] = {}
            by_class: dict[str, list[int]] = {}
            anchors = pattern_anchors(self.required_elements(), vocab)
            for k, (first, _) in enumerate(anchors):
                for w in first.words:
                    by_word.setdefault(w, []).append(k)
                for name in first.classes:
                    by_class.setdefault(name, []).append(k)
            index = self._index = (vocab, by_word, frozenset(by_word), by_class,
                                   [second for _, second in anchors], [first for first, _ in anchors])
        return index

    def find(self, an) -> list[TokenHit]:
        hits: list[TokenHit] = []
        for k in self._candidates(an):
            elems, source, payload = self.items[k]
            starts = _positions(elems[0], an)
            if not starts:
                continue
            # Only starts that can reach the rarest required element are tried: a pattern whose words
            # are not all in the draft costs a few lookups, and a common first word ("we", "my") does
            # not send every one of its occurrences through the matcher.
            rarest, reach = _rarest_required(elems, an)
            if rarest is not None:
                if not rarest:
                    continue
                if len(rarest) < len(starts):        # starts with one of the rarest within reach
                    n = len(rarest)
                    starts = [i for i in starts if (k := bisect_left(rarest, i)) < n and rarest[k] <= i + reach]
            last_end = -1
            found = 0
            for i in starts:
                if i <= last_end:
                    continue
                if found >= MAX_HITS:
                    break
                parts = _match(elems, 0, i, an, [])
                if parts is not None:
                    end = parts[-1][1]          # elements match left to right: the last part ends last
                    hits.append(TokenHit(i, end, source, payload, _gap_tokens(parts), tuple(parts)))
                    last_end = end
                    found += 1
        return hits

    def _candidates(self, an) -> list[int]:
        """The patterns, in order, whose anchor and next rarest element the draft holds: one set
        intersection with the draft's forms instead of a look at every pattern (a rule or class has
        hundreds, most not in a draft)."""
        _, by_word, anchor_words, by_class, seconds, _ = self.index_for(an.vocab)
        pool = an.form_pool()
        # set & frozenset walks the smaller of the two (set & dict would walk every key of the dict)
        found = {k for w in pool.intersection(anchor_words) for k in by_word[w]}
        found.update(k for name, ks in by_class.items() if an.has_builtin(name) for k in ks)
        return sorted(k for k in found if seconds[k] is None or _holds(seconds[k], an, pool))


def _holds(needs: Needs, an, pool: set[str]) -> bool:
    return not needs.words.isdisjoint(pool) or any(an.has_builtin(name) for name in needs.classes)


MAX_CLASS_SPAN = 12     # the most words one class occurrence is taken to cover, for reach estimates


def _positions(e: Element, an) -> list[int]:
    """Sorted token positions where element `e` can begin (kept per draft: many patterns of a rule
    begin with the same class, and each pattern asks for its rarest element as well)."""
    if not e.classes and not e.phrases and not e.exact_keys:
        return an.starts_for(e.keys, e.exact) if e.keys else []
    kept = an.extra.setdefault("element positions", {})
    starts = kept.get(id(e))
    if starts is None:
        starts = an.starts_for(e.keys, e.exact) if e.keys else []
        more = [an.class_spans(c).keys() for c in e.classes] + [an.starts_for(e.exact_keys, True)]
        # a phrase's own positions, not its first word's: "is it just me" must not start at every "is"
        more += [_phrase_positions(words, an, e.exact) for words in e.phrases]
        starts = kept[id(e)] = sorted(set(starts).union(*more))
    return starts


def _phrase_positions(words: tuple[frozenset, ...], an, exact: bool) -> list[int]:
    """Where the phrase occurs: its rarest word's positions, kept where each other word is in its place
    (looked up in that word's positions, once there are more than a few to check)."""
    spots = [an.starts_for(w, exact) for w in words]
    if not all(spots):
        return []
    sizes = [len(x) for x in spots]
    j = sizes.index(min(sizes))
    found = [i - j for i in spots[j] if i >= j]
    size = an.size
    for k, w in enumerate(words):
        if k == j or not found:
            continue
        if len(found) < 8:
            found = [i for i in found if i + k < size and an.token_matches(i + k, w, exact)]
        else:
            held = an.position_set(w, exact)
            found = [i for i in found if i + k in held]
    return found


def _phrase_at(words: tuple[frozenset, ...], i: int, an, exact: bool) -> bool:
    return i + len(words) <= an.size and all(an.token_matches(i + j, w, exact) for j, w in enumerate(words))


def _rarest_required(elems, an) -> tuple[list[int] | None, int]:
    """Positions of the required element (after the first) that occurs least, and how far from the
    pattern's start it can lie; (None, 0) when the pattern has no such element."""
    best: list[int] | None = None
    best_reach = reach = 0
    for e in elems:
        if e is not elems[0] and e.kind == "choice" and not e.optional:
            found = _positions(e, an)
            if best is None or len(found) < len(best):
                best, best_reach = found, reach
        reach += e.gap if e.kind == "gap" else (
            MAX_CLASS_SPAN if e.classes else max([1, *(len(w) for w in e.phrases)]))
    return best, best_reach


def _gap_tokens(parts: list[tuple[int, int]]) -> tuple[int, ...]:
    """The tokens a match skipped: every token between two elements' parts lies in a gap."""
    return tuple(t for (_, last), (first, _) in zip(parts, parts[1:]) for t in range(last + 1, first))


def _match(elems, k: int, i: int, an, parts: list):
    """Match elems[k:] from token i; returns the parts (token spans of the elements that matched) or
    None. Bounded: gaps <= 6, classes few."""
    if k == len(elems):
        return parts
    e = elems[k]
    n = an.size
    if e.kind == "gap":
        for g in range(e.gap + 1):
            if i + g > n:
                break
            r = _match(elems, k + 1, i + g, an, parts)
            if r is not None:
                return r
        return None
    # phrases first: at one start the longest choice wins ("parking lot" before "parking")
    if e.phrases and i < n and an.token_matches(i, e.phrase_firsts, e.exact):
        for words in e.phrases:
            if _phrase_at(words, i, an, e.exact):
                r = _match(elems, k + 1, i + len(words), an, parts + [(i, i + len(words) - 1)])
                if r is not None:
                    return r
    if i < n and ((e.keys and an.token_matches(i, e.keys, e.exact))
                  or (e.exact_keys and an.token_matches(i, e.exact_keys, True))):
        r = _match(elems, k + 1, i + 1, an, parts + [(i, i)])
        if r is not None:
            return r
    for name in e.classes:
        for last in an.class_spans(name).get(i, ()):
            r = _match(elems, k + 1, last + 1, an, parts + [(i, last)])
            if r is not None:
                return r
    if e.optional:
        return _match(elems, k + 1, i, an, parts)
    return None
