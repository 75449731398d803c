# Replaces PyInstaller's own hook for phonenumbers, which takes in every submodule: the companion never
# asks the geocoder, the carriers or the time zones (companion/unread_data.py).
from PyInstaller.utils.hooks import collect_submodules

from companion.unread_data import unread_module

hiddenimports = collect_submodules("phonenumbers", filter=lambda name: not unread_module(name))
