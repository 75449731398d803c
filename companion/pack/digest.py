"""What changed for the people who post: a new pack revision's digest, from `pack diff`'s item changes.

A new or changed confidential term is told by its reason, never its name (the digest is shown to
every employee, and the name is what must not spread); rules by their message and why; new canned
replies by title, new or changed links by title and URL, escalation rows by title and owner. The
company's section, platforms and detector switches are left to `pack diff`: they change findings,
not what an employee needs to learn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from companion.pack.diff import item_changes

if TYPE_CHECKING:
    from companion.pack.compiled import CompiledPack

VERB = {"+": "added", "-": "removed", "~": "changed"}


def _entry(section: str, op: str, item: dict[str, Any]) -> dict[str, Any] | None:
    verb = VERB[op]
    if section == "confidential":
        return {"change": verb, "reason": item.get("reason", "")}
    if section == "rules":
        return {"change": verb, "rule": item["id"], "message": item.get("message", ""),
                **({"why": item["why"]} if op != "-" and item.get("why") else {})}
    if section == "replies":
        return {"change": verb, "id": item["id"], "title": item.get("title", item["id"])}
    if section == "referrals":
        return {"change": verb, "title": item.get("title", item["id"]), **({"url": item["url"]} if op != "-" else {})}
    if section == "escalation_matrix":
        return {"change": verb, "title": item.get("title", item["topic"]), "owner": item.get("owner", "")}
    return None


def pack_digest(old: CompiledPack, new: CompiledPack) -> dict[str, Any]:
    """{terms, rules, replies, links, escalation, policy_url?}: each a list of what was added, changed or removed."""
    groups = {"confidential": "terms", "rules": "rules", "replies": "replies", "referrals": "links",
              "escalation_matrix": "escalation"}
    digest: dict[str, Any] = {name: [] for name in groups.values()}
    for c in item_changes(old.data, new.data):
        entry = _entry(c.section, c.op, c.new if c.op != "-" else c.old)
        if entry is not None:
            digest[groups[c.section]].append(entry)
    if old.policy_url != new.policy_url and new.policy_url:
        digest["policy_url"] = new.policy_url
    return digest
