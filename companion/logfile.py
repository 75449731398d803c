"""`postguard serve --log-file FILE`: the log in a file, for services that have no journal (a Windows
scheduled task, a macOS agent for every user). One service definition serves every user, so `~` and
environment variables (%LOCALAPPDATA% on Windows, $HOME) are expanded here, in each user's process."""

from __future__ import annotations

import logging.handlers
import os
from pathlib import Path

MAX_BYTES = 1_000_000   # then companion.log.1 … .3: a companion that runs for months stays small
BACKUPS = 3


def expand(spec: str) -> Path:
    return Path(os.path.expandvars(os.path.expanduser(spec)))


def file_handler(spec: str) -> logging.Handler:
    """A rotating handler for the expanded path; its folder is made. OSError when it cannot be written."""
    path = expand(spec)
    if "%" in str(path) or "$" in str(path):
        raise OSError(f"{spec}: an environment variable in it is not set")
    path.parent.mkdir(parents=True, exist_ok=True)
    return logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
