"""The fast /v1/check path (companion/api/fastcheck.py) against the Flask route it stands in for.

Every request is sent twice, once through the app as served (fast path first) and once straight to
the Flask app behind it, and the answers must be the same. A counter on the Flask side shows which
path answered: good checks never reach Flask, everything else always does.
"""

from __future__ import annotations

import json
import logging
import re

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from companion.config import DEFAULT_ORIGINS
from companion.packstate import PackStatus
from support import make_client

ORIGIN = sorted(DEFAULT_ORIGINS)[0]


@pytest.fixture
def served():
    client, holder = make_client(port=7311)
    app = client.application
    fast = app.wsgi_app
    calls = []

    def flask_side(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return flask_wsgi(environ, start_response)

    flask_wsgi, fast.flask_wsgi = fast.flask_wsgi, flask_side
    token = client.environ_base["HTTP_AUTHORIZATION"]
    return app, fast, flask_wsgi, calls, token, holder


def send(wsgi, body, headers, path="/v1/check", method="POST"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    env = EnvironBuilder(path=path, method=method, data=data, headers=headers,
                         base_url="http://127.0.0.1:7311").get_environ()
    app_iter, status, resp_headers = run_wsgi_app(wsgi, env)
    out = b"".join(app_iter)
    getattr(app_iter, "close", lambda: None)()
    return status, dict(resp_headers), out


def same_answer(a, b):
    """Equal but for elapsed_ms (and so Content-Length), which differ from call to call."""
    def norm(answer):
        status, headers, body = answer
        headers = {k: v for k, v in headers.items() if k != "Content-Length"}
        return status, headers, re.sub(rb'"elapsed_ms":[0-9.e-]+', b'"elapsed_ms":0', body)
    return norm(a) == norm(b)


GOOD = [
    ({"text": "Falcon Ridge ships in March, call 555-0100", "platform": "x"}, {}),
    ({"text": "Excited for the launch 🚀 of Project Falcon", "platform": "facebook", "surface": "comment",
      "replying_to": "My order never arrived", "account": "@nimbusco"}, {"Origin": ORIGIN}),
    ({"text": "", "platform": "linkedin"}, {"Content-Type": "application/json; charset=utf-8"}),
    ({"text": "a" * 3000, "platform": "instagram", "replying_to": None}, {"Origin": ORIGIN}),
]


@pytest.mark.parametrize("body,headers", GOOD)
def test_good_checks_skip_flask_and_answer_as_flask_would(served, body, headers):
    app, fast, flask_wsgi, calls, token, _ = served
    headers = {"Content-Type": "application/json", "Authorization": token, **headers}
    quick = send(app, body, headers)
    assert calls == []                       # the fast path answered
    assert quick[0] == "200 OK"
    slow = send(flask_wsgi, body, headers)
    assert same_answer(quick, slow), (quick, slow)
    assert json.loads(quick[2])["findings"] == json.loads(slow[2])["findings"]


BAD = [
    ("wrong host", {"text": "hi", "platform": "x"}, {"Host": "evil.example:7311"}, 400),
    ("wrong port", {"text": "hi", "platform": "x"}, {"Host": "127.0.0.1:7312"}, 400),
    ("web origin", {"text": "hi", "platform": "x"}, {"Origin": "https://evil.example"}, 403),
    ("no token", {"text": "hi", "platform": "x"}, {"Authorization": ""}, 401),
    ("wrong token", {"text": "hi", "platform": "x"}, {"Authorization": "Bearer nope"}, 401),
    ("not JSON", b"text=hi", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
    ("broken JSON", b'{"text": "hi", ', {}, 400),
    ("not an object", [1, 2], {}, 400),
    ("unknown field", {"text": "hi", "platform": "x", "draft": "x"}, {}, 400),
    ("bad platform", {"text": "hi", "platform": "myspace"}, {}, 400),
    ("missing text", {"platform": "x"}, {}, 400),
    ("text too long", {"text": "a" * 70_001, "platform": "x"}, {}, 413),
    ("nested too deep", b"[" * 100_000 + b"]" * 100_000, {}, 400),
]


@pytest.mark.parametrize("what,body,headers,status", BAD, ids=[b[0] for b in BAD])
def test_everything_else_is_answered_by_flask(served, what, body, headers, status):
    app, fast, flask_wsgi, calls, token, _ = served
    headers = {"Content-Type": "application/json", "Authorization": token, **headers}
    quick = send(app, body, headers)
    assert calls == ["/v1/check"]            # handed over, body intact (Flask read it: see the code)
    assert int(quick[0].split()[0]) == status
    assert same_answer(quick, send(flask_wsgi, body, headers))
    assert "error" in json.loads(quick[2])


def test_no_pack_and_other_routes_go_to_flask(served):
    app, fast, flask_wsgi, calls, token, holder = served
    headers = {"Content-Type": "application/json", "Authorization": token}
    assert send(app, None, headers, path="/v1/health", method="GET")[0] == "200 OK"
    assert send(app, {"text": "hi", "platform": "x"}, headers, path="/v1/check/")[0].startswith("404")
    holder._status = PackStatus(None, None, None, None)   # as when no valid pack ever loaded
    assert send(app, {"text": "hi", "platform": "x"}, headers)[0].startswith("503")
    assert calls == ["/v1/health", "/v1/check/", "/v1/check"]


def test_verbose_sends_checks_through_flask_so_each_is_logged(served, caplog):
    app, fast, flask_wsgi, calls, token, _ = served
    headers = {"Content-Type": "application/json", "Authorization": token}
    with caplog.at_level(logging.DEBUG, logger="postguard.access"):
        assert send(app, {"text": "hi", "platform": "x"}, headers)[0] == "200 OK"
    assert calls == ["/v1/check"]
    assert any("POST /v1/check 200" in r.getMessage() for r in caplog.records)
