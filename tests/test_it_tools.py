"""IT's helpers: the per-user service files and the packages IT distributes."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from companion import service

ROOT = Path(__file__).resolve().parent.parent


def test_service_files_per_platform(tmp_path):
    cmd = ["/opt/pg/bin/postguard", "serve", "--pack", "/etc/postguard/pack.yaml"]
    unit = service.systemd_unit(cmd)
    assert "ExecStart=/opt/pg/bin/postguard serve --pack /etc/postguard/pack.yaml" in unit
    assert "WantedBy=default.target" in unit
    plist = service.launchd_plist(cmd)
    assert "<string>/etc/postguard/pack.yaml</string>" in plist and "<key>RunAtLoad</key>" in plist
    ps = service.windows_script(cmd, all_users=True)      # read back in full: tests/test_service_macos_windows.py
    assert "Register-ScheduledTask" in ps and "<LogonTrigger>" in ps


def test_install_and_uninstall_without_starting(tmp_path):
    msg = service.install(["--port", "7399"], start=False, platform="linux", home=tmp_path)
    unit = tmp_path / ".config/systemd/user/postguard.service"
    assert str(unit) in msg and "serve --port 7399" in unit.read_text()
    assert service.uninstall(start=False, platform="linux", home=tmp_path) == f"removed {unit}"
    assert not unit.exists()
    service.install([], start=False, platform="darwin", home=tmp_path)
    assert (tmp_path / "Library/LaunchAgents/com.postguard.companion.plist").exists()


def test_cli_service_show():
    r = subprocess.run([sys.executable, "-m", "companion", "service", "show", "--", "--port", "7312"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "serve --port 7312" in r.stdout


def test_package_extension_zip(extension_package):
    version = json.loads((ROOT / "extension/manifest.json").read_text())["version"]
    with zipfile.ZipFile(extension_package() / f"postguard-extension-{version}.zip") as zf:
        names = zf.namelist()
        assert {"manifest.json", "background/service-worker.js", "dist/content.js"} <= set(names)
        assert not [n for n in names if n.startswith(("tests/", "node_modules/")) or n.endswith("package.json")]
        assert "key" in json.loads(zf.read("manifest.json"))
    with zipfile.ZipFile(extension_package("--store") / f"postguard-extension-{version}-store.zip") as zf:
        assert "key" not in json.loads(zf.read("manifest.json"))


def test_wheel_carries_the_schema_and_example_pack(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("postguard-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert {"companion/data/pack.schema.json", "companion/data/example-pack.yaml", "companion/cli.py"} <= names
        assert json.loads(zf.read("companion/data/pack.schema.json"))["title"].startswith("PostGuard policy pack")
