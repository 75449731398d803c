# Replaces PyInstaller's own hook for phonenumbers, which takes in every submodule: the companion finds
# and reads numbers, whose metadata per region phonenumbers imports by name at run time (data, shortdata),
# but never asks the geocoder, the carriers or the time zones, whose data is 43 MB of the package's 48.
from PyInstaller.utils.hooks import collect_submodules

UNUSED = ("geocoder", "geodata", "carrier", "carrierdata", "timezone", "tzdata")

hiddenimports = collect_submodules("phonenumbers", filter=lambda name: name.split(".")[1:2] not in [[u] for u in UNUSED])
