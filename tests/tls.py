"""A throwaway certificate authority and an HTTPS server on 127.0.0.1 for pack-source tests."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import ssl
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_ca_and_server_cert(directory: Path) -> tuple[Path, Path, Path]:
    """Returns (ca.pem, server cert.pem, server key.pem); the server cert is for 127.0.0.1 and localhost."""
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PostGuard test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=7))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = directory / "ca.pem", directory / "cert.pem", directory / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


class PackServer:
    """Serves files from a dict {path: bytes} over HTTPS with ETags (or, with last_modified=True, with
    Last-Modified dates set by publish() instead); records (path, status) and the conditions of every request."""

    def __init__(self, directory: Path, last_modified: bool = False):
        self.ca, cert, key = make_ca_and_server_cert(directory)
        self.files: dict[str, bytes] = {}
        self.modified: dict[str, str] = {}
        self.requests: list[tuple[str, int]] = []
        self.conditions: list[tuple[str, str | None, str | None]] = []   # (path, If-None-Match, If-Modified-Since)
        self._clock = time.time() - 86400
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = server.files.get(self.path)
                server.conditions.append((self.path, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")))
                if body is None:
                    status, validator = 404, None
                elif last_modified:
                    validator = ("Last-Modified", server.modified[self.path])
                    status = 304 if self.headers.get("If-Modified-Since") == validator[1] else 200
                else:
                    validator = ("ETag", '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
                    status = 304 if self.headers.get("If-None-Match") == validator[1] else 200
                self.send_response(status)
                if validator:
                    self.send_header(*validator)
                if status == 200:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status == 200:
                    self.wfile.write(body)
                server.requests.append((self.path, status))

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, path: str, body: bytes) -> None:
        """Put a file up, as an upload would: new bytes and a Last-Modified a minute after the last upload."""
        self._clock += 60
        self.files[path] = body
        self.modified[path] = formatdate(self._clock, usegmt=True)

    def unpublish(self, path: str) -> None:
        self.files.pop(path, None)

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
