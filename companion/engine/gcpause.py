"""Keep the garbage collector out of a check's way.

A check on a long draft allocates tens of thousands of short-lived objects (tokens, hits, spans).
Every 700 allocations the collector walks the young ones, and every so often all it tracks: 5 to 9 %
of a check's time, at every length (bench/README.md, Garbage collector). Reference counting frees what
a check leaves, so the collections can wait until no check runs. Several server threads may check at
once: the collector comes back when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0            # checks under way
_resume = False         # the collector was on when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    global _running, _resume
    with _lock:
        if _running == 0:
            _resume = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _resume:
                gc.enable()
