"""The compiled pack's objects, kept in its cache entry so that a start reads them back instead of
compiling the pack's rules again (packcache.py).

Reading a cache entry used to give back the validated pack data, and every start still compiled its
rules: the base policy's token patterns, classes, anchors, the prefilter, the referral chooser,
about 2 s of a 3 s start. The rule objects are plain Python objects made from that data by this
code, so the entry also keeps them, pickled, and a start unpickles them in a fraction of that time.

What the pickle leaves out: the pack's data and its warnings (in the entry's own files; no compiled
object holds the data itself), and, named instead of stored, the confidential terms' index (its
arrays are memory-mapped from the entry) and the models shipped with the companion (loaded once per
process, ~28 MB that every pack shares). RE2's compiled patterns are kept as their pattern and case
flag and compiled again through the same cache of compiled patterns as a fresh compile.

The unpickler resolves only the checking engine's classes, by their plain names, and the few
functions a compiled pack holds (`functions()`: the personal-data detectors and validators, the
cached RegexSet maker and this module's three makers); never a method, a module's other functions,
or anything outside the engine. An entry is the user's own file and its checksums are checked before
this runs, but a damaged or foreign snapshot must fail to load, never call anything else. Any failure
to read it back, whatever the cause, is the caller's to handle by compiling the data.
"""

from __future__ import annotations

import contextvars
import inspect
import io
import pickle
from functools import lru_cache
from typing import Any

import re2

from companion.engine.gcpause import collector_paused
from companion.engine.kinds.pattern import VALIDATORS
from companion.engine.language.textmodel import TextModel, shipped_model
from companion.engine.personal import DETECTORS
from companion.engine.referral_model import ReferralModel, shipped_referral_model
from companion.engine.regex import compile_pattern, regex_set
from companion.engine.termindex import TermIndex

FIELDS = ("rules", "referral_chooser", "limits", "canned_replies", "reply_suggester", "base_rules", "prefilter")
SHIPPED = {TextModel: shipped_model, ReferralModel: shipped_referral_model}
ENGINE = "companion.engine."
_index: contextvars.ContextVar[TermIndex | None] = contextvars.ContextVar("entry_index", default=None)


class SnapshotError(ValueError):
    pass


def _compiled_regex(pattern: str, case_sensitive: bool):
    return compile_pattern(pattern, case_sensitive)


def _shipped(kind: type):
    if kind not in SHIPPED:
        raise SnapshotError(f"{kind.__name__} is not a model the companion ships")
    return SHIPPED[kind]()


def _entry_index() -> TermIndex:
    index = _index.get()
    if index is None:
        raise SnapshotError("names a term index, and the entry has none")
    return index


class _Pickler(pickle.Pickler):
    """Called for the objects that are not plain containers or scalars only, so a pack's thousands of
    strings and tuples cost nothing here."""

    def __init__(self, file, index: TermIndex | None):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._term_index = index

    def reducer_override(self, obj):
        kind = type(obj)
        if kind is re2._Regexp:
            return _compiled_regex, (obj.pattern, obj.options.case_sensitive)
        if kind in SHIPPED:
            if obj is not SHIPPED[kind]():
                raise SnapshotError(f"a {kind.__name__} that is not the shipped one")
            return _shipped, (kind,)
        if kind is TermIndex:
            if obj is not self._term_index:
                raise SnapshotError("a term index other than the entry's")
            return _entry_index, ()
        return NotImplemented


@lru_cache(maxsize=1)
def functions() -> frozenset[tuple[str, str]]:
    """The functions a compiled pack holds or is rebuilt with (the packs of every labelled company
    name no others; sets, tuples and dicts have opcodes of their own)."""
    held = [*DETECTORS.values(), *VALIDATORS.values(), regex_set, _compiled_regex, _shipped, _entry_index]
    return frozenset((f.__module__, f.__qualname__) for f in held)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in functions():
            return super().find_class(module, name)
        if module.startswith(ENGINE) and "." not in name:
            found = super().find_class(module, name)
            if inspect.isclass(found) and found.__module__ == module:
                return found
        raise SnapshotError(f"names {module}.{name}, which a compiled pack never holds")


def dump(pack, index: TermIndex | None) -> bytes:
    """The compiled pack's objects (FIELDS) as bytes, with the pack's SHA-256 they were compiled from;
    `index` (the entry's own) and the shipped models are named, not stored. Run right after a compile,
    before any check: the objects hold nothing of a draft. Raises pickle.PicklingError (or
    SnapshotError) for an object that cannot be kept."""
    buf = io.BytesIO()
    _Pickler(buf, index).dump((pack.sha256, {f: getattr(pack, f) for f in FIELDS}))
    return buf.getvalue()


@collector_paused()     # a hundred thousand objects and no cycles, as in a compile
def load(blob: bytes, sha256: str, index: TermIndex | None) -> dict[str, Any]:
    """The objects `dump` kept of the pack `sha256`, over this entry's `index`: keyword arguments of
    CompiledPack. Raises SnapshotError, or whatever unpickling damaged bytes raises."""
    token = _index.set(index)
    try:
        kept = _Unpickler(io.BytesIO(blob)).load()
    finally:
        _index.reset(token)
    if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], dict) and set(kept[1]) == set(FIELDS)):
        raise SnapshotError("not a compiled pack's objects")
    if kept[0] != sha256:
        raise SnapshotError("the objects of another pack")
    return kept[1]
