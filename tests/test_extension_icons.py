"""The extension's icons: every size the manifest declares exists as a PNG of that size, for light and
dark toolbars, and the packaged zip carries them (scripts/package-extension checks the manifest's files)."""

import json
import struct
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT / "extension"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_manifest_icons_exist_at_their_sizes_for_light_and_dark():
    manifest = json.loads((EXT / "manifest.json").read_text())
    declared = {**manifest["icons"], **manifest["action"]["default_icon"]}
    assert sorted(int(k) for k in manifest["icons"]) == [16, 32, 48, 128]
    for size, rel in declared.items():
        assert png_size(EXT / rel) == (int(size), int(size)), rel
    for size in (16, 32, 48, 128):  # the dark-toolbar set the extension's pages switch to
        assert png_size(EXT / "icons" / "dark" / f"{size}.png") == (size, size)


def test_packaged_zip_carries_the_icons(extension_package):
    version = json.loads((EXT / "manifest.json").read_text())["version"]
    with zipfile.ZipFile(extension_package() / f"postguard-extension-{version}.zip") as zf:
        names = set(zf.namelist())
    assert {f"icons/{scheme}/{n}.png" for scheme in ("light", "dark") for n in (16, 32, 48, 128)} <= names
    assert "toolbar-icon.js" in names
