"""Bulgarian typed in Latin letters: the spellings people use for a Cyrillic word, and its endings.

Bulgarians often write Bulgarian in Latin letters ("vurnete parite", "depozita", "maistor"), each in
their own way: ъ as u, a or y; я as ya, q or ia; ц as ts or c; ж as zh or j. `spellings` gives every
usual Latin spelling of a Cyrillic word (a few dozen at most), so a Cyrillic topic can be looked up
from a Latin-typed word; `ENDINGS` are the usual Bulgarian endings in Latin letters (депозит-а,
върн-ете), which a Latin-typed word may add to one of those spellings.
"""

from __future__ import annotations

from itertools import product

# The usual spellings first: the first spelling of a word uses the first choice for every letter.
LETTERS: dict[str, tuple[str, ...]] = {
    "а": ("a",), "б": ("b",), "в": ("v", "w"), "г": ("g",), "д": ("d",), "е": ("e",), "ж": ("zh", "j"),
    "з": ("z",), "и": ("i",), "й": ("i", "y", "j"), "к": ("k",), "л": ("l",), "м": ("m",), "н": ("n",),
    "о": ("o",), "п": ("p",), "р": ("r",), "с": ("s",), "т": ("t",), "у": ("u",), "ф": ("f",),
    "х": ("h", "x"), "ц": ("ts", "c"), "ч": ("ch",), "ш": ("sh",), "щ": ("sht",), "ъ": ("u", "a", "y"),
    "ь": ("", "y"), "ю": ("yu", "iu", "ju"), "я": ("ya", "q", "ia", "ja"), "ѝ": ("i",),
}
AFTER_I = {"я": ("a",), "ю": ("u",)}     # "информация" is often typed "informatsia", "ия" as "ia"
MAX_SPELLINGS = 48       # a word with many ambiguous letters keeps its most usual spellings
MAX_AMBIGUOUS = 5        # ... and past its fifth ambiguous letter only the usual spelling
USUAL = 3                # a name's usual spellings: a fuzzy match takes one letter more or less

# Endings as typed, after a word as written or its dictionary form (депозит-а, такса-та, счупен-а) and
# after a verb's stem (върн-ете, закъсняв-а, изгуб-их). A noun's stem less its last vowel is not used:
# "raboti" is "they work", not "jobs".
NOUN_ENDINGS = frozenset({
    "", "a", "ya", "q", "ia", "i", "o", "e", "ta", "to", "te", "ut", "at", "yt", "yat", "qt", "iat",
    "ite", "ove", "ovete", "ata",
})
VERB_ENDINGS = frozenset({
    "a", "ya", "q", "ia", "e", "esh", "em", "ete", "at", "ut", "yat", "qt", "iat", "i", "ish", "im", "ite",
    "ah", "ahme", "ahte", "aha", "ih", "ihme", "ihte", "iha", "al", "ala", "alo", "ali", "il", "ila", "ilo", "ili",
    "ane", "ene", "en", "ena", "eno", "eni", "am", "yam", "qm", "ash", "ate", "ame",
})
ENDING_LENGTHS = sorted({len(e) for e in NOUN_ENDINGS | VERB_ENDINGS})
MIN_STEM = 3     # a spelling plus an ending must leave at least this many letters before the ending


def is_cyrillic_word(word: str) -> bool:
    return bool(word) and all("\u0400" <= c <= "\u04ff" for c in word)


def spellings(word: str) -> list[str]:
    """The Latin spellings of a lower-case Cyrillic word, the usual one first; [] for other words."""
    if not is_cyrillic_word(word):
        return []
    choices = []
    for i, c in enumerate(word):
        options = LETTERS.get(c)
        if options is None:
            return []
        if i and word[i - 1] == "и" and c in AFTER_I:
            options = options + AFTER_I[c]
        choices.append(options)
    ambiguous = [k for k, options in enumerate(choices) if len(options) > 1]
    for k in ambiguous[MAX_AMBIGUOUS:]:            # a long word: its usual spelling past the first few
        choices[k] = choices[k][:1]
    # the fewest unusual letters first: "vurnete" before "wyrnete"
    picks = sorted(product(*(range(len(options)) for options in choices)), key=lambda p: (sum(x > 0 for x in p), p))
    return list(dict.fromkeys("".join(choices[k][x] for k, x in enumerate(p)) for p in picks[:MAX_SPELLINGS]))


def usual_spellings(names: list[str]) -> list[str]:
    """The usual Latin spellings of the one-word Cyrillic names among `names` ("Трейдуинд": treiduind,
    treyduind, trejduind), as Bulgarian staff type a name on a phone."""
    return [s for name in names if " " not in name.strip() for s in spellings(name.strip().lower())[:USUAL]]


def verb_stem(word: str, lemma: str) -> str | None:
    """The stem a Bulgarian verb's forms share, when `word` is one (върнете, върна → върн;
    закъснявам → закъсняв); None for a word written in its dictionary form that is not a verb's."""
    if word.endswith(("ам", "ям")) and len(word) > 4:
        return word[:-2]
    if lemma != word and lemma.endswith(("а", "я", "ам", "ям")):
        return lemma[:-2] if lemma.endswith(("ам", "ям")) else lemma[:-1]
    return None


def splits(token: str):
    """(stem, is_verb_ending) for each way a Latin-typed token can be a stem plus an ending."""
    for n in ENDING_LENGTHS:
        if n and len(token) - n < MIN_STEM:
            break
        stem, ending = (token[:-n], token[-n:]) if n else (token, "")
        if ending in NOUN_ENDINGS:
            yield stem, False
        if ending in VERB_ENDINGS:
            yield stem, True
