"""Files written whole or not at all: a temporary file in the same folder, renamed over the old one.

Every file the companion or its tools write for another process to read (a pack bundle, a saved pack,
the pairing tokens, the records salt, the ready file, the word data) goes through here, so that a
reader never sees half of one and a crash leaves at most a stray temporary file, never a torn one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace `path` with `data` in one rename. The temporary file is created readable by its owner
    only (mkstemp) and given `mode` once written: a private file (0o600) is never readable by others,
    not even for a moment."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
