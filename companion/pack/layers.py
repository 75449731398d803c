"""Layering: a company base pack plus team or regional overlays, merged in a declared order.

An overlay (`format: postguard/overlay-v1`) names the base it `extends` and adds confidential terms,
rules, referrals, replies, escalation rows, response targets and platform guidance. An id that an
overlay repeats is a conflict, reported with both places, unless the overlay lists it under
`overrides` — then its item replaces the base's in place. `overrides: [platforms.x.limit]` lets an
overlay change a platform limit.
"""

from __future__ import annotations

from typing import Any

from companion.pack.errors import PackError, PackProblem
from companion.pack.loader import Marks, path_str

OVERLAY_FORMAT = "postguard/overlay-v1"
OVERLAY_META = {"format", "id", "revision", "title", "extends", "overrides"}
LIST_SECTIONS = {"confidential": "id", "rules": "id", "referrals": "id", "replies": "id",
                 "escalation_matrix": "topic", "response_targets": "kind"}


def item_id(section: str, item: dict[str, Any]) -> str:
    if section == "confidential":
        from companion.engine.kinds.confidential import term_id

        return term_id(item)
    return str(item.get(LIST_SECTIONS[section], ""))


def is_overlay(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == OVERLAY_FORMAT


def overlay_as_pack(data: dict[str, Any]) -> dict[str, Any]:
    """An overlay's own content shaped like a pack, so the pack schema can check it on its own."""
    body = {k: v for k, v in data.items() if k not in OVERLAY_META}
    return {"format": "postguard/pack-v1", "id": data.get("id", "overlay"), "revision": data.get("revision", 1),
            "company": {"name": "(overlay)"}, **body}


def overlay_meta_problems(data: dict[str, Any], marks: Marks, name: str, base_id: str) -> list[PackProblem]:
    out = []

    def at(path, msg):
        line, col = marks.get(path, marks.get((), (0, 0)))
        out.append(PackProblem(name, line, col, path_str(path), msg))

    for key in ("id", "revision", "extends"):
        if key not in data:
            at((), f"an overlay needs '{key}'")
    if "company" in data:
        at(("company",), "overlays cannot change the company; put that in the base pack")
    if data.get("extends") not in (None, base_id):
        at(("extends",), f"this overlay extends '{data.get('extends')}', but the base pack is '{base_id}'")
    if not isinstance(data.get("overrides", []), list) or not all(isinstance(x, str) for x in data.get("overrides", [])):
        at(("overrides",), "overrides is a list of ids")
    return out


def merge(layers: list[tuple[str, dict[str, Any], Marks]]) -> tuple[dict[str, Any], Marks, dict[tuple, str]]:
    """Merge parsed layers (base first). Returns the data, its marks, and which file each item came from."""
    base_name, base, base_marks = layers[0]
    data = {k: (list(v) if isinstance(v, list) else v) for k, v in base.items()}
    marks: Marks = dict(base_marks)
    origin: dict[tuple, str] = {(): base_name}
    problems: list[PackProblem] = []
    for name, overlay, omarks in layers[1:]:
        overrides = set(overlay.get("overrides", []))
        by_item: dict[tuple, list] = {}
        for path, mark in omarks.items():
            if len(path) >= 2:
                by_item.setdefault(path[:2], []).append((path, mark))
        used: set[str] = set()
        for section in LIST_SECTIONS:
            items = data.setdefault(section, [])
            index = {item_id(section, it): i for i, it in enumerate(items)}
            for j, item in enumerate(overlay.get(section, ())):
                iid = item_id(section, item)
                src = (section, j)
                if iid in index:
                    pos = index[iid]
                    if iid not in overrides:
                        other = origin.get((section, pos), base_name)
                        line, col = marks.get((section, pos), (0, 0))
                        o_line, o_col = omarks.get(src, (0, 0))
                        problems.append(PackProblem(name, o_line, o_col, path_str(src),
                                                    f"'{iid}' conflicts with {other}:{line} (list it under overrides to replace it)"))
                        continue
                    used.add(iid)
                    items[pos] = item
                else:
                    pos = len(items)
                    items.append(item)
                    index[iid] = pos
                for path, mark in by_item.get(src, ()):
                    marks[(section, pos) + path[2:]] = mark
                origin[(section, pos)] = name
        for platform, spec in (overlay.get("platforms") or {}).items():
            target = data.setdefault("platforms", {}).setdefault(platform, {})
            if "limit" in spec:
                key = f"platforms.{platform}.limit"
                if "limit" in target and key not in overrides:
                    line, col = omarks.get(("platforms", platform, "limit"), (0, 0))
                    problems.append(PackProblem(name, line, col, key, "the base pack sets this limit; list it under overrides to change it"))
                else:
                    target["limit"] = spec["limit"]
                    used.add(key)
            if spec.get("guidance"):
                target["guidance"] = [*target.get("guidance", []), *spec["guidance"]]
        for unknown in sorted(overrides - used):
            line, col = omarks.get(("overrides",), (0, 0))
            problems.append(PackProblem(name, line, col, "overrides", f"'{unknown}' overrides nothing in the layers before it"))
    if problems:
        raise PackError(problems)
    return data, marks, origin

