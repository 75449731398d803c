"""English-looking names as Bulgarians write them: "Nightjar" is "Найтджар", and typed in Latin letters
"naitdzhar"; "Juniper" is "Джунипър", "dzhunipur" (and "dzhuniper", one letter off, which the
confidential terms' typo tolerance finds).

Bulgarian staff write a company's English code names by their sound, in Cyrillic or in Latin letters
spelt the Bulgarian way. `cyrillic` gives the usual Cyrillic writing of one English word (the common
transcription: "igh" is "ай", "j" is "дж", a final "er" is "ър", "w" is "у"), and where a "u" closes its
syllable or a silent final "e" lengthens a vowel, also the writing by its sound ("Уиндръш", "Тъндър",
"Примроуз"); `forms` adds their two usual Latin typings (latin_bulgarian.spellings: "uindrush",
"uindrash"). The confidential terms' typo tolerance finds the writings a letter away ("Джунипер").
Rules, not a dictionary: a name said against its spelling ("Magpie", said "Магпай") is not found that
way, and needs its Bulgarian writing among the term's aliases.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from companion.engine.language.latin_bulgarian import spellings
from companion.engine.language.lemmas import in_dictionary

MIN_LETTERS = 5      # shorter names transcribe into ordinary Bulgarian words too often ("Kite": кайт)
TYPO_REACH = 1       # edits the confidential terms' typo tolerance covers (termindex.py: distance 1)
TYPINGS = 2          # Latin typings kept per writing: "ъ" is typed "u" or "a" about equally

# Letter groups, longest first (the longest match wins), each with its usual Cyrillic writing.
GROUPS: list[tuple[str, str]] = sorted([
    ("tion", "шън"), ("ture", "чър"), ("igh", "ай"), ("ough", "оу"), ("sch", "ск"),
    ("tch", "ч"), ("dge", "дж"), ("ck", "к"), ("ph", "ф"), ("th", "т"), ("sh", "ш"),
    ("ch", "ч"), ("wh", "у"), ("qu", "кв"), ("kn", "н"), ("wr", "р"),
    ("ee", "и"), ("ea", "и"), ("oo", "у"), ("ou", "ау"), ("ow", "оу"), ("oa", "оу"),
    ("ai", "ей"), ("ay", "ей"), ("ey", "ей"), ("oy", "ой"), ("oi", "ой"), ("au", "о"),
    ("aw", "о"), ("ie", "и"), ("ue", "ю"), ("ew", "ю"),
    ("er", "ър"), ("ar", "ар"), ("or", "ор"), ("ir", "ър"), ("ur", "ър"),
    ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"),
    ("h", "х"), ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
    ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
    ("v", "в"), ("w", "у"), ("x", "кс"), ("y", "и"), ("z", "з"),
], key=lambda g: -len(g[0]))
SOFT_C = {"e", "i", "y"}          # "c" before these is "с" (Mercer, Cedar), else "к"
LATIN_WORD = re.compile(r"[a-z]+")
# a "u" before two consonants or a final one is said "ъ" ("rush", "sun", "thunder"), not after "b", "p" or
# "f" where it is often "у" ("bush", "pull") or in a vowel group ("round"); the spelling's "у" is kept too
CLOSED_U = re.compile(r"(?<![bpfaeioq])u(?=[bcdfgklmnprstvz](?:[bcdfghklmnprstvz]|$))")
# a vowel, one consonant and a silent final "e" say the vowel's name: "Primrose" is "Примроуз", "Cascade"
# "Каскейд" ("s" there is said "з")
MAGIC_E = re.compile(r"(?<![aeiou])([aiou])([bcdfgklmnprstvz])e$")
LONG = {"a": "ей", "i": "ай", "o": "оу", "u": "ю"}


def cyrillic(word: str) -> list[str]:
    """The usual Cyrillic writings of one English-looking word: by its spelling, and by its sound where a
    closed "u" is said "ъ" or a silent final "e" lengthens a vowel ([] when it is not one, or is short)."""
    word = word.lower()
    if len(word) < MIN_LETTERS or not LATIN_WORD.fullmatch(word):
        return []
    spelt = _spelt(word)
    if not spelt:
        return []
    sound = CLOSED_U.sub("ъ", word)
    sound = MAGIC_E.sub(lambda m: LONG[m[1]] + ("з" if m[2] == "s" else m[2]), sound)
    return list(dict.fromkeys(spelt + _spelt(sound)))


def _spelt(word: str) -> list[str]:
    """The word written letter group by letter group (Cyrillic letters already in it are kept)."""
    if word.endswith("e") and not word.endswith(("ee", "ie", "ue")):
        word = word[:-1]                               # a silent final e is not written: "Marine" is "Марин"
    out = ""
    i = 0
    while i < len(word):
        if word[i] == "c" and word[i + 1:i + 2] in SOFT_C:
            out, i = out + "с", i + 1
        elif word[i] == "y" and i == 0:
            out, i = out + "й", i + 1
        elif i and word[i] == word[i - 1] and word[i] not in "aeiou":
            i += 1                                     # double consonants are written once: "Otter" is "Отър"
        elif "а" <= word[i] <= "я":
            out, i = out + word[i], i + 1
        else:
            letters, writing = next((g for g in GROUPS if word.startswith(g[0], i)), ("", ""))
            if not letters:
                return []
            out, i = out + writing, i + len(letters)
    return [out]


def forms(word: str, words_too: bool = False) -> list[str]:
    """The word's Cyrillic writings and their usual Latin typings, without any that is a word of its own
    ("Compass" written "компас" is the Bulgarian for a compass; "Roost" typed "rust" is rust) unless
    `words_too` (a name gated by context words, which tell the word from the name), and without Latin
    typings within TYPO_REACH letters of the word, which the confidential terms' typo tolerance finds
    already ("Falcon" typed "falkon")."""
    word = word.lower()
    out: list[str] = []
    for cyr in cyrillic(word):
        out.append(cyr)
        out.extend(s for s in spellings(cyr)[:TYPINGS] if Levenshtein.distance(s, word) > TYPO_REACH)
    return [f for f in dict.fromkeys(out) if words_too or not in_dictionary(f)]
