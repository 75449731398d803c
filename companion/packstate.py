"""The pack the companion is serving, swapped whole on reload.

A new pack replaces the running one only when it parses, validates, verifies (when keys are
trusted), is not an older revision than the one accepted before (when keys are trusted), and passes
its own examples. Otherwise the last good pack keeps serving and the reason is kept for /v1/health.
One exception: with nothing serving yet, a pack whose only fault is failing examples is served (and
the failures reported), since checking with it protects more than not checking at all.
Checks already running keep the pack object they started with.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from companion.pack.compiled import BUNDLED_PACK, CompiledPack, build_pack
from companion.pack.errors import PackError, PackProblem
from companion.pack.examples import run_examples
from companion.pack.sources import FileSource

log = logging.getLogger("postguard.pack")


@dataclass(frozen=True)
class PackStatus:
    pack: CompiledPack | None
    loaded_at: float | None
    error: str | None          # why the last update was refused; the previous good pack (if any) keeps serving
    error_at: float | None


class RevisionStore:
    """The highest revision accepted per pack id, kept across restarts so old signed packs can't be replayed."""

    def __init__(self, path: Path | None):
        self.path = path

    def get(self, pack_id: str) -> int:
        if not self.path:
            return 0
        try:
            return int(json.loads(self.path.read_text(encoding="utf-8")).get(pack_id, 0))
        except (OSError, ValueError, AttributeError):
            return 0

    def put(self, pack_id: str, revision: int) -> None:
        if not self.path:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        data[pack_id] = revision
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.path)


class PackHolder:
    def __init__(self, source=None, trusted_keys: list[bytes] | None = None, revisions: RevisionStore | None = None,
                 check_examples: bool = True, clock=dt.date.today):
        if source is None or isinstance(source, (str, Path)):
            source = FileSource(source or BUNDLED_PACK)
        self.source = source
        self.trusted_keys = list(trusted_keys or [])
        self.revisions = revisions or RevisionStore(None)
        self.check_examples = check_examples
        self.clock = clock
        self._status = PackStatus(None, None, None, None)
        self._lock = threading.Lock()

    @property
    def status(self) -> PackStatus:
        return self._status

    @property
    def pack(self) -> CompiledPack | None:
        return self._status.pack

    def load(self, force: bool = True) -> bool | None:
        """Fetch and try the pack; True when a new pack now serves, False when refused, None when unchanged."""
        with self._lock:
            current = self._status.pack
            try:
                layers = self.source.fetch(force)
                if layers is None:
                    return None
                pack = build_pack(layers, self.trusted_keys)
                self._gate(pack, current)
                failed = self._failed_examples(pack)
                if failed and current is not None:
                    raise failed
            except PackError as e:
                self._status = PackStatus(current, self._status.loaded_at, str(e), time.time())
                log.error("pack update refused (%s); %s", self.source.describe(),
                          f"revision {current.revision} keeps serving" if current else "no pack to serve")
                for problem in e.problems[:50]:
                    log.error("  %s", problem)
                return False
            if self.trusted_keys:
                self.revisions.put(pack.id, pack.revision)
            note = f"serving revision {pack.revision} although its own examples fail:\n{failed}" if failed else None
            if note:
                log.error("%s", note.splitlines()[0])
            now = time.time()
            self._status = PackStatus(pack, now, note, now if note else None)
            log.info("pack %s revision %s loaded from %s (%d rules%s)", pack.id, pack.revision,
                     self.source.describe(), len(pack.rules), ", signed" if pack.signature else ", unsigned")
            return True

    def _gate(self, pack: CompiledPack, current: CompiledPack | None) -> None:
        where = pack.source
        if self.trusted_keys:
            floor = max(self.revisions.get(pack.id), current.revision if current and current.id == pack.id else 0)
            if pack.revision < floor:
                raise PackError([PackProblem(where, 0, 0, "revision",
                                             f"revision {pack.revision} is older than revision {floor} already accepted")])
            if current and current.id == pack.id and pack.revision == current.revision and pack.sha256 != current.sha256:
                raise PackError([PackProblem(where, 0, 0, "revision",
                                             f"revision {pack.revision} changed without a new revision number")])

    def _failed_examples(self, pack: CompiledPack) -> PackError | None:
        if not self.check_examples:
            return None
        failed = [r for r in run_examples(pack, self.clock()) if not r.ok]
        if not failed:
            return None
        return PackError([PackProblem(pack.source, 0, 0, r.rule, f"example should {'flag' if r.expect_flag else 'pass'}: {r.text!r}")
                          for r in failed])

    def watch(self, interval: float) -> threading.Thread:
        """Poll the source for changes every `interval` seconds, in the background."""
        def loop():
            while True:
                time.sleep(interval)
                try:
                    self.load(force=False)
                except Exception as e:   # never let the watcher die; the reason is logged, not the content
                    log.error("pack watch failed: %s", type(e).__name__)
        t = threading.Thread(target=loop, name="pack-watch", daemon=True)
        t.start()
        return t
