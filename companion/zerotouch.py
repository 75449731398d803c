"""Zero-touch pairing: IT gives the extension and the companion the same per-user pairing secret, and the
extension gets the install's token with no code typed (docs/security.md, "Zero-touch pairing").

- The companion side of the secret is a file `<system config folder>/pairing/<account name>` on a managed
  machine: the folder and every folder above it IT's (root's, writable by nobody else), the file the
  user's or root's and readable by nobody else, so another account on the machine cannot read it.
- The extension side is the managed setting `pairingSecret` (chrome.storage.managed).
- The handshake is challenge-response in both directions, bound to the port the extension connected to:
  POST /v1/pair/managed/start -> a single-use challenge; POST /v1/pair/managed {challenge, nonce,
  proof} -> {token, proof}. The extension proves it knows the secret; the companion proves it too, over
  the token it hands out, so a program squatting on the port cannot hand the extension its own token.
- `derive_secret` lets IT compute every machine's and user's secret from one fleet key it keeps, so
  the two deliveries (browser policy, file) can come from different tools and still agree.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import stat
import sys
import threading
import time
from pathlib import Path

from companion.settings import Settings, SettingsError, check_system_file, system_place

SECRET = re.compile(r"[A-Za-z0-9_-]{43,128}", re.ASCII)   # at least 32 random bytes, base64url
CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}", re.ASCII)
CONTEXT = "postguard-managed-pair-v1"
CHALLENGE_TTL = 60.0
MAX_CHALLENGES = 32   # outstanding at once; the oldest go first


class PairingSecretError(ValueError):
    """The secret file exists but may not be used (owner, mode, content)."""


def account_name() -> str:
    """The account the companion runs as, from the account database (not from $USER, which the user sets)."""
    if sys.platform == "win32":
        return os.environ.get("USERNAME", "")   # Windows: the folder's ACL decides (docs/security.md)
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def secret_path(settings: Settings) -> Path | None:
    """Where IT puts this account's pairing secret: only on a managed machine, beside the system config."""
    if not settings.managed or not settings.files:
        return None
    return Path(settings.files[0]).parent / "pairing" / account_name()


def read_secret(path: Path, folder_owners: frozenset[int] | None = None) -> str | None:
    """The secret in `path`, None when there is no file; PairingSecretError when it may not be used."""
    if not os.path.lexists(path):
        return None
    owners = folder_owners if folder_owners is not None else system_place().owners
    try:
        check_system_file(path.parent, owners)   # nobody but IT can plant or swap a file in the folder
    except SettingsError as e:
        raise PairingSecretError(str(e).replace("the system config", "the pairing folder")) from None
    if sys.platform != "win32":
        st = os.stat(path)
        if st.st_uid not in (0, os.getuid()):
            raise PairingSecretError(f"{path}: belongs to uid {st.st_uid}, neither root nor this account")
        if st.st_mode & 0o027:
            raise PairingSecretError(f"{path}: mode {stat.S_IMODE(st.st_mode):o} lets others read or change it "
                                     f"(chmod 0400 it; another account could pair with this one's companion)")
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as e:
        raise PairingSecretError(f"{path}: cannot read it: {getattr(e, 'strerror', None) or e}") from None
    if not SECRET.fullmatch(text):
        raise PairingSecretError(f"{path}: not a pairing secret (43 to 128 letters, digits, '-' or '_'; "
                                 f"make one with `postguard pairing-secret`)")
    return text


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def new_secret() -> str:
    return _b64(secrets.token_bytes(32))


def derive_secret(fleet_key: bytes, machine: str, user: str) -> str:
    """One secret per machine and user from IT's fleet key: HMAC-SHA256(key, context, machine, user)."""
    if len(fleet_key) < 32:
        raise ValueError("the fleet key must hold at least 32 bytes")
    if not machine or not user or "\0" in machine + user:
        raise ValueError("machine and user must be non-empty names")
    message = f"postguard-pairing-secret-v1\0{machine}\0{user}".encode()
    return _b64(hmac.new(fleet_key, message, hashlib.sha256).digest())


def _mac(secret: str, *parts: str) -> str:
    return hmac.new(secret.encode("ascii"), ":".join((CONTEXT, *parts)).encode(), hashlib.sha256).hexdigest()


def extension_proof(secret: str, port: int, challenge: str, nonce: str) -> str:
    """What the extension sends: HMAC(secret, "postguard-managed-pair-v1:extension:127.0.0.1:<port>:<challenge>:<nonce>")."""
    return _mac(secret, "extension", f"127.0.0.1:{port}", challenge, nonce)


def companion_proof(secret: str, port: int, challenge: str, nonce: str, token: str) -> str:
    """What the companion answers with, over the token it hands out."""
    return _mac(secret, "companion", f"127.0.0.1:{port}", challenge, nonce, token)


def proof_matches(presented: str, expected: str) -> bool:
    return hmac.compare_digest(presented.lower().encode(), expected.encode())


class Challenges:
    """Single-use challenges, kept in memory for CHALLENGE_TTL seconds: a proof seen once (by a program
    squatting on the port, say) cannot be replayed to the companion later."""

    def __init__(self, clock=time.monotonic):
        self._open: dict[str, float] = {}
        self._clock = clock
        self._lock = threading.Lock()

    def issue(self) -> str:
        challenge = _b64(secrets.token_bytes(32))
        with self._lock:
            now = self._clock()
            self._open = {c: t for c, t in self._open.items() if now - t < CHALLENGE_TTL}
            while len(self._open) >= MAX_CHALLENGES:
                self._open.pop(next(iter(self._open)))
            self._open[challenge] = now
        return challenge

    def take(self, challenge: str) -> bool:
        """True once for a challenge issued less than CHALLENGE_TTL ago; it is gone afterwards."""
        with self._lock:
            issued = self._open.pop(challenge, None)
        return issued is not None and self._clock() - issued < CHALLENGE_TTL
