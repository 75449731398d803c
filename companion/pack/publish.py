"""What IT does before packs reach companions: gather the layers of a pack, check them whole (lint
and examples, overlays included), sign every layer, and write one bundle; and roll back by
publishing old content as a new revision.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from companion.pack.bundle import read_bundle, write_bundle
from companion.pack.compiled import CompiledPack, build_pack
from companion.pack.errors import PackError, PackProblem
from companion.pack.examples import run_examples
from companion.pack.layer import Layer
from companion.pack.layers import is_overlay
from companion.pack.loader import parse_yaml, read_pack_file
from companion.pack.signing import sign
from companion.pack.sources import source_for


def gather(path: str, overlays: list[str] = (), base: str | None = None) -> list[Layer]:
    """The layers of a pack file (with `overlays`), folder, bundle or URL. A lone overlay file is put
    on its base: `base`, or the pack.yaml of the folder whose overlays/ holds it (with the overlays
    named before it), since an overlay means nothing on its own."""
    if base:
        return source_for(base, [path, *overlays]).fetch(force=True)
    p = Path(path)
    if not str(path).startswith("https://") and p.is_file() and _is_overlay_file(p):
        folder = p.resolve().parent
        if folder.name == "overlays" and (folder.parent / "pack.yaml").is_file():
            before = [o for o in sorted(folder.glob("*.yaml")) if o.name < p.name]
            return source_for(folder.parent / "pack.yaml", [*before, p, *overlays]).fetch(force=True)
        raise PackError([PackProblem(str(p), 1, 1, "format",
                                     "this is an overlay: give its base pack with --base BASE.yaml, "
                                     "or keep it in the overlays/ folder beside the pack.yaml it extends")])
    return source_for(path, overlays).fetch(force=True)


def _is_overlay_file(p: Path) -> bool:
    try:
        data, _ = parse_yaml(read_pack_file(p), str(p))
    except PackError:
        return False   # the full load reports what is wrong with it
    return is_overlay(data)


def check_whole(layers: list[Layer], on: dt.date, build=build_pack) -> CompiledPack:
    """The merged pack, or PackError: every lint error of every layer, or every failing example. `build`
    compiles the layers as build_pack does (the command-line tools pass theirs, which reads back what
    an earlier command compiled)."""
    pack = build(layers)
    failed = [r for r in run_examples(pack, on) if not r.ok]
    if failed:
        raise PackError([PackProblem(pack.source, 0, 0, r.rule,
                                     f"example should {'flag' if r.expect_flag else 'pass'}: {r.text!r}")
                         for r in failed])
    return pack


def sign_layers(layers: list[Layer], pack: CompiledPack, key_pem: bytes, expires: dt.datetime,
                now: dt.datetime, only: set[int] | None = None) -> list[Layer]:
    """`layers` with fresh signatures (those at the indexes in `only`, or all); ids and revisions from `pack`."""
    out = []
    for i, (layer, meta) in enumerate(zip(layers, pack.layers)):
        if only is None or i in only:
            envelope = sign(layer.data, meta["id"], meta["revision"], key_pem, expires, now)
            layer = Layer(layer.name, layer.data, _json(envelope))
        out.append(layer)
    return out


def bundle_bytes(layers: list[Layer]) -> bytes:
    """The bundle of signed `layers`, each named after its file (base first)."""
    return write_bundle(layers, [_short_name(layer.name, i) for i, layer in enumerate(layers)])


def reread(path: Path) -> list[Layer]:
    return read_bundle(path.read_bytes(), str(path))


REVISION_LINE = re.compile(rb"^revision:[ \t]*(\d+)", re.MULTILINE)


def as_new_revisions(old: list[Layer], current: list[Layer]) -> tuple[list[Layer], list[str]]:
    """The content of `old`, every layer renumbered above both its old revision and the revision now
    published under its id (companions refuse going back a revision, so a rollback is a new one).
    Returns the layers and a line per layer saying what happened."""
    published = {}
    for layer in current:
        data, _ = parse_yaml(layer.data, layer.name)
        if isinstance(data, dict):
            published[data.get("id")] = data.get("revision")
    out, said = [], []
    for layer in old:
        data, _ = parse_yaml(layer.data, layer.name)
        ident, rev = data.get("id"), data.get("revision")
        match = REVISION_LINE.search(layer.data)
        if not isinstance(rev, int) or match is None:
            raise PackError([PackProblem(layer.name, 0, 0, "revision",
                                         "no top-level 'revision: N' line to renumber")])
        new = max(rev, published.get(ident) if isinstance(published.get(ident), int) else 0) + 1
        note = f"# postguard pack rollback: the content of {ident} revision {rev}, published as revision {new}\n".encode()
        body = layer.data[:match.start(1)] + str(new).encode() + layer.data[match.end(1):]
        out.append(Layer(layer.name, note + body, None))
        said.append(f"{ident}: the content of revision {rev} becomes revision {new}"
                    + (f" (revision {published[ident]} is published now)" if ident in published else ""))
    return out, said


def _short_name(name: str, index: int) -> str:
    """A layer's name inside a bundle: its file name (overlays/NAME for overlays), never a machine path."""
    last = name.rsplit("#", 1)[-1] if "#" in name else name.rsplit("/", 1)[-1]
    last = last.replace(" (saved copy)", "")
    return last if index == 0 or last.startswith("overlays/") else f"overlays/{last}"


def _json(envelope: dict) -> bytes:
    import json

    return (json.dumps(envelope, indent=2) + "\n").encode()
