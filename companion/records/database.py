"""The records file: SQLite in WAL mode, a versioned schema (PRAGMA user_version) and its migrations.

A file that SQLite cannot read as a database, or that fails its integrity check, is moved aside
(`records.sqlite.damaged-<time>`, with its -wal/-shm) with one log line and a fresh one is
started: the records are never a reason for a check to fail.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from pathlib import Path

log = logging.getLogger("postguard.records")

# Each entry takes the schema from the version before it to its own number (index + 1). Append only:
# a file written by any earlier version opens in the latest.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (   # 1: counts per day and rule, per day and site
        "CREATE TABLE rule_events (day TEXT NOT NULL, rule TEXT NOT NULL, category TEXT NOT NULL,"
        " event TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, rule, category, event)) WITHOUT ROWID",
        "CREATE TABLE site_events (day TEXT NOT NULL, site TEXT NOT NULL, event TEXT NOT NULL,"
        " n INTEGER NOT NULL, PRIMARY KEY (day, site, event)) WITHOUT ROWID",
    ),
    (   # 2: why a warning was marked wrong; canned replies used
        "CREATE TABLE wrong_reasons (day TEXT NOT NULL, rule TEXT NOT NULL, reason TEXT NOT NULL,"
        " n INTEGER NOT NULL, PRIMARY KEY (day, rule, reason)) WITHOUT ROWID",
        "CREATE TABLE reply_uses (day TEXT NOT NULL, reply_id TEXT NOT NULL, n INTEGER NOT NULL,"
        " PRIMARY KEY (day, reply_id)) WITHOUT ROWID",
    ),
    (   # 3: champions' answers: the conversation only as a salted hash, times in UTC
        "CREATE TABLE answers (day TEXT NOT NULL, conversation TEXT NOT NULL, reply_id TEXT NOT NULL,"
        " kind TEXT NOT NULL, target_minutes INTEGER, posted_at TEXT NOT NULL, answered_at TEXT NOT NULL,"
        " minutes INTEGER NOT NULL)",
        "CREATE INDEX answers_day ON answers (day)",
    ),
    (   # 4: hand-offs opened ("Send to <owner>"), per escalation topic
        "CREATE TABLE handoffs (day TEXT NOT NULL, topic TEXT NOT NULL, n INTEGER NOT NULL,"
        " PRIMARY KEY (day, topic)) WITHOUT ROWID",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = ("rule_events", "site_events", "wrong_reasons", "reply_uses", "answers", "handoffs")


class NewerSchema(RuntimeError):
    """The file was written by a newer PostGuard: left alone, not moved aside."""


def open_records(path: Path, *, upto: int = SCHEMA_VERSION) -> sqlite3.Connection:
    """Open (or create) the records file and bring its schema to `upto` (tests pass 1 to make a first-version file)."""
    try:
        return _open(path, upto)
    except sqlite3.OperationalError:   # locked, unreadable, a folder in its place: not damage, leave it be
        raise
    except sqlite3.DatabaseError as e:   # "file is not a database", "database disk image is malformed"
        aside = _move_aside(path)
        log.warning("records: %s could not be read (%s); moved it to %s and started a new one",
                    path, type(e).__name__, aside.name)
        return _open(path, upto)


def _open(path: Path, upto: int) -> sqlite3.Connection:
    fresh = not path.exists()
    conn = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    try:
        if fresh:
            os.chmod(path, 0o600)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise NewerSchema(f"{path} has schema version {version}; this PostGuard knows up to {SCHEMA_VERSION}")
        for number in range(version + 1, upto + 1):
            conn.execute("BEGIN IMMEDIATE")
            for statement in MIGRATIONS[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        return conn
    except BaseException:
        conn.close()
        raise


def _move_aside(path: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            os.replace(part, Path(str(aside) + suffix))
    return aside
