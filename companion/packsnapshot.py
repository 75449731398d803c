"""The compiled pack's objects, kept in its cache entry so that a start reads them back instead of
compiling the pack's rules again (packcache.py).

Reading a cache entry used to give back the validated pack data, and every start still compiled its
rules: the base policy's token patterns, classes, anchors, the prefilter, the referral chooser,
about 2 s of a 3 s start. The rule objects are plain Python objects made from that data by this
code, so the entry also keeps them, pickled, and a start unpickles them in a fraction of that time.

What the pickle leaves out and names instead, to be supplied by the reader: the pack's data and its
warnings (in the entry's own files), the confidential terms' index (its arrays are memory-mapped
from the entry), and the models shipped with the companion (loaded once per process, ~28 MB that
every pack shares). RE2's compiled patterns are kept as their pattern and case flag and compiled
again through the same cache of compiled patterns as a fresh compile.

The unpickler resolves only classes and functions of the checking engine (companion.engine, pure
computation) and a short list of standard ones (`ALLOWED`): an entry is the user's own file and its
checksums are checked before this runs, but a damaged or foreign snapshot must fail to load, never
call anything else. Any
failure to read it back, whatever the cause, is the caller's to handle by compiling the data.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

import re2

from companion.engine.gcpause import collector_paused
from companion.engine.language.textmodel import TextModel, shipped_model
from companion.engine.referral_model import ReferralModel, shipped_referral_model
from companion.engine.regex import compile_pattern
from companion.engine.termindex import TermIndex

FIELDS = ("rules", "referral_chooser", "limits", "canned_replies", "reply_suggester", "base_rules", "prefilter")
SHIPPED = {"text-model": (TextModel, shipped_model), "referral-model": (ReferralModel, shipped_referral_model)}
# Globals outside the companion that a compiled pack's pickle may name (numpy's for its small arrays,
# the standard library's for compiled `re` patterns and a few containers).
ALLOWED = {
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "slice"), ("builtins", "range"),
    ("builtins", "complex"), ("builtins", "getattr"),
    ("copyreg", "_reconstructor"), ("copyreg", "__newobj__"), ("builtins", "object"),
    ("collections", "OrderedDict"), ("collections", "defaultdict"), ("collections", "Counter"),
    ("collections", "deque"), ("datetime", "date"), ("datetime", "datetime"), ("datetime", "timedelta"),
    ("re", "_compile"), ("re", "RegexFlag"), ("enum", "_EnumDict"),
    ("numpy", "dtype"), ("numpy", "ndarray"), ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"), ("numpy._core.numeric", "_frombuffer"),
    ("numpy.core.numeric", "_frombuffer"), ("companion.packsnapshot", "_compiled_regex"),
}
ENGINE = "companion.engine."


class SnapshotError(ValueError):
    pass


def _compiled_regex(pattern: str, case_sensitive: bool):
    return compile_pattern(pattern, case_sensitive)


class _Pickler(pickle.Pickler):
    def __init__(self, file, data: dict[str, Any], index: TermIndex | None):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._named = {id(data): "data"}
        if index is not None:
            self._named[id(index)] = "term-index"

    def persistent_id(self, obj):
        name = self._named.get(id(obj))
        if name is not None:
            return name
        for name, (kind, _) in SHIPPED.items():
            if type(obj) is kind:
                if obj is not SHIPPED[name][1]():
                    raise SnapshotError(f"a {kind.__name__} that is not the shipped one")
                return name
        return None

    def reducer_override(self, obj):
        if type(obj) is re2._Regexp:
            return _compiled_regex, (obj.pattern, obj.options.case_sensitive)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, supplied: dict[str, Any]):
        super().__init__(file)
        self._supplied = supplied

    def persistent_load(self, pid):
        if pid in self._supplied:
            return self._supplied[pid]
        if pid in SHIPPED:
            return SHIPPED[pid][1]()
        raise SnapshotError(f"names {pid!r}, which this entry does not supply")

    def find_class(self, module: str, name: str):
        if module.startswith(ENGINE) or (module, name) in ALLOWED:
            return super().find_class(module, name)
        raise SnapshotError(f"names {module}.{name}, which a compiled pack never holds")


def dump(pack, index: TermIndex | None) -> bytes:
    """The compiled pack's objects (FIELDS) as bytes, with the pack's SHA-256 they were compiled from;
    its data and `index` are named, not stored. Raises pickle.PicklingError (or SnapshotError) for an
    object that cannot be kept."""
    buf = io.BytesIO()
    _Pickler(buf, pack.data, index).dump((pack.sha256, {f: getattr(pack, f) for f in FIELDS}))
    return buf.getvalue()


@collector_paused()     # a hundred thousand objects and no cycles, as in a compile
def load(blob: bytes, sha256: str, data: dict[str, Any], index: TermIndex | None) -> dict[str, Any]:
    """The objects `dump` kept of the pack `sha256`, over this entry's `data` and `index`: keyword
    arguments of CompiledPack. Raises SnapshotError, or whatever unpickling damaged bytes raises."""
    supplied: dict[str, Any] = {"data": data}
    if index is not None:
        supplied["term-index"] = index
    kept = _Unpickler(io.BytesIO(blob), supplied).load()
    if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], dict) and set(kept[1]) == set(FIELDS)):
        raise SnapshotError("not a compiled pack's objects")
    if kept[0] != sha256:
        raise SnapshotError("the objects of another pack")
    return kept[1]
