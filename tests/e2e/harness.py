"""End-to-end harness: fixture sites, headless Chromium with the extension, page helpers.

Used by ``conftest.py`` (pytest fixtures) and importable by every e2e test module::

    from harness import EDITORS, open_site, focus_editor, editor_text, dom_text, posts, paste_text

Nothing here reads or prints drafts beyond what a test asks for.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

E2E_DIR = Path(__file__).resolve().parent
REPO_DIR = E2E_DIR.parent.parent
# Screenshots go to docs/screenshots only when asked (POSTGUARD_UPDATE_SCREENSHOTS=1), so a test run
# leaves the tracked images alone; otherwise they are still taken, into a temp folder.
SCREENSHOT_DIR = (REPO_DIR / "docs" / "screenshots" if os.environ.get("POSTGUARD_UPDATE_SCREENSHOTS") == "1"
                  else Path(tempfile.mkdtemp(prefix="pg-screens-")))
# Debian's Chromium reads every managed policy here at start and when it changes: a test writes one only
# for an extension ID of its own (extension_with_own_id), or runs alone (marked serial).
CHROMIUM_POLICY_DIR = Path("/etc/chromium/policies/managed")
SITES_DIR = E2E_DIR / "sites"
WEB_DIR = SITES_DIR / "web"
DIST_DIR = SITES_DIR / "dist"
BUILD_STAMP = DIST_DIR / ".build-stamp"
EXTENSION_DIR = REPO_DIR / "extension"
CHROMIUM = os.environ.get("POSTGUARD_CHROMIUM", "/usr/bin/chromium")
VIEWPORT = {"width": 1280, "height": 900}

for _folder in (SITES_DIR, E2E_DIR.parent):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))
from server import HOSTS, FixtureServer  # noqa: E402  (tests/e2e/sites/server.py)

from support import folder_lock  # noqa: E402,F401  (tests/support.py; test_extension_sites uses it too)


@dataclass(frozen=True)
class Editor:
    """One compose box on a fixture page."""

    name: str  # data-fixture-editor value and key of window.__editorText(name)
    url: str  # page that holds it
    library: str  # draft-js | lexical | quill | prosemirror | textarea
    platform: str  # x | facebook | linkedin | instagram (the API's `platform`)
    surface: str  # post | reply | comment | caption (the API's `surface`)
    selector: str  # the REAL site's selector for the editor element
    post_selector: str  # the real site's post/send control
    submit_keys: tuple = field(default=())  # keys that post from inside the editor, e.g. ("Control+Enter",)
    context_selector: str | None = None  # the post being answered, when the box is a reply/comment


EDITORS: dict[str, Editor] = {
    e.name: e
    for e in (
        Editor(
            "x-post", "https://x.com/compose/post", "draft-js", "x", "post",
            'div.public-DraftEditor-content[contenteditable="true"][role="textbox"][data-testid="tweetTextarea_0"]',
            'button[data-testid="tweetButtonInline"]', ("Control+Enter",),
        ),
        Editor(
            "x-reply", "https://x.com/acme/status/1", "draft-js", "x", "reply",
            'div.public-DraftEditor-content[contenteditable="true"][role="textbox"][data-testid="tweetTextarea_0"]',
            'button[data-testid="tweetButtonInline"]', ("Control+Enter",),
            'article[data-testid="tweet"] div[data-testid="tweetText"]',
        ),
        Editor(
            "fb-post", "https://www.facebook.com/", "lexical", "facebook", "post",
            'div[role="dialog"] div[contenteditable="true"][role="textbox"][data-lexical-editor="true"]'
            "[aria-label=\"What's on your mind?\"]",
            'div[role="dialog"] div[role="button"][aria-label="Post"]',
        ),
        Editor(
            "fb-comment", "https://www.facebook.com/", "lexical", "facebook", "comment",
            'div[contenteditable="true"][role="textbox"][data-lexical-editor="true"][aria-label="Write a comment…"]',
            'div[role="button"][aria-label="Comment"]', ("Enter",),
            'div[role="article"] div[data-ad-preview="message"]',
        ),
        Editor(
            "li-post", "https://www.linkedin.com/feed/", "quill", "linkedin", "post",
            'div[data-test-modal-id="sharebox"] .ql-container > .ql-editor[contenteditable="true"]'
            '[aria-label="Text editor for creating content"][data-test-ql-editor-contenteditable="true"]',
            "button.share-actions__primary-action",
        ),
        Editor(
            "li-comment", "https://www.linkedin.com/feed/", "prosemirror", "linkedin", "comment",
            'div.tiptap.ProseMirror[contenteditable="true"][aria-label="Text editor for creating comment"]',
            "button.comments-comment-box__submit-button--cr",
            context_selector="div.feed-shared-update-v2 .update-components-text",
        ),
        Editor(
            "ig-comment", "https://www.instagram.com/p/abc123/", "textarea", "instagram", "comment",
            'article textarea[aria-label="Add a comment…"][placeholder="Add a comment…"]',
            'article form div[role="button"]', ("Enter",),
            "article h1",
        ),
        Editor(
            "ig-caption", "https://www.instagram.com/create/", "lexical", "instagram", "caption",
            'div[contenteditable="true"][role="textbox"][data-lexical-editor="true"][aria-label="Write a caption..."]',
            'div[role="dialog"] div[role="button"]',
        ),
    )
}

#: Every page the fixture server serves (site pages + the hostile origin).
PAGES = {
    "x-compose": "https://x.com/compose/post",
    "x-status": "https://x.com/acme/status/1",
    "facebook": "https://www.facebook.com/",
    "linkedin": "https://www.linkedin.com/feed/",
    "instagram-post": "https://www.instagram.com/p/abc123/",
    "instagram-create": "https://www.instagram.com/create/",
    "evil": "https://evil.example/",
}


class E2EUnavailable(RuntimeError):
    """A prerequisite (chromium, node/npm, the extension) is missing."""


# ---------------------------------------------------------------------------------------------
# building and serving the fixture sites


def _newest_source_mtime() -> float:
    newest = 0.0
    for p in [WEB_DIR / "build.mjs", WEB_DIR / "package.json", WEB_DIR / "package-lock.json"]:
        if p.exists():
            newest = max(newest, p.stat().st_mtime)
    for p in (WEB_DIR / "src").rglob("*"):
        if p.is_file():
            newest = max(newest, p.stat().st_mtime)
    return newest


def needs_build() -> bool:
    return not BUILD_STAMP.exists() or BUILD_STAMP.stat().st_mtime < _newest_source_mtime()


def ensure_built(force: bool = False) -> Path:
    """Build ``sites/dist`` if it is missing or older than the sources; ``npm ci`` first if needed."""
    with folder_lock(WEB_DIR):   # another pytest-xdist worker's server may be serving sites/dist
        return _build(force)


def _build(force: bool) -> Path:
    if not force and not needs_build():
        return DIST_DIR
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise E2EUnavailable("node and npm are needed to build the e2e fixture sites (tests/e2e/sites/web)")
    if not (WEB_DIR / "node_modules" / "esbuild").exists() or (
        (WEB_DIR / "package-lock.json").stat().st_mtime > (WEB_DIR / "node_modules").stat().st_mtime
    ):
        _run([npm, "ci", "--no-audit", "--no-fund"], "npm ci")
    _run([node, "build.mjs"], "node build.mjs")
    return DIST_DIR


def _run(cmd, what):
    proc = subprocess.run(cmd, cwd=WEB_DIR, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{what} failed in {WEB_DIR} (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


@dataclass
class FixtureSites:
    """What the ``fixture_sites`` fixture yields."""

    server: FixtureServer
    dist_dir: Path

    @property
    def port(self) -> int:
        return self.server.port

    def url(self, host: str, path: str = "/") -> str:
        return self.server.url(host, path)

    def host_resolver_rules(self) -> str:
        return self.server.host_resolver_rules()


def start_fixture_sites(build: bool = True) -> FixtureSites:
    if build:
        ensure_built()
    server = FixtureServer(DIST_DIR).start()
    return FixtureSites(server=server, dist_dir=DIST_DIR)


# ---------------------------------------------------------------------------------------------
# browser


def check_chromium() -> str:
    if not Path(CHROMIUM).exists():
        raise E2EUnavailable(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get update && apt-get install -y chromium "
            "fonts-noto-color-emoji). Never `playwright install`."
        )
    return CHROMIUM


def extension_available(extension_dir: Path = EXTENSION_DIR) -> bool:
    return (Path(extension_dir) / "manifest.json").is_file()


def chromium_args(port: int, extension_dir: Path | None = None, extra_args=()) -> list[str]:
    args = []
    if extension_dir is not None:
        args += [f"--disable-extensions-except={extension_dir}", f"--load-extension={extension_dir}"]
    args += [
        "--host-resolver-rules=" + ", ".join(f"MAP {h} 127.0.0.1:{port}" for h in HOSTS),
        "--ignore-certificate-errors",
        "--no-sandbox",
        "--disable-gpu",
    ]
    return args + list(extra_args)


def chromium_id(public_der: bytes) -> str:
    """Chromium's extension ID of a public key (SHA-256 of its DER, the first 32 hex digits as a-p),
    computed here independently of scripts/package-crx."""
    return "".join("abcdefghijklmnop"[int(c, 16)] for c in hashlib.sha256(public_der).hexdigest()[:32])


def extension_with_own_id(folder: Path, extension_dir: Path = EXTENSION_DIR) -> tuple[Path, str]:
    """A copy of the built extension whose manifest carries a new key: Chromium gives it an ID of its
    own, as it does a company's self-signed build. A managed policy written for that ID in the
    machine-wide policy folder reaches only the browsers that load this copy, so the test that writes it
    can run beside every other test (and beside another test run on the machine). The companion must
    allow the copy's origin (`allowed_origins`), as IT configures it for its own build. Returns
    (folder, ID)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    public = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    copy = Path(folder) / "extension"
    shutil.copytree(extension_dir, copy, ignore=shutil.ignore_patterns("node_modules", "tests", "scripts"))
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["key"] = base64.b64encode(public).decode("ascii")
    (copy / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return copy, chromium_id(public)


def launch_browser_context(
    playwright,
    sites: FixtureSites,
    *,
    with_extension: bool = True,
    extension_dir: Path | str = EXTENSION_DIR,
    user_data_dir: Path | str | None = None,
    extra_args=(),
    **launch_kwargs,
):
    """Start headless Chromium (persistent context: extensions need one) wired to the fixture sites.

    The profile folder is a fresh temp dir unless *user_data_dir* is given; a temp profile is
    deleted when the context closes. Extra keyword arguments go to ``launch_persistent_context``.
    """
    check_chromium()
    ext = None
    if with_extension:
        ext = Path(extension_dir).resolve()
        if not extension_available(ext):
            raise E2EUnavailable(
                f"{ext}/manifest.json not found: the extension is not there yet. "
                "Launch with with_extension=False to test the fixture sites alone."
            )
    own_profile = user_data_dir is None
    profile = Path(tempfile.mkdtemp(prefix="pg-profile-")) if own_profile else Path(user_data_dir)
    kwargs = dict(
        executable_path=CHROMIUM,
        headless=True,
        args=chromium_args(sites.port, ext, extra_args),
        viewport=VIEWPORT,
        ignore_https_errors=True,
    )
    kwargs.update(launch_kwargs)
    first_run = not (profile / "Default").exists()
    ctx = playwright.chromium.launch_persistent_context(str(profile), **kwargs)
    if own_profile:
        ctx.on("close", lambda _ctx: shutil.rmtree(profile, ignore_errors=True))
    if ext is not None and first_run:
        _wait_for_first_run_page(ctx)
    return ctx


def _wait_for_first_run_page(ctx, timeout: float = 10.0) -> None:
    """On install the extension opens its options page, and Chromium may open it in the next blank tab a
    test creates, cutting that tab's navigation short: wait until it has its own tab (or give up). The
    wait is Playwright's, not time.sleep: the sync API takes in a page's new URL only while it runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.url.endswith("/options/index.html") for p in ctx.pages):
            return
        ctx.pages[0].wait_for_timeout(50)


def service_worker(ctx, timeout: float = 15_000):
    """The extension's MV3 service worker and the extension id: ``(worker, ext_id)``."""
    workers = [w for w in ctx.service_workers if w.url.startswith("chrome-extension://")]
    sw = workers[0] if workers else ctx.wait_for_event(
        "serviceworker", predicate=lambda w: w.url.startswith("chrome-extension://"), timeout=timeout
    )
    return sw, sw.url.split("/")[2]


# ---------------------------------------------------------------------------------------------
# pages and editors

_page_errors: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def open_site(ctx, url: str, *, timeout: float = 15_000):
    """Open *url* (an ``https://<real host>/...`` URL, an ``EDITORS`` name or a ``PAGES`` key) in a
    new tab and wait for ``window.__fixtureReady``. Uncaught page errors are collected: see
    ``page_errors(page)``."""
    if url in EDITORS:
        url = EDITORS[url].url
    elif url in PAGES:
        url = PAGES[url]
    page = ctx.new_page()
    errors: list[str] = []
    _page_errors[page] = errors
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load", timeout=timeout)
    page.wait_for_function("window.__fixtureReady === true", timeout=timeout)
    return page


def page_errors(page) -> list[str]:
    """Uncaught exceptions seen on a page opened with ``open_site`` (e.g. a React crash in Draft.js)."""
    return list(_page_errors.get(page, []))


def editor_locator(page, name: str):
    return page.locator(f'[data-fixture-editor="{name}"]')


def post_button(page, name: str):
    return page.locator(EDITORS[name].post_selector)


def editor_text(page, name: str) -> str:
    """The editor's MODEL text (Draft ContentState, Lexical state, Quill, ProseMirror doc, React state)."""
    return page.evaluate("(n) => window.__editorText(n)", name)


def dom_text(page, name: str) -> str:
    """What the editor element shows (textarea value; contenteditable blocks' innerText, "\\n"-joined)."""
    return page.evaluate("(n) => window.__domText(n)", name)


def posts(page) -> list[dict]:
    """``window.__posts``: ``[{"editor": name, "text": model text}]`` recorded by the site's own controls."""
    return page.evaluate("() => window.__posts.slice()")


SETTLED_JS = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))"


def settled(page) -> None:
    """Wait until the page has run what was queued: two frames and a task later. Absence checks
    ("nothing was posted", "posted exactly once") come after it and after the extension's own signal
    (the confirm card is open, the panel said "Not inserted"), never after a fixed sleep, which passes
    vacuously on a slow host. The fixture sites post synchronously from their own handlers."""
    page.evaluate(SETTLED_JS)


def panel_ready(panel) -> None:
    """The side panel has its reply list and the conversation's suggestions, which land above the list
    and push it down: a click before that hits whatever moved under the pointer."""
    panel.locator("#reply-list li.reply").first.wait_for()
    panel.locator("#browse[aria-busy='false']").wait_for(state="attached")


def clear_editor(page, name: str) -> None:
    page.evaluate("(n) => window.__clearEditor(n)", name)


def focus_editor(page, name: str):
    """Click into the editor (caret at the end of its text) and wait until it has focus."""
    loc = editor_locator(page, name)
    loc.click()
    page.wait_for_function(
        "(n) => document.activeElement === document.querySelector(`[data-fixture-editor=\"${n}\"]`)", arg=name
    )
    page.keyboard.press("Control+End")
    return loc


def paste_text(page, name: str, text: str) -> bool:
    """Dispatch a synthetic ``paste`` (ClipboardEvent + DataTransfer) on the editor from the main world,
    at the current caret. Returns True when the editor handled it (called preventDefault)."""
    return page.evaluate(
        """([n, t]) => {
            const el = document.querySelector(`[data-fixture-editor="${n}"]`);
            const dt = new DataTransfer();
            dt.setData('text/plain', t);
            const ev = new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true});
            el.dispatchEvent(ev);
            return ev.defaultPrevented;
        }""",
        [name, text],
    )


def wait_for_editor_text(page, name: str, expected: str, timeout: float = 5_000) -> None:
    """Wait until the model text equals *expected* (editors may commit on the next frame)."""
    page.wait_for_function(
        "([n, t]) => window.__editorText(n) === t", arg=[name, expected], timeout=timeout
    )


def restart_companion(comp) -> None:
    """Start a stopped ``companion_process.CompanionProcess`` again: same port, same state folder
    (so the same token) and the same pack, as when the user restarts ``postguard serve``."""
    comp.restart()


def companion_health(comp) -> dict:
    """GET /v1/health of a companion process (from the test, not the browser)."""
    import json
    import urllib.request

    with urllib.request.urlopen(f"{comp.base}/v1/health", timeout=5) as r:
        return json.loads(r.read())


def unavailable(reason: str):
    """A missing prerequisite FAILS the test (CI must run everything); POSTGUARD_ALLOW_SKIP_E2E=1 skips it."""
    import pytest

    if os.environ.get("POSTGUARD_ALLOW_SKIP_E2E") == "1":
        pytest.skip(f"e2e prerequisites missing: {reason}")
    pytest.fail(f"e2e prerequisites missing: {reason}\n(set POSTGUARD_ALLOW_SKIP_E2E=1 to skip e2e tests "
                "instead; CI must not)", pytrace=False)
