"""waitress, adjusted for a service that every program on the machine can connect to.

- A body over the limit is read and dropped (up to MAX_DRAIN bytes) before the refusal goes out, as
  JSON like every other error, with `Connection: close`. waitress alone answered in plain text at
  once and closed the socket with the body unread, so the kernel reset the connection and a client
  still sending never read the answer.
- Every error waitress answers itself (a bad request line, headers too large) is JSON too.
- Idle sockets cannot lock the extension out. waitress stops accepting at its connection limit until
  a socket closes (200 idle sockets did that for two minutes); here a new connection always gets in:
  at CONNECTION_LIMIT, the connection idle longest (no request running, nothing left to send) is
  closed for it. A connection idle IDLE_TIMEOUT seconds is closed anyway.
"""

from __future__ import annotations

import json

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask
from waitress.utilities import RequestEntityTooLarge

from companion.api.errors import CODES
from companion.api.security import SECURITY_HEADERS

CONNECTION_LIMIT = 64          # the extension uses a handful; bench/ and tests use up to 50
IDLE_TIMEOUT = 30              # seconds; the extension reconnects on its next call
MAX_DRAIN = 64 * 1024 * 1024   # a refused body larger than this is not read: the socket closes at once
MESSAGES = {413: "request body too large", 400: "bad request", 431: "request headers too large"}


class DrainingParser(HTTPRequestParser):
    """Reads a too-large body to its end and drops it, instead of refusing before the body is read."""

    draining = 0   # bytes of the refused body still to read

    def received(self, data: bytes) -> int:
        if self.draining:
            n = min(len(data), self.draining)
            self.draining -= n
            self.completed = not self.draining
            return n
        consumed = super().received(data)
        if (self.completed and isinstance(self.error, RequestEntityTooLarge) and not self.chunked
                and self.body_bytes_received == 0 and 0 < self.content_length <= MAX_DRAIN):
            self.draining, self.completed, self.expect_continue = self.content_length, False, False
        return consumed


class JsonErrorTask(ErrorTask):
    def execute(self) -> None:
        e = self.request.error
        body = json.dumps({"error": {"code": CODES.get(e.code, "bad_request"),
                                     "message": MESSAGES.get(e.code, e.reason.lower())}}).encode()
        self.status = f"{e.code} {e.reason}"
        self.response_headers.extend([("Content-Type", "application/json"), *SECURITY_HEADERS.items()])
        self.set_close_on_finish()   # adds Connection: close
        self.content_length = len(body)
        self.write(body)


class Channel(HTTPChannel):
    parser_class = DrainingParser
    error_task_class = JsonErrorTask


class Server(TcpWSGIServer):
    channel_class = Channel

    def __init__(self, app, **kw):
        # waitress's own limit is set out of reach: handle_accept below keeps CONNECTION_LIMIT.
        super().__init__(app, connection_limit=1_000_000, channel_timeout=IDLE_TIMEOUT, cleanup_interval=5, **kw)

    def handle_accept(self) -> None:
        if len(self.active_channels) >= CONNECTION_LIMIT:
            idle = [c for c in self.active_channels.values() if not c.requests and not c.total_outbufs_len]
            if idle:
                min(idle, key=lambda c: c.last_activity).handle_close()
        super().handle_accept()
