"""Offsets are UTF-16 code units, as JavaScript counts them, for every astral character: from U+10000
(the first that takes two units, where an off-by-one in `> 0xFFFF` goes wrong) to U+10FFFF, letters
as well as emoji. st.text() practically never draws these, so the texts come from tests/strategies.py."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from companion.engine.check import CheckRequest, check
from companion.engine.normalize import normalize, utf16_len, utf16_offsets
from strategies import ASTRAL, texts
from support import TODAY


def js_offsets(text: str) -> list[int]:
    """What JavaScript's string indices are at each code point, worked out one character at a time."""
    out = [0]
    for ch in text:
        out.append(out[-1] + len(ch.encode("utf-16-le", "surrogatepass")) // 2)
    return out


def test_u10000_and_u10ffff_are_two_units_each(pack):
    for ch in ("\U00010000", "\U0010FFFF", "\U00010348"):
        text = f"{ch} Falcon Ridge {ch}"
        assert utf16_offsets(text) == js_offsets(text)
        found = [f for f in check(pack, CheckRequest(text, "x", today=TODAY)).findings if "Falcon" in f.excerpt]
        assert found and (found[0].start, found[0].end) == (3, 15), (ch, found)


@settings(max_examples=300, deadline=None)
@given(texts(20, odd=True))
def test_utf16_offsets_match_javascript(text):
    assert utf16_offsets(text) == js_offsets(text)
    assert utf16_len(text) == js_offsets(text)[-1]


@settings(max_examples=150, deadline=None)
@given(prefix=texts(10), astral=st.sampled_from(ASTRAL))
def test_a_finding_after_astral_characters_starts_where_javascript_says(pack, prefix, astral):
    text = f"{prefix}{astral} Falcon Ridge "
    start = js_offsets(text)[len(text) - len("Falcon Ridge ")]
    findings = [f for f in check(pack, CheckRequest(text, "x", today=TODAY)).findings if f.excerpt == "Falcon Ridge"]
    assert findings, [f.excerpt for f in check(pack, CheckRequest(text, "x", today=TODAY)).findings]
    assert (findings[-1].start, findings[-1].end) == (start, start + 12)
    for token in normalize(text).tokens:
        assert 0 <= token.start < token.end <= js_offsets(text)[-1]
