"""Turn a draft into matchable tokens, keeping each token's span in the original text.

Matching happens on normalized tokens; findings are reported in UTF-16 code units of the
original text (JavaScript string indices), so the extension can slice its editor text directly.

What normalization undoes: case, accents and other combining marks, compatibility forms
(full-width letters, ligatures), zero-width and other format characters, homoglyphs from
Cyrillic/Greek inside otherwise Latin words, leetspeak digits inside words (F4lc0n), the digits of
Bulgarian typed in Latin letters in chat (4 for ч, 6 for ш: "vsi4ki", "6te"), and camelCase/hashtag
joins (#ProjectFalconRidge).
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import NamedTuple

import numpy as np

# Cyrillic and Greek letters that look like Latin ones (Unicode TR39 confusables, restricted to
# lowercase Latin targets). Applied only to tokens that mix scripts, so genuine Cyrillic or Greek
# words stay as they are.
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
})
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a", "$": "s"}
JOINERS = "@$"  # count as letters when between two letters (F@lcon, Ca$h)


class Token(NamedTuple):
    """A tuple, because a draft makes dozens per keystroke's check and tuples are the cheapest to build."""

    text: str        # normalized form
    start: int       # UTF-16 offset of the first original code unit
    end: int         # UTF-16 offset just past the last original code unit
    hashtag: bool    # came from a #tag or @mention (joined words are expected inside)
    joined: bool = False   # split off the previous token's word (camelCase): no space between them


def _token(text: str, start: int, end: int, hashtag: bool, joined: bool = False, _new=tuple.__new__) -> Token:
    return _new(Token, (text, start, end, hashtag, joined))


@dataclass(slots=True)
class Normalized:
    """A text's tokens plus what is needed to map code-point offsets to UTF-16 offsets."""

    text: str
    tokens: list[Token]
    utf16: list[int]  # utf16[i] = UTF-16 offset of code point i; utf16[len(text)] = total length
    _starts: list[int] | None = field(default=None, repr=False)
    _regex_text: str | None = field(default=None, repr=False)
    analyses: dict = field(default_factory=dict, repr=False)   # per-vocabulary language views (language/analysis.py)

    def token_range(self, start16: int, end16: int) -> tuple[int, int] | None:
        """First and last token overlapping a UTF-16 span, or None."""
        toks = self.tokens
        if self._starts is None:
            self._starts = [t.start for t in toks]
        i = max(0, bisect.bisect_right(self._starts, start16) - 1)
        if i < len(toks) and toks[i].end <= start16:
            i += 1
        j = bisect.bisect_left(self._starts, end16) - 1
        if i >= len(toks) or j < i:
            return None
        return i, j

    def head(self, chars: int) -> Normalized:
        """The first `chars` code points as a text of their own, from the tokens already made: a word
        cut off at the end is left out."""
        if len(self.text) <= chars:
            return self
        end = self.utf16[chars]
        i = bisect.bisect_right(self.tokens, end, key=attrgetter("end"))
        return Normalized(self.text[:chars], self.tokens[:i], self.utf16[:chars + 1])

    def span16(self, cp_start: int, cp_end: int) -> tuple[int, int]:
        return self.utf16[cp_start], self.utf16[cp_end]

    @property
    def regex_text(self) -> str:
        """The text with lone surrogates (which JSON can carry) replaced by U+FFFD, for RE2, which
        needs valid UTF-8. Same length, so offsets don't move."""
        if self._regex_text is None:
            try:
                self.text.encode("utf-8")
                self._regex_text = self.text
            except UnicodeEncodeError:
                self._regex_text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in self.text)
        return self._regex_text

    def slice16(self, start16: int, end16: int) -> str:
        """The original text between two UTF-16 offsets."""
        u = self.utf16
        if 0 <= start16 <= end16 <= u[-1]:      # on code point boundaries: slice without re-encoding
            i, j = bisect.bisect_left(u, start16), bisect.bisect_left(u, end16)
            if u[i] == start16 and u[j] == end16:
                return self.text[i:j]
        return utf16_slice(self.text, start16, end16)


_NONZERO = bytes([0] + [1] * 255)


def utf16_offsets(text: str) -> list[int]:
    """offsets[i] = UTF-16 offset of code point i; offsets[len(text)] = the UTF-16 length.

    Each astral character (emoji) takes two code units. They are found in the third byte of each
    UTF-32 code unit (nonzero from U+10000 on): with bytes.find when there are a few, with a running
    sum in numpy when there are many."""
    n = len(text)
    plane = text.encode("utf-32-le", "surrogatepass")[2::4].translate(_NONZERO)
    wide = plane.count(1)
    if not wide:
        return list(range(n + 1))
    if wide > 32:
        steps = np.frombuffer(plane, dtype=np.uint8).astype(np.int64) + 1
        return np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(steps))).tolist()
    offsets: list[int] = []
    prev = shift = 0
    p = plane.find(1)
    while p >= 0:
        offsets.extend(range(prev + shift, p + 1 + shift))
        shift += 1
        prev = p + 1
        p = plane.find(1, prev)
    offsets.extend(range(prev + shift, n + 1 + shift))
    return offsets


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_slice(text: str, start16: int, end16: int) -> str:
    return text.encode("utf-16-le", "surrogatepass")[start16 * 2:end16 * 2].decode("utf-16-le", "surrogatepass")


FORMAT, MARK, WORD, OTHER = range(4)     # what a code point is to the scanner (see _fold_char)


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> tuple[str, bool, int]:
    """Normalized form of one code point ('' to drop it), whether it was upper case, and its kind:
    FORMAT or MARK (dropped), WORD (letters and digits only) or OTHER."""
    cat = unicodedata.category(ch)
    if cat == "Cf":                      # zero-width space/joiner, soft hyphen, BOM, bidi marks
        return "", False, FORMAT
    if ch.isascii():
        s = ch.lower()
    else:
        out = []
        for d in unicodedata.normalize("NFKD", ch):
            if unicodedata.category(d) in ("Mn", "Me"):   # accents and other combining marks
                continue
            out.append(d)
        s = "".join(out).casefold()
    return s, ch.isupper(), MARK if not s else WORD if s.isalnum() else OTHER


def _split_humps(chars: list[tuple[str, int, int, bool]]) -> list[list[tuple[str, int, int, bool]]]:
    """Split at lower→Upper and at the last Upper of an UPPER run followed by lower (HTMLParser)."""
    parts, cur = [], []
    for i, c in enumerate(chars):
        if cur:
            prev_upper = chars[i - 1][3]
            nxt_lower = i + 1 < len(chars) and chars[i + 1][0].isalpha() and not chars[i + 1][3]
            if c[3] and c[0].isalpha() and (not prev_upper and chars[i - 1][0].isalpha()
                                            or prev_upper and nxt_lower):
                parts.append(cur)
                cur = []
        cur.append(c)
    if cur:
        parts.append(cur)
    return parts


def _hump_count(chars) -> int:
    return sum(1 for i in range(1, len(chars))
               if chars[i][3] and chars[i][0].isalpha() and not chars[i - 1][3] and chars[i - 1][0].isalpha())


def _mixes_latin(word: str) -> bool:
    latin = other = False
    for ch in word:
        if ch.isascii():
            latin = latin or ch.isalpha()
        elif ch.isalpha():
            other = True
    return latin and other


# Bulgarian typed in Latin letters in chat writes ч as 4 and ш (and the ш of щ) as 6: "vsi4ki" (всички),
# "6te" (ще), "klyu4at" (ключът), "ka6e6" (казваш). Read only in words of lower-case letters (a capital
# first letter allowed), and 4 only next to a vowel: "h4x", "F4AA" and "LS6" stay leetspeak or codes.
CHAT_DIGITS = {"4": "ch", "6": "sh"}
CHAT_VOWELS = frozenset("aeiouyq")
# What follows a leading digit in English: a time, an ordinal, an age, a unit ("6am", "4th", "4yo").
NUMBER_SUFFIXES = frozenset({"am", "pm", "th", "st", "nd", "rd", "yo", "yr", "yrs", "ish", "hr", "hrs", "mo",
                             "wk", "wks", "ft", "km", "kg", "ml", "mg", "min", "mins", "sec", "ever", "eva", "you"})


def _chat_digits(word: list[tuple[str, int, int, bool]]) -> list[tuple[str, int, int, bool]]:
    chars = [c[0] for c in word]
    if not any(map(str.isalpha, chars)) or any(c[3] for c in word[1:]) or \
            any(ch.isdigit() and ch not in CHAT_DIGITS for ch in chars):
        return word
    out = list(word)
    n = len(chars)
    for i, ch in enumerate(chars):
        if ch not in CHAT_DIGITS:
            continue
        before = chars[i - 1] if i else ""
        after = chars[i + 1] if i + 1 < n else ""
        if before.isalpha() and after.isalpha():
            bulgarian = ch == "6" or before in CHAT_VOWELS or after in CHAT_VOWELS
        elif not before:          # leading: "6te", "4asa", but not "6am" or "4yo"
            rest = "".join(chars[1:])
            bulgarian = (len(rest) >= 2 and rest.isalpha() and rest not in NUMBER_SUFFIXES
                         and (rest[0] in CHAT_VOWELS or (ch == "6" and rest[0] == "t")))
        elif not after:           # trailing, after a vowel: "ka6e6", "igra4"
            bulgarian = before in CHAT_VOWELS and i >= 2
        else:
            bulgarian = False
        if bulgarian:
            out[i] = (CHAT_DIGITS[ch],) + word[i][1:]
    return out


def _deleet(word: list[tuple[str, int, int, bool]]) -> list[tuple[str, int, int, bool]]:
    """Map a single digit or @/$ standing between two letters to the letter it imitates (after
    Bulgarian chat digits, which take 4 and 6 first)."""
    word = _chat_digits(word)
    out = list(word)
    for i in range(1, len(word) - 1):
        ch = word[i][0]
        if ch in LEET and word[i - 1][0].isalpha() and word[i + 1][0].isalpha():
            out[i] = (LEET[ch],) + word[i][1:]
    # a leading or trailing digit stuck to 3+ letters (3nigma, falc0) is leet too
    for i, j in ((0, slice(1, None)), (len(word) - 1, slice(None, -1))):
        ch = word[i][0]
        rest = "".join(c[0] for c in word[j])
        if ch in "01345" and len(rest) >= 3 and rest.isalpha():
            out[i] = (LEET[ch],) + word[i][1:]
    return out


# Stretches of text that can hold a word: between the ASCII characters that end a word and reset the
# #tag state (space, punctuation but # $ @, controls), so stretches are independent. Found by turning
# those characters into NUL and splitting: one pass in C, no pattern.
_WORD_ASCII = set(range(0x23, 0x25)) | set(range(0x30, 0x3A)) | set(range(0x40, 0x5B)) | set(range(0x61, 0x7B))
_ENDS_WORD = {c: 0 for c in range(0x80) if c not in _WORD_ASCII}
# Letter case as "a" or "A": "aA" counts the lower->Upper humps of an ASCII word ("iPhone": 1).
_CASE_SHAPE = str.maketrans("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "a" * 26 + "A" * 26)


def normalize(text: str) -> Normalized:
    """Tokenize and normalize a text; token spans are UTF-16 offsets into the original.

    Plain ASCII words, numbers and #tags take a fast path; any other stretch goes through the
    character-by-character scanner (`_scan`), which defines the behaviour.
    """
    utf16 = utf16_offsets(text)
    tokens: list[Token] = []
    append = tokens.append
    b = -1
    for run in text.translate(_ENDS_WORD).split("\x00"):
        a = b + 1
        b = a + len(run)
        if not run:
            continue
        if run.isascii():
            if run.isalpha():
                if (run.islower() or run.isupper() or run.translate(_CASE_SHAPE).count("aA") < 2):
                    append(_token(run.lower(), utf16[a], utf16[b], False, False))
                    continue
                _ascii_parts(run, a, utf16, False, tokens)
                continue
            if run.isdigit():
                append(_token(run, utf16[a], utf16[b], False, False))
                continue
            if len(run) > 1 and run[0] in "#@" and run[1:].isalpha():
                _ascii_parts(run[1:], a + 1, utf16, True, tokens)
                continue
        elif run.isalpha() and sum(map(str.isupper, run)) < 2 and unicodedata.is_normalized("NFKD", run):
            # One word of letters that decompose to themselves (Гроза, 漢字, Zеntrіx): its folded
            # form is its case fold, and with fewer than two capitals it has no camelCase hump.
            word = run.casefold()
            append(_token(word.translate(CONFUSABLES) if _mixes_latin(word) else word, utf16[a], utf16[b], False))
            continue
        _scan(text, a, b, utf16, tokens)
    if "+" in text:
        _plus_words(text, utf16, tokens)
    return Normalized(text, tokens, utf16)


def _plus_words(text: str, utf16: list[int], tokens: list[Token]) -> None:
    """A plus sign closing a name is the word "plus" ("Disney+", "C++"): "Tidewell+" is a product,
    not the company "Tidewell" followed by punctuation. A plus between words ("a+b") or a run of
    more than two is punctuation. One pass over the plus signs (a scanner, not a regex: linear)."""
    extra = []
    n = len(text)
    i = text.find("+")
    while i >= 0:
        j = i
        while j < n and text[j] == "+":
            j += 1
        if i and text[i - 1].isalnum() and j - i <= 2 and (j == n or not (text[j].isalnum() or text[j] == "_")):
            extra += [_token("plus", utf16[k], utf16[k + 1], False) for k in range(i, j)]
        i = text.find("+", j)
    if extra:
        tokens.extend(extra)
        tokens.sort(key=itemgetter(1))


def _ascii_parts(word: str, a: int, utf16: list[int], hashtag: bool, tokens: list[Token]) -> None:
    """An ASCII-letters word that is a #tag or has 2+ camelCase humps: split at the humps, as
    `_split_humps` does (lower->Upper, and before the last Upper of an UPPER run followed by lower),
    found with str.find on the word's case shape instead of a tuple per letter."""
    shape = word.translate(_CASE_SHAPE)
    cuts = set()
    for hump in ("aA", "AAa"):
        i = shape.find(hump)
        while i >= 0:
            cuts.add(i + 1)
            i = shape.find(hump, i + 1)
    bounds = [0, *sorted(cuts), len(word)]
    low = word.lower()
    for k in range(len(bounds) - 1):
        s, e = bounds[k], bounds[k + 1]
        tokens.append(_token(low[s:e], utf16[a + s], utf16[a + e], hashtag, k > 0))


def _scan(text: str, a: int, b: int, utf16: list[int], tokens: list[Token]) -> None:
    """Tokenize text[a:b] character by character (the reference behaviour)."""
    word: list[tuple[str, int, int, bool]] = []   # (char, start16, end16, was_upper)
    hashtag = False

    def flush():
        nonlocal word, hashtag
        w = word
        raw = "".join(map(itemgetter(0), w))
        if not raw.isalpha() and any(ch.isdigit() or ch in JOINERS for ch in raw) and any(map(str.isalpha, raw)):
            w = _deleet(w)
            raw = "".join(map(itemgetter(0), w))
        # Homoglyphs: map non-Latin look-alikes only inside words that also hold Latin letters.
        if not raw.isascii() and _mixes_latin(raw):
            w = [(c[0].translate(CONFUSABLES),) + c[1:] for c in w]
        humps = hashtag or (sum(map(itemgetter(3), w)) >= 2 and _hump_count(w) >= 2)
        parts = _split_humps(w) if humps else [w]
        for k, p in enumerate(parts):
            s = "".join(c[0] for c in p)
            if s.strip(JOINERS):
                tokens.append(_token(s.strip(JOINERS), p[0][1], p[-1][2], hashtag, k > 0))
        word = []
        hashtag = False

    fold = _fold_char
    for i in range(a, b):
        ch = text[i]
        folded, upper, kind = fold(ch)
        if kind == WORD:
            start16, end16 = utf16[i], utf16[i + 1]
            for c in folded:
                word.append((c, start16, end16, upper))
        elif kind == MARK:
            # Dropped marks extend the previous character's span, so "é" = e + U+0301 stays whole.
            if word:
                last = word[-1]
                word[-1] = (last[0], last[1], utf16[i + 1], last[3])
        elif kind == FORMAT:
            continue
        elif ch in JOINERS and word and i + 1 < b and text[i + 1].isalnum():
            word.append((ch, utf16[i], utf16[i + 1], False))
        elif ch in "#@" and not word and i + 1 < b and text[i + 1].isalnum():
            hashtag = True
        elif word:
            flush()
        else:
            hashtag = False
    if word:
        flush()


def normalize_phrase(phrase: str) -> tuple[str, ...]:
    """The token sequence a pack phrase matches (same rules as drafts)."""
    return tuple(t.text for t in normalize(phrase).tokens)
