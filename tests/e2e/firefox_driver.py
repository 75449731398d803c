"""Real Firefox (Debian's firefox-esr) for the e2e tests, driven over WebDriver BiDi by puppeteer-core in a
small node process (`firefox/driver.mjs`; one JSON line per call). Nothing downloads a browser.

    ff = Firefox.start(sites)                   # headless, the fixture hosts mapped to 127.0.0.1
    ff.install(package_dir)                     # a temporary add-on (WebDriver BiDi webExtension.install)
    page = ff.open("https://x.com/compose/post")  # FirefoxPage: evaluate, wait_for, type, press, mouse...
    ff.close()

The fixture server listens on a free port and Firefox cannot remap ports like Chromium's
--host-resolver-rules, so the host names resolve to 127.0.0.1 (`network.dns.localDomains`) and the URLs
carry the port; match patterns ignore the port, so the manifest's real patterns are what run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harness import HOSTS, E2EUnavailable, FixtureSites

FIREFOX = os.environ.get("POSTGUARD_FIREFOX", "/usr/bin/firefox-esr")
DRIVER_DIR = Path(__file__).resolve().parent / "firefox"
# Fixed per test profile (Firefox draws a random one per install otherwise), so tests can open the
# add-on's pages; the companion must still learn it by pairing.
ADDON_UUID = "5b2f6a4e-0c1d-4e5f-8a9b-7c6d5e4f3a21"


def check_firefox() -> None:
    if not Path(FIREFOX).exists():
        raise E2EUnavailable(f"{FIREFOX} not found: install Debian's firefox-esr (apt-get install -y firefox-esr)")
    if not shutil.which("node"):
        raise E2EUnavailable("node is needed to drive Firefox (tests/e2e/firefox/driver.mjs)")
    if not (DRIVER_DIR / "node_modules" / "puppeteer-core").is_dir():
        npm = shutil.which("npm")
        if not npm:
            raise E2EUnavailable("npm is needed to install puppeteer-core in tests/e2e/firefox")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=DRIVER_DIR, check=True,
                       env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"})


class Firefox:
    def __init__(self, sites: FixtureSites, proc: subprocess.Popen, version: str):
        self.sites, self.proc, self.version = sites, proc, version
        self._next = 0

    @classmethod
    def start(cls, sites: FixtureSites, gecko_id: str, headless: bool = True) -> "Firefox":
        check_firefox()
        proc = subprocess.Popen(["node", str(DRIVER_DIR / "driver.mjs")], cwd=DRIVER_DIR, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sys.stderr)
        ff = cls(sites, proc, "")
        prefs = {
            "network.dns.localDomains": ",".join(HOSTS),
            "extensions.webextensions.uuids": json.dumps({gecko_id: ADDON_UUID}),
            "browser.shell.checkDefaultBrowser": False,
        }
        ff.version = ff.call("launch", executable=FIREFOX, prefs=prefs, headless=headless)
        return ff

    def call(self, op: str, **args):
        self._next += 1
        self.proc.stdin.write(json.dumps({"id": self._next, "op": op, **args}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the Firefox driver exited during {op} (exit {self.proc.poll()})")
        answer = json.loads(line)
        if not answer["ok"]:
            raise RuntimeError(f"{op}: {answer['error']}")
        return answer["value"]

    def install(self, path: Path) -> str:
        return self.call("installExtension", path=str(path))

    def url(self, url: str) -> str:
        """An https://<fixture host>/… URL with the fixture server's port put in."""
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.hostname in HOSTS:
            parts = parts._replace(netloc=f"{parts.hostname}:{self.sites.port}")
        return urlunsplit(parts)

    def open(self, url: str, timeout: float = 15_000) -> "FirefoxPage":
        ext = url.startswith("moz-extension://")
        return FirefoxPage(self, self.call("open", url=url if ext else self.url(url), extensionPage=ext, timeout=timeout))

    def addon_page(self, path: str) -> "FirefoxPage":
        return self.open(f"moz-extension://{ADDON_UUID}/{path}")

    @property
    def addon_origin(self) -> str:
        return f"moz-extension://{ADDON_UUID}"

    def close(self) -> None:
        try:
            self.call("quit")
        finally:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class FirefoxPage:
    """A tab. `fn` arguments are JavaScript function sources taking one (JSON) argument."""

    def __init__(self, ff: Firefox, page_id: int):
        self.ff, self.id = ff, page_id

    def evaluate(self, fn: str, arg=None):
        return self.ff.call("evaluate", page=self.id, fn=fn, arg=arg)

    def wait_for(self, fn: str, arg=None, timeout: float = 10_000):
        """Wait until fn(arg) is truthy in the page; its value."""
        return self.ff.call("waitFor", page=self.id, fn=fn, arg=arg, timeout=timeout)

    def click(self, selector: str) -> None:
        self.ff.call("click", page=self.id, selector=selector)

    def mouse_click(self, x: float, y: float) -> None:
        self.ff.call("mouseClick", page=self.id, x=x, y=y)

    def mouse_move(self, x: float, y: float) -> None:
        self.ff.call("mouseMove", page=self.id, x=x, y=y)

    def type(self, text: str) -> None:
        self.ff.call("type", page=self.id, text=text)

    def press(self, key: str) -> None:
        """A key or a combination like "Control+End"."""
        self.ff.call("press", page=self.id, key=key)

    def bring_to_front(self) -> None:
        self.ff.call("bringToFront", page=self.id)

    def screenshot(self, path: Path) -> None:
        self.ff.call("screenshot", page=self.id, path=str(path))

    def errors(self) -> list[str]:
        """Uncaught page errors since the page opened."""
        return self.ff.call("errors", page=self.id)

    def close(self) -> None:
        self.ff.call("close", page=self.id)
