"""POST /v1/check without Flask's request machinery: the call the extension makes at every typing pause.

Flask's context, routing, hooks and response objects cost as much per request as the check itself
(bench/README.md, "Where the HTTP time goes"). This path answers a check only when the request passes
the same guard (security.refusal), the same field checks (routes.CHECK_FIELDS) and gets the same body
(engine/answer.py) as the Flask route would. Anything else (a refusal, an error, an odd
request, `serve --verbose`) goes to the Flask app untouched, which answers it the one canonical way.
tests/test_fastcheck.py holds the two answers side by side.
"""

from __future__ import annotations

import io
import json
import logging

from flask import Flask
from werkzeug.wsgi import get_host

from companion.api.errors import ApiError
from companion.api.routes import CHECK_FIELDS
from companion.api.security import SECURITY_HEADERS, refusal
from companion.api.validation import fields
from companion.engine.answer import answer
from companion.engine.check import CheckRequest

access_log = logging.getLogger("postguard.access")


class FastCheck:
    """WSGI middleware in front of the Flask app (installed as app.wsgi_app)."""

    def __init__(self, app: Flask, max_body: int):
        self.app = app
        self.flask_wsgi = app.wsgi_app
        self.max_body = max_body

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/v1/check" and environ.get("REQUEST_METHOD") == "POST":
            answer = self._answer(environ)
            if answer is not None:
                body, headers = answer
                start_response("200 OK", headers)
                return [body]
        return self.flask_wsgi(environ, start_response)

    def _answer(self, environ) -> tuple[bytes, list[tuple[str, str]]] | None:
        """The answer's body and headers, or None to let Flask answer (after restoring the body)."""
        if access_log.isEnabledFor(logging.DEBUG):
            return None   # --verbose: Flask's hook writes the line for each check
        config = self.app.config
        origin = environ.get("HTTP_ORIGIN")
        if refusal(config, get_host(environ), origin, environ.get("HTTP_AUTHORIZATION", ""), needs_token=True):
            return None
        length = environ.get("CONTENT_LENGTH", "")
        mimetype = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
        if not length.isdigit() or int(length) > self.max_body or mimetype != "application/json":
            return None
        raw = environ["wsgi.input"].read(int(length))
        environ["wsgi.input"] = io.BytesIO(raw)   # so Flask can still read it
        pack = config["POSTGUARD_PACKS"].pack
        try:
            req = json.loads(raw)
            if pack is None or not isinstance(req, dict):
                return None
            req = fields(req, CHECK_FIELDS)
        except (ValueError, RecursionError, ApiError):
            return None
        body = answer(pack, CheckRequest(**req, today=config["POSTGUARD_CLOCK"]())).to_dict()
        # Flask's jsonify, byte for byte: compact separators and a final newline.
        data = (self.app.json.dumps(body, separators=(",", ":")) + "\n").encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data))), *SECURITY_HEADERS.items()]
        if origin is not None:   # an allowed origin (refusal checked it): what flask-cors sends it
            headers.append(("Access-Control-Allow-Origin", origin))
        return data, headers
