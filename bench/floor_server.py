"""The floor under the HTTP round trip: the same server stack with nothing of PostGuard in it.

    python -m bench.floor_server waitress PORT   # a bare WSGI app on waitress
    python -m bench.floor_server flask PORT      # Flask's hello world on waitress

Each reads the JSON body it is sent and answers a small JSON object, as a check with no findings
would. bench/http_rt.py times them in the same run as the companion, so the report shows how much
of the round trip is the stack the companion is built on and how much is the companion's own work.
"""

from __future__ import annotations

import json
import sys

from waitress import serve


def bare_app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    json.loads(environ["wsgi.input"].read(length) or b"{}")
    body = b'{"findings":[],"referrals":[]}'
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def flask_app():
    from flask import Flask, jsonify, request

    app = Flask("floor")

    @app.post("/v1/check")
    def check():
        request.get_json()
        return jsonify({"findings": [], "referrals": []})

    return app


def main(argv: list[str]) -> None:
    kind, port = argv[0], int(argv[1])
    app = bare_app if kind == "waitress" else flask_app()
    serve(app, host="127.0.0.1", port=port, threads=4, _quiet=True)   # as companion/server.py


if __name__ == "__main__":
    main(sys.argv[1:])
