"""The bundled word data a process reads, decoded once per Python environment, at install.

simplemma ships its English and Bulgarian dictionaries compressed and front-coded: decoding them took
about a second in every process that reads a word (each companion start, each `postguard` command
that compiles a pack), and wordfreq's English word list half a second more. Installing writes the
decoded data to one file beside the libraries it comes from (under sys.prefix, named by their versions
and the Python's): `python -m companion.engine.language.worddata`, which scripts/run, scripts/test,
scripts/install-service and scripts/build-deb run. Processes only read it, in a fraction of the time:
a running companion never writes into its installation (a package manager owns that folder). Without
the file, or with one of other versions, each process decodes the data itself, as before: the same
words, a slower start.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Mapping
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from companion.atomicfile import write_atomically

LANGUAGES = ("en", "bg")
TOP_ENGLISH = 50_000        # the most frequent English words kept (lexicon.py: ordinary words)
FORMAT = 3                  # bump when what the file holds changes
SEP = "\x00"                # the words of a list, joined: a string and a split load in half the time of a dict


def dictionary(lang: str) -> Mapping[str, str]:
    """simplemma's dictionary for `lang` (one of LANGUAGES): word form → lemma."""
    return _words()["dictionaries"][lang]


def top_english() -> list[str]:
    """wordfreq's TOP_ENGLISH most frequent English words, most frequent first."""
    return _words()["top english"]


NAME = "word-data-{tag}.marshal"     # one file per Python, library versions and format


def cache_file() -> Path:
    tag = f"{sys.implementation.cache_tag}-simplemma{version('simplemma')}-wordfreq{version('wordfreq')}-f{FORMAT}"
    return Path(sys.prefix) / "share" / "postguard" / NAME.format(tag=tag)


@lru_cache(maxsize=1)
def _words() -> dict:
    """The dictionaries and the word list: the forms and the word list split out of the file's joined
    strings, which are then let go (16 MB a process would otherwise keep), the lemmas as stored (shared)."""
    data = _read(cache_file()) or decode()
    return {"dictionaries": {lang: dict(zip(forms.split(SEP), lemmas)) for lang, (forms, lemmas) in data["dictionaries"].items()},
            "top english": data["top english"].split(SEP)}


def _read(path: Path) -> dict | None:
    """The file's data, or None when it is missing, damaged or another version's."""
    try:
        with open(path, "rb") as fh:
            data = marshal.loads(fh.read())     # one read: marshal.load on the file took seven times longer
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) and data.get("file") == path.name else None


def install() -> Path:
    """Write the file for this environment, unless it is there already and whole."""
    path = cache_file()
    if _read(path) is None:
        data = decode()
        data["file"] = path.name
        _write(path, data)
    for old in path.parent.glob(NAME.format(tag="*")):    # other versions' files: nothing reads them again
        if old != path:
            old.unlink(missing_ok=True)
    return path


def decode() -> dict:
    """The data as the libraries give it (the slow path)."""
    import wordfreq
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory(cache_max_size=0)
    dictionaries = {lang: dict(factory.get_dictionary(lang).items()) for lang in LANGUAGES}
    return {"dictionaries": {lang: (_joined(d.keys()), _shared(d.values())) for lang, d in dictionaries.items()},
            "top english": _joined(wordfreq.top_n_list("en", TOP_ENGLISH))}


def _shared(lemmas) -> list[str]:
    """The lemmas in order, one string object per distinct lemma (about 100,000 for 400,000 forms); marshal
    keeps the sharing, so a process holds 22 MB less than with a string per form, and loads no slower."""
    seen: dict[str, str] = {}
    return [seen.setdefault(lemma, lemma) for lemma in lemmas]


def _joined(words) -> str:
    words = list(words)
    if any(SEP in w for w in words):
        raise ValueError("a word holds the separator")      # not in these libraries' data
    return SEP.join(words)


def _write(path: Path, data: dict) -> None:
    """Whole: a temporary file renamed into place, so a reader never sees half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, marshal.dumps(data), 0o644)     # readable by a companion running as another user


def main() -> int:
    try:
        print(install())
    except OSError as e:
        print(f"worddata: cannot write the decoded word data ({e}); each process will decode it itself", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
