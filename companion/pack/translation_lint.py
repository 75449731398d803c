"""What the schema cannot say about a pack's `translations` (rules, confidential terms, replies).

A translation is keyed by language tag and gives a text in that language; the pack's own texts are in
its `language` (English unless it says). Errors point at the translation's file and line.
"""

from __future__ import annotations

from typing import Any


def check_translations(rep, data: dict[str, Any]) -> None:
    """`rep`: validate._Report (error(path, message))."""
    own = data.get("language", "en").lower()
    for section in ("rules", "confidential", "replies"):
        for i, item in enumerate(data.get(section, ())):
            path = (section, i, "translations")
            seen: dict[str, str] = {}
            for lang, texts in (item.get("translations") or {}).items():
                tag = lang.lower()
                if tag == own:
                    rep.error(path + (lang,), f"'{lang}' is the pack's own language (language: {own}): "
                                              "its texts are the item's own message, why, reason or title")
                if tag in seen:
                    rep.error(path + (lang,), f"'{lang}' and '{seen[tag]}' are the same language")
                seen[tag] = lang
                if section == "rules":
                    _suggestion_labels(rep, path + (lang,), item, texts)
                elif section == "replies":
                    _placeholder_labels(rep, path + (lang,), item, texts)


def _suggestion_labels(rep, path: tuple, rule: dict[str, Any], texts: dict[str, Any]) -> None:
    if "suggestions" not in texts:
        return
    want, got = len(rule.get("suggestions", ())), len(texts["suggestions"])
    if want != got:
        rep.error(path + ("suggestions",), f"has {got} label{'s' if got != 1 else ''}; the rule has {want} "
                                           f"suggestion{'s' if want != 1 else ''} (one label each, in their order)")


def _placeholder_labels(rep, path: tuple, reply: dict[str, Any], texts: dict[str, Any]) -> None:
    known = set(reply.get("placeholders") or {})
    for name in texts.get("placeholders") or {}:
        if name not in known:
            rep.error(path + ("placeholders", name), f"the reply has no placeholder '{name}'"
                                                     + (f" (it has: {', '.join(sorted(known))})" if known else ""))
