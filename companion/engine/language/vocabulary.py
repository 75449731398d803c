"""The words rules are written with: named classes of phrases, and the cues that cancel a statement.

Classes come from the base policy (`classes:`: workplace, alone, speaker, ...), from the company's own
pack (which may add entries to a class or define new ones), and from the company's slots: <company>
is its name and aliases, <product> its public products, <handle> its handles. An empty slot is a
class with no entries, which matches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from companion.engine.language import timeclasses
from companion.engine.language.anchors import Needs, class_needs
from companion.engine.language.latin_bulgarian import is_cyrillic_word, spellings
from companion.engine.language.lemmas import in_dictionary
from companion.engine.language.tokenpattern import TokenPatterns
from companion.engine.normalize import normalize

CUE_KINDS = ("negation", "hedge", "hypothetical", "reported")
SLOT_CLASSES = ("company", "product", "handle")


def _exact(phrase: str) -> str | None:
    """A name as a pattern of exact words ("Harbour & Vale Bank" -> =harbour =vale =bank)."""
    words = [t.text for t in normalize(phrase).tokens]
    return " ".join("=" + w for w in words) if words else None


SYNTAX = set("|<>?_")


def _merged(phrases: list[str]) -> list[str]:
    """A class's one-word entries as one choice (one index lookup per check instead of one per word),
    its phrases and patterns as they are."""
    singles: dict[str, None] = {}
    exact: dict[str, None] = {}
    rest: dict[str, None] = {}
    for p in phrases:
        word = p[1:] if p.startswith("=") else p
        if not SYNTAX & set(word) and not word.startswith("..") and len(normalize(word).tokens) == 1 and " " not in word:
            (exact if p.startswith("=") else singles)[word] = None
        else:
            rest[p] = None
    out = list(rest)
    if singles:
        out.insert(0, "|".join(singles))
    if exact:
        out.insert(0, "=" + "|".join(exact))
    return out


LATIN_TYPED_MIN = 4     # shorter Cyrillic words typed in Latin letters are too often English words or names


def _latin_typed(phrases: list[str]) -> list[str]:
    """A class's one-word Cyrillic entries as Bulgarians type them in Latin letters ("касата": kasata),
    the two usual typings, leaving out any that is an English word ("тук": tuk is fine, "пари": pari)."""
    out = []
    for p in phrases:
        word = p[1:] if p.startswith("=") else p
        if len(word) >= LATIN_TYPED_MIN and is_cyrillic_word(word):
            out += [("=" if p.startswith("=") else "") + s for s in spellings(word)[:2] if not in_dictionary(s)]
    return out


@lru_cache(maxsize=1024)
def _class_patterns(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """A class's patterns, worked out once per process: every pack repeats the base policy's classes."""
    return tuple(_merged([*phrases, *_latin_typed(list(phrases))]))


def _cue(phrase: str) -> str:
    """Cues match as written: "dont" must not become a form of "do", nor "no one" of "one"."""
    return " ".join("=" + w for w in phrase.split())


def slot_entries(company: dict[str, Any]) -> dict[str, list[str]]:
    names = [company.get("name", ""), *company.get("aliases", ())]
    handles = [h for hs in (company.get("handles") or {}).values() for h in hs]
    out: dict[str, list[str]] = {}
    for slot, phrases in (("company", names + handles), ("product", list(company.get("products", ()))),
                          ("handle", handles)):
        entries = []
        for p in phrases:
            exact = _exact(p)
            if exact:
                entries.append(exact)
            joined = "".join(t.text for t in normalize(p).tokens)
            if exact and " " in exact and joined:
                entries.append("=" + joined)          # #HarbourVale, harbourvale.com
        out[slot] = list(dict.fromkeys(entries))
    return out


@dataclass
class Vocabulary:
    classes: dict[str, TokenPatterns] = field(default_factory=dict)
    cues: dict[str, TokenPatterns] = field(default_factory=dict)
    pseudo_cues: TokenPatterns | None = None
    needs: dict[str, Needs] = field(default_factory=dict)   # what a text holds where each class occurs (language/anchors.py)

    @property
    def class_names(self) -> set[str]:
        return set(self.classes) | set(timeclasses.PATTERNS)

    @classmethod
    def build(cls, base: dict[str, Any] | None, pack: dict[str, Any]) -> "Vocabulary":
        """Classes and cues from the base policy, the pack's own `classes`, and the company's slots."""
        base = base or {}
        entries: dict[str, list[str]] = {}
        for source in (base.get("classes") or {}, pack.get("classes") or {}):
            for name, phrases in source.items():
                entries.setdefault(name, []).extend(phrases)
        for name, phrases in slot_entries(pack.get("company") or {}).items():
            entries.setdefault(name, []).extend(phrases)
        names = set(entries) | set(timeclasses.PATTERNS)
        vocab = cls()
        for name, phrases in entries.items():
            vocab.classes[name] = TokenPatterns(((p, name) for p in _class_patterns(tuple(phrases))), names)
        cues = base.get("cues") or {}
        for kind in CUE_KINDS:
            vocab.cues[kind] = TokenPatterns(((_cue(p), kind) for p in cues.get(kind, ())), names)
        vocab.pseudo_cues = TokenPatterns(((_cue(p), "pseudo") for p in cues.get("pseudo", ())), names)
        vocab.needs = class_needs(vocab)
        for patterns in (*vocab.classes.values(), *vocab.cues.values(), vocab.pseudo_cues):
            patterns.index_for(vocab)     # now, not at the first check (TokenPatterns.index_for)
        return vocab
