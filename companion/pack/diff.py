"""What changed between two packs, in lines a reviewer reads before signing."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class ItemChange:
    """One item of a list section added (+), removed (-) or changed (~), with the item before and after."""
    section: str
    op: str
    item_id: str
    old: dict | None
    new: dict | None
    changes: tuple[str, ...] = ()


def item_changes(old: dict, new: dict) -> list[ItemChange]:
    """The list sections' items (terms, rules, replies, referrals, matrix rows...) that differ, by id."""
    out = []
    for section in LIST_SECTIONS:
        a = {item_id(section, x): x for x in old.get(section, ())}
        b = {item_id(section, x): x for x in new.get(section, ())}
        out += [ItemChange(section, "+", iid, None, b[iid]) for iid in b if iid not in a]
        out += [ItemChange(section, "-", iid, a[iid], None) for iid in a if iid not in b]
        for iid in sorted(a.keys() & b.keys()):
            changes = _item_changes(a[iid], b[iid])
            if changes:
                out.append(ItemChange(section, "~", iid, a[iid], b[iid], tuple(changes)))
    return out


def diff_packs(old_pack: CompiledPack, new_pack: CompiledPack) -> list[str]:
    """The packs' content as written, compared section by section (ids, not positions)."""
    old, new = old_pack.data, new_pack.data
    lines: list[str] = []
    for key in ("id", "revision", "title", "policy_url"):
        if old.get(key) != new.get(key):
            lines.append(f"{key}: {old.get(key)} → {new.get(key)}")
    for change in _item_changes(old.get("company", {}), new.get("company", {})):
        lines.append(f"company: {change}")
    for c in item_changes(old, new):
        if c.op == "+":
            label = c.new.get("term") or c.new.get("title") or c.new.get("url") or ""
            lines.append(f"{c.section}: + {c.item_id} {_short(label)}".rstrip())
        elif c.op == "-":
            lines.append(f"{c.section}: - {c.item_id}")
        else:
            lines.append(f"{c.section}: ~ {c.item_id}: " + "; ".join(c.changes))
    for platform in sorted(set(old.get("platforms", {})) | set(new.get("platforms", {}))):
        for change in _item_changes(old.get("platforms", {}).get(platform, {}), new.get("platforms", {}).get(platform, {})):
            lines.append(f"platforms.{platform}: {change}")
    if old.get("personal_data_builtins") != new.get("personal_data_builtins"):
        lines.append(f"personal_data_builtins: {old.get('personal_data_builtins', 'all')} → {new.get('personal_data_builtins', 'all')}")
    return sorted(set(lines), key=lines.index)
