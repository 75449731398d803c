"""Hypothesis text strategies that reach what st.text() almost never draws.

st.text() picks code points with a bias towards ASCII and the BMP, so astral characters other than
the odd emoji hardly ever appear, and U+10000 itself (the first code point that takes two UTF-16
units, the one an off-by-one in `> 0xFFFF` gets wrong) practically never. Every text strategy of the
offset, fuzzing and round-trip tests mixes these in on purpose."""

from __future__ import annotations

from hypothesis import strategies as st

# the first and last astral code points, letters (Linear B, Gothic, mathematical bold), a CJK
# extension ideograph, a tag character, emoji with and without joiners
ASTRAL = ["\U00010000", "\U00010001", "\U0001FFFF", "\U00010348", "\U0001D400", "\U00020000", "\U000E0041",
          "\U0010FFFF", "😀", "👩\u200d👩\u200d👧", "🇧🇬"]
# what a hostile or broken client sends: lone surrogates, NUL, escape, bidi override, BOM, joiners,
# combining marks, noncharacters, line breaks of every kind
ODD = ["\ud800", "\udfff", "\udbff\udbff", "\x00", "\x1b[2J", "\u202e", "\ufeff", "\u200b", "\u0301\u0301",
       "\ufffe", "\uffff", "\r\n", "\u2028", "\x85"]


def texts(max_pieces: int = 12, odd: bool = False) -> st.SearchStrategy[str]:
    """Strings of ordinary text pieces with astral characters mixed in (and, with `odd`, hostile ones)."""
    piece = st.text(max_size=6) | st.sampled_from(ASTRAL) | st.sampled_from([" ", "Falcon Ridge", "é", "e\u0301"])
    if odd:
        piece = piece | st.sampled_from(ODD)
    return st.lists(piece, max_size=max_pieces).map("".join)
