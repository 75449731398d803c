"""`scripts/package-extension --firefox`: one source tree, the Firefox package (.xpi) with Firefox's
manifest (extension/manifest.firefox.json applied as a JSON merge patch) and only what it names."""

import importlib.machinery
import importlib.util
import json
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_script():
    loader = importlib.machinery.SourceFileLoader("package_extension", str(ROOT / "scripts" / "package-extension"))
    spec = importlib.util.spec_from_loader("package_extension", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_merge_patch_follows_rfc_7386():
    merge = load_script().merge_patch
    target = {"a": 1, "b": {"c": 2, "d": 3}, "e": [1, 2]}
    assert merge(target, {"a": None, "b": {"c": None, "x": 9}, "e": [3]}) == {"b": {"d": 3, "x": 9}, "e": [3]}
    assert target == {"a": 1, "b": {"c": 2, "d": 3}, "e": [1, 2]}   # the original is left alone


def test_the_firefox_package(extension_package):
    tmp_path = extension_package("--firefox")
    chromium = json.loads((ROOT / "extension/manifest.json").read_text())
    (xpi,) = tmp_path.glob("postguard-extension-*-firefox.xpi")
    assert xpi.name == f"postguard-extension-{chromium['version']}-firefox.xpi"
    with zipfile.ZipFile(xpi) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    gecko = manifest["browser_specific_settings"]["gecko"]
    assert gecko["id"] == "postguard@postguard.extension"
    assert gecko["data_collection_permissions"] == {"required": ["none"]}   # nothing is collected
    assert manifest["background"] == {"type": "module", "scripts": ["background/event-page.js"]}
    assert manifest["sidebar_action"]["default_panel"] == chromium["side_panel"]["default_path"]
    assert manifest["permissions"] == ["storage", "contextMenus"] and manifest["host_permissions"] == ["http://127.0.0.1/*"]
    for chromium_only in ("key", "minimum_chrome_version", "side_panel", "storage", "$schema"):
        assert chromium_only not in manifest
    # the same content scripts, options page and version as Chromium's
    for same in ("content_scripts", "options_ui", "version", "name", "icons"):
        assert manifest[same] == chromium[same]
    assert {"background/event-page.js", "background/main.js", "dist/content.js", "sidepanel/index.html"} <= names
    assert "background/service-worker.js" not in names and "manifest.firefox.json" not in names
    assert not [n for n in names if n.startswith(("tests/", "node_modules/")) or n.endswith("package.json")]
    # the unpacked copy (for web-ext lint) is the same package
    assert sorted(p.relative_to(tmp_path / "firefox").as_posix() for p in (tmp_path / "firefox").rglob("*")
                  if p.is_file()) == sorted(names)
