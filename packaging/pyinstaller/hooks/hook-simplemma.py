# Replaces PyInstaller's own hook for simplemma, which takes in its dictionaries for 50 languages: the
# companion reads only worddata.LANGUAGES (companion/unread_data.py), and those decoded (the word-data file
# postguard.spec adds); their two dictionaries stay for a build whose file does not read back
# (companion/engine/language/worddata.py).
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files

from companion.unread_data import unread_file

datas = [(src, dest) for src, dest in collect_data_files("simplemma")
         if not unread_file(f"{dest}/{Path(src).name}")]
