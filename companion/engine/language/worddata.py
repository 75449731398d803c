"""The bundled word data a process reads, decoded once per Python environment.

simplemma ships its English and Bulgarian dictionaries compressed and front-coded: decoding them took
about a second in every process that reads a word (each companion start, each `postguard` command
that compiles a pack), and wordfreq's English word list half a second more. The decoded data is kept
in one file beside the libraries it comes from (under sys.prefix, named by their versions and the
Python's), written by the first process that needs it, and read by the others in a fraction of that.
Where that folder cannot be written (a system-wide install, a frozen build) each process decodes the
data itself, as before: the same words, a slower start.
"""

from __future__ import annotations

import marshal
import os
import sys
import tempfile
from collections.abc import Mapping
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

LANGUAGES = ("en", "bg")
TOP_ENGLISH = 50_000        # the most frequent English words kept (lexicon.py: ordinary words)
FORMAT = 2                  # bump when what the file holds changes


SEP = "\x00"                # the words of a list, joined: one string loads many times faster than many


@lru_cache(maxsize=None)
def dictionary(lang: str) -> Mapping[str, str]:
    """simplemma's dictionary for `lang` (one of LANGUAGES): word form → lemma."""
    forms, lemmas = _data()["dictionaries"][lang]
    return dict(zip(forms.split(SEP), lemmas.split(SEP)))


def top_english() -> list[str]:
    """wordfreq's TOP_ENGLISH most frequent English words, most frequent first."""
    return _data()["top english"].split(SEP)


def cache_file() -> Path:
    tag = f"{sys.implementation.cache_tag}-simplemma{version('simplemma')}-wordfreq{version('wordfreq')}-f{FORMAT}"
    return Path(sys.prefix) / "share" / "postguard" / f"word-data-{tag}.marshal"


@lru_cache(maxsize=1)
def _data() -> dict:
    path = cache_file()
    try:
        with open(path, "rb") as fh:
            data = marshal.load(fh)
        if isinstance(data, dict) and data.get("file") == path.name:
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass            # missing or damaged: decoded again below, and rewritten
    data = decode()
    data["file"] = path.name
    if not getattr(sys, "frozen", False):      # a frozen build's prefix is a folder unpacked per start
        _write(path, data)
    return data


def decode() -> dict:
    """The data as the libraries give it (the slow path)."""
    import wordfreq
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory(cache_max_size=0)
    dictionaries = {lang: dict(factory.get_dictionary(lang).items()) for lang in LANGUAGES}
    return {"dictionaries": {lang: (_joined(d.keys()), _joined(d.values())) for lang, d in dictionaries.items()},
            "top english": _joined(wordfreq.top_n_list("en", TOP_ENGLISH))}


def _joined(words) -> str:
    words = list(words)
    if any(SEP in w for w in words):
        raise ValueError("a word holds the separator")      # not in these libraries' data
    return SEP.join(words)


def _write(path: Path, data: dict) -> None:
    """Best effort and whole: a temporary file renamed into place, so a reader never sees half of one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".word-data-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(data, fh)
        os.chmod(tmp, 0o644)        # readable by a companion running as another user
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
