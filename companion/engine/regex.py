"""IT-written regular expressions, compiled with RE2: linear time, so no pack can hang a check."""

from __future__ import annotations

import re2

MAX_PROGRAM_MEMORY = 8 << 20


class PatternError(ValueError):
    pass


def compile_pattern(pattern: str, case_sensitive: bool = False):
    opts = re2.Options()
    opts.log_errors = False
    opts.max_mem = MAX_PROGRAM_MEMORY
    opts.case_sensitive = case_sensitive
    try:
        return re2.compile(pattern, options=opts)
    except re2.error as e:
        msg = e.args[0].decode() if e.args and isinstance(e.args[0], bytes) else str(e)
        raise PatternError(f"invalid RE2 pattern {pattern!r}: {msg} (RE2 has no backreferences or lookaround)") from None
