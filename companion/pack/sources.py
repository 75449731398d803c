"""Where packs come from: a file, a folder (base pack + overlays), or an HTTPS URL polled with ETags.

A source returns the raw bytes of each layer and its signature file (when there is one); it never
parses them. `fetch()` returns None when nothing changed since the last fetch.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from companion.pack.errors import PackError, PackProblem
from companion.pack.loader import MAX_PACK_BYTES, read_pack_file
from companion.pack.signing import SIG_SUFFIX, sig_path


@dataclass(frozen=True)
class Layer:
    name: str                 # file path or URL, for messages
    data: bytes
    signature: bytes | None


class FileSource:
    """A pack file, optionally followed by overlay files in the given order."""

    def __init__(self, path: str | Path, overlays: list[str | Path] = ()):
        self.paths = [Path(path), *map(Path, overlays)]
        self._stamp: tuple | None = None

    def describe(self) -> str:
        return " + ".join(map(str, self.paths))

    def _current_stamp(self) -> tuple:
        out = []
        for p in self.paths:
            for f in (p, sig_path(p)):
                try:
                    st = f.stat()
                    out.append((st.st_mtime_ns, st.st_size))
                except OSError:
                    out.append(None)
        return tuple(out)

    def fetch(self, force: bool = False) -> list[Layer] | None:
        stamp = self._current_stamp()
        if not force and stamp == self._stamp:
            return None
        self._stamp = stamp
        return [Layer(str(p), read_pack_file(p), _read_optional(sig_path(p))) for p in self.paths]


class DirSource(FileSource):
    """DIR/pack.yaml, then DIR/overlays/*.yaml in name order (prefix them 10-, 20-, … to order them)."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        super().__init__(self.directory / "pack.yaml")

    def describe(self) -> str:
        return f"{self.directory}/ (pack.yaml + overlays/)"

    def fetch(self, force: bool = False) -> list[Layer] | None:
        overlay_dir = self.directory / "overlays"
        overlays = sorted(overlay_dir.glob("*.yaml")) if overlay_dir.is_dir() else []
        self.paths = [self.directory / "pack.yaml", *overlays]
        return super().fetch(force)


class UrlSource:
    """An HTTPS URL, fetched with If-None-Match so an unchanged pack costs a 304; its signature at URL.sig.json."""

    def __init__(self, url: str, ca_bundle: str | None = None, timeout: float = 20):
        if not url.startswith("https://"):
            raise ValueError("pack URLs must use https://")
        self.url, self.timeout = url, timeout
        self._ctx = ssl.create_default_context(cafile=ca_bundle)
        self._etag: str | None = None
        self.last_status: int | None = None

    def describe(self) -> str:
        return self.url

    def fetch(self, force: bool = False) -> list[Layer] | None:
        headers = {"User-Agent": "postguard-companion"}
        if self._etag and not force:
            headers["If-None-Match"] = self._etag
        status, data, etag = self._get(self.url, headers)
        self.last_status = status
        if status == 304:
            return None
        if status != 200:
            raise PackError([PackProblem(self.url, 0, 0, "", f"the pack server answered HTTP {status}")])
        sig_status, sig, _ = self._get(self.url + SIG_SUFFIX, {"User-Agent": "postguard-companion"})
        self._etag = etag
        return [Layer(self.url, data, sig if sig_status == 200 else None)]

    def _get(self, url: str, headers: dict) -> tuple[int, bytes, str | None]:
        req = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout, context=self._ctx) as resp:
                data = resp.read(MAX_PACK_BYTES + 1)
                if len(data) > MAX_PACK_BYTES:
                    raise PackError([PackProblem(url, 0, 0, "", f"the pack is over {MAX_PACK_BYTES} bytes")])
                return resp.status, data, resp.headers.get("ETag")
        except urllib.error.HTTPError as e:
            return e.code, b"", None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise PackError([PackProblem(url, 0, 0, "", f"cannot fetch the pack: {reason}")]) from None


def _read_optional(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise PackError([PackProblem(str(path), 0, 0, "", f"cannot read: {e.strerror or e}")]) from None


def source_for(spec: str | Path, overlays: list[str | Path] = (), ca_bundle: str | None = None):
    spec_s = str(spec)
    if spec_s.startswith("https://"):
        return UrlSource(spec_s, ca_bundle)
    if spec_s.startswith("http://"):
        raise ValueError("pack URLs must use https://")
    if Path(spec_s).is_dir():
        return DirSource(spec_s)
    return FileSource(spec_s, list(overlays))
