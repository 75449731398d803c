"""Word forms: every token gets the set of base forms it could be a form of, in English or Bulgarian.

A rule word written in its base form ("refund", "close", "отварям") matches any token whose set holds
it: refunded, refunding, closing, closed; отваряме, склада → склад. The set is the token itself,
simplemma's lemma (a dictionary with bundled data for both languages, no download at run time), a
short table of English irregular forms simplemma gets wrong, and plain suffix stripping for forms its
dictionary lacks (travelling → travel, кода → код). Over-generating is harmless: a stem that is not a
rule word matches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.utils import normalize_token

from companion.engine.language import worddata

# simplemma leaves these unchanged or maps them to something else ("left" stays "left").
IRREGULAR = {
    "left": "leave", "went": "go", "gone": "go", "sent": "send", "paid": "pay", "gave": "give", "given": "give",
    "made": "make", "kept": "keep", "took": "take", "taken": "take", "told": "tell", "said": "say", "spoke": "speak",
    "spoken": "speak", "held": "hold", "fought": "fight", "brought": "bring", "bought": "buy", "thought": "think",
    "caught": "catch", "found": "find", "lost": "lose", "met": "meet", "ran": "run", "sat": "sit", "stood": "stand",
    "wrote": "write", "written": "write", "broke": "break", "broken": "break", "stole": "steal", "stolen": "steal",
    "drove": "drive", "driven": "drive", "rode": "ride", "forgot": "forget", "forgotten": "forget", "got": "get",
    "gotten": "get", "was": "be", "were": "be", "been": "be", "is": "be", "are": "be", "am": "be", "did": "do",
    "done": "do", "does": "do", "had": "have", "has": "have", "hid": "hide", "hidden": "hide", "shot": "shoot",
    "hung": "hang", "swore": "swear", "sworn": "swear", "threw": "throw", "thrown": "throw", "knew": "know",
    "known": "know", "saw": "see", "seen": "see", "felt": "feel", "slept": "sleep", "woke": "wake", "woken": "wake",
    "led": "lead", "dealt": "deal", "meant": "mean", "sued": "sue", "suing": "sue", "lied": "lie", "dying": "die",
    "burnt": "burn", "spent": "spend", "built": "build", "understood": "understand", "chose": "choose",
    "chosen": "choose", "fell": "fall", "fallen": "fall", "froze": "freeze", "frozen": "freeze",
    # contraction pieces left by the tokenizer ("we'll" → we + ll)
    "ll": "will", "ve": "have", "re": "be", "m": "be", "d": "would", "won": "will", "wo": "will",
    "don": "do", "didn": "do", "doesn": "do", "isn": "be", "aren": "be", "wasn": "be", "weren": "be",
    "couldn": "could", "shouldn": "should", "wouldn": "would", "haven": "have", "hasn": "have", "ca": "can",
}

VOWELS = set("aeiouy")
BG_SUFFIXES = ("овете", "ите", "ове", "ът", "ят", "та", "то", "те", "а", "я", "и")


def _english_stems(word: str) -> list[str]:
    out = []
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            out += [stem, stem + "e"]
            if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:   # stopped, travelling
                out.append(stem[:-1])
            if suffix == "ed" and stem.endswith("i"):                                  # replied
                out.append(stem[:-1] + "y")
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    elif word.endswith("es") and len(word) > 4:
        out += [word[:-2], word[:-1]]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        out.append(word[:-1])
    return out


def _bulgarian_stems(word: str) -> list[str]:
    return [word[: -len(s)] for s in BG_SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3]


def is_cyrillic(word: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in word)


@lru_cache(maxsize=65536)
def forms(word: str) -> frozenset[str]:
    """Everything `word` (a normalized, lower-case token) could be a form of, itself included."""
    if not word.isalpha():
        return frozenset((word,))
    if is_cyrillic(word):
        return frozenset((word, _lemma(word), *_bulgarian_stems(word)))
    return frozenset((word, IRREGULAR.get(word, word), _lemma(word), *_english_stems(word)))


def with_article(noun: str) -> list[str]:
    """A Bulgarian noun in the dictionary form with its definite article, as a sentence writes it
    ("таблица": таблицата; "договор": договора, договорът; "приложение": приложението). Gender is
    not known, so a consonant takes both masculine endings of either kind (-а/-ът, -я/-ят)."""
    if not (noun.isalpha() and is_cyrillic(noun)):
        return []
    last = noun[-1].lower()
    if last in "ая":
        return [noun + "та"]
    if last in "оеую":
        return [noun + "то"]
    if last == "и":
        return [noun + "те", noun + "то"]
    if last == "й":
        return [noun[:-1] + "я", noun[:-1] + "ят"]
    return [noun + "а", noun + "ът", noun + "я", noun + "ят"]


@lru_cache(maxsize=16384)
def base_form(word: str) -> str:
    """The form a rule word is matched by: its lemma ("refunds" in a rule still means refund)."""
    if not word.isalpha():
        return word
    if is_cyrillic(word):
        return _lemma(word)
    return IRREGULAR.get(word) or _lemma(word)


class _Dictionaries:
    """simplemma's dictionaries, read through worddata.py (decoded once per environment, not per process)."""

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        return worddata.dictionary(lang)


# simplemma.lemmatize and simplemma.is_known as they are, over the same dictionaries
_DICTIONARIES = _Dictionaries()
_LEMMATIZER = Lemmatizer(cache_max_size=0, lemmatization_strategy=DefaultStrategy(dictionary_factory=_DICTIONARIES))
_LOOKUP = DictionaryLookupStrategy(_DICTIONARIES)


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    """simplemma's lemma of an alphabetic word, lower case, in Bulgarian (Cyrillic) or English: asked
    once per word for both `forms` (the rules' view) and `base_form` (the text model's)."""
    return _LEMMATIZER.lemmatize(word, "bg" if is_cyrillic(word) else "en").lower()


def in_dictionary(word: str) -> bool:
    """Is this a word of English or Bulgarian (simplemma's bundled dictionaries)?"""
    return _LOOKUP.get_lemma(normalize_token(word), "bg" if is_cyrillic(word) else "en") is not None
