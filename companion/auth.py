"""Who may use the companion: a per-install token, handed to the extension through a one-time code.

- The token (32 random bytes, URL-safe) lives in the OS keyring (service "postguard"). Where no keyring
  backend works (a headless Linux box), it falls back to a file readable by the user alone, and says so
  wherever the token is used — never silently.
- `postguard pair` writes a short one-time code (hashed, 5 minutes, 5 attempts) into the user's state
  folder; the extension's options page exchanges it for the token with POST /v1/pair. Only a process of
  this user can create a code, so a web page can't pair itself.
- Rotating the token (`postguard pair --reset`) bumps a version file; a running companion notices on the
  next request and refuses the old token at once.
- Firefox gives each install of the add-on its own origin (`moz-extension://<random UUID>`), so it cannot
  be listed in advance like Chromium's fixed ID. The origin that redeems a pairing code is remembered
  with the token (`PairedOrigins`): the code proves it is the add-on the user paired, and a new token
  forgets it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import threading
import time
from pathlib import Path

import keyring
import keyring.errors

from companion.pack.saved import write_private

log = logging.getLogger("postguard.auth")

SERVICE, USERNAME = "postguard", "companion-token"
CODE_TTL = 300
CODE_ATTEMPTS = 5
HELLO_CONTEXT = b"postguard-hello-v2:"
HELLO_HOST = "127.0.0.1"   # the only address the companion listens on, and the extension connects to
# A Firefox add-on's origin: Firefox draws a random UUID per install (and per profile).
FIREFOX_ORIGIN = re.compile(r"moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)
MAX_PAIRED_ORIGINS = 16   # one per Firefox profile that paired; the oldest go first


def _write_private(path: Path, data: str) -> None:
    """Write a text file only the owner can read, replacing any old one atomically."""
    write_private(path, data.encode("utf-8"))


class TokenStore:
    def __init__(self, state_dir: Path):
        self.state_dir = Path(state_dir)
        self.file = self.state_dir / "token"
        self.version_file = self.state_dir / "token-version"
        self.fallback_reason: str | None = None
        self._backend_checked = False

    # -- where the token lives ---------------------------------------------------------------------
    def _keyring_usable(self) -> bool:
        if self._backend_checked:
            return self.fallback_reason is None
        self._backend_checked = True
        try:
            backend = keyring.get_keyring()
            name = f"{type(backend).__module__}.{type(backend).__name__}"
            if name in ("keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"):
                self.fallback_reason = f"no usable OS keyring ({name})"
        except Exception as e:   # keyring raises RuntimeError, not a KeyringError, without D-Bus
            self.fallback_reason = f"no usable OS keyring ({type(e).__name__})"
        if self.fallback_reason:
            log.warning("%s: keeping the pairing token in %s, readable by this user only", self.fallback_reason, self.file)
        return self.fallback_reason is None

    @property
    def storage(self) -> str:
        return "keyring" if self._keyring_usable() else f"file ({self.file})"

    def get(self) -> str | None:
        if self._keyring_usable():
            try:
                return keyring.get_password(SERVICE, USERNAME)
            except Exception as e:
                log.error("keyring read failed: %s", type(e).__name__)
                return None
        try:
            if self.file.stat().st_mode & 0o077:
                log.error("%s is readable by others; refusing to use it (chmod 600 it or run postguard pair --reset)", self.file)
                return None
            return self.file.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def _set(self, token: str) -> None:
        if self._keyring_usable():
            keyring.set_password(SERVICE, USERNAME, token)
            if keyring.get_password(SERVICE, USERNAME) == token:
                return
            self.fallback_reason = "the OS keyring did not keep the token"
            log.warning("%s: keeping it in %s, readable by this user only", self.fallback_reason, self.file)
        _write_private(self.file, token)

    def ensure(self) -> str:
        token = self.get()
        if not token:
            token = self.rotate()
        return token

    def rotate(self) -> str:
        token = secrets.token_urlsafe(32)
        self._set(token)
        _write_private(self.version_file, secrets.token_hex(8))   # tells a running companion to re-read
        return token

    def version(self) -> float | None:
        try:
            return self.version_file.stat().st_mtime_ns
        except OSError:
            return None


class TokenCache:
    """The server's view of the token: read once, re-read when the version file changes."""

    def __init__(self, store: TokenStore):
        self.store = store
        self._token: str | None = None
        self._version: object = object()
        self._lock = threading.Lock()

    def current(self) -> str | None:
        v = self.store.version()
        if v != self._version:
            with self._lock:
                self._token, self._version = self.store.get(), v
        return self._token

    def matches(self, presented: str) -> bool:
        token = self.current()
        return bool(token) and hmac.compare_digest(presented.encode(), token.encode())

    def proof(self, nonce: str, port: int) -> str | None:
        token = self.current()
        if not token:
            return None
        return hello_proof(token, nonce, port)


def hello_proof(token: str, nonce: str, port: int) -> str:
    """HMAC-SHA256(token, "postguard-hello-v2:127.0.0.1:<port>:<nonce>"), lowercase hex.

    The port is the one this companion listens on, and the one the extension connected to: a
    program squatting on another port that relays the extension's nonce here gets a proof for the
    real port, which the extension (expecting its own port) refuses."""
    message = HELLO_CONTEXT + f"{HELLO_HOST}:{port}:{nonce}".encode()
    return hmac.new(token.encode(), message, hashlib.sha256).hexdigest()


class PairingCodes:
    """One-time codes in STATE/pairing.json: hashed, expiring, with few attempts."""

    def __init__(self, state_dir: Path):
        self.file = Path(state_dir) / "pairing.json"
        self._lock = threading.Lock()

    def new_code(self) -> str:
        code = f"{secrets.randbelow(10**8):08d}"
        _write_private(self.file, json.dumps({"sha256": hashlib.sha256(code.encode()).hexdigest(),
                                              "expires": time.time() + CODE_TTL, "attempts": CODE_ATTEMPTS}))
        return f"{code[:4]}-{code[4:]}"

    def redeem(self, code: str) -> tuple[bool, str]:
        """(ok, reason). Every try uses up an attempt; a used, expired or exhausted code is deleted."""
        digits = "".join(c for c in code if c.isdigit())
        with self._lock:
            try:
                state = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return False, "no pairing code is waiting: run `postguard pair` on this computer"
            if time.time() > state.get("expires", 0):
                self.file.unlink(missing_ok=True)
                return False, "the pairing code expired: run `postguard pair` again"
            ok = hmac.compare_digest(hashlib.sha256(digits.encode()).hexdigest(), state.get("sha256", ""))
            state["attempts"] = state.get("attempts", 0) - 1
            if ok or state["attempts"] <= 0:
                self.file.unlink(missing_ok=True)
            else:
                _write_private(self.file, json.dumps(state))
            if ok:
                return True, "paired"
            if state["attempts"] <= 0:
                return False, "wrong code, and no attempts are left: run `postguard pair` again"
            return False, f"wrong code ({state['attempts']} attempts left)"


class PairedOrigins:
    """The Firefox add-on origins that paired, remembered with the token they paired with.

    Only an origin that redeemed a one-time code is added, and only a `moz-extension://<uuid>` one (the
    Chromium extension's origin is fixed and configured). The list lives in STATE/paired-origins.json
    together with the token's version: after `postguard pair --reset` it is void, as the token is.
    """

    def __init__(self, store: TokenStore):
        self.store = store
        self.file = store.state_dir / "paired-origins.json"
        self._seen: tuple = ()
        self._origins: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def _token_version(self) -> str | None:
        try:
            return self.store.version_file.read_text(encoding="utf-8").strip()
        except OSError:
            return None

    def _stamp(self) -> tuple:
        stamps = []
        for path in (self.file, self.store.version_file):
            try:
                stamps.append(path.stat().st_mtime_ns)
            except OSError:
                stamps.append(None)
        return tuple(stamps)

    def _read(self) -> list[str]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(data, dict) or data.get("token_version") != self._token_version():
            return []   # paired with an older token: void
        return [o for o in data.get("origins", []) if isinstance(o, str) and FIREFOX_ORIGIN.fullmatch(o)]

    def allows(self, origin: str) -> bool:
        stamp = self._stamp()
        if stamp != self._seen:
            with self._lock:
                self._origins, self._seen = frozenset(self._read()), stamp
        return origin in self._origins

    def remember(self, origin: str) -> None:
        """Called after `origin` redeemed a pairing code; anything but a Firefox add-on origin is ignored."""
        if not FIREFOX_ORIGIN.fullmatch(origin):
            return
        with self._lock:
            origins = [o for o in self._read() if o != origin] + [origin]
            _write_private(self.file, json.dumps({"token_version": self._token_version(),
                                                  "origins": origins[-MAX_PAIRED_ORIGINS:]}))
            self._seen = ()   # read it again on the next request
