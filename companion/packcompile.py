"""Compile a pack in a child process, into the compiled-pack cache, so a reload never holds up checks.

Compiling 100,000 terms is ~20 s of Python. In the serving process it takes the interpreter lock
from the checks in turns, and some steps hold it for a second at a time (bench/README.md: checks
took up to 1.1 s instead of 6 ms while a reload compiled). A child process compiles instead, on
another core: it parses, verifies, validates and indexes the pack exactly as the companion would
(build_pack) and writes the cache entry; the companion then reads the entry like any other
(checked, signatures verified again), which is the warm start's work, about a second at 100,000 terms.

    python -m companion.packcompile CACHE_FOLDER      # stdin: the layers; stdout: {"ok": true} or {"problems": [...]}

Only the pack crosses over (the layers' bytes and signatures, the trusted public keys, the clock
for the signature check); nothing is written but the cache entry.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import subprocess
import sys
from pathlib import Path

from companion.pack.errors import PackError, PackProblem
from companion.pack.sources import Layer

log = logging.getLogger("postguard.pack")

TIMEOUT_S = 1800
# A pack this big compiles in a child process when it replaces one that serves; a smaller one compiles in
# the serving process. The child costs about 3 s of its own (a Python started, the word lists read again),
# more than the whole compile of a pack of 5,000 terms here (about 1 s, holding checks up 0.2 s at most;
# bench/README.md, "Reloads"), and a reload that takes longer keeps the old policy serving longer.
APART_FROM_BYTES = 256 * 1024


def worth_compiling_apart(layers: list[Layer]) -> bool:
    return sum(len(layer.data) for layer in layers) >= APART_FROM_BYTES


def compile_apart(directory: Path, layers: list[Layer], trusted_keys: list[bytes] | None,
                  now: dt.datetime | None) -> bool:
    """True when a child process compiled the pack into the cache at `directory`; raises the child's
    PackError when the pack is refused; False when no child could do it (the caller compiles here)."""
    request = {"layers": [{"name": layer.name, "data": _b64(layer.data),
                           "signature": None if layer.signature is None else _b64(layer.signature)} for layer in layers],
               "keys": [_b64(k) for k in trusted_keys or ()], "now": now.isoformat() if now else None}
    try:
        done = subprocess.run([sys.executable, "-m", "companion.packcompile", str(directory)],
                              input=json.dumps(request).encode(), capture_output=True, timeout=TIMEOUT_S)
        answer = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError) as e:
        log.warning("cannot compile the pack in a separate process (%s); compiling it here", type(e).__name__)
        return False
    if not isinstance(answer, dict):
        # Its stderr may quote the pack: only the exit status goes to the log.
        log.warning("the process compiling the pack stopped (exit status %s); compiling it here", done.returncode)
        return False
    if answer.get("problems"):
        raise PackError([PackProblem(*p) for p in answer["problems"]])
    return answer.get("ok") is True


def main(argv: list[str] | None = None) -> int:
    from companion.packcache import PackCache

    args = argv if argv is not None else sys.argv[1:]
    request = json.loads(sys.stdin.buffer.read())
    layers = [Layer(layer["name"], base64.b64decode(layer["data"]),
                    None if layer["signature"] is None else base64.b64decode(layer["signature"])) for layer in request["layers"]]
    keys = [base64.b64decode(k) for k in request["keys"]]
    now = dt.datetime.fromisoformat(request["now"]) if request["now"] else None
    cache = PackCache(Path(args[0]))
    try:
        cache.build(layers, keys, now)
    except PackError as e:
        answer = {"problems": [[p.file, p.line, p.column, p.key, p.message] for p in e.problems]}
    else:
        answer = {"ok": cache.stats["written"] == 1 or cache.stats["hits"] == 1}
    sys.stdout.write(json.dumps(answer))
    return 0


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


if __name__ == "__main__":
    sys.exit(main())
