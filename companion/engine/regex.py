"""IT-written regular expressions, compiled with RE2: linear time, so no pack can hang a check."""

from __future__ import annotations

import re2

MAX_PROGRAM_MEMORY = 8 << 20


class PatternError(ValueError):
    pass


def _options(case_sensitive: bool):
    opts = re2.Options()
    opts.log_errors = False
    opts.max_mem = MAX_PROGRAM_MEMORY
    opts.case_sensitive = case_sensitive
    return opts


def compile_set(patterns: list[str]):
    """Patterns searched for all at once, in one pass over a text: `Match(text)` lists the numbers of
    those that match anywhere in it, in the order added. It gives None both when none does and when
    RE2 ran out of memory, so a caller adds a pattern that always matches to tell the two apart."""
    rset = re2.Set.SearchSet(_options(False))
    for p in patterns:
        rset.Add(p)
    rset.Compile()
    return rset


def compile_pattern(pattern: str, case_sensitive: bool = False):
    opts = _options(case_sensitive)
    try:
        return re2.compile(pattern, options=opts)
    except re2.error as e:
        msg = e.args[0].decode() if e.args and isinstance(e.args[0], bytes) else str(e)
        raise PatternError(f"invalid RE2 pattern {pattern!r}: {msg} (RE2 has no backreferences or lookaround)") from None
