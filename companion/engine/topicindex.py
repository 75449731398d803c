"""Find topic words and phrases in a text in any word form, Cyrillic ones also typed in Latin letters.

Used for the words a referral gets beyond its own topics (the topic thesaurus, its title and
description) and for its own Cyrillic topics typed in Latin letters. Every word of every phrase is
indexed by the forms it matches, so a text is read once: per token, its word forms, its Latin-typed
stems and the first letters of a long Cyrillic word are looked up (a fixed number of dictionary
lookups), and only phrases whose first word matched are tried. Linear in the text's length.
"""

from __future__ import annotations

from typing import Any

from companion.engine.language import latin_bulgarian, lemmas
from companion.engine.normalize import Normalized, normalize

MAX_GAP = 1            # a phrase's words may have one word between them ("върнете ми парите")
MAX_HITS = 1000        # per text: a text that repeats a word thousands of times says no more
STEM_KEY = 5
MIN_SHARED_STEM = 8    # a long Cyrillic word (less its last five letters) also matches words sharing that stem
                       # (възстановяване: възстановим); "възстан" would also be "възстание" (an uprising)


class TopicIndex:
    def __init__(self):
        self._word_ids: dict[str, int] = {}
        self._by_form: dict[str, set[int]] = {}             # a word form → the words it is a form of
        self._by_stem: dict[str, list[tuple[str, int]]] = {}   # long Cyrillic words: first letters → (stem, word)
        self._latin_noun: dict[str, set[int]] = {}          # Latin spellings of Cyrillic words and their lemmas
        self._latin_verb: dict[str, set[int]] = {}          # Latin spellings of Cyrillic verbs' stems
        self._phrases: dict[int, list[tuple[tuple[int, ...], Any]]] = {}   # first word → (words, payload)
        self.size = 0

    def __bool__(self) -> bool:
        return self.size > 0

    def add(self, phrase: str, payload: Any) -> bool:
        """Index a phrase; False when it has no words."""
        words = tuple(self._word(t.text) for t in normalize(phrase).tokens)
        if not words:
            return False
        self._phrases.setdefault(words[0], []).append((words, payload))
        self.size += 1
        return True

    def _word(self, text: str) -> int:
        wid = self._word_ids.get(text)
        if wid is not None:
            return wid
        wid = self._word_ids[text] = len(self._word_ids)
        lemma = lemmas.base_form(text)
        for form in {text, lemma}:
            self._by_form.setdefault(form, set()).add(wid)
        if latin_bulgarian.is_cyrillic_word(text):
            if len(text) - 5 >= MIN_SHARED_STEM:
                stem = text[:len(text) - 5]
                self._by_stem.setdefault(stem[:STEM_KEY], []).append((stem, wid))
            for base in {text, lemma}:
                for s in latin_bulgarian.spellings(base):
                    self._latin_noun.setdefault(s, set()).add(wid)
            verb = latin_bulgarian.verb_stem(text, lemma)
            if verb and len(verb) >= latin_bulgarian.MIN_STEM:
                for s in latin_bulgarian.spellings(verb):
                    self._latin_verb.setdefault(s, set()).add(wid)
        return wid

    def find(self, norm: Normalized) -> list[tuple[int, int, Any]]:
        """(first token, last token, payload) of every phrase found, at most MAX_HITS."""
        if not self.size:
            return []
        toks = norm.tokens
        forms = norm.analyses.get("forms")            # shared with the language view of the same text
        if forms is None:
            forms = norm.analyses["forms"] = [lemmas.forms(t.text) for t in toks]
        memo: dict[str, set[int]] = {}     # by word: a word's topic words are the same wherever it stands

        def words_at(i: int) -> set[int]:
            text = toks[i].text
            found = memo.get(text)
            if found is None:
                found = memo[text] = self._words_of(text, forms[i])
            return found

        hits: list[tuple[int, int, Any]] = []
        for i in range(len(toks)):
            # in the order the words were added (a set's order depends on how it was built: a pack read
            # back from the cache would otherwise name another source for the same words)
            for wid in sorted(words_at(i)):
                for words, payload in self._phrases.get(wid, ()):
                    last = self._rest(words, i, len(toks), words_at)
                    if last is not None:
                        hits.append((i, last, payload))
                        if len(hits) >= MAX_HITS:
                            return hits
        return hits

    @staticmethod
    def _rest(words: tuple[int, ...], i: int, n: int, words_at) -> int | None:
        """The last token of `words` matched from token i on (at most MAX_GAP words between two), or None."""
        at = i
        for wid in words[1:]:
            for step in range(1, MAX_GAP + 2):
                if at + step < n and wid in words_at(at + step):
                    at += step
                    break
            else:
                return None
        return at

    def _words_of(self, text: str, forms: frozenset[str]) -> set[int]:
        out: set[int] = set()
        for f in forms:
            found = self._by_form.get(f)
            if found:
                out |= found
        if self._by_stem and latin_bulgarian.is_cyrillic_word(text):
            for stem, wid in self._by_stem.get(text[:STEM_KEY], ()):
                if text.startswith(stem):
                    out.add(wid)
        if (self._latin_noun or self._latin_verb) and text.isascii() and text.isalpha():
            typed: set[int] = set()
            for stem, verb in latin_bulgarian.splits(text):
                found = (self._latin_verb if verb else self._latin_noun).get(stem)
                if found:
                    typed |= found
            if typed and not lemmas.in_dictionary(text):     # "tech" is English, not теч typed in Latin
                out |= typed
        return out
