"""A minimal Chrome DevTools Protocol client (stdlib only) for a Chromium the test started itself.

Playwright's connect_over_cdp does not see the service worker or pages of an extension that policy
installed before it connected, so tests that start Chromium as a user would (no Playwright flags)
look at it with this: the target list over HTTP and Runtime.evaluate in a target through the browser's WebSocket.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import urllib.request
from urllib.parse import urlsplit


def targets(port: int) -> list[dict]:
    """What the browser runs: pages, service workers, … (GET /json/list)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
        return json.load(r)


def browser_url(port: int) -> str:
    """The browser's own DevTools WebSocket (GET /json/version)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=5) as r:
        return json.load(r)["webSocketDebuggerUrl"]


class Connection:
    """One DevTools WebSocket: send a command, wait for its answer (events are skipped). On the
    browser's WebSocket, `attach` gives a session for any target (an extension's service worker
    refuses a WebSocket of its own)."""

    def __init__(self, ws_url: str, timeout: float = 15):
        parts = urlsplit(ws_url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise ConnectionError(f"DevTools refused the WebSocket: {head.decode(errors='replace')}")
        self.next_id = 0

    def _send(self, text: str) -> None:
        data, mask = text.encode(), os.urandom(4)
        n = len(data)
        size = bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 \
            else bytes([0x80 | 127]) + struct.pack(">Q", n)
        self.sock.sendall(bytes([0x81]) + size + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise ConnectionError("DevTools closed the WebSocket")
            out += chunk
        return out

    def _message(self) -> str:
        """One whole text message (continuation frames joined); the server does not mask."""
        parts = []
        while True:
            first, second = self._read(2)
            n = second & 0x7F
            n = struct.unpack(">H", self._read(2))[0] if n == 126 else struct.unpack(">Q", self._read(8))[0] if n == 127 else n
            parts.append(self._read(n))
            if first & 0x80:
                return b"".join(parts).decode()

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params,
                               **({"sessionId": session} if session else {})}))
        while True:
            msg = json.loads(self._message())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg["result"]

    def attach(self, target_id: str) -> str:
        return self.call("Target.attachToTarget", targetId=target_id, flatten=True)["sessionId"]

    def evaluate(self, session: str, expression: str):
        """The value of a JavaScript expression in an attached target (promises awaited), as JSON."""
        result = self.call("Runtime.evaluate", session, expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        self.sock.close()
