"""Request guards for a service that any web page on this machine could try to reach.

- Host must be 127.0.0.1:<port> or localhost:<port>: defeats DNS rebinding (400).
- Origin, when present, must be one of the extension's origins (403). Web pages always send an
  Origin on cross-origin POSTs, so they stop here even when they manage a "simple" request.
- Every call but health, hello and pair needs `Authorization: Bearer <token>` (401), compared in
  constant time. A page can't send that header without a CORS preflight, which it never passes.
- Every response says no-store and nosniff.
See docs/security.md for the threat model.
"""

from __future__ import annotations

import time

from flask import Flask, g, request

from companion.api.errors import error_response

OPEN_ENDPOINTS = {"v1.health", "v1.hello", "v1.pair"}


def install(app: Flask) -> None:
    @app.before_request
    def _guard():
        g.started = time.perf_counter()
        port = app.config.get("POSTGUARD_PORT")
        host = (request.host or "").lower()
        name, _, host_port = host.rpartition(":") if ":" in host else (host, "", "")
        if name not in ("127.0.0.1", "localhost") or (port is not None and host_port != str(port)):
            return error_response(400, "bad_host", "requests must be addressed to 127.0.0.1 or localhost")
        origin = request.headers.get("Origin")
        if origin is not None and origin not in app.config["POSTGUARD_ORIGINS"]:
            return error_response(403, "bad_origin", "this origin may not use the companion")
        if request.method == "OPTIONS" or request.endpoint in OPEN_ENDPOINTS:
            return None
        scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not app.config["POSTGUARD_TOKENS"].matches(presented.strip()):
            return error_response(401, "unauthorized", "pair the extension with this companion: run `postguard pair`")
        return None

    @app.after_request
    def _headers(resp):
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        return resp
