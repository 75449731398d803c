"""Request guards for a service that any web page on this machine could try to reach.

- Host must be 127.0.0.1:<port> or localhost:<port>: defeats DNS rebinding (400).
- Origin, when present, must be one of the extension's origins (403). Web pages always send an
  Origin on cross-origin POSTs, so they stop here even when they manage a "simple" request.
  Chromium's is fixed (configured); a Firefox add-on's (`moz-extension://<uuid>`, drawn per install)
  may only pair, and is accepted everywhere once it redeemed a code, for as long as that token lasts
  (companion/auth.py PairedOrigins). Firefox sends no Origin on the add-on's GETs.
- Every call but health, hello and pair needs `Authorization: Bearer <token>` (401), compared in
  constant time. A page can't send that header without a CORS preflight, which it never passes.
- Every response says no-store and nosniff.
See docs/security.md for the threat model.
"""

from __future__ import annotations

import time

from flask import Flask, g, request

from companion.api.errors import error_response
from companion.auth import FIREFOX_ORIGIN, PairedOrigins

OPEN_ENDPOINTS = {"v1.health", "v1.hello", "v1.pair", "v1.pair_managed_start", "v1.pair_managed"}
PAIRING_ENDPOINTS = {"v1.pair", "v1.pair_managed_start", "v1.pair_managed"}
SECURITY_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def origin_allowed(config, origin: str, pairing: bool = False) -> bool:
    """The configured extension origins; a Firefox add-on's only to pair, or once it has paired."""
    if origin in config["POSTGUARD_ORIGINS"]:
        return True
    if not FIREFOX_ORIGIN.fullmatch(origin):
        return False
    paired = config.get("POSTGUARD_PAIRED_ORIGINS")
    return pairing or (paired is not None and paired.allows(origin))


def refusal(config, host: str, origin: str | None, authorization: str, needs_token: bool,
            pairing: bool = False) -> tuple[int, str, str] | None:
    """(status, code, message) when a request must be refused, else None (the guard below; /v1/health
    asks it whether the caller holds the token). `pairing`: the request is POST /v1/pair."""
    port = config.get("POSTGUARD_PORT")
    name, _, host_port = host.lower().rpartition(":") if ":" in host else (host.lower(), "", "")
    if name not in ("127.0.0.1", "localhost") or (port is not None and host_port != str(port)):
        return 400, "bad_host", "requests must be addressed to 127.0.0.1 or localhost"
    if origin is not None and not origin_allowed(config, origin, pairing):
        return 403, "bad_origin", "this origin may not use the companion"
    if not needs_token:
        return None
    scheme, _, presented = authorization.partition(" ")
    if scheme.lower() != "bearer" or not config["POSTGUARD_TOKENS"].matches(presented.strip()):
        return 401, "unauthorized", "pair the extension with this companion: run `postguard pair`"
    return None


def install(app: Flask) -> None:
    app.config["POSTGUARD_PAIRED_ORIGINS"] = PairedOrigins(app.config["POSTGUARD_TOKENS"].store)

    @app.before_request
    def _guard():
        g.started = time.perf_counter()
        refused = refusal(app.config, request.host or "", request.headers.get("Origin"),
                          request.headers.get("Authorization", ""),
                          needs_token=not (request.method == "OPTIONS" or request.endpoint in OPEN_ENDPOINTS),
                          pairing=request.endpoint in PAIRING_ENDPOINTS)
        return error_response(*refused) if refused else None

    @app.after_request
    def _headers(resp):
        resp.headers.update(SECURITY_HEADERS)
        origin = request.headers.get("Origin")
        if request.endpoint in ("v1.pair", "v1.pair_managed") and resp.status_code == 200 and origin:
            # the code was right: this Firefox add-on is the one the user paired
            app.config["POSTGUARD_PAIRED_ORIGINS"].remember(origin)
        return resp
