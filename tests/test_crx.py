"""scripts/package-crx: a CRX3 whose ID is the one its signing key gives, read back here with an
independent parser (header, protobuf, RSA signature as Chromium's crx_verifier checks it), and the
update.xml that points at it. The private half of the manifest's key is not in the repository
(extension/README.md), so the fixed ID is proven by the key check: the script's ID of the manifest's
key is EXTENSION_ID.txt, and any other key is refused unless --own-id."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "package-crx"
EXTENSION_ID = (ROOT / "extension" / "EXTENSION_ID.txt").read_text().split()[0]
MANIFEST_KEY = base64.b64decode(json.loads((ROOT / "extension" / "manifest.json").read_text())["key"])


def chromium_id(der: bytes) -> str:
    return "".join("abcdefghijklmnop"[int(c, 16)] for c in hashlib.sha256(der).hexdigest()[:32])


def fields(buf: bytes) -> list[tuple[int, bytes]]:
    """Length-delimited protobuf fields (the only wire type a CRX3 header uses)."""
    out, i = [], 0

    def varint():
        nonlocal i
        n = shift = 0
        while True:
            b = buf[i]
            i += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return n
    while i < len(buf):
        key = varint()
        assert key & 7 == 2, key
        size = varint()
        out.append((key >> 3, buf[i:i + size]))
        i += size
    return out


def read_crx(data: bytes) -> tuple[str, bytes]:
    """(the ID Chromium gives it, the zip), after checking the format and the signature."""
    assert data[:4] == b"Cr24" and struct.unpack("<I", data[4:8])[0] == 3
    size = struct.unpack("<I", data[8:12])[0]
    header, archive = data[12:12 + size], data[12 + size:]
    top = fields(header)
    signed = dict(top)[10000]
    crx_id = dict(fields(signed))[1]
    proofs = [dict(fields(p)) for n, p in top if n == 2]
    assert len(proofs) == 1
    public = proofs[0][1]
    assert hashlib.sha256(public).digest()[:16] == crx_id           # the ID is the signing key's
    key = serialization.load_der_public_key(public)
    key.verify(proofs[0][2], b"CRX3 SignedData\x00" + struct.pack("<I", len(signed)) + signed + archive,
               padding.PKCS1v15(), hashes.SHA256())                  # raises when it does not verify
    return chromium_id(public), archive


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--no-build", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def other_key(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "org.pem"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return path


def test_the_manifests_key_is_the_fixed_id():
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.SourceFileLoader("package_crx", str(SCRIPT))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    assert module.extension_id(MANIFEST_KEY) == chromium_id(MANIFEST_KEY) == EXTENSION_ID


def test_a_key_that_is_not_the_manifests_is_refused_with_the_id_it_would_give(other_key, tmp_path):
    out = run("--key", str(other_key), "--base-url", "https://intranet.example/pg/", "--out", str(tmp_path))
    assert out.returncode != 0
    assert EXTENSION_ID in out.stderr and "--own-id" in out.stderr
    assert not list(tmp_path.glob("*.crx"))


def test_a_crx_and_update_xml_that_chromium_would_accept(other_key, tmp_path):
    out = run("--key", str(other_key), "--own-id", "--base-url", "https://intranet.example/pg", "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    crx = next(tmp_path.glob("postguard-extension-*.crx"))
    crx_id, archive = read_crx(crx.read_bytes())
    own = serialization.load_pem_private_key(other_key.read_bytes(), None).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert crx_id == chromium_id(own) and f"extension ID: {crx_id}" in out.stdout
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(archive)).read("manifest.json"))
    assert base64.b64decode(manifest["key"]) == own                  # the unpacked copy keeps the same ID
    assert manifest["update_url"] == "https://intranet.example/pg/update.xml"
    assert "background/service-worker.js" in zipfile.ZipFile(io.BytesIO(archive)).namelist()
    app = ET.parse(tmp_path / "update.xml").getroot().find("{http://www.google.com/update2/response}app")
    check = app.find("{http://www.google.com/update2/response}updatecheck")
    assert app.get("appid") == crx_id
    assert check.get("codebase") == f"https://intranet.example/pg/{crx.name}"
    assert check.get("version") == manifest["version"]


def test_a_tampered_crx_does_not_verify(other_key, tmp_path):
    assert run("--key", str(other_key), "--own-id", "--base-url", "https://x.example/", "--out", str(tmp_path)).returncode == 0
    data = bytearray(next(tmp_path.glob("*.crx")).read_bytes())
    data[-30] ^= 1
    with pytest.raises(InvalidSignature):
        read_crx(bytes(data))
