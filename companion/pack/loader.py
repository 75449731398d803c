"""Read a pack file safely and remember where each value came from.

Safe YAML only (no Python objects), a size cap, and no aliases (alias bombs expand to billions of
nodes only when walked, so they are refused outright). Every value's path is mapped to its line and
column so that validation errors can point into the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from companion.pack.errors import PackError, PackProblem

MAX_PACK_BYTES = 32 * 1024 * 1024
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Marks = dict[tuple, tuple[int, int]]   # path (tuple of keys/indexes) → (line, column), 1-based
PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}


def path_str(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def read_pack_file(path: str | Path) -> bytes:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_PACK_BYTES:
            raise PackError([PackProblem(str(p), 0, 0, "", f"pack is {size} bytes; the limit is {MAX_PACK_BYTES}")])
        return p.read_bytes()
    except OSError as e:
        raise PackError([PackProblem(str(p), 0, 0, "", f"cannot read pack: {e.strerror or e}")]) from None


def parse_yaml(data: bytes, name: str) -> tuple[Any, Marks]:
    """Parse YAML bytes into plain data (dates become ISO strings) plus a path → (line, col) map."""
    if len(data) > MAX_PACK_BYTES:
        raise PackError([PackProblem(name, 0, 0, "", f"pack is {len(data)} bytes; the limit is {MAX_PACK_BYTES}")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PackError([PackProblem(name, 0, 0, "", f"not UTF-8 text (byte {e.start})")]) from None
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise PackError([PackProblem(name, line, col, "", f"YAML syntax: {e.problem or e.context}")]) from None
    except yaml.YAMLError as e:
        raise PackError([PackProblem(name, 0, 0, "", f"YAML: {e}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise PackError([PackProblem(name, 1, 1, "", "the pack is empty")])
    marks: Marks = {}
    seen: set[int] = set()
    value = _to_data(loader, node, (), marks, seen, name)
    return value, marks


def _to_data(loader, node, path: tuple, marks: Marks, seen: set[int], name: str) -> Any:
    marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if node.tag not in PLAIN_TAGS:
        raise PackError([PackProblem(name, *marks[path], path_str(path), f"YAML tag {node.tag} is not allowed in packs")])
    if id(node) in seen:   # the composer shares the node of an anchor with every alias to it
        raise PackError([PackProblem(name, *marks[path], path_str(path), "YAML aliases (*name) are not allowed in packs")])
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for k_node, v_node in node.value:
            if not isinstance(k_node, yaml.ScalarNode):
                raise PackError([PackProblem(name, k_node.start_mark.line + 1, k_node.start_mark.column + 1,
                                             path_str(path), "keys must be plain text")])
            if k_node.tag == "tag:yaml.org,2002:merge":
                raise PackError([PackProblem(name, k_node.start_mark.line + 1, k_node.start_mark.column + 1,
                                             path_str(path), "YAML merge keys (<<) are not allowed in packs")])
            key = str(loader.construct_object(k_node))
            if key == "<<":
                raise PackError([PackProblem(name, k_node.start_mark.line + 1, k_node.start_mark.column + 1,
                                             path_str(path), "YAML merge keys (<<) are not allowed in packs")])
            if key in out:
                raise PackError([PackProblem(name, k_node.start_mark.line + 1, k_node.start_mark.column + 1,
                                             path_str(path + (key,)), "duplicate key")])
            marks[path + (key,)] = (k_node.start_mark.line + 1, k_node.start_mark.column + 1)  # errors point at the key
            out[key] = _to_data(loader, v_node, path + (key,), marks, seen, name)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(loader, v, path + (i,), marks, seen, name) for i, v in enumerate(node.value)]
    value = loader.construct_object(node)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
