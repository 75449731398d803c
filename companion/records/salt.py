"""The salt that turns a conversation's URL into a hash no one can reverse by guessing URLs.

32 random bytes in `records.salt` beside the records file, readable by the user alone (0600), made
on first use. The hash tells one conversation from another (answered twice = one conversation) and
nothing else; `postguard forget --all` leaves the salt, deleting the file starts new hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from pathlib import Path

from companion.atomicfile import write_atomically

SALT_FILE = "records.salt"
SALT_BYTES = 32


class ConversationHasher:
    def __init__(self, path: Path):
        self.path = path
        self._salt: bytes | None = None
        self._lock = threading.Lock()   # two first requests at once must not make two salts

    def __call__(self, url: str) -> str:
        return hmac.new(self._key(), url.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def _key(self) -> bytes:
        with self._lock:
            if self._salt is None:
                self._salt = _read_or_make(self.path)
            return self._salt


def _read_or_make(path: Path) -> bytes:
    try:
        salt = path.read_bytes()
        if len(salt) == SALT_BYTES:
            return salt
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_bytes(SALT_BYTES)
    write_atomically(path, salt, 0o600)   # a salt of the wrong length (a half-written file) is replaced whole
    return salt
