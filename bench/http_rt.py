"""A keep-alive HTTP round trip through a real companion: `postguard serve` in a subprocess.

The companion runs with a synthetic pack on a free loopback port, in a throw-away home folder
(its token goes to a private file there, never to the developer's keyring). The client is
http.client on one connection, as the extension's service worker keeps one open.
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

from bench import synth
from bench.workload import make_pack

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


def measure_http(n_terms: int, requests: int, warmup: int, seed: int = 7) -> dict:
    home = Path(tempfile.mkdtemp(prefix="postguard-bench-"))
    proc = None
    try:
        pack_path = home / "pack.yaml"
        pack_path.write_text(json.dumps(make_pack(synth.code_names(n_terms, seed))), encoding="utf-8")  # JSON is YAML
        env = _env(home)
        port = _free_port()
        log = open(home / "companion.log", "wb")
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--pack", str(pack_path),
                                 "--port", str(port)], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
        _wait_listening(proc, port, home)
        startup_s = time.perf_counter() - started
        token = subprocess.run([sys.executable, "-m", "companion", "token"], cwd=home, env=env,
                               capture_output=True, text=True, timeout=60, check=True).stdout.strip()
        rng = random.Random(seed)
        drafts = [synth.prose(280, rng) for _ in range(50)]
        terms = synth.code_names(min(n_terms, 200), seed)
        for i in range(0, len(drafts), 2):          # every other draft holds a (misspelt) code name
            text, _ = synth.plant(drafts[i], [(0, "typo1", synth.variant(rng.choice(terms), "typo1", rng))], rng)
            drafts[i] = text
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        samples, server_ms, sockets, findings = [], [], set(), 0
        for n in range(warmup + requests):
            body = json.dumps({"text": drafts[n % len(drafts)], "platform": "x"})
            t0 = time.perf_counter()
            conn.request("POST", "/v1/check", body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            elapsed = time.perf_counter() - t0
            if resp.status != 200:
                raise RuntimeError(f"/v1/check answered {resp.status}: {data[:200]!r} (see docs/security.md)")
            sockets.add(id(conn.sock))
            if n >= warmup:
                samples.append(elapsed * 1000)
                reply = json.loads(data)
                server_ms.append(reply["elapsed_ms"])
                findings += len(reply["findings"])
        # The same drafts for Facebook, whose length rule counts characters instead of X's weights.
        other = []
        for n in range(requests // 2):
            body = json.dumps({"text": drafts[n % len(drafts)], "platform": "facebook"})
            t0 = time.perf_counter()
            conn.request("POST", "/v1/check", body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            other.append((time.perf_counter() - t0) * 1000)
            sockets.add(id(conn.sock))
        # The same connection, a call that does no checking: what HTTP, the server and the
        # security middleware cost by themselves.
        bare = []
        for n in range(warmup + requests // 2):
            t0 = time.perf_counter()
            conn.request("GET", "/v1/health")
            resp = conn.getresponse()
            resp.read()
            if n >= warmup:
                bare.append((time.perf_counter() - t0) * 1000)
            sockets.add(id(conn.sock))
        conn.close()
        return {"terms": n_terms, "chars": 280, "platform": "x", "requests": requests, "warmup": warmup,
                "health_p50_ms": round(statistics.median(bare), 3),
                "facebook_p50_ms": round(statistics.median(other), 3),
                "p50_ms": round(statistics.median(samples), 3), "p95_ms": round(_percentile(samples, 0.95), 3),
                "p99_ms": round(_percentile(samples, 0.99), 3), "max_ms": round(max(samples), 3),
                "server_check_p50_ms": round(statistics.median(server_ms), 3),
                "connections": len(sockets), "findings": findings, "startup_s": round(startup_s, 2)}
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(home, ignore_errors=True)


def _wait_listening(proc: subprocess.Popen, port: int, home: Path, limit: float = 180) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("companion exited: " + (home / "companion.log").read_text(errors="replace")[-2000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"companion did not listen within {limit:.0f} s")
