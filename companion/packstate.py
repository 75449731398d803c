"""The pack the companion is serving, swapped whole on reload; a broken pack never replaces a good one."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from companion.pack.compiled import CompiledPack, load_pack
from companion.pack.errors import PackError

log = logging.getLogger("postguard.pack")


@dataclass(frozen=True)
class PackStatus:
    pack: CompiledPack | None
    loaded_at: float | None
    error: str | None          # why the last load failed; the previous good pack (if any) keeps serving
    error_at: float | None


class PackHolder:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else None
        self._status = PackStatus(None, None, None, None)
        self._mtime: float | None = None
        self._lock = threading.Lock()

    @property
    def status(self) -> PackStatus:
        return self._status

    @property
    def pack(self) -> CompiledPack | None:
        return self._status.pack

    def load(self) -> bool:
        """Load the pack file; on failure keep the current pack and remember why. True on success."""
        with self._lock:
            self._mtime = self._current_mtime()
            try:
                pack = load_pack(self.path)
            except PackError as e:
                self._status = PackStatus(self._status.pack, self._status.loaded_at, str(e), time.time())
                log.error("pack not loaded (%s); %s", self.path or "bundled",
                          "keeping revision %s" % self._status.pack.revision if self._status.pack else "no pack to serve")
                for problem in e.problems:
                    log.error("  %s", problem)
                return False
            self._status = PackStatus(pack, time.time(), None, None)
            log.info("pack %s revision %s loaded (%d rules)", pack.id, pack.revision, len(pack.rules))
            return True

    def reload_if_changed(self) -> bool | None:
        """Reload when the file's modification time changed; None when nothing changed."""
        if self._current_mtime() == self._mtime:
            return None
        return self.load()

    def _current_mtime(self) -> float | None:
        if self.path is None:
            return None
        try:
            return os.stat(self.path).st_mtime
        except OSError:
            return None

    def watch(self, interval: float = 2.0) -> threading.Thread:
        def loop():
            while True:
                time.sleep(interval)
                self.reload_if_changed()
        t = threading.Thread(target=loop, name="pack-watch", daemon=True)
        t.start()
        return t
