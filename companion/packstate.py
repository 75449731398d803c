"""The pack the companion is serving, swapped whole on reload, and what health says about it.

A new pack replaces the running one only when it parses, validates, verifies (when keys are
trusted), rolls no signed layer back (when keys are trusted: see pack/saved.py), and passes its own
examples. Otherwise the last good pack keeps serving and the reason is kept for /v1/health.
Every accepted pack is saved on disk; when the companion starts and its source is broken, expired or
unreachable, the saved pack serves instead of nothing. With nothing serving at all, a pack whose only
fault is failing examples is served (and the failures reported), since checking with it protects
more than not checking. A pack whose signature expires while it serves keeps serving, reported as
degraded: failing open would be worse. Checks already running keep the pack object they started with.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from companion.config import DEFAULT_EXPIRY_WARNING_DAYS
from companion.pack.compiled import BUNDLED_PACK, CompiledPack, build_pack
from companion.pack.digest import pack_digest
from companion.pack.errors import PackError, PackProblem
from companion.pack.examples import run_examples
from companion.pack.loader import parse_yaml
from companion.pack.saved import LastGoodStore, RevisionStore
from companion.pack.sources import FileSource, Layer, SourceError
from companion.packcache import PackCache
from companion.packcompile import worth_compiling_apart

__all__ = ["PackHolder", "PackStatus", "RevisionStore", "LastGoodStore"]

log = logging.getLogger("postguard.pack")

# Health without the token: pack problems quote pack content and paths, so they go to the log and
# to `postguard config` (which has the token) only.
PROBLEM_HINT = "pack problem: see the companion's log, or run `postguard config`"


@dataclass(frozen=True)
class PackStatus:
    pack: CompiledPack | None
    loaded_at: float | None
    error: str | None          # why the last update was refused, or what is wrong with the pack serving
    error_at: float | None
    problem: str | None = None  # error as a code: update_refused, source_unreachable or examples_fail
    from_saved: bool = False    # the pack serving is the copy saved on disk (the source gave nothing usable at start)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _expires(pack: CompiledPack) -> dt.datetime | None:
    if not pack.signature:
        return None
    return dt.datetime.strptime(pack.signature["expires_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def _ids(pack: CompiledPack) -> str:
    return " + ".join(f"{layer['id']} revision {layer['revision']}" for layer in pack.layers)


class PackHolder:
    def __init__(self, source=None, trusted_keys: list[bytes] | None = None, revisions: RevisionStore | None = None,
                 check_examples: bool = True, clock=dt.date.today, saved: LastGoodStore | None = None,
                 warn_days: int = DEFAULT_EXPIRY_WARNING_DAYS, now=_utcnow, cache: PackCache | None = None):
        if source is None or isinstance(source, (str, Path)):
            source = FileSource(source or BUNDLED_PACK)
        self.source = source
        self.trusted_keys = list(trusted_keys or [])
        self.revisions = revisions or RevisionStore(None)
        self.saved = saved or LastGoodStore(None)
        self.cache = cache or PackCache(None)       # compiled packs kept on disk (none without a folder)
        self.check_examples = check_examples
        self.clock = clock          # today's date, for the pack's examples
        self.now = now              # the time, for signature expiry
        self.warn_days = warn_days
        self._status = PackStatus(None, None, None, None)
        self._lock = threading.Lock()
        self._from_disk: CompiledPack | None = None   # the pack restored from the saved copy, if any
        self._restore_tried = False
        self._last_refusal: tuple | None = None
        self._expiry_said: str | None = None
        self._personal_said: str | None = None
        self._watcher: threading.Thread | None = None
        self.poll_interval = 2.0
        # what the last accepted revision changed (GET /v1/pack/changes): {from, to, digest}, or None
        # before a second revision arrives. Only the digest is kept (also in the state folder, so a
        # restart keeps it), not the old pack.
        self.changes: dict | None = self._kept_changes()
        self.refused_updates = 0    # distinct updates refused since start (fleet health: companion/telemetry/)
        self._counted_refusal: tuple | None = None   # not forgotten on a config re-read, unlike _last_refusal

    def _kept_changes(self) -> dict | None:
        try:
            return self.saved.load_changes()
        except ValueError as e:
            log.warning("no \"what changed\" kept from the last run: %s", e)
            return None

    def reconfigure(self, source, trusted_keys: list[bytes], revisions: RevisionStore, saved: LastGoodStore,
                    check_examples: bool, warn_days: int, poll_interval: float) -> None:
        """Take a configuration re-read while running (companion/configwatch.py). The pack serving
        keeps serving until the next load, under the new keys, accepts another one."""
        with self._lock:
            self.source = source if source is not None else FileSource(BUNDLED_PACK)
            self.trusted_keys, self.revisions, self.saved = list(trusted_keys), revisions, saved
            self.check_examples, self.warn_days, self.poll_interval = check_examples, warn_days, poll_interval
            self._last_refusal = None

    @property
    def status(self) -> PackStatus:
        return self._status

    @property
    def pack(self) -> CompiledPack | None:
        return self._status.pack

    def load(self, force: bool = True) -> bool | None:
        """Fetch and try the pack; True when a new pack now serves, False when refused, None when unchanged.

        Checks never wait for it: they read `pack`, which is the old pack until the new one is
        compiled, tested and swapped in whole (the watch thread calls this in the background). With a
        pack serving and a cache folder, a big new pack compiles in a child process and is read back
        from the cache here, so the checks hardly share the interpreter with the compile
        (packcompile.worth_compiling_apart)."""
        with self._lock:
            before = self._status.pack
            result = self._load(force)
            if self._status.pack is not before and self._status.pack is not None:
                _settle_heap()
            return result

    def _load(self, force: bool) -> bool | None:
        current, layers = self._status.pack, None
        try:
            layers = self.source.fetch(force)
            if layers is None:
                return None
            # With a pack serving, a big new one compiles in a child process: checks keep the interpreter.
            pack, layers = self._build(layers, apart=current is not None)
            self._gate(pack, layers)
            failed = self._failed_examples(pack)
            if failed and current is None:
                current = self._restore()    # a saved good pack beats one failing its own examples
            if failed and current is not None:
                raise failed
        except PackError as e:
            self._refuse(e, current if current is not None else self._restore(), layers)
            self.note_expiry()
            return False
        self._accept(pack, layers, failed)
        self.note_expiry()
        return True

    def _build(self, layers: list[Layer], apart: bool = False) -> tuple[CompiledPack, list[Layer]]:
        """The pack of IT's layers (verified; from the compiled-pack cache, or compiled in a child
        process when `apart` and the pack is big enough to hold checks up: packcompile.worth_compiling_apart),
        with the user's personal overlay on top when it only adds and merges;
        else IT's layers alone. Returns the pack and the layers it was built from."""
        signed = [layer for layer in layers if not layer.personal]
        pack = self.cache.build(signed, self.trusted_keys, apart=apart and worth_compiling_apart(signed))
        if len(signed) == len(layers):
            return pack, layers
        try:
            _only_adds(layers[-1])
            merged = build_pack(layers)   # IT's layers were verified just above; the personal one has no signature
        except PackError as e:
            if str(e) != self._personal_said:
                self._personal_said = str(e)
                log.error("personal overlay refused, serving IT's pack without it: %s", e)
            return pack, signed
        self._personal_said = None
        merged.signature = pack.signature
        merged.layers[-1]["personal"] = True
        return merged, layers

    def _accept(self, pack: CompiledPack, layers: list[Layer], failed: PackError | None) -> None:
        # The personal overlay is neither recorded nor saved: it is unsigned, and a saved copy is verified again.
        kept = [(m, layer) for m, layer in zip(pack.layers, layers) if not layer.personal]
        # the pack this one replaces: the one serving, or at start the one the last run saved
        before = self._status.pack or self._saved_before([m for m, _ in kept])
        try:
            if self.trusted_keys:
                self.revisions.accept([{"id": m["id"], "revision": m["revision"], "sha256": _sha(layer.data)}
                                       for m, layer in kept])
            self.saved.save([layer for _, layer in kept], [m for m, _ in kept], self.source.describe(),
                            pack.signature["expires_at"] if pack.signature else None, self.now())
        except OSError as e:   # the pack is good and serves; only what survives a restart is missing
            log.error("cannot save pack state in the state folder: %s", e.strerror or e)
        self.source.accepted()
        note = f"serving revision {pack.revision} although its own examples fail:\n{failed}" if failed else None
        if note:
            log.error("%s", note.splitlines()[0])
        if before is not None and (before.id, before.revision) != (pack.id, pack.revision):
            self.changes = {"from": {"id": before.id, "revision": before.revision},
                            "to": {"id": pack.id, "revision": pack.revision}, "digest": pack_digest(before, pack)}
            try:
                self.saved.save_changes(self.changes)
            except OSError as e:
                log.error("cannot keep \"what changed\" in the state folder: %s", e.strerror or e)
        now = time.time()
        self._status = PackStatus(pack, now, note, now if note else None, "examples_fail" if note else None)
        self._last_refusal = None
        log.info("pack %s revision %s loaded from %s (%d rules%s)", pack.id, pack.revision,
                 self.source.describe(), len(pack.rules), ", signed" if pack.signature else ", unsigned")

    def _saved_before(self, meta: list[dict]) -> CompiledPack | None:
        """At start, the pack the last run saved when it is another revision than `meta`'s layers: a
        revision that arrived while the companion was stopped still gets its digest. Compiled (from the
        cache when it still has it) only when the revisions differ."""
        try:
            summary = self.saved.summary()
            if summary is None or [(m["id"], m["revision"]) for m in summary["layers"]] == [(m["id"], m["revision"]) for m in meta]:
                return None
            if self._from_disk is not None:
                return self._from_disk
            layers, accepted_at = self.saved.load()  # type: ignore[misc]  (a summary means a record)
            return self.cache.build(layers, self.trusted_keys, now=accepted_at)
        except (ValueError, PackError, OSError) as e:
            log.warning("no \"what changed\" for this revision: the saved pack cannot be read (%s)", _without_content(e) if isinstance(e, PackError) else e)
            return None

    def _refuse(self, e: PackError, current: CompiledPack | None, layers: list[Layer] | None) -> None:
        problem = "source_unreachable" if isinstance(e, SourceError) else "update_refused"
        loaded_at = self._status.loaded_at if current is self._status.pack else time.time()
        from_saved = current is not None and current is self._from_disk
        self._status = PackStatus(current, loaded_at, str(e), time.time(), problem, from_saved)
        # A refused URL is fetched whole at every poll; say the same refusal once.
        refusal = (str(e), tuple((_sha(layer.data), _sha(layer.signature or b"")) for layer in layers or ()))
        if problem == "update_refused" and refusal != self._counted_refusal:
            self._counted_refusal = refusal
            self.refused_updates += 1
        if refusal == self._last_refusal:
            return
        self._last_refusal = refusal
        serving = (f"{'the saved copy of ' if from_saved else ''}{_ids(current)} keeps serving" if current
                   else "no pack to serve")
        what = "cannot read the pack source" if problem == "source_unreachable" else "pack update refused"
        log.error("%s (%s); %s", what, self.source.describe(), serving)
        for p in e.problems[:50]:
            log.error("  %s", p)

    def _restore(self) -> CompiledPack | None:
        """With nothing serving: the last good pack saved on disk, verified as of when it was accepted
        (an expired signature keeps it serving, as it would have kept serving had nothing restarted)."""
        if self._restore_tried:
            return self._from_disk
        self._restore_tried = True
        try:
            saved = self.saved.load()
            if saved is None:
                return None
            layers, accepted_at = saved
            pack = self.cache.build(layers, self.trusted_keys, now=accepted_at)
            self._gate(pack, layers)
        except ValueError as e:
            log.error("the saved last good pack cannot be used: %s", e)
            return None
        except PackError as e:
            log.error("the saved last good pack in %s cannot be used: %s", self.saved.file, _without_content(e))
            return None
        self._from_disk = pack
        log.warning("serving the last good pack saved on disk: %s, accepted %s", _ids(pack),
                    accepted_at.strftime("%Y-%m-%d %H:%M UTC"))
        return pack

    def _gate(self, pack: CompiledPack, layers: list[Layer]) -> None:
        """No signed layer may go back to an older revision, change under the same revision, or
        disappear while the base keeps its revision (then only a newer base may drop an overlay)."""
        if not self.trusted_keys:
            return
        problems = []
        for meta, layer in zip(pack.layers, layers):
            if layer.personal:
                continue
            ident, rev, seen = meta["id"], meta["revision"], self.revisions.layer(meta["id"])
            if rev < seen.get("revision", 0):
                problems.append((layer.name, f"{ident} revision {rev} is older than revision {seen['revision']} already accepted"))
            elif rev == seen.get("revision") and seen.get("sha256") not in (None, _sha(layer.data)):
                problems.append((layer.name, f"{ident} revision {rev} changed without a new revision number"))
        base = self.revisions.base()
        if base and base["id"] == pack.id and base["revision"] == pack.revision:
            present = {m["id"] for m, layer in zip(pack.layers[1:], layers[1:]) if not layer.personal}
            problems += [(layers[0].name, f"overlay {gone} was removed, but {pack.id} is still revision {pack.revision}: "
                                          f"an overlay can only be removed by a newer revision of the base pack")
                         for gone in base["overlays"] if gone not in present]
        if problems:
            raise PackError([PackProblem(name, 0, 0, "revision", message) for name, message in problems])

    def _failed_examples(self, pack: CompiledPack) -> PackError | None:
        if not self.check_examples:
            return None
        day = self.clock()
        if self.cache.examples_passed(pack.sha256, day):
            return None
        failed = [r for r in run_examples(pack, day) if not r.ok]
        if not failed:
            self.cache.note_examples_passed(pack.sha256, day)
            return None
        return PackError([PackProblem(pack.source, 0, 0, r.rule, f"example should {'flag' if r.expect_flag else 'pass'}: {r.text!r}")
                          for r in failed])

    # -- signature expiry -------------------------------------------------------------------------
    def expiry(self) -> str | None:
        """pack_expired, pack_expires_soon (within warn_days), or None."""
        pack = self.pack
        expires = _expires(pack) if pack else None
        if expires is None:
            return None
        left = expires - self.now()
        if left <= dt.timedelta(0):
            return "pack_expired"
        return "pack_expires_soon" if left <= dt.timedelta(days=self.warn_days) else None

    def note_expiry(self) -> None:
        """Log once when the serving pack's signature comes within warn_days of expiry, and once when it expires."""
        state, pack = self.expiry(), self.pack
        if state == self._expiry_said:
            return
        self._expiry_said = state
        if state == "pack_expires_soon":
            log.warning("the signature of %s expires at %s: re-sign and publish it (postguard pack sign)",
                        _ids(pack), pack.signature["expires_at"])
        elif state == "pack_expired":
            log.error("the signature of %s expired at %s; still checking with it until a newly signed pack "
                      "is published (postguard pack sign)", _ids(pack), pack.signature["expires_at"])

    # -- health -----------------------------------------------------------------------------------
    def health(self, details: bool) -> dict:
        """status ok | degraded | no_pack, the reason codes (most serious first), the pack's ids, and the
        pack problem: in full only with `details` (the caller presented the token)."""
        s, expiry = self._status, self.expiry()
        reasons = [r for r in ("pack_expired" if expiry == "pack_expired" else None,
                               "serving_saved_pack" if s.from_saved else None, s.problem,
                               "pack_expires_soon" if expiry == "pack_expires_soon" else None) if r]
        pack = s.pack
        body: dict = {"status": "no_pack" if pack is None else "degraded" if reasons else "ok",
                      "reason": reasons[0] if reasons else None, "reasons": reasons, "pack": None}
        if pack:
            body["pack"] = {"id": pack.id, "revision": pack.revision, "signed": pack.signature is not None,
                            "sha256": pack.sha256, "layers": [{"id": layer["id"], "revision": layer["revision"], **({"personal": True} if layer.get("personal") else {})}
                                                for layer in pack.layers]}
            if pack.signature:
                body["pack"]["signature"] = pack.signature
        body["refused_updates"] = self.refused_updates
        if s.error:
            body["pack_error"] = self._error_details(s) if details else {"message": PROBLEM_HINT}
        return body

    @staticmethod
    def _error_details(s: PackStatus) -> dict:
        lines = s.error.splitlines()
        if s.problem == "examples_fail":
            return {"message": lines[0], "problems": lines[1:21]}
        what = "the pack source could not be read" if s.problem == "source_unreachable" else "the last pack update was refused"
        serving = (f"revision {s.pack.revision}{' (the copy saved on disk)' if s.from_saved else ''} keeps serving"
                   if s.pack else "nothing to serve")
        return {"message": f"{what}; {serving}", "problems": lines[:20]}

    def watch(self, interval: float) -> threading.Thread:
        """Poll the source for changes every `interval` seconds (`poll_interval`, which a re-read
        configuration may change), in the background, and watch the clock for the serving pack's
        signature expiry."""
        self.poll_interval = interval
        if self._watcher is not None:
            return self._watcher

        def loop():
            while True:
                time.sleep(self.poll_interval)
                try:
                    self.load(force=False)
                    self.note_expiry()
                except Exception as e:   # never let the watcher die; the reason is logged, not the content
                    log.error("pack watch failed: %s", type(e).__name__)
        self._watcher = threading.Thread(target=loop, name="pack-watch", daemon=True)
        self._watcher.start()
        return self._watcher


def _only_adds(layer: Layer) -> None:
    """A personal overlay may add terms, rules, replies and guidance, never replace or relax IT's."""
    data, _ = parse_yaml(layer.data, layer.name)
    platforms = data.get("platforms") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("overrides") or (
            isinstance(platforms, dict) and any(isinstance(p, dict) and "limit" in p for p in platforms.values())):
        raise PackError([PackProblem(layer.name, 1, 1, "overrides",
                                     "a personal overlay may only add: no overrides and no platform limits")])


def _settle_heap() -> None:
    """Take the pack just swapped in out of the garbage collector's full walks.

    A pack's objects live until the next reload, and a check that allocates a lot triggers full
    collections, which walk every object the collector tracks: 60 ms per collection with a
    100,000-term pack, 0 once frozen (bench/README.md, Cold start). So: collect what compiling left
    behind, then move every live object to the permanent generation (gc.freeze). The pack it
    replaced is freed by reference counting, frozen or not: compiled packs hold no reference cycles
    (tested)."""
    gc.collect()
    gc.freeze()


def _without_content(e: PackError) -> str:
    """Why a saved pack was refused, quoting no pack content: signature and revision problems only."""
    said = [p.message for p in e.problems if p.key == "revision" or p.message.startswith("signature refused")]
    return "; ".join(said[:3]) or "it no longer validates (run postguard pack lint on the published pack)"
