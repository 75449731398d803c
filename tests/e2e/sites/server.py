"""HTTPS static server for the end-to-end fixture sites.

Serves ``dist/<host>/`` (built by ``web/build.mjs``) on 127.0.0.1, choosing the folder from the
request's ``Host`` header, so that a browser started with
``--host-resolver-rules="MAP x.com 127.0.0.1:PORT, ..."`` sees the pages under their real host names
and the extension's real match patterns apply.

* A path maps to a file: ``/compose/post`` -> ``dist/x.com/compose/post/index.html`` (a folder
  serves its ``index.html``; no redirects, no SPA fallback). Anything else is a plain 404.
* The certificate is self-signed, generated at start with ``cryptography`` (SANs: the fixture host
  names, ``localhost`` and IP 127.0.0.1) into a temporary folder removed on ``stop()``. Browsers
  need ``--ignore-certificate-errors`` (or ``ignore_https_errors=True``).
* Silent: no request logging, no tracebacks for dropped connections.
* TLS handshakes run in the per-connection thread, so a browser's idle pre-connected socket never
  stalls the accept loop.

Library use::

    from server import FixtureServer
    srv = FixtureServer().start()      # free port
    srv.port; srv.url("x.com", "/compose/post"); srv.stop()

Command line (manual debugging)::

    .venv/bin/python tests/e2e/sites/server.py [--port 8443]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import ipaddress
import mimetypes
import os
import posixpath
import shutil
import ssl
import tempfile
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIST_DIR = HERE / "dist"

#: The host names the fixture server answers for (each has a folder in dist/).
HOSTS = ("x.com", "www.facebook.com", "www.linkedin.com", "www.instagram.com", "evil.example")

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


def make_self_signed_cert(directory: Path, hosts=HOSTS) -> tuple[Path, Path]:
    """Write ``cert.pem`` / ``key.pem`` (ECDSA P-256, valid 30 days) into *directory*."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PostGuard e2e fixture sites")])
    now = _dt.datetime.now(_dt.timezone.utc)
    sans = [x509.DNSName(h) for h in (*hosts, "localhost")]
    sans.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(days=1))
        .not_valid_after(now + _dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.chmod(key_path, 0o600)
    return cert_path, key_path


class _Handler(BaseHTTPRequestHandler):
    server_version = "fixture-sites"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    # quiet: drafts never reach this server, but keep it silent anyway
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def log_error(self, format, *args):  # noqa: A002
        pass

    def do_GET(self):
        self._serve(head=False)

    def do_HEAD(self):
        self._serve(head=True)

    def _resolve(self) -> Path | None:
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):  # [::1]:port
            host = host.split("]")[0] + "]"
        else:
            host = host.rsplit(":", 1)[0] if ":" in host else host
        root = self.server.dist_dir / host
        if host not in self.server.hosts or not root.is_dir():
            return None
        path = urllib.parse.urlsplit(self.path).path
        path = posixpath.normpath(urllib.parse.unquote(path))
        parts = [p for p in path.split("/") if p and p not in (".", "..")]
        target = root.joinpath(*parts)
        if target.is_dir():
            target = target / "index.html"
        try:
            target = target.resolve(strict=True)
        except (FileNotFoundError, OSError):
            return None
        if root.resolve() not in target.parents or not target.is_file():
            return None
        return target

    def _serve(self, head: bool):
        target = self._resolve()
        if target is None:
            body = b"not found\n"
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        data = target.read_bytes()
        ctype = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)


class _TLSServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, addr, ssl_context: ssl.SSLContext, dist_dir: Path, hosts):
        self.ssl_context = ssl_context
        self.dist_dir = Path(dist_dir)
        self.hosts = frozenset(hosts)
        super().__init__(addr, _Handler)

    def finish_request(self, request, client_address):
        # Runs in the connection's own thread: do the TLS handshake here, not in accept().
        request.settimeout(30)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        pass  # dropped connections, resets: not interesting, keep quiet


class FixtureServer:
    """The HTTPS fixture server, run in a background thread."""

    def __init__(self, dist_dir: Path | str = DIST_DIR, host: str = "127.0.0.1", port: int = 0, hosts=HOSTS):
        self.dist_dir = Path(dist_dir)
        self.bind_host = host
        self.requested_port = port
        self.hosts = tuple(hosts)
        self.port: int | None = None
        self.cert_dir: Path | None = None
        self.cert_path: Path | None = None
        self._httpd: _TLSServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "FixtureServer":
        if not self.dist_dir.is_dir():
            raise FileNotFoundError(f"{self.dist_dir} does not exist: build the fixture sites first (node web/build.mjs)")
        self.cert_dir = Path(tempfile.mkdtemp(prefix="pg-fixture-cert-"))
        self.cert_path, key_path = make_self_signed_cert(self.cert_dir, self.hosts)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(self.cert_path, key_path)
        ctx.set_alpn_protocols(["http/1.1"])
        self._httpd = _TLSServer((self.bind_host, self.requested_port), ctx, self.dist_dir, self.hosts)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="fixture-sites", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self.cert_dir is not None:
            shutil.rmtree(self.cert_dir, ignore_errors=True)
            self.cert_dir = None

    def __enter__(self) -> "FixtureServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def url(self, host: str, path: str = "/") -> str:
        """The URL a browser with the host-resolver rules uses (no port: the MAP rule carries it)."""
        return f"https://{host}{path}"

    def host_resolver_rules(self) -> str:
        return ", ".join(f"MAP {h} 127.0.0.1:{self.port}" for h in self.hosts)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    ap.add_argument("--dist", default=str(DIST_DIR), help="built sites folder (default: %(default)s)")
    args = ap.parse_args(argv)
    srv = FixtureServer(args.dist, port=args.port).start()
    print(f"fixture sites on https://127.0.0.1:{srv.port}/ (serving {srv.dist_dir})")
    print(f'chromium --ignore-certificate-errors --host-resolver-rules="{srv.host_resolver_rules()}"')
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
