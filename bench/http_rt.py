"""A keep-alive HTTP round trip through a real companion: `postguard serve` in a subprocess.

The companion runs with a synthetic pack on a free loopback port, in a throw-away home folder
(its token goes to a private file there, never to the developer's keyring). The client keeps
one connection open, as the extension's service worker does, and sends the same headers.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import host, synth
from bench.workload import make_pack
from companion.config import DEFAULT_ORIGINS

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "data"), "XDG_STATE_HOME": str(home / "state"),
           "POSTGUARD_SYSTEM_CONFIG": str(home / "no-system-config.toml"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return env


def _percentile(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, int(q * len(s) + 0.999999) - 1))]


def measure_http(n_terms: int, requests: int, warmup: int, seed: int = 7, rounds: int = 5,
                 compare: Path | None = None) -> dict:
    """`requests` checks in `rounds` blocks; between blocks the same drafts go to the floor servers,
    through http.client, and to /v1/health, so every figure sees the same stretches of machine load.
    `compare`: another source tree of the companion (an older commit, from `git archive`), started
    next to this one and sent the same checks between the rounds."""
    home = Path(tempfile.mkdtemp(prefix="postguard-bench-"))
    procs: list[subprocess.Popen] = []
    try:
        pack_path = home / "pack.yaml"
        pack_path.write_text(json.dumps(make_pack(synth.code_names(n_terms, seed))), encoding="utf-8")  # JSON is YAML
        env = _env(home)
        port = _free_port()
        started = time.perf_counter()
        procs.append(_start([sys.executable, "-m", "companion", "serve", "--pack", str(pack_path), "--port", str(port)],
                            home, env, "companion"))
        floors = {}
        for kind in ("waitress", "flask"):
            floors[kind] = _free_port()
            procs.append(_start([sys.executable, "-m", "bench.floor_server", kind, str(floors[kind])], home, env, kind))
        _wait_listening(procs[0], port, home)
        startup_s = time.perf_counter() - started
        for proc, p in zip(procs[1:], floors.values()):
            _wait_listening(proc, p, home)
        if compare:
            other_home = home / "compare"
            other_home.mkdir()
            other_env, other_port = {**_env(other_home), "PYTHONPATH": str(compare)}, _free_port()
            procs.append(_start([sys.executable, "-m", "companion", "serve", "--pack", str(pack_path),
                                 "--port", str(other_port)], other_home, other_env, "compare"))
            _wait_listening(procs[-1], other_port, other_home)
            other_token = subprocess.run([sys.executable, "-m", "companion", "token"], cwd=other_home, env=other_env,
                                         capture_output=True, text=True, timeout=60, check=True).stdout.strip()
        token = subprocess.run([sys.executable, "-m", "companion", "token"], cwd=home, env=env,
                               capture_output=True, text=True, timeout=60, check=True).stdout.strip()
        rng = random.Random(seed)
        drafts = [synth.prose(280, rng) for _ in range(50)]
        terms = synth.code_names(min(n_terms, 200), seed)
        for i in range(0, len(drafts), 2):          # every other draft holds a (misspelt) code name
            text, _ = synth.plant(drafts[i], [(0, "typo1", synth.variant(rng.choice(terms), "typo1", rng))], rng)
            drafts[i] = text
        x_bodies = [json.dumps({"text": d, "platform": "x"}).encode() for d in drafts]
        fb_bodies = [json.dumps({"text": d, "platform": "facebook"}).encode() for d in drafts]
        # The headers the extension's service worker sends (its POSTs carry the extension's Origin).
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}", "Origin": DEFAULT_ORIGINS[0]}
        ours = LeanClient("127.0.0.1", port)
        stdlib = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        floor_clients = {k: LeanClient("127.0.0.1", p) for k, p in floors.items()}
        other = LeanClient("127.0.0.1", other_port) if compare else None
        other_headers = {**headers, "Authorization": f"Bearer {other_token}"} if compare else {}
        plain = {"Content-Type": "application/json"}
        per_round, warm = max(1, requests // rounds), max(1, warmup // rounds)
        samples, round_p50, server_ms, other_server_ms, findings = [], [], [], [], 0
        blocks: dict[str, list[float]] = {"http.client": [], "facebook": [], "health": [], "waitress": [], "flask": []}

        def block(name: str, call) -> list[float]:
            for n in range(warm):
                call(n)
            out = [call(n) for n in range(per_round)]
            blocks.setdefault(name, []).extend(out)
            return out

        other_replies: list[bytes] = []

        def compared(n: int) -> float:
            elapsed, data = other.timed("POST", "/v1/check", x_bodies[n % len(drafts)], other_headers)
            other_replies.append(data)
            return elapsed

        cpu_before = host.cpu_times()
        for r in range(rounds):
            this_round = []
            for n in range(warm + per_round):
                elapsed, data = ours.timed("POST", "/v1/check", x_bodies[(r * per_round + n) % len(drafts)], headers)
                if n >= warm:
                    reply = json.loads(data)
                    this_round.append(elapsed)
                    server_ms.append(reply["elapsed_ms"])
                    findings += len(reply["findings"])
            samples += this_round
            round_p50.append(round(statistics.median(this_round), 3))
            if other:
                other_replies.clear()
                block("compare", compared)
                other_server_ms += [json.loads(data)["elapsed_ms"] for data in other_replies[warm:]]
            block("http.client", lambda n: _timed_stdlib(stdlib, "POST", "/v1/check", x_bodies[n % len(drafts)], headers)[0])
            block("facebook", lambda n: ours.timed("POST", "/v1/check", fb_bodies[n % len(drafts)], headers)[0])
            block("health", lambda n: ours.timed("GET", "/v1/health", b"", headers)[0])
            for kind, client in floor_clients.items():
                block(kind, lambda n, c=client: c.timed("POST", "/v1/check", x_bodies[n % len(drafts)], plain)[0])
        stolen = host.stolen_percent(cpu_before, host.cpu_times())
        for c in (ours, stdlib, *floor_clients.values(), *([other] if other else [])):
            c.close()
        med = {k: round(statistics.median(v), 3) for k, v in blocks.items()}
        return {"terms": n_terms, "chars": 280, "platform": "x", "requests": len(samples), "warmup": warm * rounds,
                "rounds": rounds, "round_p50_ms": round_p50,
                "p50_ms": round(statistics.median(samples), 3), "p95_ms": round(_percentile(samples, 0.95), 3),
                "p99_ms": round(_percentile(samples, 0.99), 3), "max_ms": round(max(samples), 3),
                "server_check_p50_ms": round(statistics.median(server_ms), 3),
                "http_client_p50_ms": med["http.client"], "facebook_p50_ms": med["facebook"],
                "health_p50_ms": med["health"], "floor_waitress_p50_ms": med["waitress"],
                "floor_flask_p50_ms": med["flask"],
                "connections": ours.connects, "findings": findings, "startup_s": round(startup_s, 2),
                "cpu_stolen_pct": stolen,
                **({"compare_tree": str(compare), "compare_p50_ms": med["compare"],
                    "compare_server_check_p50_ms": round(statistics.median(other_server_ms), 3)} if compare else {})}
    finally:
        for proc in procs:
            _stop(proc)
        shutil.rmtree(home, ignore_errors=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _start(cmd: list[str], home: Path, env: dict[str, str], name: str) -> subprocess.Popen:
    with open(home / f"{name}.log", "wb") as log:     # the child keeps its own copy of the handle
        return subprocess.Popen(cmd, cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)


class LeanClient:
    """HTTP/1.1 with keep-alive on one socket, reading responses by Content-Length.

    The round trip is what the companion costs a caller. Python's http.client adds about 0.3 ms
    of its own per call (it parses headers with the email package), which the extension, whose
    fetch is Chromium's C++ network stack, never pays; the bench reports http.client's figure too.
    """

    def __init__(self, host: str, port: int):
        self.sock = socket.create_connection((host, port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host, self.port, self.connects, self._buf = host, port, 1, b""

    def timed(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[float, bytes]:
        """(milliseconds, response body); raises on anything but 200."""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        request = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        t0 = time.perf_counter()
        self.sock.sendall(request)
        status, length, keep = self._read_head()
        data = self._read(length)
        elapsed = (time.perf_counter() - t0) * 1000
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {data[:200]!r} (see docs/security.md)")
        if not keep:
            raise RuntimeError("the companion closed a kept-alive connection")
        return elapsed, data

    def _read_head(self) -> tuple[int, int, bool]:
        while b"\r\n\r\n" not in self._buf:
            self._recv()
        head, self._buf = self._buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        if "content-length" not in fields:
            raise RuntimeError("response without Content-Length")
        return int(lines[0].split()[1]), int(fields["content-length"]), fields.get("connection", "").lower() != "close"

    def _read(self, n: int) -> bytes:
        while len(self._buf) < n:
            self._recv()
        data, self._buf = self._buf[:n], self._buf[n:]
        return data

    def _recv(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise RuntimeError("the companion closed the connection")
        self._buf += chunk

    def close(self) -> None:
        self.sock.close()


def _timed_stdlib(conn: http.client.HTTPConnection, method: str, path: str, body: bytes,
                  headers: dict[str, str]) -> tuple[float, bytes]:
    t0 = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    elapsed = (time.perf_counter() - t0) * 1000
    if resp.status != 200:
        raise RuntimeError(f"{path} answered {resp.status}: {data[:200]!r}")
    return elapsed, data


def _wait_listening(proc: subprocess.Popen, port: int, home: Path, limit: float = 180) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            logs = "".join(f.read_text(errors="replace")[-2000:] for f in home.glob("*.log"))
            raise RuntimeError("a server exited: " + logs)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"companion did not listen within {limit:.0f} s")
