"""Writes records from a background thread: a check or a report call only puts a batch on a queue.

The thread opens the file (moving a damaged one aside), prunes past the retention at start and once
a day, and writes what arrived in one transaction at most every `flush_every` seconds. A failure to
write is logged (its type, never a value) and the batch dropped: records never hold up or fail a check.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable

from companion.records import store
from companion.records.database import open_records
from companion.records.events import DEFAULT_RETENTION_DAYS, Event
from companion.records.salt import SALT_FILE, ConversationHasher

log = logging.getLogger("postguard.records")
_STOP = object()


class RecordWriter:
    def __init__(self, path: Path, *, retention_days: int = DEFAULT_RETENTION_DAYS,
                 clock: Callable[[], dt.date] = dt.date.today, flush_every: float = 1.0):
        self.path, self.retention_days, self.clock, self.flush_every = path, retention_days, clock, flush_every
        self.hasher = ConversationHasher(path.with_name(SALT_FILE))   # answers' conversation URLs -> salted hashes
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._idle = threading.Condition()
        self._pending = 0
        self._thread = threading.Thread(target=self._run, name="postguard-records", daemon=True)
        self._thread.start()

    def add(self, events: list[Event]) -> None:
        """Queue a batch for today; returns at once."""
        with self._idle:
            self._pending += 1
        self._queue.put((self.clock(), events))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far is written (tests, shutdown)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 10.0) -> None:
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)

    def _run(self) -> None:
        conn = self._open()
        pruned_on = self.clock()   # _open pruned
        while True:
            item = self._queue.get()
            batches, stop = [], item is _STOP
            if not stop:
                batches.append(item)
                deadline = time.monotonic() + self.flush_every
                while (left := deadline - time.monotonic()) > 0:
                    try:
                        more = self._queue.get(timeout=left)
                    except queue.Empty:
                        break
                    if more is _STOP:
                        stop = True
                        break
                    batches.append(more)
            if conn is not None and (today := self.clock()) != pruned_on:
                pruned_on = today
                self._guard(store.prune, conn, today, self.retention_days)
            if batches and conn is not None:
                self._guard(store.add, conn, batches)
            with self._idle:
                self._pending -= len(batches)
                self._idle.notify_all()
            if stop:
                if conn is not None:
                    conn.close()
                return

    def _open(self) -> sqlite3.Connection | None:
        try:
            conn = open_records(self.path)
            store.prune(conn, self.clock(), self.retention_days)
            return conn
        except (sqlite3.Error, OSError, RuntimeError) as e:
            log.error("records: cannot open %s (%s); nothing will be recorded until the companion restarts",
                      self.path, type(e).__name__)
            return None

    @staticmethod
    def _guard(write: Callable[..., object], *args: object) -> None:
        try:
            write(*args)
        except sqlite3.Error as e:
            log.error("records: a batch could not be written (%s); it was dropped", type(e).__name__)
