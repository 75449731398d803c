"""The shipped topic thesaurus (policy_packs/base/topic-words.yaml), loaded once.

Groups of words that name the same customer topic in English and Bulgarian; a referral whose topics
hold a word of a group is also suggested for the group's other words (language/latin_bulgarian.py
adds their Latin-typed spellings). Also the stop-words dropped from a referral's title and
description before their words are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from companion.engine.language.lemmas import base_form
from companion.engine.normalize import normalize

TOPIC_WORDS_PATH = Path(__file__).resolve().parent.parent / "data" / "topic-words.yaml"


def topic_key(phrase: str) -> tuple[str, ...]:
    """A phrase by its words' dictionary forms: "Refunds" and "refund" are one topic."""
    return tuple(base_form(t.text) for t in normalize(phrase).tokens)


@dataclass(frozen=True)
class TopicWords:
    groups: dict[str, tuple[str, ...]]            # group name → its words and phrases
    stop_words: frozenset[str]                    # normalized words, either language
    _by_key: dict[tuple[str, ...], tuple[str, ...]]   # a word's key → the groups it is in

    def groups_of(self, phrase: str) -> tuple[str, ...]:
        return self._by_key.get(topic_key(phrase), ())


def parse(data: object, source: str) -> TopicWords:
    """Check the file's shape and build the lookups; a ValueError names what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise ValueError(f"{source}: expected a mapping with `groups` (name: [words])")
    groups: dict[str, tuple[str, ...]] = {}
    by_key: dict[tuple[str, ...], list[str]] = {}
    for name, words in data["groups"].items():
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise ValueError(f"{source}: group {name!r} must be a non-empty list of words")
        groups[str(name)] = tuple(words)
        for w in words:
            key = topic_key(w)
            if not key:
                raise ValueError(f"{source}: group {name!r}: {w!r} has no words")
            if name not in by_key.setdefault(key, []):
                by_key[key].append(str(name))
    stops = data.get("stop_words", [])
    if not isinstance(stops, list) or not all(isinstance(w, str) for w in stops):
        raise ValueError(f"{source}: `stop_words` must be a list of words")
    stop_words = frozenset(t.text for w in stops for t in normalize(w).tokens)
    return TopicWords(groups, stop_words, {k: tuple(v) for k, v in by_key.items()})


@lru_cache(maxsize=1)
def topic_words() -> TopicWords:
    with open(TOPIC_WORDS_PATH, encoding="utf-8") as fh:
        return parse(yaml.safe_load(fh), TOPIC_WORDS_PATH.name)
