"""IT-written regular expressions, compiled with RE2: linear time, so no pack can hang a check."""

from __future__ import annotations

import functools

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


class RegexSet:
    """Patterns searched for all at once, in one pass over a text: `matching(text)` gives the numbers
    of those that match anywhere in it (in the order added), so only those need running for their
    spans. RE2's set answers "none" both when none matches and when it ran out of memory; a pattern
    that matches every text, added last, tells the two apart, and when RE2 gave up every pattern counts."""

    ALWAYS = r"\z"

    def __init__(self, patterns: list[str], case_sensitive: bool = False):
        self.size = len(patterns)
        self._made_of = (tuple(patterns), case_sensitive)
        self._set = re2.Set.SearchSet(_options(case_sensitive))
        for p in [*patterns, self.ALWAYS]:
            self._set.Add(p)
        self._set.Compile()

    def __reduce__(self):   # a compiled pack kept in the cache (packsnapshot.py): compiled again on reading
        return regex_set, self._made_of

    def matching(self, text: str) -> list[int]:
        found = self._set.Match(text) or []
        if self.size not in found:
            return list(range(self.size))
        return sorted(k for k in found if k < self.size)


# A pack is compiled again at every revision, and a process that checks many packs (`pack test`, the
# quality tests) compiles the same base-policy patterns for each: they are most of a pack's patterns and a
# third of its compile time. RE2's objects are immutable and safe to share between threads, so each
# pattern and each set is compiled once; the bound lets the patterns of old revisions fall out.
@functools.lru_cache(maxsize=4096)
def compile_pattern(pattern: str, case_sensitive: bool = False):
    opts = _options(case_sensitive)
    try:
        return re2.compile(pattern, options=opts)
    except re2.error as e:
        msg = e.args[0].decode() if e.args and isinstance(e.args[0], bytes) else str(e)
        raise PatternError(f"invalid RE2 pattern {pattern!r}: {msg} (RE2 has no backreferences or lookaround)") from None


@functools.lru_cache(maxsize=1024)
def regex_set(patterns: tuple[str, ...], case_sensitive: bool = False) -> RegexSet:
    """The RegexSet of these patterns, compiled once (see compile_pattern)."""
    return RegexSet(list(patterns), case_sensitive)
