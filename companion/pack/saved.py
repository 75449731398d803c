"""What the companion keeps on disk about packs, so a restart neither ends protection nor rolls back:

- RevisionStore: for every signed layer id, the highest revision accepted and its SHA-256, and which
  overlays the base carried at its revision (an overlay may only disappear with a newer base).
- LastGoodStore: the last accepted pack, every layer with its signature, served at start when the
  configured source is broken, expired or unreachable. It names unreleased products, so it lives in
  a folder only the user can open (0700), in a file only the user can read (0600).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

from companion.atomicfile import write_atomically
from companion.pack.sources import Layer

SAVED_FORMAT = "postguard/last-good-v1"


def private_dir(path: Path) -> None:
    """Make `path`, and every missing folder above it, closed to other users (0700); keep `path`
    closed even if it existed before. (Path.mkdir(parents=True) gives new parents the umask's 0755,
    which left the state folder open when its last-good/ subfolder was made first.)"""
    missing = []
    for p in (path, *path.parents):
        if p.exists():
            break
        missing.append(p)
    for p in reversed(missing):
        try:
            p.mkdir(mode=0o700)
        except FileExistsError:
            pass
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` atomically with a file only the owner can read."""
    private_dir(path.parent)
    write_atomically(path, data, 0o600)


class RevisionStore:
    """The accepted revisions of signed layers (memory only when `path` is None)."""

    def __init__(self, path: Path | None, floors: dict[str, int] | None = None):
        self.path = path
        self.floors = dict(floors or {})   # IT's min_revisions from the system config: deleting the file resets nothing below them
        self._data = self._read()

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8")) if self.path else {}
        except (OSError, ValueError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        if "layers" not in data:    # the first format was {pack id: revision}
            data = {"layers": {k: {"revision": v} for k, v in data.items() if isinstance(v, int)}, "base": None}
        return data

    def layer(self, ident: str) -> dict:
        """{revision, sha256} of the layer accepted last under this id, or {}; never below IT's floor."""
        seen = self._data["layers"].get(ident, {})
        floor = self.floors.get(ident, 0)
        return {"revision": floor} if floor > seen.get("revision", 0) else seen

    def get(self, ident: str) -> int:
        return self.layer(ident).get("revision", 0)

    def base(self) -> dict | None:
        """{id, revision, overlays}: the base pack accepted last and the overlay ids it carried."""
        return self._data.get("base")

    def accept(self, layers: list[dict]) -> None:
        """Remember [{id, revision, sha256}, ...], base first."""
        for layer in layers:
            self._data["layers"][layer["id"]] = {"revision": layer["revision"], "sha256": layer["sha256"]}
        self._data["base"] = {"id": layers[0]["id"], "revision": layers[0]["revision"],
                              "overlays": [layer["id"] for layer in layers[1:]]}
        if self.path:
            write_private(self.path, json.dumps(self._data, indent=1).encode())


class LastGoodStore:
    """DIR/pack.json: the layers of the pack accepted last (nothing is kept when `directory` is None)."""

    def __init__(self, directory: Path | None):
        self.file = Path(directory) / "pack.json" if directory else None

    def save(self, layers: list[Layer], meta: list[dict], source: str, expires_at: str | None,
             accepted_at: dt.datetime) -> None:
        """`meta` is the pack's [{id, revision}] per layer: kept beside the bytes for `postguard config`."""
        if not self.file:
            return
        record = {
            "format": SAVED_FORMAT, "source": source, "accepted_at": accepted_at.isoformat(),
            "expires_at": expires_at,
            "layers": [{"name": layer.name, "id": m["id"], "revision": m["revision"], "data": _b64(layer.data),
                        "signature": _b64(layer.signature) if layer.signature is not None else None}
                       for layer, m in zip(layers, meta)],
        }
        write_private(self.file, json.dumps(record).encode())

    def summary(self) -> dict | None:
        """The saved record without the pack bytes, or None when nothing is saved; raises ValueError when unreadable."""
        record = self._record()
        if record is None:
            return None
        try:
            layers = [{"id": layer["id"], "revision": layer["revision"], "signed": layer["signature"] is not None}
                      for layer in record["layers"]]
        except (KeyError, TypeError):
            raise ValueError(f"{self.file} is damaged") from None
        return {**record, "layers": layers}

    def load(self) -> tuple[list[Layer], dt.datetime] | None:
        """(layers, when they were accepted), or None when nothing is saved; raises ValueError when unreadable."""
        record = self._record()
        if record is None:
            return None
        try:
            layers = [Layer(f"{layer['name']} (saved copy)", base64.b64decode(layer["data"], validate=True),
                            base64.b64decode(layer["signature"], validate=True) if layer["signature"] is not None else None)
                      for layer in record["layers"]]
            accepted_at = dt.datetime.fromisoformat(record["accepted_at"])
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{self.file} is damaged") from None
        if not layers:
            raise ValueError(f"{self.file} holds no layers")
        return layers, accepted_at

    def save_changes(self, changes: dict) -> None:
        """DIR/changes.json: what the pack accepted last changed ({from, to, digest}: the pack's public
        texts, never a draft), so "what changed" survives a restart of the companion."""
        if self.file:
            write_private(self.file.with_name("changes.json"), json.dumps(changes).encode())

    def load_changes(self) -> dict | None:
        """The kept {from, to, digest}, or None when none is kept; raises ValueError when unreadable."""
        if not self.file:
            return None
        try:
            changes = json.loads(self.file.with_name("changes.json").read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            raise ValueError(f"cannot read {self.file.with_name('changes.json')}: {getattr(e, 'strerror', None) or e}") from None
        if not isinstance(changes, dict) or not {"from", "to", "digest"} <= changes.keys():
            raise ValueError(f"{self.file.with_name('changes.json')} is not a pack digest")
        return changes

    def _record(self) -> dict | None:
        if not self.file:
            return None
        try:
            record = json.loads(self.file.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            raise ValueError(f"cannot read {self.file}: {getattr(e, 'strerror', None) or e}") from None
        if not isinstance(record, dict) or record.get("format") != SAVED_FORMAT or not isinstance(record.get("layers"), list):
            raise ValueError(f"{self.file} is not a saved pack ({SAVED_FORMAT})")
        return record


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
