"""Request guards for a service that any web page on this machine could try to reach.

- Host must be 127.0.0.1:<port> or localhost:<port>: defeats DNS rebinding (400).
- Origin, when present, must be one of the extension's origins (403). Web pages always send an
  Origin on cross-origin POSTs, so they stop here even when they manage a "simple" request.
- Every response says no-store and nosniff.
See docs/security.md for the threat model.
"""

from __future__ import annotations

from flask import Flask, request

from companion.api.errors import error_response


def install(app: Flask) -> None:
    @app.before_request
    def _guard():
        port = app.config.get("POSTGUARD_PORT")
        host = (request.host or "").lower()
        name, _, host_port = host.rpartition(":") if ":" in host else (host, "", "")
        if name not in ("127.0.0.1", "localhost") or (port is not None and host_port != str(port)):
            return error_response(400, "bad_host", "requests must be addressed to 127.0.0.1 or localhost")
        origin = request.headers.get("Origin")
        if origin is not None and origin not in app.config["POSTGUARD_ORIGINS"]:
            return error_response(403, "bad_origin", "this origin may not use the companion")
        return None

    @app.after_request
    def _headers(resp):
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        return resp
