"""What changed between two packs, in lines a reviewer reads before signing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from companion.pack.layers import LIST_SECTIONS, item_id

if TYPE_CHECKING:
    from companion.pack.compiled import CompiledPack

MAX_VALUE = 80


def _short(v: Any) -> str:
    s = v if isinstance(v, str) else repr(v)
    return s if len(s) <= MAX_VALUE else s[:MAX_VALUE - 1] + "…"


def _item_changes(old: dict, new: dict) -> list[str]:
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, str) for x in a + b):
            added = [x for x in b if x not in a]
            removed = [x for x in a if x not in b]
            parts = [f"+ “{x}”" for x in added] + [f"- “{x}”" for x in removed]
            out.append(f"{key} {', '.join(parts) if parts else '(reordered)'}")
        elif a is None:
            out.append(f"{key} added: {_short(b)}")
        elif b is None:
            out.append(f"{key} removed (was {_short(a)})")
        else:
            out.append(f"{key}: {_short(a)} → {_short(b)}")
    return out


def diff_packs(old_pack: CompiledPack, new_pack: CompiledPack) -> list[str]:
    """The packs' content as written, compared section by section (ids, not positions)."""
    old, new = old_pack.data, new_pack.data
    lines: list[str] = []
    for key in ("id", "revision", "title"):
        if old.get(key) != new.get(key):
            lines.append(f"{key}: {old.get(key)} → {new.get(key)}")
    for change in _item_changes(old.get("company", {}), new.get("company", {})):
        lines.append(f"company: {change}")
    for section in LIST_SECTIONS:
        a = {item_id(section, x): x for x in old.get(section, ())}
        b = {item_id(section, x): x for x in new.get(section, ())}
        for iid in b.keys() - a.keys():
            label = b[iid].get("term") or b[iid].get("title") or b[iid].get("url") or ""
            lines.append(f"{section}: + {iid} {_short(label)}".rstrip())
        for iid in a.keys() - b.keys():
            lines.append(f"{section}: - {iid}")
        for iid in sorted(a.keys() & b.keys()):
            changes = _item_changes(a[iid], b[iid])
            if changes:
                lines.append(f"{section}: ~ {iid}: " + "; ".join(changes))
    for platform in sorted(set(old.get("platforms", {})) | set(new.get("platforms", {}))):
        for change in _item_changes(old.get("platforms", {}).get(platform, {}), new.get("platforms", {}).get(platform, {})):
            lines.append(f"platforms.{platform}: {change}")
    if old.get("personal_data_builtins") != new.get("personal_data_builtins"):
        lines.append(f"personal_data_builtins: {old.get('personal_data_builtins', 'all')} → {new.get('personal_data_builtins', 'all')}")
    return sorted(set(lines), key=lines.index)
