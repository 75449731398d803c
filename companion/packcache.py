"""The compiled-pack cache: a pack compiled once is read back from disk at the next start.

Parsing (YAML), validating (JSON Schema and the semantic checks) and indexing a 100,000-term pack
takes ~20 s, and the same bytes under the same code always give the same result. So every pack
compiled is kept under STATE/compiled/<the pack's SHA-256>/:

  manifest.json   format, code fingerprint, pack SHA-256, and the size and SHA-256 of each file below
  pack.json       the merged, validated pack data, each layer's id and revision, the number of warnings
  warnings.json   the warnings validation gave (decoded only when someone reads them: serving does not)
  index.json      the term index's strings (forms as written, their words, shared words)
  <part>.npy      the term index's arrays (np.save), memory-mapped when read
  objects.pickle  the compiled rule objects (packsnapshot.py), over the data and index above: read back,
                  a start skips compiling the rules (about 2 s of a 3 s start); an entry whose objects
                  could not be kept has none, and its rules are compiled from pack.json at each read

The `postguard` commands that compile a pack (check, pack lint/test/explain/verify/publish) go through the
same cache (cli.py): they read the companion's STATE/compiled/ and keep what they compile themselves in
STATE/compiled-tools/, so IT's edit-and-lint rounds never push the serving pack's entry out of the cache.

The data is JSON, the arrays .npy files whose headers are read here (object arrays are refused); the
objects' unpickler resolves only the checking engine's classes and the few functions a compiled pack
holds (packsnapshot.py).
Before anything in an entry is used, the manifest must name this format, this code (CODE_FORMAT,
TermIndex PARTS_FORMAT, the companion's source files and the libraries that shape the result) and
this pack; every file must have its size and SHA-256; the index's arrays must fit together. Any
mismatch, a missing or truncated file, objects that do not read back, or a foreign entry: the entry
is deleted, the pack compiled again and the entry written anew (into a temporary folder, each file
fsynced, then renamed into place, so a crash leaves either no entry or a whole one).

What is not cached: signatures are verified again on every load (they depend on the clock and on
the trusted keys). The pack's own examples run once a day per entry (packstate.py): that they all
passed is kept beside the entry, in examples-passed.json, for the code and the day they ran on (a
term's public_after date makes the same examples give other answers on another day); failures are
never kept, so a pack failing its examples runs them again at every load. The folder is the
user's own (0700, files 0600), like the last good pack: the checksums catch damage, not an edit by
someone who can write the folder, who could as well edit the companion's code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import mmap
import os
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

import companion
from companion import packsnapshot
from companion.engine.kinds.confidential import ConfidentialTerms
from companion.engine.termindex import PART_TYPES, PARTS_FORMAT, TermIndex
from companion.pack.compiled import CompiledPack, build_pack, compile_pack, pack_sha256, verify_layers, with_layers
from companion.pack.errors import PackError, PackProblem
from companion.pack.saved import private_dir, write_private
from companion.pack.sources import Layer

log = logging.getLogger("postguard.pack")

CODE_FORMAT = 2     # the entry's layout (files, pack.json's fields): bump on any change
KEEP = 3            # entries kept: the pack serving, and the ones before it (a rollback, the saved copy)
LIBRARIES = ("numpy", "PyYAML", "jsonschema", "wordfreq", "pyahocorasick", "simplemma", "RapidFuzz",
             "google-re2", "phonenumbers")    # the last two shape what the examples find
EXAMPLES_FILE = "examples-passed.json"
TEXT_FILES = ("pack.json", "index.json")     # read and decoded at once
LAZY_FILES = ("warnings.json",)                # read and checked at once, decoded when first used
ARRAY_FILES = tuple(f"{part}.npy" for part in PART_TYPES)
OBJECTS_FILE = "objects.pickle"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """What the cached result depends on besides the pack: the formats, Python, the libraries that
    parse, validate and index, and every source and data file of the companion (a change to any of
    them may change the result, so it makes every entry stale), the second opinion's weights included
    (they decide what the pack's examples find)."""
    h = hashlib.sha256(f"{CODE_FORMAT}/{PARTS_FORMAT}/{companion.__version__}/{sys.version_info[:2]}".encode())
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=?;".encode())
    root = Path(companion.__file__).resolve().parent
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".json", ".yaml", ".npz") and p.is_file()):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@dataclass
class _Entry:
    data: dict[str, Any]
    warnings: _StoredWarnings
    metas: list[dict[str, Any]]       # per layer: {id, revision}
    index: TermIndex | None
    objects: bytes | None             # the compiled rule objects (packsnapshot.py), when kept


class PackCache:
    """Compiles packs through the cache in `directory` (no cache when it is None).

    `stats` counts what happened: hits (read back), misses (no entry yet), rejected (an entry that
    failed its checks and was rebuilt), written, write_failed, and compiled_apart (by a child process).
    """

    def __init__(self, directory: Path | None, read_also: Path | None = None):
        """`read_also`: another cache folder whose entries are read too, never written, rejected or pruned
        (the command-line tools read the companion's, and keep their own compiles apart)."""
        self.directory = Path(directory) if directory else None
        self.read_also = Path(read_also) if read_also else None
        self.stats = {"hits": 0, "misses": 0, "rejected": 0, "written": 0, "write_failed": 0, "compiled_apart": 0}

    def build(self, layers: list[Layer], trusted_keys: list[bytes] | None = None, now=None,
              apart: bool = False) -> CompiledPack:
        """What compiled.build_pack gives for these layers: read back when an entry checks out, else
        compiled and stored. `apart`: compile in a child process (companion/packcompile.py), so this
        process's checks are not held up, then read its entry. Raises PackError as build_pack does."""
        digest = pack_sha256(layers)
        if self.directory is None:
            return build_pack(layers, trusted_keys, now)
        started = time.perf_counter()
        entry = self._read(digest)
        if entry is None and self.read_also is not None:
            entry = self._read_other(digest)
        if entry is None and apart:
            from companion.packcompile import compile_apart

            if compile_apart(self.directory, layers, trusted_keys, now):
                self.stats["compiled_apart"] += 1
                log.info("pack %s: compiled in a separate process in %.1f s", digest[:12], time.perf_counter() - started)
                entry = self._read(digest)
        if entry is not None:
            # Signatures depend on the keys and the clock: verified now, against the same bytes.
            verified, problems = verify_layers(layers, entry.metas, trusted_keys, now)
            if problems:
                raise PackError(problems)
            try:
                pack = self._compile(entry, layers, digest)
            except (ValueError, KeyError, TypeError, IndexError) as e:
                self._reject(digest, f"its data does not compile: {type(e).__name__}: {e}")
            else:
                self.stats["hits"] += 1
                log.info("pack %s: compiled copy read from the cache in %.2f s", digest[:12],
                         time.perf_counter() - started)
                return with_layers(pack, layers, entry.metas, verified)
        pack = build_pack(layers, trusted_keys, now)
        compiled_s = time.perf_counter() - started
        self._write(digest, pack, layers)
        log.info("pack %s: compiled in %.1f s and cached", digest[:12], compiled_s)
        return pack

    # -- the pack's own examples ---------------------------------------------------------------
    def examples_passed(self, digest: str, day: dt.date) -> bool:
        """Whether this pack's examples all passed on `day` under this code (kept by note_examples_passed)."""
        if self.directory is None:
            return False
        try:
            kept = json.loads((self.directory / digest / EXAMPLES_FILE).read_bytes())
        except (OSError, ValueError):
            return False
        return kept == _examples_record(digest, day)

    def note_examples_passed(self, digest: str, day: dt.date) -> None:
        """Keep that the examples passed, beside the pack's entry (none: nothing to keep it beside)."""
        folder = self.directory / digest if self.directory else None
        if folder is None or not (folder / "manifest.json").is_file():
            return
        try:
            write_private(folder / EXAMPLES_FILE, json.dumps(_examples_record(digest, day)).encode())
        except OSError as e:   # costs only the next start's time
            log.warning("cannot note in the cache that the examples passed: %s", e.strerror or e)

    # -- read ----------------------------------------------------------------------------------
    def _read(self, digest: str) -> _Entry | None:
        folder = self.directory / digest
        if not (folder / "manifest.json").is_file():
            self.stats["misses"] += 1
            return None
        try:
            entry = self._read_checked(folder, digest)
        except (OSError, ValueError, KeyError, TypeError) as e:
            self._reject(digest, str(e) if isinstance(e, ValueError) else f"{type(e).__name__}: {e}")
            return None
        try:
            os.utime(folder / "manifest.json")      # recently used: pruned last
        except OSError:
            pass
        return entry

    def _read_other(self, digest: str) -> _Entry | None:
        """The entry in `read_also`, when it checks out; a damaged one is left for its owner to rebuild."""
        folder = self.read_also / digest
        try:
            return self._read_checked(folder, digest) if (folder / "manifest.json").is_file() else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _read_checked(self, folder: Path, digest: str) -> _Entry:
        manifest = json.loads((folder / "manifest.json").read_bytes())
        if not isinstance(manifest, dict) or manifest.get("format") != CODE_FORMAT:
            raise ValueError("another cache format")
        if manifest.get("code") != code_fingerprint():
            raise ValueError("written by another version of the code")
        if manifest.get("pack_sha256") != digest:
            raise ValueError("written for another pack")
        files = manifest.get("files")
        has_index = manifest.get("index") is True
        has_objects = manifest.get("objects") is True
        wanted = (set(TEXT_FILES) | set(LAZY_FILES) | (set(ARRAY_FILES) if has_index else set())
                  | ({OBJECTS_FILE} if has_objects else set()))
        if not isinstance(files, dict) or set(files) != wanted:
            raise ValueError("the manifest names other files")
        text = {name: json.loads(_checked_bytes(folder / name, files[name])) for name in TEXT_FILES}
        index = None
        if has_index:
            arrays = {name[:-4]: _mapped_array(folder / name, files[name]) for name in ARRAY_FILES}
            index = TermIndex.from_parts(arrays, text["index.json"])
        record = text["pack.json"]
        if not (isinstance(record.get("data"), dict) and isinstance(record.get("warnings"), int)
                and isinstance(record.get("layers"), list)):
            raise ValueError("pack.json is not a compiled pack")
        warnings = _StoredWarnings(_checked_bytes(folder / "warnings.json", files["warnings.json"]), record["warnings"])
        objects = _checked_bytes(folder / OBJECTS_FILE, files[OBJECTS_FILE]) if has_objects else None
        return _Entry(record["data"], warnings, record["layers"], index, objects)

    def _compile(self, entry: _Entry, layers: list[Layer], digest: str) -> CompiledPack:
        if len(entry.metas) != len(layers):
            raise ValueError("another number of layers")
        names = [layer.name for layer in layers]
        if entry.objects is None:
            return compile_pack(entry.data, " + ".join(names), digest, entry.warnings.named(names), term_index=entry.index)
        try:
            objects = packsnapshot.load(entry.objects, digest, entry.index)
        except Exception as e:     # whatever a damaged pickle raises: the entry is compiled again
            raise ValueError(f"its compiled objects do not read back ({type(e).__name__}: {e})") from None
        terms = next((r for r in objects["rules"] if isinstance(r, ConfidentialTerms)), None)
        if terms is not None and not (terms.index is entry.index and terms.index_fits(entry.data["confidential"])):
            raise ValueError("the term index was built from other terms")
        return CompiledPack(data=entry.data, source=" + ".join(names), sha256=digest,
                            warnings=entry.warnings.named(names), **objects)

    def _reject(self, digest: str, reason: str) -> None:
        self.stats["rejected"] += 1
        log.warning("pack %s: cached copy not used (%s); compiling it again", digest[:12], reason)
        _remove(self.directory / digest)

    # -- write ---------------------------------------------------------------------------------
    def _write(self, digest: str, pack: CompiledPack, layers: list[Layer]) -> None:
        """Store the entry; a failure is logged and costs only the next start's time."""
        tmp = self.directory / f".tmp-{digest[:12]}-{os.getpid()}-{time.monotonic_ns()}"
        try:
            private_dir(self.directory)
            private_dir(tmp)
            names = [layer.name for layer in layers]
            record = {"data": pack.data, "layers": [{"id": m["id"], "revision": m["revision"]} for m in pack.layers],
                      "warnings": len(pack.warnings)}
            blobs = {"pack.json": json.dumps(record).encode(),
                     "warnings.json": json.dumps(_warnings_out(pack.warnings, names)).encode()}
            index = next((r.index for r in pack.rules if isinstance(r, ConfidentialTerms)), None)
            if index is not None:
                arrays, text = index.to_parts()
                blobs["index.json"] = json.dumps(text).encode()
                for part, array in arrays.items():
                    buf = io.BytesIO()
                    np.save(buf, np.ascontiguousarray(array), allow_pickle=False)
                    blobs[f"{part}.npy"] = buf.getvalue()
            else:
                blobs["index.json"] = b"{}"
            try:
                blobs[OBJECTS_FILE] = packsnapshot.dump(pack, index)
            except Exception as e:     # an object pickle cannot keep: the rules are compiled at each read
                log.warning("pack %s: its compiled objects cannot be kept in the cache (%s: %s)", digest[:12],
                            type(e).__name__, e)
            for name, blob in blobs.items():
                write_private(tmp / name, blob)
            manifest = {"format": CODE_FORMAT, "code": code_fingerprint(), "pack_sha256": digest,
                        "index": index is not None, "objects": OBJECTS_FILE in blobs,
                        "files": {name: [len(blob), hashlib.sha256(blob).hexdigest()] for name, blob in blobs.items()}}
            write_private(tmp / "manifest.json", json.dumps(manifest, indent=1).encode())
            final = self.directory / digest
            _remove(final)
            try:
                os.replace(tmp, final)
            except OSError:
                if not (final / "manifest.json").is_file():
                    raise
                _remove(tmp)     # another process wrote the same entry meanwhile: it is as good as this one
                return
            self.stats["written"] += 1
        except OSError as e:
            self.stats["write_failed"] += 1
            log.error("cannot cache the compiled pack in %s: %s", self.directory, e.strerror or e)
            _remove(tmp)
            return
        self._prune(keep=digest)

    def _prune(self, keep: str) -> None:
        """At most KEEP entries, the least recently used go first; leftovers of crashed writes go too."""
        try:
            folders = [p for p in self.directory.iterdir() if p.is_dir()]
        except OSError:
            return
        entries = []
        for p in folders:
            if p.name.startswith(".tmp-"):
                if time.time() - p.stat().st_mtime > 3600:      # another process may be writing a young one
                    _remove(p)
            elif p.name != keep:
                used = (p / "manifest.json").stat().st_mtime if (p / "manifest.json").exists() else 0
                entries.append((used, p))
        for _, p in sorted(entries, reverse=True)[KEEP - 1:]:
            _remove(p)


def _examples_record(digest: str, day: dt.date) -> dict[str, str]:
    return {"pack_sha256": digest, "code": code_fingerprint(), "day": day.isoformat()}


def _warnings_out(warnings: list[PackProblem], names: list[str]) -> dict[str, list]:
    """Warnings as columns, each distinct file and message once (a pack of 100,000 terms without
    examples has 100,000 warnings that differ only in their key and line). A file that is one of the
    layers is kept as the layer's number: the same bytes may come from another path next time."""
    files: dict[str, int] = {}
    for i, name in enumerate(names):
        files.setdefault(name, i)
    others: list[str] = []
    messages: dict[str, int] = {}
    rows = []
    for w in warnings:
        if w.file not in files:
            files[w.file] = len(names) + len(others)
            others.append(w.file)
        rows.append([files[w.file], w.line, w.column, w.key, messages.setdefault(w.message, len(messages))])
    return {"files": others, "messages": list(messages), "rows": rows}


class _StoredWarnings(Sequence):
    """A cached pack's warnings, made into PackProblems the first time one is read. Serving never
    reads them (`postguard pack lint` prints them); a pack of 100,000 terms without examples has
    100,000, and making them all would cost every start a good part of a second."""

    def __init__(self, raw: bytes, count: int, names: list[str] | None = None):
        self._raw, self._count, self._names = raw, count, names

    def named(self, names: list[str]) -> _StoredWarnings:
        """These warnings, pointing into the layers by their names now."""
        return _StoredWarnings(self._raw, self._count, names)

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i):
        return self._items[i]

    @cached_property
    def _items(self) -> list[PackProblem]:
        stored = json.loads(self._raw)
        files, messages = (self._names or []) + stored["files"], stored["messages"]
        return [PackProblem(files[f], line, column, key, messages[m]) for f, line, column, key, m in stored["rows"]]


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _checked_bytes(path: Path, expected: Any) -> bytes:
    size, sha = _expected(expected)
    data = path.read_bytes()
    if len(data) != size:
        raise ValueError(f"{path.name} is {len(data)} bytes, not {size} (truncated?)")
    if hashlib.sha256(data).hexdigest() != sha:
        raise ValueError(f"{path.name} does not match its checksum")
    return data


def _mapped_array(path: Path, expected: Any) -> np.ndarray:
    """A one-dimensional .npy array as a read-only view of the mapped file, after its size and
    SHA-256 are checked on the mapped bytes themselves."""
    size, sha = _expected(expected)
    with open(path, "rb") as fh:
        actual = os.fstat(fh.fileno()).st_size
        if actual != size or size == 0:
            raise ValueError(f"{path.name} is {actual} bytes, not {size} (truncated?)")
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    if hashlib.sha256(mapped).hexdigest() != sha:
        raise ValueError(f"{path.name} does not match its checksum")
    head = io.BytesIO(mapped[:min(size, 4096)])
    version = np.lib.format.read_magic(head)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(head)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(head)
    else:
        raise ValueError(f"{path.name}: .npy version {version}")
    if dtype.hasobject or len(shape) != 1 or (fortran and shape[0] > 1):
        raise ValueError(f"{path.name}: not a flat array of numbers")
    offset, count = head.tell(), shape[0]
    if offset + count * dtype.itemsize != size:
        raise ValueError(f"{path.name}: its length does not match its header")
    if count == 0:
        return np.empty(0, dtype=dtype)
    return np.frombuffer(mapped, dtype=dtype, count=count, offset=offset)


def _expected(value: Any) -> tuple[int, str]:
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        raise ValueError("the manifest's file entry is not [size, sha256]")
    return value[0], value[1]
