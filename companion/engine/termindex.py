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
   index is one sorted array of 64-bit key hashes with 32-bit occurrence ids: 12 bytes per key
   instead of a dict entry, list and tuple per key (~700 MB at 100k terms).
3. Dictionary guard: a correctly spelled ordinary word is never treated as a typo, and a window made
   only of ordinary words never matches fuzzily ("falcon bridge" is not "Falcon Ridge"). A term
   that is one ordinary word ("Juniper") matches only exactly, unless the caller reports it only
   next to a context word (`context_gated`): then "Junipr" counts too.

A TermIndex is built once per pack and never changes afterwards: `find` reads shared state only, so
concurrent checks may share one index, and a pack reload swaps the whole object. It is never
stored: the keys are this process's string hashes.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import attrgetter
from typing import Collection, Sequence

import ahocorasick
import numpy as np
from rapidfuzz.distance import Levenshtein

from companion.engine import lexicon
from companion.engine.normalize import LEET, Token, normalize

MIN_ANCHOR = 4          # shorter words are too ambiguous to anchor a fuzzy match
_DIGITS = re.compile(r"[0-9]")
_TEXT, _HASHTAG = attrgetter("text"), attrgetter("hashtag")
WORD_SALT = 0x5BD1E9955BD1E995     # tells a whole-word key from an anchor or deletion key
COMMON, RARE = 1, 2      # occurrence flags: a word of a multi-word form shared by many terms, or not
MIN_INSIDE_TAG = 5      # a term found inside a longer #hashtag needs at least this many letters
LEET_DIGITS = str.maketrans({d: ch for d, ch in LEET.items() if d.isdigit()})
MIN_RESPLIT = 5         # "Velm ora" for Velmora: only for compact forms this long


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


def deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


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
        A word shared by many terms ("project", "silver": more than max(20, n/2000) of them) is a
        "common" anchor: a candidate found through it is only verified when another word of the term
        is near (written out, or itself a close match), otherwise a typo of "project" would verify
        every "Project ..." term.
        """
        dictionary = self._dictionary
        words_of = self._words
        df = Counter(w for words in words_of for w in set(words))
        common = max(20, len(words_of) // 2000)
        key_hash, key_occ = array("q"), array("i")
        occ_form, occ_pos, occ_flag = array("i"), array("b"), bytearray()
        for f, words in enumerate(words_of):
            if not self._fuzzy_ok[f]:
                continue
            multi = len(words) > 1
            items = [(w, p) for p, w in enumerate(words) if multi or len(w) >= MIN_ANCHOR]
            if multi:
                items.append(("".join(words), -1))       # -1: compare against the compact form
            for word, pos in items:
                o = len(occ_form)
                occ_form.append(f)
                occ_pos.append(max(-1, min(pos, 127)))
                anchor = pos < 0 or len(word) >= MIN_ANCHOR
                flag = 0
                if anchor and pos >= 0 and multi:
                    flag = COMMON if df[word] > common else RARE
                occ_flag.append(flag)
                if anchor:
                    keys = deletes(word)
                    keys.add(word)
                    key_hash.extend(hash(k) for k in keys)
                    key_occ.extend([o] * len(keys))
                if pos >= 0 and multi:
                    key_hash.append(hash(word) ^ WORD_SALT)
                    key_occ.append(o)
        self._keys = _SortedKeys(key_hash, key_occ)
        self._occ_form, self._occ_pos, self._occ_flag = occ_form, occ_pos, bytes(occ_flag)
        self._compact = ["".join(w) if ok else "" for w, ok in zip(words_of, self._fuzzy_ok)]

    def memory_bytes(self) -> int:
        """Bytes held by the arrays of the fuzzy stage (the benchmark reports the whole RSS growth)."""
        return self._keys.nbytes + len(self._occ_form) * 4 + len(self._occ_pos) + len(self._occ_flag)

    # -- query -------------------------------------------------------------------------------
    def find(self, tokens: list[Token]) -> list[TermMatch]:
        """Every term form found in the tokens: exact matches first (at each position the longest
        first), then close matches. A close match is left out when it lies inside an exact match's
        span, or overlaps an exact match of the same term ("FalconRidge is" is not a closer look at
        "FalconRidge")."""
        if not tokens:
            return []
        matches = self._find_exact(tokens)
        fuzzy = self._find_fuzzy(tokens)
        if fuzzy:
            have = {(m.entry, m.first, m.last) for m in matches}
            cover: dict[int, list[tuple[int, int, int]]] = {}     # token -> exact matches over it
            for m in matches:
                if m.exact:
                    for t in range(m.first, m.last + 1):
                        cover.setdefault(t, []).append((m.entry, m.first, m.last))
            for m in fuzzy:
                if (m.entry, m.first, m.last) in have or any(
                        (a <= m.first and m.last <= b) or e == m.entry
                        for t in range(m.first, m.last + 1) for e, a, b in cover.get(t, ())):
                    continue
                matches.append(m)
        return matches

    def _find_exact(self, tokens: list[Token]) -> list[TermMatch]:
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
            for i in compress(range(n), map(_HASHTAG, tokens)):
                head = i
                while head > 0 and tokens[head].joined and tokens[head - 1].hashtag:
                    head -= 1
                tag[starts[i]:starts[i + 1]] = array("i", [head]) * len(texts[i])
        out: list[tuple[int, int, int, TermMatch]] = []
        seen: set[tuple[int, int, int]] = set()
        key_len, key_forms = self._key_len, self._key_forms
        for end, k in self._ac.iter(hay):
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
                if not (lexicon.segmentable(hay[starts[first]:start])
                        and lexicon.segmentable(hay[end + 1:starts[last + 1]])):
                    continue
                found = [(f, True) for f in key_forms[k]]
            elif first == last or in_tag:
                found = [(f, True) for f in key_forms[k]]
            else:
                found = [(f, True) for f in key_forms[k] if self._same_split(texts, first, last, f)]
                found += [(f, False) for f in key_forms[k] if not self._same_split(texts, first, last, f)
                          and self._resplit_ok(texts, first, last, f)]
            for f, exact in found:
                sig = (self._entry[f], first, last)
                if sig not in seen:
                    seen.add(sig)
                    match = TermMatch(self._entry[f], self._written[f], first, last, exact, 0)
                    out.append((first, first - last, -key_len[k], match))
        out.sort(key=lambda x: x[:3])     # longest first at each position; stable within equal keys
        return [x[3] for x in out]

    def _same_split(self, texts: list[str], first: int, last: int, f: int) -> bool:
        words = self._words[f]
        return len(words) == last - first + 1 and all(w == texts[first + j] for j, w in enumerate(words))

    def _resplit_ok(self, texts: list[str], first: int, last: int, f: int) -> bool:
        """Same letters, other word breaks ("Velm ora"): a close match, unless it is all ordinary words."""
        return (self._fuzzy_ok[f] and sum(map(len, self._words[f])) >= MIN_RESPLIT
                and not all(texts[j] in self._dictionary for j in range(first, last + 1)))

    def _find_fuzzy(self, tokens: list[Token]) -> list[TermMatch]:
        if not len(self._keys):
            return []
        dictionary = self._dictionary
        n = len(tokens)
        texts = [t.text for t in tokens]
        ordinary = [False] * n
        leet = [False] * n
        for i, x in enumerate(texts):
            if x in dictionary:
                ordinary[i] = True
            elif not x.isalpha() and not x.isdigit():
                # Leetspeak that normalization leaves alone (two digits in a row: "Qu13t", "Myf35t"):
                # compared with every digit read as its letter.
                y = x.translate(LEET_DIGITS)
                if y.isalpha() and len(y) - sum(ch.isdigit() for ch in x) >= 2:
                    texts[i] = y
                    leet[i] = True
        # A fuzzy match needs a non-dictionary token in its window, and windows around token i reach
        # max_words tokens either side: ordinary words farther than that from any other word are
        # not looked up.
        reach = self._max_words
        near = bytearray(n)
        for j, o in enumerate(ordinary):
            if not o:
                for k in range(max(0, j - reach), min(n, j + reach + 1)):
                    near[k] = 1
        # Probes: an ordinary word looks itself up among the rarer words of the terms (it is not a
        # typo); any other word looks itself and its one-letter deletions up among the anchor keys.
        probe_hash: list[int] = []
        probe_tok: list[int] = []
        keys_of: dict[str, list[int]] = {}
        for i, x in enumerate(texts):
            if len(x) < MIN_ANCHOR or not near[i] or not x.isalpha():
                continue
            if ordinary[i]:
                probe_hash.append(hash(x) ^ WORD_SALT)
                probe_tok.append(~i)              # ~i: keep only the rarer words' occurrences
                continue
            hs = keys_of.get(x)
            if hs is None:
                ks = deletes(x)
                ks.add(x)
                hs = keys_of[x] = [hash(k) for k in ks]
            probe_hash.extend(hs)
            probe_tok.extend([i] * len(hs))
        candidates: dict[int, set[int]] = {}
        occ_form, occ_pos, occ_flag = self._occ_form, self._occ_pos, self._occ_flag
        for owner, found in self._keys.lookup(probe_hash, probe_tok):
            if owner < 0:
                owner = ~owner
                found = [o for o in found if occ_flag[o] == RARE]
            if found:
                candidates.setdefault(owner, set()).update(found)
        if not candidates:
            return []
        # Prefix sums over the tokens: non-dictionary tokens, leetspeak tokens, letters.
        nd = list(accumulate((not o for o in ordinary), initial=0))
        lt = list(accumulate(leet, initial=0))
        lengths = list(accumulate(map(len, texts), initial=0))
        seen: set[tuple[int, int, int]] = set()
        out: list[TermMatch] = []
        for i in sorted(candidates):
            occs = sorted(candidates[i])
            corroborated = None
            if any(occ_flag[o] == COMMON for o in occs):
                corroborated = self._near_forms(texts, candidates, i, [o for o in occs if occ_flag[o] == COMMON])
            for o in occs:
                f = occ_form[o]
                if corroborated is not None and occ_flag[o] == COMMON and f not in corroborated:
                    continue
                m = self._verify(texts, nd, lt, lengths, i, f, occ_pos[o])
                if m is not None:
                    sig = (m.entry, m.first, m.last)
                    if sig not in seen:
                        seen.add(sig)
                        out.append(m)
        return out

    def _near_forms(self, texts: list[str], candidates: dict[int, set[int]], i: int, occs: list[int]) -> set[int]:
        """Of the forms behind `occs` (common words found at token i), those with another word near
        token i: written out as a draft token, or itself a candidate of a neighbouring token."""
        lo, hi = max(0, i - self._max_words), min(len(texts), i + self._max_words + 1)
        around = [j for j in range(lo, hi) if j != i]
        near_occs: set[int] = set()
        for _, found in self._keys.lookup([hash(texts[j]) ^ WORD_SALT for j in around], around):
            near_occs.update(found)
        for j in around:
            near_occs |= candidates.get(j, set())
        forms = self._occ_form
        wanted = {forms[o] for o in occs}
        return {forms[o] for o in near_occs} & wanted

    def _verify(self, texts: list[str], nd: list[int], lt: list[int], lengths: list[int], i: int, f: int,
                pos: int) -> TermMatch | None:
        """Does form f match around draft token i? nd, lt and lengths are prefix sums over the tokens
        (non-dictionary tokens, leetspeak tokens, letters). A match needs an edit or leetspeak:
        the exact stage has reported everything else."""
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
                        and self._same_digits(compact, texts, first, end)):
                    best = TermMatch(self._entry[f], self._written[f], first, end - 1, False, d)
        return best

    @staticmethod
    def _same_digits(compact: str, texts: list[str], first: int, end: int) -> bool:
        """Edits may not touch digits: "Blend Pro X3" is another model, not a typo of "Blend Pro X2"."""
        return _DIGITS.findall(compact) == _DIGITS.findall("".join(texts[first:end]))


class _SortedKeys:
    """A read-only multimap from 64-bit key hashes to occurrence ids: two arrays sorted by hash.

    12 bytes per key. Python's str hash is fine here: the index lives and dies with the process
    (never stored), and a collision can only add a candidate, which verification then judges.
    The arrays are array.array objects (bisect for a few keys) with zero-copy numpy views
    (searchsorted for many).
    """

    SMALL = 48

    def __init__(self, hashes: array, ids: array):
        h = np.frombuffer(hashes, dtype=np.int64)
        order = np.argsort(h, kind="stable")
        self._hash, self._ids = array("q"), array("i")
        self._hash.frombytes(memoryview(h[order]).cast("B"))
        self._ids.frombytes(memoryview(np.frombuffer(ids, dtype=np.int32)[order]).cast("B"))
        self.hash = np.frombuffer(self._hash, dtype=np.int64)
        self.ids = np.frombuffer(self._ids, dtype=np.int32)
        self.hash.flags.writeable = False
        self.ids.flags.writeable = False

    def __len__(self) -> int:
        return len(self._hash)

    @property
    def nbytes(self) -> int:
        return self.hash.nbytes + self.ids.nbytes

    def lookup(self, hashes: list[int], owners: list[int]) -> list[tuple[int, list[int]]]:
        """(owner, ids) for each hash that is present, in query order."""
        if not hashes or not len(self._hash):
            return []
        if len(hashes) <= self.SMALL:
            keys, ids, out = self._hash, self._ids, []
            for j, h in enumerate(hashes):
                lo = bisect_left(keys, h)
                if lo < len(keys) and keys[lo] == h:
                    out.append((owners[j], ids[lo:bisect_right(keys, h, lo)].tolist()))
            return out
        q = np.array(hashes, dtype=np.int64)
        lo = self.hash.searchsorted(q, "left")
        hi = self.hash.searchsorted(q, "right")
        ids = self.ids
        return [(owners[j], ids[lo[j]:hi[j]].tolist()) for j in np.flatnonzero(hi > lo).tolist()]
