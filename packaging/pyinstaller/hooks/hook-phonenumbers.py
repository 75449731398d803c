# Replaces PyInstaller's own hook for phonenumbers, which takes in every submodule: the companion finds
# and reads numbers, whose metadata per region phonenumbers imports by name at run time (data, shortdata),
# but never asks the geocoder, the carriers or the time zones, whose data is 43 MB of the package's 48.
from PyInstaller.utils.hooks import collect_submodules

UNUSED = {"geocoder", "geodata", "carrier", "carrierdata", "timezone", "tzdata"}


def wanted(name: str) -> bool:
    parts = name.split(".")
    return len(parts) < 2 or parts[1] not in UNUSED


hiddenimports = collect_submodules("phonenumbers", filter=wanted)
