"""English-looking names as Bulgarians write them: "Nightjar" is "Найтджар", and typed in Latin letters
"naitdzhar"; "Juniper" is "Джунипър", "dzhunipur" (and "dzhuniper", one letter off, which the
confidential terms' typo tolerance finds).

Bulgarian staff write a company's English code names by their sound, in Cyrillic or in Latin letters
spelt the Bulgarian way. `cyrillic` gives the usual Cyrillic writings of one English word (the common
transcription: "igh" is "ай", "j" is "дж", a final "er" is "ър" or "ер", "w" is "у"), the usual
MAX_WRITINGS of them; `forms` adds their usual Latin typings (latin_bulgarian.spellings). Rules, not a
dictionary: a name said against its spelling ("Magpie", said "Магпай") is not found that way, and
needs its Bulgarian writing among the term's aliases.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from companion.engine.language.latin_bulgarian import spellings
from companion.engine.language.lemmas import in_dictionary

MIN_LETTERS = 5      # shorter names transcribe into ordinary Bulgarian words too often ("Kite": кайт)
MAX_WRITINGS = 1     # Cyrillic writings per word: the usual one (the typo tolerance finds the others)
LATIN_TYPINGS = 1    # Latin typings per Cyrillic writing: the usual one (likewise)
TYPO_REACH = 2       # edits the confidential terms' typo tolerance covers in a name of this length

# Letter groups first (longest match wins), each with its Cyrillic writings, the usual one first.
GROUPS: list[tuple[str, tuple[str, ...]]] = sorted([
    ("tion", ("шън",)), ("ture", ("чър",)), ("igh", ("ай",)), ("ough", ("оу",)), ("sch", ("ск",)),
    ("tch", ("ч",)), ("dge", ("дж",)), ("ck", ("к",)), ("ph", ("ф",)), ("th", ("т",)), ("sh", ("ш",)),
    ("ch", ("ч",)), ("wh", ("у",)), ("qu", ("кв",)), ("kn", ("н",)), ("wr", ("р",)),
    ("ee", ("и",)), ("ea", ("и",)), ("oo", ("у",)), ("ou", ("ау",)), ("ow", ("оу", "ау")), ("oa", ("оу",)),
    ("ai", ("ей",)), ("ay", ("ей",)), ("ey", ("ей", "и")), ("oy", ("ой",)), ("oi", ("ой",)), ("au", ("о",)),
    ("aw", ("о",)), ("ie", ("и",)), ("ue", ("ю",)), ("ew", ("ю",)),
    ("er", ("ър", "ер")), ("ar", ("ар",)), ("or", ("ор",)), ("ir", ("ър",)), ("ur", ("ър",)),
    ("a", ("а",)), ("b", ("б",)), ("c", ("к",)), ("d", ("д",)), ("e", ("е",)), ("f", ("ф",)), ("g", ("г",)),
    ("h", ("х",)), ("i", ("и",)), ("j", ("дж",)), ("k", ("к",)), ("l", ("л",)), ("m", ("м",)), ("n", ("н",)),
    ("o", ("о",)), ("p", ("п",)), ("r", ("р",)), ("s", ("с",)), ("t", ("т",)), ("u", ("у", "а")),
    ("v", ("в",)), ("w", ("у",)), ("x", ("кс",)), ("y", ("и",)), ("z", ("з",)),
], key=lambda g: -len(g[0]))
SOFT_C = {"e", "i", "y"}          # "c" before these is "с" (Mercer, Cedar), else "к"
LATIN_WORD = re.compile(r"[a-z]+")


def cyrillic(word: str) -> list[str]:
    """The usual Cyrillic writings of one English-looking word ([] when it is not one, or is short)."""
    word = word.lower()
    if len(word) < MIN_LETTERS or not LATIN_WORD.fullmatch(word):
        return []
    if word.endswith("e") and not word.endswith(("ee", "ie", "ue")):
        word = word[:-1]                               # silent final e: "Lighthouse" is "Лайтхаус"
    parts: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        if word[i] == "c" and word[i + 1:i + 2] in SOFT_C:
            parts.append(("с",))
            i += 1
            continue
        if word[i] == "y" and i == 0:
            parts.append(("й",))
            i += 1
            continue
        if i and word[i] == word[i - 1] and word[i] not in "aeiou":
            i += 1                                     # double consonants are written once: "Otter" is "Отър"
            continue
        for letters, writings in GROUPS:
            if word.startswith(letters, i):
                parts.append(writings)
                i += len(letters)
                break
        else:
            return []
    out = [""]
    for writings in parts:
        out = [o + w for o in out for w in writings][:MAX_WRITINGS]
    return out


def forms(word: str) -> list[str]:
    """The word's Cyrillic writings and their usual Latin typings, without any that is a word of its own
    ("Compass" written "компас" is the Bulgarian for a compass; "Roost" typed "rust" is rust) and
    without Latin typings within TYPO_REACH letters of the word, which the confidential terms' typo
    tolerance finds already ("Falcon" typed "falkon")."""
    word = word.lower()
    out: list[str] = []
    for cyr in cyrillic(word):
        out.append(cyr)
        out.extend(s for s in spellings(cyr)[:LATIN_TYPINGS] if Levenshtein.distance(s, word) > TYPO_REACH)
    return [f for f in dict.fromkeys(out) if not in_dictionary(f)]
