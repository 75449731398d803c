"""Keep the garbage collector out of a check's way, and out of a pack's compile.

A check on a long draft allocates tens of thousands of short-lived objects (tokens, hits, spans).
Every 700 allocations the collector walks the young ones, and every so often all it tracks: 5 to 9 %
of a check's time, at every length (bench/README.md, Garbage collector). Reference counting frees what
a check leaves, so the collections can wait until no check runs. Several server threads may check at
once: the collector comes back when the last one ends.

Compiling a pack builds hundreds of thousands of objects that live until the next reload, and no
reference cycles: the collector's walks over them were about a tenth of a companion's start. The compile
pauses it the same way (pack/compiled.py), as do the examples run after it (pack/examples.py) and a
compiled pack read back from the cache (packsnapshot.py); the holder collects and freezes the heap
once the new pack is in.
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
