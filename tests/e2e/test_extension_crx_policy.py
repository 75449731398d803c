"""The self-hosted CRX, force-installed by policy into a real Chromium, as IT does it (docs/it-guide.md,
"Self-hosted CRX").

A throw-away RSA key signs the extension with scripts/package-crx (--own-id: the private half of the
manifest's key is not in the repository, so the fixed ID cannot be proven here; the same derivation
gives it). A local HTTP server serves the .crx and update.xml; a policy file in Chromium's managed
policy folder names the ID and the update URL; Chromium starts with a fresh profile and no extension
flags, fetches update.xml and the CRX by itself, installs it, and the extension's service worker runs
under the ID computed here from the key (SHA-256 of the public key's DER, first 32 hex digits as a-p).

Writing /etc/chromium/policies/managed needs root (CI runs as root); elsewhere the test fails with the
reason, or is skipped where POSTGUARD_ALLOW_SKIP_E2E=1. The policy file is removed in a finally as
soon as the browser has been checked: every Chromium started on this machine reads that folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import cdp
import harness

ROOT = Path(__file__).resolve().parents[2]
# Chromium reads its managed policy folder in every browser on the machine: nothing else may run meanwhile
pytestmark = pytest.mark.serial

POLICY_DIR = harness.CHROMIUM_POLICY_DIR


class Served:
    """A plain HTTP server for the CRX folder that remembers the requests (path and query)."""

    def __init__(self, folder: Path):
        self.requests: list[str] = []
        served = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                served.requests.append(self.path)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def crx_site(tmp_path_factory):
    """(server, extension ID from the key, crx path): packaged once for the module."""
    if not (ROOT / "extension" / "dist" / "content.js").is_file():
        harness.unavailable("extension/dist/content.js is not built: npm --prefix extension ci && npm --prefix extension run build")
    folder = tmp_path_factory.mktemp("crx")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (folder / "throwaway.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    site = folder / "site"
    site.mkdir()
    server = Served(site)
    try:
        out = subprocess.run([sys.executable, str(ROOT / "scripts" / "package-crx"), "--no-build", "--own-id",
                              "--key", str(folder / "throwaway.pem"), "--base-url", server.base, "--out", str(site)],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        ext_id = harness.chromium_id(public)
        assert f"extension ID: {ext_id}" in out.stdout
        yield server, ext_id, next(site.glob("postguard-extension-*.crx")), folder / "throwaway.pem"
    finally:
        server.stop()


def write_policy(policy: dict) -> Path:
    try:
        POLICY_DIR.mkdir(parents=True, exist_ok=True)
        path = POLICY_DIR / f"postguard-e2e-crx-{os.getpid()}.json"
        path.write_text(json.dumps(policy), encoding="utf-8")
    except PermissionError:
        harness.unavailable(f"cannot write Chromium's policy folder {POLICY_DIR} (needs root; CI runs as root)")
    return path


def start_chromium(chromium: str, profile: Path) -> tuple[subprocess.Popen, int]:
    """Chromium as a user starts it (no extension flags), headless, with a DevTools port to look in."""
    proc = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                             f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = profile / "DevToolsActivePort"
    for _ in range(150):
        if port_file.is_file() and port_file.read_text().strip():
            return proc, int(port_file.read_text().split()[0])
        if proc.poll() is not None:
            raise AssertionError(f"Chromium exited with {proc.returncode} before opening its DevTools port")
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("Chromium did not open its DevTools port within 15 s")


def wait_for_target(port: int, url: str, timeout: float = 30) -> dict:
    """The browser's DevTools target with this URL, once there is one."""
    deadline = time.monotonic() + timeout
    while True:
        found = [t for t in cdp.targets(port) if t["url"] == url]
        if found:
            return found[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"no target {url} after {timeout} s: {[t['url'] for t in cdp.targets(port)]}")
        time.sleep(0.2)


def extensions_internals(browser: cdp.Connection) -> dict:
    """chrome://extensions-internals (the browser's own JSON about every installed extension), by ID."""
    tab = browser.call("Target.createTarget", url="chrome://extensions-internals")["targetId"]
    session = browser.attach(tab)
    try:
        for _ in range(100):
            text = browser.evaluate(session, "document.querySelector('pre')?.textContent || ''")
            if text.strip():
                return {e["id"]: e for e in json.loads(text)}
            time.sleep(0.1)
        raise AssertionError("chrome://extensions-internals showed nothing")
    finally:
        browser.call("Target.closeTarget", targetId=tab)


POLICIES = {
    "ExtensionInstallForcelist": lambda ext_id, url: {"ExtensionInstallForcelist": [f"{ext_id};{url}"]},
    "ExtensionSettings": lambda ext_id, url: {"ExtensionSettings": {
        ext_id: {"installation_mode": "force_installed", "update_url": url}}},
}


@pytest.mark.parametrize("policy_name", POLICIES)
def test_policy_installs_the_self_hosted_crx_under_the_keys_id(policy_name, crx_site):
    server, ext_id, crx, _key = crx_site
    try:
        chromium = harness.check_chromium()
    except harness.E2EUnavailable as exc:
        harness.unavailable(str(exc))
    server.requests.clear()
    update_url = server.base + "update.xml"
    profile = Path(tempfile.mkdtemp(prefix="pg-crx-profile-"))
    # DevTools may not look into a policy-installed extension unless DeveloperToolsAvailability is 1
    # (the default keeps users and pages out of it); the test needs to look, IT does not.
    policy = write_policy({**POLICIES[policy_name](ext_id, update_url), "DeveloperToolsAvailability": 1})
    proc = None
    try:
        proc, port = start_chromium(chromium, profile)
        worker_url = f"chrome-extension://{ext_id}/background/service-worker.js"
        worker = wait_for_target(port, worker_url)             # started by the browser itself
        assert worker["type"] == "service_worker"
        browser = cdp.Connection(cdp.browser_url(port))
        try:
            sw = browser.attach(worker["id"])
            for _ in range(100):      # the target is listed a moment before the worker's script has run
                if browser.evaluate(sw, "typeof postguard === 'object' && typeof chrome === 'object'"):
                    break
                time.sleep(0.1)
            me = browser.evaluate(sw, "chrome.management.getSelf()")
            manifest = browser.evaluate(sw, "chrome.runtime.getManifest()")
            settings = browser.evaluate(sw, "postguard.settings()")   # the extension's own code runs there
            listed = extensions_internals(browser)
        finally:
            browser.close()
    finally:
        policy.unlink(missing_ok=True)
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
        shutil.rmtree(profile, ignore_errors=True)
    assert me["id"] == ext_id and me["installType"] == "admin" and me["mayDisable"] is False and me["enabled"]
    assert manifest["update_url"] == update_url and manifest["version"] == crx.name.split("-")[-1].removesuffix(".crx")
    assert settings["port"] == 7311
    assert listed[ext_id]["location"] == "EXTERNAL_POLICY_DOWNLOAD"
    # Chromium found it on its own: it asked for update.xml as a policy install, then fetched the CRX.
    checks = [parse_qs(urlsplit(r).query) for r in server.requests if urlsplit(r).path == "/update.xml"]
    assert any(f"id={ext_id}" in x.get("x", [""])[0] and "installedby=policy" in x.get("x", [""])[0] for x in checks), server.requests
    assert f"/{crx.name}" in server.requests


def test_the_guides_id_commands_give_the_ids(crx_site):
    """docs/it-guide.md's shell lines for a key's ID: the throw-away key's (the one Chromium installs
    under, above) and the manifest key's (the fixed ID)."""
    _server, ext_id, _crx, key = crx_site
    guide = (ROOT / "docs" / "it-guide.md").read_text(encoding="utf-8")
    lines = [line.split("   #")[0] for line in guide.splitlines() if line.endswith("tr 0-9a-f a-p") or "| tr 0-9a-f a-p   #" in line]
    from_key = next(line for line in lines if line.startswith("openssl pkey -in postguard-extension.pem"))
    from_manifest = next(line for line in lines if "extension/manifest.json" in line)
    for tool in ("openssl", "sha256sum", "python3"):
        if not shutil.which(tool):
            harness.unavailable(f"{tool} is not installed (apt-get install -y openssl coreutils python3)")

    def sh(line: str, cwd: Path) -> str:
        return subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=cwd, capture_output=True, text=True,
                              check=True, timeout=30).stdout

    assert sh(from_key.replace("postguard-extension.pem", str(key)), ROOT) == ext_id
    assert sh(from_manifest, ROOT) == (ROOT / "extension" / "EXTENSION_ID.txt").read_text().split()[0]
