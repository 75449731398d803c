"""What the companion never reads of its libraries' data, so that a build can leave it out.

The PyInstaller build (packaging/pyinstaller/: the spec and its hooks) and the Debian package
(scripts/build-deb) both ask here, so the two builds hold the same files. Leaving a file out that the
companion does read breaks its start, which both builds' tests run.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

from companion.engine.language.worddata import LANGUAGES

# phonenumbers keeps its metadata in modules: the companion finds and reads numbers, whose metadata per
# region it imports by name at run time (data, shortdata), but never asks the geocoder, the carriers or
# the time zones, whose data is 43 MB of the package's 48.
UNUSED_PHONENUMBERS = frozenset({"geocoder", "geodata", "carrier", "carrierdata", "timezone", "tzdata"})
# wordfreq's word lists of the languages read: large_en.msgpack.gz, small_bg.msgpack.gz...
READ_WORD_LISTS = tuple(f"_{lang}.msgpack.gz" for lang in LANGUAGES)


def unread_module(name: str) -> bool:
    """A module (dotted name) the companion never imports: phonenumbers' geocoder, carriers, time zones."""
    parts = name.split(".")
    return parts[0] == "phonenumbers" and len(parts) > 1 and parts[1] in UNUSED_PHONENUMBERS


def unread_file(relative: str) -> bool:
    """A file of site-packages (its path relative to site-packages, with /) the companion never reads:
    the modules above, and the word lists and dictionaries of languages other than LANGUAGES (wordfreq
    ships 40, simplemma 50; the companion reads English and Bulgarian, decoded once at install)."""
    path = PurePosixPath(relative)
    parts = path.parts or ("",)
    if len(parts) > 1 and parts[0] == "phonenumbers":
        return unread_module("phonenumbers." + PurePosixPath(parts[1]).stem)
    if parts[:2] == ("wordfreq", "data"):
        return not path.name.endswith(READ_WORD_LISTS)
    if parts[0] == "simplemma" and path.suffix == ".plzma":
        return path.stem not in LANGUAGES
    return False


def remove_unread(site_packages: Path) -> int:
    """Delete the unread files from an installed site-packages folder (a build's, never the running
    one's), and the folders they leave empty; the number of files deleted."""
    removed = 0
    for path in sorted(site_packages.rglob("*")):
        if path.is_file() and unread_file(path.relative_to(site_packages).as_posix()):
            path.unlink()
            removed += 1
    for folder in sorted((p for p in site_packages.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed


if __name__ == "__main__":       # python -B -m companion.unread_data SITE_PACKAGES (scripts/build-deb)
    print(f"left out {remove_unread(Path(sys.argv[1]))} files the companion never reads")
