"""Texts in the reader's language: the pack's `translations` of its own texts.

A request names a language (the browser's UI language: "bg", "bg-BG"); a pack text's translations
are keyed by language tag. The exact tag wins, then its primary language, then the text as the pack
wrote it (in the pack's `language`, English unless it says).
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

T = TypeVar("T")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}", re.ASCII)


def candidates(lang: str | None) -> tuple[str, ...]:
    """The keys to look for, best first: "bg-BG" -> ("bg-bg", "bg")."""
    if not lang:
        return ()
    tag = lang.lower().replace("_", "-")
    primary = tag.split("-")[0]
    return (tag,) if primary == tag else (tag, primary)


def pick(translations: dict[str, T] | None, lang: str | None) -> T | None:
    """The translation for `lang` (keys lower case), or None: the pack's own words then."""
    if not translations:
        return None
    return next((translations[c] for c in candidates(lang) if c in translations), None)


def translations_of(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A pack item's `translations`, keyed by lower-case language tag."""
    return {lang.lower().replace("_", "-"): texts for lang, texts in (raw.get("translations") or {}).items()}
