"""The Flask app factory: guards, routes, JSON errors and a request log that holds no draft."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path
from typing import Callable, Iterable

from flask import Flask, g, request
from flask_cors import CORS

from companion.api import errors, security
from companion.api.ratelimit import RateLimit
from companion.api.records_routes import records_bp
from companion.api.routes import bp
from companion.auth import PairingCodes, TokenCache, TokenStore
from companion.config import DEFAULT_ORIGINS
from companion.packstate import PackHolder
from companion.records import RECORDS_FILE, RecordWriter
from companion.zerotouch import Challenges

MAX_BODY = 512 * 1024
access_log = logging.getLogger("postguard.access")
# Called on every typing pause (health: every 3 s while a box has focus): when they succeed, logged
# at DEBUG only (`postguard serve --verbose`).
# Records (a fix, an ignore) would say when the user acted: DEBUG too.
FREQUENT = frozenset({"/v1/check", "/v1/replies/render", "/v1/replies/suggest", "/v1/health", "/v1/records"})


def create_app(packs: PackHolder, state_dir: Path, *, port: int | None = None,
               origins: Iterable[str] = DEFAULT_ORIGINS, clock: Callable[[], dt.date] = dt.date.today,
               records: RecordWriter | None = None, pairing_secret: Path | None = None) -> Flask:
    """`state_dir` holds the pairing code and, without a keyring, the token (see companion/auth.py), and
    the local records (companion/records/) unless `records` writes them elsewhere. `pairing_secret`: the
    file where IT puts this account's zero-touch pairing secret (companion/zerotouch.py), if any."""
    app = Flask("postguard")
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY, POSTGUARD_PACKS=packs, POSTGUARD_PORT=port,
        POSTGUARD_ORIGINS=frozenset(origins), POSTGUARD_CLOCK=clock,
        POSTGUARD_TOKENS=TokenCache(TokenStore(state_dir)), POSTGUARD_PAIRING=PairingCodes(state_dir),
        POSTGUARD_PAIR_LIMIT=RateLimit(per_minute=10),
        POSTGUARD_PAIRING_SECRET=pairing_secret, POSTGUARD_CHALLENGES=Challenges(),
        POSTGUARD_RECORDS=records or RecordWriter(state_dir / RECORDS_FILE, clock=clock),
    )
    app.json.sort_keys = False

    security.install(app)
    errors.install(app)
    # CORS headers only for the extension's origins (the service worker does not need them, but the
    # extension's own pages may); web origins get none, so browsers never hand them an answer.
    # always_send=False: a request without an Origin (curl, the CLI) gets no CORS headers at all.
    CORS(app, origins=sorted(app.config["POSTGUARD_ORIGINS"]), allow_private_network=False, always_send=False)
    app.register_blueprint(bp)
    app.register_blueprint(records_bp)

    @app.after_request
    def _log(resp):
        # Method, route, status, time and counts only: never a body, a query string, a header value,
        # or even an unknown path (a page could put a draft there). Written once the response has
        # been handed to the server, so the line costs the caller no time.
        ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000   # set by the guard
        route = request.url_rule.rule if request.url_rule else "(no such route)"
        level = logging.DEBUG if route in FREQUENT and resp.status_code < 300 else logging.INFO
        if access_log.isEnabledFor(level):
            line = (request.method, route, resp.status_code, ms, g.get("finding_count", "-"))
            resp.call_on_close(lambda: access_log.log(level, "%s %s %s %.1fms findings=%s", *line))
        return resp
    return app
