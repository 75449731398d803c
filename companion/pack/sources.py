"""Where packs come from: a file, a folder (base pack + overlays), a bundle file (pack/bundle.py), or an
HTTPS URL (a pack beside its .sig.json, or a bundle) polled with ETags.

A source returns the raw bytes of each layer and its signature file (when there is one); it never
parses them. `fetch()` returns None when nothing changed since the last fetch; the holder calls
`accepted()` once it serves what the last fetch returned. A source that cannot be read at all
raises SourceError, so health can tell "unreachable" from "refused".
"""

from __future__ import annotations

import logging
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from companion.pack.bundle import is_bundle_name, read_bundle
from companion.pack.errors import PackError, PackProblem
from companion.pack.layer import Layer
from companion.pack.loader import MAX_PACK_BYTES, read_pack_file
from companion.pack.signing import SIG_SUFFIX, sig_path

log = logging.getLogger("postguard.pack")


class SourceError(PackError):
    """The source could not be read (missing file, network, TLS, HTTP error): nothing was there to judge."""


__all__ = ["Layer", "SourceError", "FileSource", "DirSource", "BundleFileSource", "UrlSource", "PersonalOverlay",
           "source_for"]


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
        return [Layer(str(p), _read_pack(p), _read_optional(sig_path(p))) for p in self.paths]

    def accepted(self) -> None:
        """Nothing to do: the stamp covers each pack file and its signature, so a refused pair is read
        again as soon as either file changes (a signature written after its pack, a re-signed pack)."""


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


class BundleFileSource:
    """A bundle file: the pack, its overlays and their signatures, read whole."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._stamp: tuple | None = None

    def describe(self) -> str:
        return str(self.path)

    def fetch(self, force: bool = False) -> list[Layer] | None:
        stamp = _stamp(self.path)
        if not force and stamp == self._stamp:
            return None
        self._stamp = stamp
        return read_bundle(_read_pack(self.path), str(self.path))

    def accepted(self) -> None:
        """Nothing to do: a refused bundle is read again as soon as the file changes."""


@dataclass(frozen=True)
class _Fetched:
    validators: dict[str, str]     # If-None-Match / If-Modified-Since to send next time
    body: bytes | None             # None: the file is not there (an unsigned pack)


class UrlSource:
    """An HTTPS URL and its signature at URL.sig.json, each fetched conditionally (ETag, Last-Modified),
    so an unchanged pair costs two 304s. A URL ending in .bundle.json is one file holding every layer
    and its signature: one request, one 304, and no pair to get out of step.

    Only the validators of the pair the holder accepted are kept: a refused pair is fetched whole
    again at the next poll (a pack uploaded before its signature is picked up once the signature
    arrives), and a new signature alone (a re-signed, unchanged pack) counts as a change.
    """

    def __init__(self, url: str, ca_bundle: str | None = None, timeout: float = 20):
        if not url.startswith("https://"):
            raise ValueError("pack URLs must use https://")
        self.url, self.timeout = url, timeout
        self.bundle = is_bundle_name(url)
        self.sig_url = None if self.bundle else url + SIG_SUFFIX
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=ca_bundle)), _HttpsRedirectsOnly())
        self._accepted: dict[str, _Fetched] = {}   # what the holder serves
        self._fetched: dict[str, _Fetched] = {}    # what the last fetch returned

    def describe(self) -> str:
        return self.url

    def fetch(self, force: bool = False) -> list[Layer] | None:
        fetched, changed = {}, False
        for url in (self.url,) if self.bundle else (self.url, self.sig_url):
            known = None if force else self._accepted.get(url)
            status, body, validators = self._get(url, known.validators if known else {})
            if status == 304 and known:
                fetched[url] = known
                continue
            if status == 200:
                fetched[url] = _Fetched(validators, body)
            elif status == 404 and url == self.sig_url:
                fetched[url] = _Fetched({}, None)
            else:
                raise SourceError([PackProblem(url, 0, 0, "", f"the pack server answered HTTP {status}")])
            changed = changed or known is None or fetched[url].body != known.body
        if not changed:
            return None
        self._fetched = fetched
        if self.bundle:
            return read_bundle(fetched[self.url].body, self.url)
        return [Layer(self.url, fetched[self.url].body, fetched[self.sig_url].body)]

    def accepted(self) -> None:
        self._accepted = self._fetched

    def _get(self, url: str, conditions: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        req = urllib.request.Request(url, headers={"User-Agent": "postguard-companion", **conditions})
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                data = resp.read(MAX_PACK_BYTES + 1)
                if len(data) > MAX_PACK_BYTES:
                    raise PackError([PackProblem(url, 0, 0, "", f"the pack is over {MAX_PACK_BYTES} bytes")])
                return resp.status, data, _validators(resp.headers)
        except urllib.error.HTTPError as e:
            return e.code, b"", {}
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise SourceError([PackProblem(url, 0, 0, "", f"cannot fetch the pack: {reason}")]) from None


class _HttpsRedirectsOnly(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another https:// URL: after a redirect to http://, anyone on the
    network path could answer with a pack (and, unsigned packs allowed, be served)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urllib.parse.urlsplit(newurl).scheme
        if scheme != "https":
            raise SourceError([PackProblem(req.full_url, 0, 0, "", f"the pack server redirected to a {scheme}:// "
                                                                    f"URL; only https:// redirects are followed")])
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class PersonalOverlay:
    """IT's source, then one unsigned overlay of the user's own (allow_personal_overlay), always last.

    The overlay may only add: no `overrides` (so it cannot replace IT's terms, rules or limits) —
    checked by the holder, which serves IT's layers without it when it is refused."""

    def __init__(self, source, path: str | Path):
        self.source, self.path = source, Path(path)
        self._inner: list[Layer] | None = None   # the last layers IT's source returned
        self._stamp: tuple | None = None

    def describe(self) -> str:
        return f"{self.source.describe()} + personal overlay {self.path}"

    def fetch(self, force: bool = False) -> list[Layer] | None:
        stamp = _stamp(self.path)
        inner = self.source.fetch(force or self._inner is None)
        if inner is None and stamp == self._stamp:
            return None
        self._inner, self._stamp = inner or self._inner, stamp
        try:
            personal = [Layer(f"{self.path} (personal)", read_pack_file(self.path), None, personal=True)]
        except PackError as e:   # gone or unreadable: IT's layers alone
            log.warning("personal overlay not used: %s", e.problems[0].message if e.problems else e)
            personal = []
        return [*self._inner, *personal]

    def accepted(self) -> None:
        self.source.accepted()


def _stamp(path: Path) -> tuple | None:
    """What tells a file changed without reading it: its modification time and size."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _validators(headers) -> dict[str, str]:
    out = {}
    if headers.get("ETag"):
        out["If-None-Match"] = headers["ETag"]
    if headers.get("Last-Modified"):
        out["If-Modified-Since"] = headers["Last-Modified"]
    return out


def _read_pack(path: Path) -> bytes:
    if not path.is_file():
        raise SourceError([PackProblem(str(path), 0, 0, "", "cannot read the pack: no such file")])
    return read_pack_file(path)


def _read_optional(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise PackError([PackProblem(str(path), 0, 0, "", f"cannot read: {e.strerror or e}")]) from None


def source_for(spec: str | Path, overlays: list[str | Path] = (), ca_bundle: str | None = None):
    """The source for a pack file, folder, bundle or https:// URL. Overlays go on top of a pack file
    only: a folder and a bundle carry their own, and a URL carries them in a bundle."""
    spec_s = str(spec)
    if spec_s.startswith("http://"):
        raise ValueError("pack URLs must use https://")
    is_url, is_dir = spec_s.startswith("https://"), not spec_s.startswith("https://") and Path(spec_s).is_dir()
    if overlays and (is_url or is_dir or is_bundle_name(spec_s)):
        what = "an https:// URL (publish a bundle: postguard pack publish)" if is_url else (
            "a folder (put them in its overlays/)" if is_dir else "a bundle (it carries its own)")
        raise ValueError(f"overlays cannot be added to {what}")
    if is_url:
        return UrlSource(spec_s, ca_bundle)
    if is_dir:
        return DirSource(spec_s)
    if is_bundle_name(spec_s):
        return BundleFileSource(spec_s)
    return FileSource(spec_s, list(overlays))
