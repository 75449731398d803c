"""pytest fixtures for PostGuard's end-to-end tests (real headless Chromium, fixture sites).

Fixtures
--------
fixture_sites          (session)  builds tests/e2e/sites if needed, runs the HTTPS fixture server;
                                  yields harness.FixtureSites (.port, .url(host, path), .host_resolver_rules())
playwright_session     (session)  a started sync Playwright
browser_context        (module)   one Chromium persistent context per test module, WITH the extension
                                  unless the module says otherwise:
                                      BROWSER_CONTEXT_OPTIONS = {"with_extension": False}
                                  (any harness.launch_browser_context keyword: extra_args=[...], ...),
                                  or indirect parametrization with the same dict
make_browser_context   (function) factory: make_browser_context(**options) -> a fresh context (own profile),
                                  closed after the test
open_page              (function) open_page(url_or_editor_name, ctx=None) -> page with __fixtureReady,
                                  on browser_context unless ctx is given; closed after the test
own_extension          (module)   (folder, ID) of the extension copied under an ID of its own, for a
                                  test that writes Chromium's managed policy for that ID
companion              (session)  a real `postguard serve` on a free port with tests/data/test_pack.yaml;
                                  .port, .base, .log() (see tests/companion_process.py)
module_companion       (module)   the same, one per test module, for tests that share it without
                                  stopping it or reading its records

Every test under tests/e2e is marked ``e2e``. A missing /usr/bin/chromium, node/npm or extension
FAILS the tests, loudly; set POSTGUARD_ALLOW_SKIP_E2E=1 to skip them instead (never in CI).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

_unavailable = harness.unavailable


def pytest_collection_modifyitems(config, items):
    for item in items:
        if harness.E2E_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def fixture_sites():
    try:
        sites = harness.start_fixture_sites()
    except harness.E2EUnavailable as exc:
        _unavailable(str(exc))
    try:
        yield sites
    finally:
        sites.server.stop()


@pytest.fixture(scope="session")
def playwright_session():
    try:
        harness.check_chromium()
    except harness.E2EUnavailable as exc:
        _unavailable(str(exc))
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


def _launch(playwright_session, fixture_sites, options):
    try:
        return harness.launch_browser_context(playwright_session, fixture_sites, **options)
    except harness.E2EUnavailable as exc:
        _unavailable(str(exc))


@pytest.fixture(scope="module")
def browser_context(request, playwright_session, fixture_sites):
    options = dict(getattr(request.module, "BROWSER_CONTEXT_OPTIONS", {}))
    options.update(getattr(request, "param", None) or {})
    ctx = _launch(playwright_session, fixture_sites, options)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def make_browser_context(playwright_session, fixture_sites):
    made = []

    def make(**options):
        ctx = _launch(playwright_session, fixture_sites, options)
        made.append(ctx)
        return ctx

    try:
        yield make
    finally:
        for ctx in made:
            ctx.close()


@pytest.fixture(scope="module")
def own_extension(tmp_path_factory):
    """(folder, ID) of the built extension copied under an ID of its own (harness.extension_with_own_id),
    for a test that writes Chromium's managed policy; after the module's built_extension (autouse: first)."""
    return harness.extension_with_own_id(tmp_path_factory.mktemp("own-id"))


@pytest.fixture
def open_page(request):
    opened = []

    def open_(url: str, ctx=None):
        page = harness.open_site(ctx if ctx is not None else request.getfixturevalue("browser_context"), url)
        opened.append(page)
        return page

    try:
        yield open_
    finally:
        for page in opened:
            if not page.is_closed():
                page.close()


@pytest.fixture(scope="session")
def companion(tmp_path_factory):
    """A REAL companion (`postguard serve`) on a free 127.0.0.1 port with tests/data/test_pack.yaml.

    Its whole output goes to companion.log in its own HOME/TMPDIR, which privacy tests scan for drafts.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from companion_process import TEST_PACK, CompanionProcess

    proc = CompanionProcess(tmp_path_factory.mktemp("companion"), pack=TEST_PACK)
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture(scope="module")
def module_companion(request, tmp_path_factory):
    """A real companion with tests/data/test_pack.yaml for one test module (its own HOME and log)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from companion_process import TEST_PACK, CompanionProcess

    proc = CompanionProcess(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]), pack=TEST_PACK)
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def captured(ext):
    """For a test module with its own extension (`ext`): the worker's chrome.tabs.create records the URL
    instead of opening it, so a mailto: or chat link is captured, not followed (restored afterwards)."""
    sw = ext["sw"]
    sw.evaluate("() => { globalThis.__opened = []; globalThis.__createTab = chrome.tabs.create;"
                " chrome.tabs.create = async (o) => { globalThis.__opened.push(o.url); return {}; }; }")
    yield lambda: sw.evaluate("() => globalThis.__opened")
    sw.evaluate("() => { chrome.tabs.create = globalThis.__createTab; }")
