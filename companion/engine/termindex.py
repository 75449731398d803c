"""Find confidential terms in a draft: exact through Aho-Corasick, typos through a deletion index.

Cost grows with the draft, hardly with the number of terms (bench/README.md has the figures):
1. Exact stage: one Aho-Corasick pass over the draft's tokens written together ("falconridge")
   finds every term form by its compact key. A hit counts when it starts and ends on token
   boundaries — "Falcon Ridge", "Falcon-Ridge", "FalconRidge", "#FalconRidge" alike — or lies
   inside one #hashtag whose other letters read as words ("#falconridgelaunch"). A hit that splits
   the words differently from the term ("Velm ora" for Velmora) is a close match (not exact,
   distance 0) unless it is made only of ordinary words.
2. Fuzzy stage: every word of 4+ letters and every compact form is an anchor; a symmetric-deletion
   index (SymSpell, distance 1) on the anchors yields candidates for the draft's words, and
   rapidfuzz's Levenshtein distance verifies the whole term against a window of draft tokens. The
   index is one sorted array of 64-bit key hashes with 32-bit ids: 12 bytes per key instead of a
   dict entry, list and tuple per key (~700 MB at 100k terms). A word many terms share ("project",
   "silver") has one id for all of them, not one per term: a draft word close to it costs one id,
   and its terms are reached only through another word of theirs near it (a pair of such words
   through their sorted term lists).
3. Dictionary guard: a correctly spelled ordinary word is never treated as a typo, and a window made
   only of ordinary words never matches fuzzily ("falcon bridge" is not "Falcon Ridge"). A term
   that is one ordinary word ("Juniper") matches only exactly, unless the caller reports it only
   next to a context word (`context_gated`): then "Junipr" counts too.
4. Budget: every step whose number depends on the draft or the pack (a key looked up, an id read,
   a neighbour visited, a window compared, an Aho-Corasick hit) is paid from a `Budget` before it
   is done, and no stage reads more than its cap of ids per key, candidates per draft word or
   matches per draft. Whatever the text (up to the API's 70,000 characters) or the pack, a `find`
   does a bounded amount of work; one that runs out returns what it found and says so
   (`Budget.truncated`). bench/run's drafts and packs use under a third of the budget and hit no
   cap; bench/run-adversarial's hostile ones are stopped by them.

A TermIndex is built once per pack and never changes afterwards: `find` reads shared state only, so
concurrent checks may share one index, and a pack reload swaps the whole object. `to_parts` and
`from_parts` turn it into flat arrays plus lists of strings and back, for the compiled-pack cache
(companion/packcache.py): the keys are `key_hash` values, the same in every process, and
PARTS_FORMAT names the layout (bump it whenever the parts or the hash change).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter
from typing import Collection, Sequence
from zlib import adler32, crc32

import ahocorasick
import numpy as np
from rapidfuzz.distance import Levenshtein

from companion.engine import lexicon
from companion.engine.normalize import LEET, Token, normalize

MIN_ANCHOR = 4          # shorter words are too ambiguous to anchor a fuzzy match
MAX_ANCHOR = 64         # longer words and compact forms match exactly only (a word's deletions cost its length squared)
_TEXT, _HASHTAG = attrgetter("text"), attrgetter("hashtag")
WORD_SALT = 0x5BD1E9955BD1E995     # tells a whole-word key from an anchor or deletion key
RARE = 1                # occurrence flag: a word of 4+ letters of a multi-word form, not shared by many terms
MIN_INSIDE_TAG = 5      # a term found inside a longer #hashtag needs at least this many letters
MAX_TAG_REST = 4 * lexicon.MAX_SEGMENT   # lexicon.segmentable says no to longer rests of a #tag
LEET_DIGITS = str.maketrans({d: ch for d, ch in LEET.items() if d.isdigit()})
ASCII_DIGITS = "0123456789".__contains__
MIN_RESPLIT = 5         # "Velm ora" for Velmora: only for compact forms this long

# The work one check may do in the index. A unit is one step of Python-level work (see Budget), under
# a microsecond here. The benchmark's 63,206-character drafts against 100,000 terms spend at most
# ~29,000 units and report at most 430 matches, and hit no cap (bench/README.md).
WORK_UNITS = 100_000
MAX_MATCHES = 1_000         # matches reported per draft (each costs the rule its per-term checks and a finding)
KEY_IDS = 256               # ids read per key looked up
WORD_CANDIDATES = 128       # forms verified around one draft word
WORD_COMMONS = 8            # shared words one draft word may be a typo of
PAY_BLOCK = 64              # the exact stage pays for its hits this many units at a time
PARTS_FORMAT = 1            # the layout of to_parts/from_parts and of key_hash: bump on any change


class Budget:
    """What one `find` may still spend, and why it stopped short if it did.

    A stage pays before it works (the exact stage pays for its Aho-Corasick hits in blocks of
    PAY_BLOCK units, just after them): `spend` refuses once the units are gone, and from then on
    every stage stops. A cap (too many ids under one key, candidates around one word) skips the rest of
    that key or word only. Either way `truncated` names the first limit hit: "work", "matches" or
    "candidates"; None when the whole draft was searched.
    """

    __slots__ = ("units", "matches", "truncated", "spent")

    def __init__(self, units: int = WORK_UNITS, matches: int = MAX_MATCHES):
        self.units = units
        self.matches = matches
        self.spent = 0
        self.truncated: str | None = None

    def spend(self, n: int) -> bool:
        if n > self.units:
            self.units = 0
            self.hit("work")
            return False
        self.units -= n
        self.spent += n
        return True

    def hit(self, limit: str) -> None:
        if self.truncated is None:
            self.truncated = limit

    @property
    def exhausted(self) -> bool:
        return self.units <= 0


@dataclass(frozen=True, slots=True)
class TermMatch:
    entry: int          # index of the term entry
    form: str           # the term or alias that matched, as written in the pack
    first: int          # first draft token
    last: int           # last draft token (inclusive)
    exact: bool
    distance: int       # edit distance of the compact forms (0 for exact)


def word_budget(n: int) -> int:
    return 0 if n <= 3 else 1 if n <= 5 else 2


def term_budget(n: int) -> int:
    return 1 if n < 9 else 2 if n < 25 else 3


def key_hash(text: str) -> int:
    """A 64-bit hash of `text` that is the same in every process (Python's str hash is seeded per
    process), so a built index can be stored: CRC-32 and Adler-32 of the UTF-8 bytes side by side.
    Two C calls, close to hash() in cost; a collision only adds a candidate, which verification judges."""
    data = text.encode("utf-8", "surrogatepass")    # a draft may hold a lone surrogate
    return crc32(data) | adler32(data) << 32


def deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def ascii_digits(text: str) -> str:
    return "".join(filter(ASCII_DIGITS, text))


class TermIndex:
    """Built once per pack; read-only afterwards, so checks can share it across threads."""

    def __init__(self, entries: Sequence[Sequence[str]], context_gated: Collection[int] = ()):
        """entries[i] is the list of forms (term + aliases) of entry i. Entries in `context_gated` are
        only reported next to a context word (checked by the caller), which is evidence enough for a
        typo of a lone ordinary word ("Junipr app") to count."""
        self._dictionary = lexicon.words()
        interned: dict[str, str] = {}
        gated = frozenset(context_gated)
        entry_of: list[int] = []
        written_of: list[str] = []
        words_of: list[tuple[str, ...]] = []
        for e, forms in enumerate(entries):
            for written in forms:
                words = tuple(interned.setdefault(t.text, t.text) for t in normalize(written).tokens)
                if words:
                    entry_of.append(e)
                    written_of.append(written)
                    words_of.append(words)
        self._entry = entry_of
        self._written = written_of
        self._words = words_of
        self._max_words = max((len(w) for w in words_of), default=0)
        # A lone ordinary word ("Juniper") without a context gate, or a very short word, only ever
        # matches exactly.
        self._fuzzy_ok = [not (len(w) == 1 and ((w[0] in self._dictionary and e not in gated)
                                                or len(w[0]) < MIN_ANCHOR + 1))
                          for w, e in zip(words_of, entry_of)]
        self._build_exact()
        self._build_fuzzy()

    def __len__(self) -> int:
        return len(self._words)

    # -- build -------------------------------------------------------------------------------
    def _build_exact(self) -> None:
        """One automaton key per distinct compact form; key id -> forms through a CSR pair of lists."""
        key_id: dict[str, int] = {}
        forms_of_key: list[list[int]] = []
        for f, words in enumerate(self._words):
            compact = "".join(words)
            k = key_id.setdefault(compact, len(key_id))
            if k == len(forms_of_key):
                forms_of_key.append([])
            forms_of_key[k].append(f)
        self._key_len = array("i", (len(key) for key in key_id))
        self._key_forms = [tuple(fs) for fs in forms_of_key]
        self._ac = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key, k in key_id.items():
            self._ac.add_word(key, k)
        if key_id:
            self._ac.make_automaton()
        self._has_exact = bool(key_id)

    def _build_fuzzy(self) -> None:
        """Occurrences: every word of a multi-word form, every word of 4+ letters, every compact form.

        One sorted hash array holds two kinds of keys:
        - anchors (words of 4+ letters and compact forms) and each of their one-letter deletions: a
          draft word that is not an ordinary word looks itself and its deletions up among these;
        - the words of multi-word forms as written (hashes salted with WORD_SALT): an ordinary draft
          word looks itself up here (among the rarer words only), and they also tell which forms hold
          a given word.
        A word of multi-word forms shared by many terms ("project", "silver": more than
        max(20, n/2000) of them) is "common": its keys lead to one id, ~c, and its forms are a
        sorted list (`_common_forms`). A form is a candidate through it only when another word of
        the form is near (written out, or itself a close match), otherwise a typo of "project" would
        verify every "Project ..." term.
        """
        words_of = self._words
        df = Counter(w for words in words_of for w in set(words))
        threshold = max(20, len(words_of) // 2000)
        common_id: dict[str, int] = {}
        common_forms: list[list[int]] = []
        hashes, key_id = array("Q"), array("i")
        occ_form, occ_pos, occ_flag = array("i"), array("b"), bytearray()

        def add_keys(word: str, ident: int, anchor: bool, written: bool) -> None:
            if anchor:
                keys = deletes(word)
                keys.add(word)
                hashes.extend(map(key_hash, keys))
                key_id.extend([ident] * len(keys))
            if written:
                hashes.append(key_hash(word) ^ WORD_SALT)
                key_id.append(ident)

        for f, words in enumerate(words_of):
            if not self._fuzzy_ok[f]:
                continue
            multi = len(words) > 1
            for pos, word in enumerate(words):
                anchor = MIN_ANCHOR <= len(word) <= MAX_ANCHOR
                if multi and df[word] > threshold:
                    c = common_id.get(word)
                    if c is None:
                        c = common_id[word] = len(common_forms)
                        common_forms.append([])
                        add_keys(word, ~c, anchor, True)
                    if not common_forms[c] or common_forms[c][-1] != f:
                        common_forms[c].append(f)
                    continue
                if not (multi or anchor):
                    continue
                o = len(occ_form)
                occ_form.append(f)
                occ_pos.append(min(pos, 127))
                occ_flag.append(RARE if anchor and multi else 0)
                add_keys(word, o, anchor, multi)
            compact = "".join(words)
            if multi and len(compact) <= MAX_ANCHOR:             # pos -1: compare against the compact form
                o = len(occ_form)
                occ_form.append(f)
                occ_pos.append(-1)
                occ_flag.append(0)
                add_keys(compact, o, True, False)
        self._keys = _SortedKeys.build(hashes, key_id)
        self._occ_form, self._occ_pos, self._occ_flag = occ_form, occ_pos, bytes(occ_flag)
        self._common_words = list(common_id)
        self._common_reach = [max(len(words_of[f]) for f in fs) for fs in common_forms]   # its longest form
        self._common_start = np.array([0, *accumulate(map(len, common_forms))], dtype=np.int64)
        self._common_forms = np.array([f for fs in common_forms for f in fs], dtype=np.int32)
        self._compact = ["".join(w) if ok else "" for w, ok in zip(words_of, self._fuzzy_ok)]

    # -- store -------------------------------------------------------------------------------
    def to_parts(self) -> tuple[dict[str, np.ndarray], dict]:
        """The index as flat numpy arrays plus a JSON-able dict of its strings (no Python objects:
        the cache stores them with np.save and json; its pickled rule objects only name the index).
        `from_parts` is the inverse."""
        key_forms = [f for fs in self._key_forms for f in fs]
        arrays = {
            "entry": np.array(self._entry, dtype=np.int32),
            "form_words": np.array([len(w) for w in self._words], dtype=np.int32),
            "fuzzy_ok": np.array(self._fuzzy_ok, dtype=np.uint8),
            "key_len": np.frombuffer(self._key_len, dtype=np.int32),
            "key_start": np.array([0, *accumulate(map(len, self._key_forms))], dtype=np.int64),
            "key_forms": np.array(key_forms, dtype=np.int32),
            "key_hash": self._keys.hash, "key_ids": self._keys.ids,
            "occ_form": np.frombuffer(self._occ_form, dtype=np.int32),
            "occ_pos": np.frombuffer(self._occ_pos, dtype=np.int8),
            "occ_flag": np.frombuffer(self._occ_flag, dtype=np.uint8),
            "common_reach": np.array(self._common_reach, dtype=np.int32),
            "common_start": self._common_start, "common_forms": self._common_forms,
        }
        text = {"format": PARTS_FORMAT, "written": self._written, "words": [w for ws in self._words for w in ws],
                "common_words": self._common_words}
        return arrays, text

    @classmethod
    def from_parts(cls, arrays: dict[str, np.ndarray], text: dict) -> TermIndex:
        """An index from `to_parts`' output, the same as the one built: `find` gives the same answers.
        Raises ValueError when the parts do not fit together (a damaged or foreign cache), before any
        of them is used; the key arrays are used as given (they may map a file)."""
        _parts_fit(arrays, text)
        self = cls.__new__(cls)
        self._dictionary = lexicon.words()
        interned: dict[str, str] = {}
        words = [interned.setdefault(w, w) for w in text["words"]]
        ends = list(accumulate(arrays["form_words"].tolist()))
        self._words = [tuple(words[a:b]) for a, b in zip([0, *ends], ends)]
        self._entry = arrays["entry"].tolist()
        self._written = list(text["written"])
        self._max_words = max(map(len, self._words), default=0)
        self._fuzzy_ok = [bool(x) for x in arrays["fuzzy_ok"].tolist()]
        # Exact stage: the automaton is rebuilt from the compact keys (0.2 s at 100k terms).
        self._key_len = array("i", arrays["key_len"].tobytes())
        start, flat = arrays["key_start"].tolist(), arrays["key_forms"].tolist()
        self._key_forms = [tuple(flat[a:b]) for a, b in zip(start, start[1:])]
        self._ac = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for k, forms in enumerate(self._key_forms):
            key = "".join(self._words[forms[0]])
            if len(key) != self._key_len[k]:
                raise ValueError(f"term index part key_len does not fit key {k}")
            self._ac.add_word(key, k)
        self._has_exact = bool(self._key_forms)
        if self._has_exact:
            self._ac.make_automaton()
        # Fuzzy stage.
        self._keys = _SortedKeys(arrays["key_hash"], arrays["key_ids"])
        self._occ_form = array("i", arrays["occ_form"].tobytes())
        self._occ_pos = array("b", arrays["occ_pos"].tobytes())
        self._occ_flag = arrays["occ_flag"].tobytes()
        self._common_words = list(text["common_words"])
        self._common_reach = arrays["common_reach"].tolist()
        self._common_start = np.array(arrays["common_start"], dtype=np.int64)
        self._common_forms = np.array(arrays["common_forms"], dtype=np.int32)
        self._compact = ["".join(w) if ok else "" for w, ok in zip(self._words, self._fuzzy_ok)]
        return self

    def fits(self, entries: Sequence[Sequence[str]]) -> bool:
        """Was this index built from these entries? Every form it holds is one of its entry's forms
        (a cheap guard against an index stored for another pack)."""
        n = len(entries)
        return all(0 <= e < n and w in entries[e] for e, w in zip(self._entry, self._written))

    def memory_bytes(self) -> int:
        """Bytes held by the arrays of the fuzzy stage (the benchmark reports the whole RSS growth)."""
        return (self._keys.nbytes + len(self._occ_form) * 4 + len(self._occ_pos) + len(self._occ_flag)
                + self._common_start.nbytes + self._common_forms.nbytes)

    # -- query -------------------------------------------------------------------------------
    def find(self, tokens: list[Token], budget: Budget | None = None) -> list[TermMatch]:
        """Every term form found in the tokens: exact matches first (at each position the longest
        first), then close matches. A close match is left out when it lies inside an exact match's
        span, or overlaps an exact match of the same term ("FalconRidge is" is not a closer look at
        "FalconRidge"). Pass a Budget to learn whether the search stopped short."""
        if budget is None:
            budget = Budget()
        if not tokens:
            return []
        matches = self._find_exact(tokens, budget)
        fuzzy = self._find_fuzzy(tokens, budget, budget.matches - len(matches))
        if fuzzy:
            have = {(m.entry, m.first, m.last) for m in matches}
            # Per token, over the exact matches covering it: the farthest end among those starting at
            # or before it (a close match inside one starts at a covered token), and their entries.
            reach_end: dict[int, int] = {}
            entries_at: dict[int, set[int]] = {}
            for m in matches:
                if m.exact:
                    for t in range(m.first, m.last + 1):
                        if reach_end.get(t, -1) < m.last:
                            reach_end[t] = m.last
                        entries_at.setdefault(t, set()).add(m.entry)
            for m in fuzzy:
                if ((m.entry, m.first, m.last) in have or reach_end.get(m.first, -1) >= m.last
                        or any(m.entry in entries_at.get(t, ()) for t in range(m.first, m.last + 1))):
                    continue
                matches.append(m)
        return matches

    def _find_exact(self, tokens: list[Token], budget: Budget) -> list[TermMatch]:
        if not self._has_exact:
            return []
        texts = list(map(_TEXT, tokens))
        hay = "".join(texts)
        starts = list(accumulate(map(len, texts), initial=0))    # starts[i]: where token i begins in hay
        n = len(tokens)
        # Hashtags: a term may match anywhere inside one #tag ("#falconridgelaunch"), since tags join
        # words without spaces. tag[pos] = the first token of the #tag that hay[pos] belongs to, or -1.
        tag = None
        if any(map(_HASHTAG, tokens)):
            tag = array("i", [-1]) * len(hay)
            head = 0
            for i in range(n):
                if not (i and tokens[i].joined and tokens[i - 1].hashtag):
                    head = i
                if tokens[i].hashtag:
                    tag[starts[i]:starts[i + 1]] = array("i", [head]) * len(texts[i])
        out: list[tuple[int, int, int, TermMatch]] = []
        seen: set[tuple[int, int, int]] = set()
        key_len, key_forms = self._key_len, self._key_forms
        due = 0                 # hits are paid for in blocks of PAY_BLOCK units, not one call each
        for end, k in self._ac.iter(hay):
            forms = key_forms[k]
            due += 1 + len(forms)
            if due >= PAY_BLOCK:
                if not budget.spend(due):
                    break
                due = 0
            start = end - key_len[k] + 1
            first = bisect_left(starts, start)
            last = bisect_left(starts, end + 1, first) - 1
            bounded = starts[first] == start and starts[last + 1] == end + 1
            in_tag = tag is not None and tag[start] >= 0 and tag[start] == tag[end]
            if not bounded:
                if not in_tag or key_len[k] < MIN_INSIDE_TAG:
                    continue
                first, last = bisect_right(starts, start) - 1, bisect_right(starts, end) - 1
                # The rest of the tag's words must read as ordinary words: "#ilovefalconridge" holds
                # Falcon Ridge, "#mondaymotivation" does not hold "Ation".
                before, after = start - starts[first], starts[last + 1] - end - 1
                if before > MAX_TAG_REST or after > MAX_TAG_REST or not budget.spend(before + after):
                    continue
                if not (lexicon.segmentable(hay[starts[first]:start])
                        and lexicon.segmentable(hay[end + 1:starts[last + 1]])):
                    continue
                found = [(f, True) for f in forms]
            elif first == last or in_tag:
                found = [(f, True) for f in forms]
            else:
                if not budget.spend(len(forms) * (last - first + 1)):
                    break
                found = [(f, True) for f in forms if self._same_split(texts, first, last, f)]
                found += [(f, False) for f in forms if not self._same_split(texts, first, last, f)
                          and self._resplit_ok(texts, first, last, f)]
            for f, exact in found:
                sig = (self._entry[f], first, last)
                if sig not in seen:
                    if len(seen) >= budget.matches:
                        budget.hit("matches")
                        break
                    seen.add(sig)
                    match = TermMatch(self._entry[f], self._written[f], first, last, exact, 0)
                    out.append((first, first - last, -key_len[k], match))
            if budget.truncated == "matches":
                break
        budget.spend(due)
        out.sort(key=lambda x: x[:3])     # longest first at each position; stable within equal keys
        return [x[3] for x in out]

    def _same_split(self, texts: list[str], first: int, last: int, f: int) -> bool:
        words = self._words[f]
        return len(words) == last - first + 1 and all(w == texts[first + j] for j, w in enumerate(words))

    def _resplit_ok(self, texts: list[str], first: int, last: int, f: int) -> bool:
        """Same letters, other word breaks ("Velm ora"): a close match, unless it is all ordinary words."""
        return (self._fuzzy_ok[f] and sum(map(len, self._words[f])) >= MIN_RESPLIT
                and not all(texts[j] in self._dictionary for j in range(first, last + 1)))

    def _find_fuzzy(self, tokens: list[Token], budget: Budget, room: int) -> list[TermMatch]:
        if not len(self._keys) or room <= 0 or budget.exhausted:
            return []
        dictionary = self._dictionary
        n = len(tokens)
        written = [t.text for t in tokens]
        texts = written[:]
        ordinary = [x in dictionary for x in texts]
        leet = [False] * n
        for i, x in enumerate(texts):
            if not ordinary[i] and not x.isalpha() and not x.isdigit():
                # Leetspeak that normalization leaves alone (two digits in a row: "Qu13t", "Myf35t"):
                # compared with every digit read as its letter.
                y = x.translate(LEET_DIGITS)
                if y.isalpha() and len(y) - sum(ch.isdigit() for ch in x) >= 2:
                    texts[i] = y
                    leet[i] = True
        # Prefix sums over the tokens: non-dictionary tokens, leetspeak tokens, letters.
        nd = list(accumulate((not o for o in ordinary), initial=0))
        lt = list(accumulate(leet, initial=0))
        lengths = list(accumulate(map(len, texts), initial=0))
        # A fuzzy match needs a non-dictionary token in its window, and windows around token i reach
        # max_words tokens either side: words farther than that from any other word are not looked up.
        reach = self._max_words
        around = [0] * reach + nd + nd[-1:] * reach      # around[i + 2 * reach + 1] - around[i]: within reach of i
        width = 2 * reach + 1
        lookup = _Lookups(self, budget)
        wanted = lookup.reaches
        probed = []
        for i, x in enumerate(texts):
            if MIN_ANCHOR <= len(x) <= MAX_ANCHOR + 1 and around[i + width] != around[i] and x.isalpha():
                if x not in wanted and not lookup.want(x, ordinary[i]):
                    break
                probed.append(i)
        lookup.run()
        # What is found around token i depends only on the tokens within reach of it (the longest form
        # its word may belong to, plus one): a window seen before ("Proj Proj Proj ...") reuses its
        # answer instead of verifying again.
        memo: dict[tuple, list[tuple[int, str, int, int, int]]] = {}
        seen: set[tuple[int, int, int]] = set()
        out: list[TermMatch] = []
        reaches = lookup.reaches
        for i in probed:
            span = reaches[texts[i]]
            if not span:
                continue
            lo, hi = max(0, i - span), min(n, i + span + 1)
            if not budget.spend((hi - lo) // 8 + 1):
                break
            key = (i - lo, tuple(written[lo:hi]))
            found = memo.get(key)
            if found is None:
                found = memo[key] = []
                for f, pos in self._candidates(i, span - 1, texts, ordinary, lookup, budget):
                    if not budget.spend(4 * len(self._words[f]) + 3):
                        break
                    m = self._verify(texts, nd, lt, lengths, i, f, pos)
                    if m is not None:
                        found.append((m.entry, m.form, m.first - i, m.last - i, m.distance))
            for entry, form, a, b, d in found:
                sig = (entry, i + a, i + b)
                if sig not in seen:
                    if len(out) >= room:
                        budget.hit("matches")
                        return out
                    seen.add(sig)
                    out.append(TermMatch(entry, form, i + a, i + b, False, d))
            if budget.exhausted:
                budget.hit("work")
                break
        return out

    def _candidates(self, i: int, reach: int, texts: list[str], ordinary: list[bool], lookup: _Lookups,
                    budget: Budget) -> list[tuple[int, int]]:
        """(form, position of token i's word in it) to verify around token i, at most WORD_CANDIDATES.

        A word's own occurrences count as they are. A shared word counts through another word of the
        form within `reach` tokens of token i: written out there, or itself a close match there."""
        occs, commons = lookup.probe(texts[i])
        occ_form, occ_pos, occ_flag = self._occ_form, self._occ_pos, self._occ_flag
        if ordinary[i]:
            occs = [o for o in occs if occ_flag[o] == RARE]
            commons = ()
        cands = {(occ_form[o], occ_pos[o]) for o in occs}
        if commons:
            if len(commons) > WORD_COMMONS:
                budget.hit("candidates")
                commons = commons[:WORD_COMMONS]
            lo, hi = max(0, i - reach), min(len(texts), i + reach + 1)
            if not budget.spend((hi - lo) * len(commons)):
                return []
            near = [lookup.evidence(texts[j]) for j in range(lo, hi) if j != i]
            words, common_words = self._words, self._common_words
            for c in commons:
                word = common_words[c]
                for near_occs, near_commons in near:
                    if not budget.spend(len(near_occs) + len(near_commons)):
                        return []
                    for o in near_occs:
                        f = occ_form[o]
                        if word in words[f]:
                            cands.add((f, words[f].index(word)))
                    for c2 in near_commons:
                        if c2 != c:
                            cands.update((f, words[f].index(word)) for f in lookup.pair(c, c2))
        if len(cands) > WORD_CANDIDATES:
            budget.hit("candidates")
        return sorted(cands)[:WORD_CANDIDATES]

    def _verify(self, texts: list[str], nd: list[int], lt: list[int], lengths: list[int], i: int, f: int,
                pos: int) -> TermMatch | None:
        """Does form f match around draft token i? nd, lt and lengths are prefix sums over the tokens
        (non-dictionary tokens, leetspeak tokens, letters). A match needs an edit or leetspeak:
        the exact stage has reported everything else. At most 4k+3 comparisons for a form of k words."""
        words = self._words[f]
        k = len(words)
        compact = self._compact[f]
        size_c = len(compact)
        budget = term_budget(size_c)
        n = len(texts)
        distance = Levenshtein.distance
        if pos >= 0:
            # Aligned word for word: each word within its own budget, the sum within the term's.
            first = i - pos
            if 0 <= first and first + k <= n and nd[first + k] != nd[first]:
                total = 0
                for j, w in enumerate(words):
                    cut = word_budget(len(w))
                    d = distance(w, texts[first + j], score_cutoff=cut)
                    if d > cut:
                        break
                    total += d
                else:
                    if (total <= budget and (total or lt[first + k] != lt[first])
                            and self._same_digits(compact, texts, first, first + k)):
                        return TermMatch(self._entry[f], self._written[f], first, first + k - 1, False, total)
        # Split or merged words: compare compact forms over windows that contain token i.
        best = None
        for size in range(max(1, k - 1), k + 2):
            for first in range(max(0, i - size + 1), min(i, n - size) + 1):
                end = first + size
                if abs(lengths[end] - lengths[first] - size_c) > budget or nd[end] == nd[first]:
                    continue
                d = distance(compact, "".join(texts[first:end]), score_cutoff=budget)
                if (d <= budget and (d or lt[end] != lt[first]) and (best is None or d < best.distance)
                        and self._same_digits(compact, texts, first, end)
                        and not _other_short_word(words, texts[first:end])):
                    best = TermMatch(self._entry[f], self._written[f], first, end - 1, False, d)
        return best

    @staticmethod
    def _same_digits(compact: str, texts: list[str], first: int, end: int) -> bool:
        """Edits may not touch digits: "Blend Pro X3" is another model, not a typo of "Blend Pro X2"."""
        return ascii_digits(compact) == ascii_digits("".join(texts[first:end]))


def _other_short_word(words: tuple[str, ...] | list[str], seen: list[str]) -> bool:
    """Word for word, a one- or two-letter word (letters only) in both that differs: "rooftop in Kapana"
    is not a typo of "rooftopa na Kapana", whatever the letters' distance ("Blend Pro 2" may still be
    "Blend Pro X2"). Only a window of as many words as the form can say so; a split or merged word
    ("Falcon Ridge" as "FalconRidge") is left to the distance."""
    return len(words) == len(seen) and any(len(w) <= 2 and len(x) <= 2 and w.isalpha() and x.isalpha() and w != x
                                           for w, x in zip(words, seen))


PART_TYPES = {"entry": "i4", "form_words": "i4", "fuzzy_ok": "u1", "key_len": "i4", "key_start": "i8",
              "key_forms": "i4", "key_hash": "u8", "key_ids": "i4", "occ_form": "i4", "occ_pos": "i1",
              "occ_flag": "u1", "common_reach": "i4", "common_start": "i8", "common_forms": "i4"}


def _parts_fit(arrays: dict[str, np.ndarray], text: dict) -> None:
    """Raise ValueError unless the parts have the right types, lengths and ranges: whatever `find`
    indexes with a value read from them stays in bounds."""
    def need(ok, what: str) -> None:
        if not ok:
            raise ValueError(f"term index parts: {what}")

    need(isinstance(text, dict) and text.get("format") == PARTS_FORMAT, "format")
    need(set(arrays) == set(PART_TYPES), "array names")
    for name, kind in PART_TYPES.items():
        a = arrays[name]
        need(isinstance(a, np.ndarray) and a.ndim == 1 and a.dtype == np.dtype(kind), f"{name} type")
    for name in ("written", "words", "common_words"):
        need(isinstance(text.get(name), list) and all(isinstance(w, str) for w in text[name]), name)
    a, n_forms = arrays, len(text["written"])
    n_occ, n_common = len(a["occ_form"]), len(text["common_words"])

    def within(x: np.ndarray, lo: int, hi: int) -> bool:    # lo <= x < hi
        return not len(x) or (int(x.min()) >= lo and int(x.max()) < hi)

    def csr(start: np.ndarray, flat: np.ndarray, rows: int) -> bool:
        return (len(start) == rows + 1 and start[0] == 0 and start[-1] == len(flat)
                and bool(np.all(start[1:] >= start[:-1])))

    need(len(a["entry"]) == len(a["form_words"]) == len(a["fuzzy_ok"]) == n_forms and within(a["entry"], 0, 2**31 - 1),
         "forms")
    need(within(a["form_words"], 1, 2**31 - 1) and within(a["key_len"], 1, 2**31 - 1) and int(a["form_words"].sum()) == len(text["words"]), "form words")
    need(csr(a["key_start"], a["key_forms"], len(a["key_len"])) and within(a["key_forms"], 0, n_forms)
         and bool(np.all(a["key_start"][1:] > a["key_start"][:-1])), "exact keys")
    need(len(a["key_hash"]) == len(a["key_ids"]) and within(a["key_ids"], -n_common, n_occ)
         and bool(np.all(a["key_hash"][1:] >= a["key_hash"][:-1])), "fuzzy keys")
    need(len(a["occ_pos"]) == len(a["occ_flag"]) == n_occ and within(a["occ_form"], 0, n_forms)
         and within(a["occ_pos"], -1, 128), "occurrences")
    need(len(a["common_reach"]) == n_common and csr(a["common_start"], a["common_forms"], n_common)
         and within(a["common_forms"], 0, n_forms), "shared words")


class _Lookups:
    """One check's reads of the index, each distinct draft word once however often it repeats.

    `want` queues a word's keys (paid from the budget), `run` looks them all up in one batch and sets
    `reaches`, `probe` gives a word's candidates (occurrence ids and shared-word ids), `evidence` what a word near a
    shared word tells (its whole-word key and its candidates), `pair` the forms two shared words
    have in common. Reads are capped at KEY_IDS ids per key.
    """

    def __init__(self, index: TermIndex, budget: Budget):
        self._index, self._budget = index, budget
        self._hashes: list[int] = []
        self._owner: list[str] = []
        self._probes: dict[str, tuple[list[int], list[int]]] = {}     # word -> (occurrence ids, shared-word ids)
        self._written: dict[str, tuple[list[int], list[int]]] = {}
        self._pairs: dict[tuple[int, int], list[int]] = {}
        self.reaches: dict[str, int] = {}    # word wanted -> 1 + the most words of a form it may be in; 0: none

    def want(self, word: str, ordinary: bool) -> bool:
        if word in self.reaches:
            return True
        if ordinary:
            hashes = [key_hash(word) ^ WORD_SALT]
        else:
            keys = deletes(word)
            keys.add(word)
            hashes = list(map(key_hash, keys))
        if not self._budget.spend(len(hashes)):
            return False
        self._probes[word] = ([], [])
        self.reaches[word] = 0
        self._hashes.extend(hashes)
        self._owner.extend([word] * len(hashes))
        return True

    def run(self) -> None:
        self._read(self._hashes, self._owner, self._probes)
        self._hashes, self._owner = [], []
        index = self._index
        for word, (occs, commons) in self._probes.items():
            if occs or commons:     # 1 + the most words of a form its candidates belong to
                self.reaches[word] = 1 + max([len(index._words[index._occ_form[o]]) for o in occs]
                                             + [index._common_reach[c] for c in commons])

    def probe(self, word: str) -> tuple[list[int], list[int]]:
        return self._probes.get(word, ([], []))


    def evidence(self, word: str) -> tuple[list[int], list[int]]:
        found = self._written.get(word)
        if found is None:
            written: dict[str, tuple[list[int], list[int]]] = {word: ([], [])}
            if self._budget.spend(1):
                self._read([key_hash(word) ^ WORD_SALT], [word], written)
            occs, commons = written[word]
            more_occs, more_commons = self._probes.get(word, ([], []))
            found = self._written[word] = (list(dict.fromkeys(occs + more_occs)),
                                           list(dict.fromkeys(commons + more_commons)))
        return found

    def pair(self, c1: int, c2: int) -> list[int]:
        """The forms holding both shared words: the shorter sorted list searched in the longer."""
        key = (c1, c2) if c1 < c2 else (c2, c1)
        forms = self._pairs.get(key)
        if forms is None:
            start, all_forms = self._index._common_start, self._index._common_forms
            a = all_forms[start[c1]:start[c1 + 1]]
            b = all_forms[start[c2]:start[c2 + 1]]
            if len(a) > len(b):
                a, b = b, a
            if not self._budget.spend(len(a)):
                forms = []
            else:
                at = b.searchsorted(a)
                hit = at < len(b)
                hit[hit] = b[at[hit]] == a[hit]
                forms = a[hit].tolist()
                if len(forms) > WORD_CANDIDATES:
                    self._budget.hit("candidates")
                    forms = forms[:WORD_CANDIDATES]
                self._budget.spend(len(forms))
            self._pairs[key] = forms
        return forms

    def _read(self, hashes: list[int], owners: list[str], into: dict[str, tuple[list[int], list[int]]]) -> None:
        for owner, ids, total in self._index._keys.lookup(hashes, owners, KEY_IDS):
            if total > len(ids):
                self._budget.hit("candidates")
            if not self._budget.spend(len(ids)):
                return
            occs, commons = into[owner]
            for x in ids:
                if x >= 0:
                    occs.append(x)
                else:
                    commons.append(~x)
        for word in set(owners):       # a word's keys may lead to the same id twice
            occs, commons = into[word]
            into[word] = (list(dict.fromkeys(occs)), list(dict.fromkeys(commons)))


class _SortedKeys:
    """A read-only multimap from 64-bit key hashes to ids: two arrays sorted by hash.

    12 bytes per key. The hashes are `key_hash` values (the same in every process), and a collision
    can only add a candidate, which verification then judges. Each array is held twice over the same
    memory: a memoryview (bisect for a few keys, plain ints out) and a numpy view (searchsorted for
    many). The memory is the build's or, from the cache, a read-only map of the cache file.
    """

    SMALL = 48

    def __init__(self, hashes: np.ndarray, ids: np.ndarray):
        """`hashes` (uint64) sorted, `ids` (int32) in the same order."""
        self.hash, self.ids = hashes, ids
        self.hash.flags.writeable = False
        self.ids.flags.writeable = False
        self._hash = memoryview(hashes).cast("B").cast("Q")
        self._ids = memoryview(ids).cast("B").cast("i")

    @classmethod
    def build(cls, hashes: array, ids: array) -> _SortedKeys:
        h = np.frombuffer(hashes, dtype=np.uint64)
        order = np.argsort(h, kind="stable")
        return cls(h[order], np.frombuffer(ids, dtype=np.int32)[order])

    def __len__(self) -> int:
        return len(self._hash)

    @property
    def nbytes(self) -> int:
        return self.hash.nbytes + self.ids.nbytes

    def ranges(self, hashes: list[int]) -> list[tuple[int, int, int]]:
        """(query number, lo, hi) for each hash that is present, in query order: ids[lo:hi] are its ids."""
        if not hashes or not len(self._hash):
            return []
        if len(hashes) <= self.SMALL:
            keys, out = self._hash, []
            for j, h in enumerate(hashes):
                lo = bisect_left(keys, h)
                if lo < len(keys) and keys[lo] == h:
                    out.append((j, lo, bisect_right(keys, h, lo)))
            return out
        q = np.array(hashes, dtype=np.uint64)
        lo = self.hash.searchsorted(q, "left")
        hi = self.hash.searchsorted(q, "right")
        present = np.flatnonzero(hi > lo)
        return list(zip(present.tolist(), lo[present].tolist(), hi[present].tolist()))

    def lookup(self, hashes: list[int], owners: list, cap: int) -> list[tuple[object, list[int], int]]:
        """(owner, ids, total) for each hash that is present, in query order: the first `cap` of the
        `total` ids under it (they are read only up to the cap)."""
        ids = self._ids
        return [(owners[j], ids[lo:min(hi, lo + cap)].tolist(), hi - lo) for j, lo, hi in self.ranges(hashes)]
