"""Ed25519 signatures over a pack's exact bytes, in a small signed envelope beside the pack.

`pack.yaml.sig.json`:
    {"format": "postguard/sig-v1", "alg": "ed25519", "key_id": "…", "pack_id": "…", "revision": 7,
     "pack_sha256": "…", "signed_at": "…", "expires_at": "2027-02-21T00:00:00Z", "signature": "base64"}
The signature covers the canonical JSON of every other field, and the envelope binds the pack's raw
bytes through pack_sha256, so neither the pack nor its revision or expiry can change unnoticed.
Public keys are written `ed25519:<base64 of the 32 raw bytes>`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIG_FORMAT = "postguard/sig-v1"
SIG_SUFFIX = ".sig.json"


class SignatureError(Exception):
    """Why a pack's signature is not acceptable, in words for IT."""


def sig_path(pack_path: str | Path) -> Path:
    return Path(str(pack_path) + SIG_SUFFIX)


def key_id(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def public_key_text(public_raw: bytes) -> str:
    return "ed25519:" + base64.b64encode(public_raw).decode()


def parse_public_key(text: str) -> bytes:
    text = text.strip()
    if not text.startswith("ed25519:"):
        raise SignatureError(f"a public key looks like ed25519:<base64>, not {text[:20]!r}")
    try:
        raw = base64.b64decode(text[8:], validate=True)
    except ValueError:
        raise SignatureError("the public key is not valid base64") from None
    if len(raw) != 32:
        raise SignatureError("an Ed25519 public key has 32 bytes")
    return raw


def generate_keypair(directory: Path, name: str) -> tuple[Path, Path]:
    """Write NAME.key (private, PEM, mode 0600) and NAME.pub; refuses to overwrite."""
    private = Ed25519PrivateKey.generate()
    directory.mkdir(parents=True, exist_ok=True)
    key_file, pub_file = directory / f"{name}.key", directory / f"{name}.pub"
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pub_file.write_text(public_key_text(raw) + "\n", encoding="utf-8")
    return key_file, pub_file


def _canonical(envelope: dict) -> bytes:
    body = {k: v for k, v in envelope.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _utc(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(pack_bytes: bytes, pack_id: str, revision: int, private_key_pem: bytes, expires_at: dt.datetime,
         now: dt.datetime | None = None) -> dict:
    private = serialization.load_pem_private_key(private_key_pem, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise SignatureError("the signing key is not an Ed25519 private key")
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    envelope = {
        "format": SIG_FORMAT, "alg": "ed25519", "key_id": key_id(raw), "pack_id": pack_id, "revision": revision,
        "pack_sha256": hashlib.sha256(pack_bytes).hexdigest(), "signed_at": _utc(now or dt.datetime.now(dt.timezone.utc)),
        "expires_at": _utc(expires_at),
    }
    envelope["signature"] = base64.b64encode(private.sign(_canonical(envelope))).decode()
    return envelope


@dataclass(frozen=True)
class Verified:
    key_id: str
    revision: int
    expires_at: str


def verify(pack_bytes: bytes, pack_id: str, revision: int, envelope_bytes: bytes | None,
           trusted: list[bytes], now: dt.datetime | None = None) -> Verified:
    """Check the envelope against the pack and the trusted keys; raise SignatureError saying why not."""
    if envelope_bytes is None:
        raise SignatureError("the pack is not signed (no .sig.json beside it) and signatures are required")
    try:
        env = json.loads(envelope_bytes)
        assert isinstance(env, dict)
    except (ValueError, AssertionError):
        raise SignatureError("the signature file is not a JSON object") from None
    if env.get("format") != SIG_FORMAT or env.get("alg") != "ed25519":
        raise SignatureError(f"unknown signature format {env.get('format')!r}/{env.get('alg')!r}")
    keys = {key_id(k): k for k in trusted}
    public = keys.get(env.get("key_id"))
    if public is None:
        raise SignatureError(f"signed with key {env.get('key_id')!r}, which this companion does not trust")
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(base64.b64decode(env.get("signature", "")), _canonical(env))
    except (InvalidSignature, ValueError):
        raise SignatureError("the signature does not verify: the signature file was altered or forged") from None
    if env.get("pack_sha256") != hashlib.sha256(pack_bytes).hexdigest():
        raise SignatureError("the pack's bytes differ from what was signed (tampered or edited after signing)")
    if env.get("pack_id") != pack_id or env.get("revision") != revision:
        raise SignatureError(f"the signature is for {env.get('pack_id')} revision {env.get('revision')}, "
                             f"not {pack_id} revision {revision}")
    try:
        expires = dt.datetime.strptime(env["expires_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    except (KeyError, ValueError):
        raise SignatureError("the signature has no valid expires_at") from None
    if (now or dt.datetime.now(dt.timezone.utc)) >= expires:
        raise SignatureError(f"the signature expired at {env['expires_at']}: IT must re-sign the pack")
    return Verified(env["key_id"], revision, env["expires_at"])
