"""The extension in real headless Chromium on every site and surface, against a REAL companion.

For each of the 8 compose boxes of the fixture sites (real Draft.js, Lexical, Quill, ProseMirror and
React textarea): the confidential term is underlined exactly (also after emoji), the card explains it
and is reachable by keyboard, suggestions change the editor's MODEL text and typing goes on working,
a clean draft shows nothing, a post with a critical finding is held for confirmation and "Post
anyway" posts exactly once, a long draft typed with the extension loaded is left intact, and the
content script never requests 127.0.0.1 itself. Keystroke-to-underline times are printed at the end.

The overlay lives in a CLOSED shadow root; with chrome.storage.local.testHooks = true the extension
mirrors its state on the host element (`[data-postguard]`: data-pg-boxes, data-pg-ui, data-pg-stats).
Buttons are clicked with the real mouse at the coordinates the hooks report.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from harness import (
    CHROMIUM_POLICY_DIR,
    EDITORS,
    EXTENSION_DIR,
    SCREENSHOT_DIR,
    dom_text,
    editor_text,
    focus_editor,
    folder_lock,
    post_button,
    posts,
    service_worker,
    settled,
    wait_for_editor_text,
)

ALL = list(EDITORS)
SITE_OF = {n: EDITORS[n].platform for n in ALL}
TERM = "Falcon Ridge"
WHY = "unreleased product until 2027-04-01"
# emoji with surrogate pairs, a skin tone, a ZWJ sequence and a combining accent BEFORE the term
# It carries no other risk: "Launch day" under the Facebook fixture's complaint reads to the second
# opinion as the company announcing (base.model.speaking, 0.84), a second finding these tests don't ask for.
CRITICAL = "Lunch 👋🏽 day 🎉 at the cafe\u0301 👩🏽‍💻 for Falcon Ridge"
# the Instagram comment textarea is narrow: a draft that fits on its first line (wrapping: own test)
SHORT_CRITICAL = "Hi 👋🏽 🎉 cafe\u0301 👩🏽‍💻 Falcon Ridge"
CLEAN = "Lovely weather for a walk by the river today"
# opens the card from the text (Alt+Shift+Down selects text on macOS, so not that)
CARD_KEY = "Control+Shift+Period"
# the path each editor's edits must take: its own handlers, never a raw DOM edit
EDIT_PATH = {
    **{lib: {"insert": "paste", "delete": "keydown-Backspace"} for lib in ("draft-js", "lexical", "quill", "prosemirror")},
    "textarea": {"insert": "execCommand-insertText", "delete": "execCommand-delete"},
}
SCREENSHOTS = SCREENSHOT_DIR


# ------------------------------------------------------------------------------------------------
# build + setup


def _newer_than(target: Path, sources: list[Path]) -> bool:
    if not target.exists():
        return True
    t = target.stat().st_mtime
    return any(p.stat().st_mtime > t for src in sources for p in ([src] if src.is_file() else src.rglob("*.js")))


@pytest.fixture(scope="module", autouse=True)
def built_extension():
    """extension/dist/content.js is built from extension/content (npm ci + esbuild) when stale."""
    ext = Path(EXTENSION_DIR)
    with folder_lock(ext):   # another pytest-xdist worker may be checking the same build
        if not (ext / "node_modules" / "esbuild").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ext, check=True, capture_output=True)
        # the bundle's sources: content/ and the shared modules it imports (background/settings.js too);
        # every top-level module counts, so a module moved up from background/ is never missed
        sources = [ext / "content", ext / "background", *sorted(ext.glob("*.js"))]
        if _newer_than(ext / "dist" / "content.js", sources):
            subprocess.run(["npm", "run", "build"], cwd=ext, check=True, capture_output=True)
    return ext


def own_companion_and_extension(label: str, pack=None):
    """Module fixtures `own_companion` (a companion of its own, for a test that reads its records) and
    `ext` (the shared browser pointed at it). `pack(folder) -> Path` writes the pack it serves (default:
    the test pack). Use: `own_companion, ext = own_companion_and_extension("records")` at a test
    module's top level."""

    @pytest.fixture(scope="module")
    def own_companion(tmp_path_factory):
        from companion_process import TEST_PACK, CompanionProcess

        folder = tmp_path_factory.mktemp(f"{label}-companion")
        proc = CompanionProcess(folder, pack=pack(folder) if pack else TEST_PACK)
        try:
            yield proc
        finally:
            proc.stop()

    @pytest.fixture(scope="module")
    def ext(browser_context, own_companion):
        sw, ext_id = configure(browser_context, own_companion.port, own_companion.token())
        return {"ctx": browser_context, "sw": sw, "id": ext_id}

    return own_companion, ext


def configure(ctx, port: int, token: str | None = None, **extra) -> tuple:
    """Point the extension at the companion (and give it the install's token, as pairing will),
    turn the test hooks on; returns (worker, ext_id)."""
    sw, ext_id = service_worker(ctx)
    values = {"companionPort": port, "testHooks": True, **extra}
    if token:
        values["companionToken"] = token
    sw.evaluate("(v) => chrome.storage.local.set(v)", values)
    got = sw.evaluate("() => postguard.settings()")
    # A locked port means a managed policy for this extension's ID in /etc/chromium/policies/managed,
    # which no test writes (theirs are for copies under IDs of their own): left by hand, or by an old run.
    assert not got["locked"].get("port"), f"a managed policy locks the port: {sorted(CHROMIUM_POLICY_DIR.glob('*.json'))}"
    assert got["port"] == port and got["testHooks"] is True
    return sw, ext_id


def companion_token(companion) -> str | None:
    """The companion's token when it has pairing (CompanionProcess.token), else None."""
    return companion.token() if hasattr(companion, "token") else None


@pytest.fixture(scope="module")
def ext(browser_context, companion):
    sw, ext_id = configure(browser_context, companion.port, companion_token(companion))
    return {"ctx": browser_context, "sw": sw, "id": ext_id, "companion": companion}


# ------------------------------------------------------------------------------------------------
# page helpers


class SitePage:
    """A fixture page with every request it makes recorded (to prove none goes to 127.0.0.1)."""

    def __init__(self, ctx, name: str):
        self.name = name
        self.requests: list[str] = []
        self.page = ctx.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self._errors: list[str] = []
        self.page.on("pageerror", lambda e: self._errors.append(str(e)))
        self.page.goto(EDITORS[name].url, wait_until="load")
        self.page.wait_for_function("window.__fixtureReady === true")
        self.page.wait_for_function("() => !!document.querySelector('[data-postguard]')")
        self.label = self.page.evaluate(
            "(n) => { const el = document.querySelector(`[data-fixture-editor=\"${n}\"]`);"
            " return el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.getAttribute('data-testid') || ''; }",
            name,
        )

    @property
    def errors(self):
        return list(self._errors)

    def loopback_requests(self):
        return [u for u in self.requests if u.startswith(("http://127.0.0.1", "https://127.0.0.1", "http://localhost"))]

    def close(self):
        if not self.page.is_closed():
            self.page.close()


@pytest.fixture
def site_page(request):
    opened = []

    def make(name, ctx=None):
        sp = SitePage(ctx if ctx is not None else request.getfixturevalue("ext")["ctx"], name)
        opened.append(sp)
        return sp

    yield make
    for sp in opened:
        sp.close()


HOOKS_JS = """() => {
  const h = document.querySelector('[data-postguard]');
  if (!h) return null;
  return {boxes: JSON.parse(h.getAttribute('data-pg-boxes') || '[]'),
          ui: JSON.parse(h.getAttribute('data-pg-ui') || '{}'),
          stats: JSON.parse(h.getAttribute('data-pg-stats') || '{}')};
}"""

BOX_JS = """([label]) => {
  const h = document.querySelector('[data-postguard]');
  const boxes = h ? JSON.parse(h.getAttribute('data-pg-boxes') || '[]') : [];
  return boxes.find((b) => b.label === label) || null;
}"""

FINDING_JS = """([label, excerpt]) => {
  const h = document.querySelector('[data-postguard]');
  const boxes = h ? JSON.parse(h.getAttribute('data-pg-boxes') || '[]') : [];
  const b = boxes.find((x) => x.label === label);
  if (!b || !b.checked) return null;
  return b.findings.find((f) => f.excerpt === excerpt && f.rects.length) || null;
}"""

CARD_JS = """([kind]) => {
  const h = document.querySelector('[data-postguard]');
  const ui = h ? JSON.parse(h.getAttribute('data-pg-ui') || '{}') : {};
  return ui.card && ui.card.open && (!kind || ui.card.kind === kind) ? ui.card : null;
}"""

# Independent of the extension: where the word really is on screen (text nodes + Range; for a
# textarea, the canvas width of the text before it on its single line).
WORD_RECTS_JS = """([name, word]) => {
  const el = document.querySelector(`[data-fixture-editor="${name}"]`);
  if (el.tagName === 'TEXTAREA') {
    const cs = getComputedStyle(el);
    const c = document.createElement('canvas').getContext('2d');
    c.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const v = el.value, i = v.indexOf(word), r = el.getBoundingClientRect();
    const left = r.left + el.clientLeft + parseFloat(cs.paddingLeft) + c.measureText(v.slice(0, i)).width - el.scrollLeft;
    return [{left, right: left + c.measureText(word).width, top: r.top, bottom: r.bottom}];
  }
  const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = []; let n, all = '';
  while ((n = w.nextNode())) { nodes.push([n, all.length]); all += n.data; }
  const i = all.indexOf(word);
  if (i < 0) return null;
  const at = (off, end) => { for (const [node, s] of nodes) {
    if (off >= s && (end ? off <= s + node.data.length : off < s + node.data.length)) return [node, off - s]; } };
  const range = document.createRange();
  range.setStart(...at(i, false));
  range.setEnd(...at(i + word.length, true));
  return [...range.getClientRects()].filter((r) => r.width > 0)
    .map((r) => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom}));
}"""

# records performance.now() of the last keydown and of the first overlay render after it that
# shows the term underlined for the exact current text
TIMING_JS = """([label, excerpt]) => {
  const t = window.__pgTiming = {lastKey: 0, underline: 0};
  document.addEventListener('keydown', () => { t.lastKey = performance.now(); t.underline = 0; }, true);
  const host = document.querySelector('[data-postguard]');
  new MutationObserver(() => {
    if (t.underline || !t.lastKey) return;
    const b = JSON.parse(host.getAttribute('data-pg-boxes') || '[]').find((x) => x.label === label);
    if (b && b.checked && b.findings.some((f) => f.excerpt === excerpt && f.rects.length)) t.underline = performance.now();
  }).observe(host, {attributes: true, attributeFilter: ['data-pg-boxes']});
}"""


def u16slice(text: str, start: int, end: int) -> str:
    """text[start:end] in UTF-16 code units (the API's unit), not Python code points."""
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def hooks(page):
    return page.evaluate(HOOKS_JS)


def eventually(read, ok, timeout: float = 3.0, page=None):
    """read() until ok(value) or the timeout; the overlay writes its test hooks a frame after an edit."""
    deadline = time.monotonic() + timeout
    value = read()
    while not ok(value) and time.monotonic() < deadline:
        page.wait_for_timeout(50)    # a Playwright wait, so page events keep flowing
        value = read()
    return value


def wait_chip(sp: SitePage, state: str, timeout=10_000):
    """Wait until the box's status chip shows `state`; returns the chip."""
    sp.page.wait_for_function(
        "([label, state]) => { const h = document.querySelector('[data-postguard]');"
        " const b = h && JSON.parse(h.getAttribute('data-pg-boxes') || '[]').find((x) => x.label === label);"
        " return !!b && b.chip.state === state && b.chip.visible; }",
        arg=[sp.label, state], timeout=timeout,
    )
    return box_state(sp)["chip"]


def box_state(sp: SitePage):
    return sp.page.evaluate(BOX_JS, [sp.label])


def wait_finding(sp: SitePage, excerpt: str, timeout=10_000):
    try:
        return sp.page.wait_for_function(FINDING_JS, arg=[sp.label, excerpt], timeout=timeout).json_value()
    except Exception as exc:
        raise AssertionError(f"no underline for {excerpt!r}; overlay state: {hooks(sp.page)}; text: "
                             f"{editor_text(sp.page, sp.name)!r}; errors: {sp.errors}") from exc


def wait_checked(sp: SitePage, after: int = -1, timeout=10_000):
    """Wait until the box's findings are for its exact current text. after: the box's answer count
    before an edit; the box only reads an edit's text once the edit is verified, so until then its
    old text still looks checked — wait for an answer given since."""
    sp.page.wait_for_function(
        "([label, after]) => { const h = document.querySelector('[data-postguard]');"
        " const b = h && JSON.parse(h.getAttribute('data-pg-boxes') || '[]').find((x) => x.label === label);"
        " return !!b && b.checked && b.state !== 'checking' && b.answers > after; }",
        arg=[sp.label, after], timeout=timeout,
    )
    return box_state(sp)


def wait_card(page, kind=None, timeout=5_000):
    return page.wait_for_function(CARD_JS, arg=[kind], timeout=timeout).json_value()


def wait_focus(page, action: str, timeout=3_000):
    """Wait until keyboard focus is on the card button with this data-action."""
    page.wait_for_function(
        "([a]) => { const h = document.querySelector('[data-postguard]');"
        " const ui = JSON.parse(h.getAttribute('data-pg-ui') || '{}'); return ui.card && ui.card.focused === a; }",
        arg=[action], timeout=timeout,
    )


def card_now(page):
    return page.evaluate(CARD_JS, [None])


def click_card_button(page, action: str):
    card = card_now(page)
    assert card, "no card open"
    found = [b for b in card["buttons"] if b["action"] == action]
    assert len(found) == 1, (action, card["text"], [b["action"] for b in card["buttons"]])
    (btn,) = found
    page.mouse.click(btn["x"], btn["y"])


def post_anyway(page, reason: str | None = None):
    """Confirm card: "Post anyway…", then (a critical finding) the optional reason and "Post anyway"."""
    click_card_button(page, "post-anyway")
    card = eventually(lambda: card_now(page), lambda c: c is None or c.get("step") == "reason", page=page)
    if card and card.get("step") == "reason":
        if reason:
            click_card_button(page, f"reason:{reason}")
        click_card_button(page, "post-confirm")


def type_draft(sp: SitePage, text: str, delay: float = 0):
    focus_editor(sp.page, sp.name)
    sp.page.keyboard.type(text, delay=delay)
    wait_for_editor_text(sp.page, sp.name, text)


def union(rects, keys=("left", "top", "right", "bottom")):
    out = {
        "left": min(r["left"] for r in rects),
        "top": min(r["top"] for r in rects),
        "right": max(r.get("right", r["left"] + r.get("width", 0)) for r in rects),
        "bottom": max(r.get("bottom", r["top"] + r.get("height", 0)) for r in rects),
    }
    return {k: out[k] for k in keys}


def assert_model_intact(sp: SitePage, expected: str):
    wait_for_editor_text(sp.page, sp.name, expected)
    assert editor_text(sp.page, sp.name) == expected
    assert dom_text(sp.page, sp.name) == expected
    assert sp.errors == [], sp.errors


# ------------------------------------------------------------------------------------------------
# tests


@pytest.mark.parametrize("name", ALL)
def test_underlines_exactly_the_term_after_emoji(ext, site_page, name, record_property):
    sp = site_page(name)
    draft = SHORT_CRITICAL if EDITORS[name].library == "textarea" else CRITICAL
    sp.page.evaluate(TIMING_JS, [sp.label, TERM])
    type_draft(sp, draft)
    f = wait_finding(sp, TERM)
    assert f["severity"] == "critical" and f["rule"] == "conf.falcon-ridge"
    # the UTF-16 span the companion returned is exactly the term in the text as typed
    assert u16slice(draft, f["start"], f["end"]) == TERM

    t = sp.page.evaluate("() => window.__pgTiming")
    if t["underline"] and t["lastKey"]:
        # printed at the end of the run (tests/conftest.py), also from pytest-xdist's workers
        record_property("keystroke_to_underline_ms", (name, t["underline"] - t["lastKey"]))

    # the overlay boxes sit on the word (independent measurement from the page)
    word = sp.page.evaluate(WORD_RECTS_JS, [name, TERM])
    assert word, "term not found in the editor DOM"
    got = union(f["rects"])
    want = union(word)
    tol = 3.5 if EDITORS[name].library == "textarea" else 1.5
    assert abs(got["left"] - want["left"]) <= tol, (got, want)
    assert abs(got["right"] - want["right"]) <= tol, (got, want)
    assert got["top"] >= want["top"] - tol and got["bottom"] <= want["bottom"] + tol, (got, want)
    # only the term: no other finding in this draft
    box = box_state(sp)
    assert [x["excerpt"] for x in box["findings"]] == [TERM]
    assert box["chip"]["state"] == "findings" and box["chip"]["visible"]

    # the content script never talked to 127.0.0.1 (the worker did)
    assert sp.loopback_requests() == []
    assert_model_intact(sp, draft)


def test_textarea_underline_follows_wrapping(ext, site_page):
    """A term split over two lines of the Instagram comment textarea gets one box per line."""
    sp = site_page("ig-comment")
    type_draft(sp, CRITICAL)
    f = wait_finding(sp, TERM)
    rects = sorted(f["rects"], key=lambda r: r["top"])
    assert len(rects) == 2 and rects[1]["top"] > rects[0]["top"] + 8
    geo = sp.page.evaluate(
        """([word]) => {
          const el = document.querySelector('[data-fixture-editor="ig-comment"]');
          const cs = getComputedStyle(el), r = el.getBoundingClientRect();
          const c = document.createElement('canvas').getContext('2d');
          c.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          const contentLeft = r.left + el.clientLeft + parseFloat(cs.paddingLeft);
          const v = el.value, i = v.indexOf(word);
          return {contentLeft, firstLeft: contentLeft + c.measureText(v.slice(0, i)).width,
                  ridge: c.measureText('Ridge').width};
        }""",
        [TERM],
    )
    assert abs(rects[0]["left"] - geo["firstLeft"]) <= 3.5  # "Falcon" at the end of line 1
    assert abs(rects[1]["left"] - geo["contentLeft"]) <= 1.5  # "Ridge" starts line 2
    assert abs(rects[1]["width"] - geo["ridge"]) <= 3.5
    assert_model_intact(sp, CRITICAL)


@pytest.mark.parametrize("name", ALL)
def test_card_on_hover_shows_message_and_reason(ext, site_page, name):
    sp = site_page(name)
    type_draft(sp, CRITICAL)
    f = wait_finding(sp, TERM)
    r = f["rects"][0]
    sp.page.mouse.move(r["left"] + r["width"] / 2, r["top"] + r["height"] / 2)
    card = wait_card(sp.page, "finding")
    assert card["findingId"] == f["id"]
    assert f"“{TERM}” is confidential" in card["text"]
    assert f"Why: {WHY}" in card["text"]
    assert f"Matched “{TERM}” exactly." in card["text"]
    actions = [b["action"] for b in card["buttons"]]
    assert {"suggest:0", "suggest:1", "ignore", "more"} <= set(actions)
    assert not any(a.startswith("pause") for a in actions)   # pausing is in the ⋯ menu, not beside Ignore
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    site = SITE_OF[name]
    if site not in {p.stem for p in SCREENSHOTS.glob("*.png")} or name in ("x-post", "fb-post", "li-post", "ig-comment"):
        sp.page.screenshot(path=str(SCREENSHOTS / f"{site}.png"))
    # moving away closes a hover card
    sp.page.mouse.move(5, 5)
    sp.page.wait_for_function(
        "() => { const h = document.querySelector('[data-postguard]'); return !JSON.parse(h.getAttribute('data-pg-ui')).card.open; }",
        timeout=3000,
    )
    assert_model_intact(sp, CRITICAL)


@pytest.mark.parametrize("name", ALL)
def test_card_is_reachable_by_keyboard(ext, site_page, name):
    sp = site_page(name)
    type_draft(sp, CRITICAL)
    wait_finding(sp, TERM)
    sp.page.keyboard.press(CARD_KEY)
    card = wait_card(sp.page, "finding")
    assert card["focused"] == "suggest:0", card  # focus moved into the card, on the first suggestion
    sp.page.keyboard.press("Tab")
    wait_focus(sp.page, "suggest:1")
    sp.page.keyboard.press("Escape")
    sp.page.wait_for_function(
        "(n) => document.activeElement === document.querySelector(`[data-fixture-editor=\"${n}\"]`)", arg=name, timeout=3000
    )
    assert eventually(lambda: card_now(sp.page), lambda c: c is None, page=sp.page) is None
    # typing goes on in the editor
    sp.page.keyboard.press("End")
    sp.page.keyboard.type(" ok")
    assert_model_intact(sp, CRITICAL + " ok")


@pytest.mark.parametrize("name", ALL)
def test_replacement_suggestion_changes_the_model(ext, site_page, name):
    sp = site_page(name)
    draft = "Big news 🎉: Falcon Ridge ships soon"
    type_draft(sp, draft)
    f = wait_finding(sp, TERM)
    r = f["rects"][0]
    sp.page.mouse.move(r["left"] + r["width"] / 2, r["top"] + r["height"] / 2)
    card = wait_card(sp.page, "finding")
    assert [b["label"] for b in card["buttons"] if b["action"] == "suggest:0"] == ["Say “our next blender” instead"]
    answers = box_state(sp)["answers"]
    click_card_button(sp.page, "suggest:0")
    expected = "Big news 🎉: our next blender ships soon"
    assert_model_intact(sp, expected)
    # through the editor's own paste handler (textarea: execCommand, which React sees as input)
    want = EDIT_PATH[EDITORS[name].library]["insert"]
    assert eventually(lambda: hooks(sp.page)["stats"].get("lastEditPath"), lambda v: v == want, page=sp.page) == want
    box = wait_checked(sp, after=answers)
    # the term's finding is gone; "Big news: our next blender ships soon" may still read as news for the
    # company (the second opinion says so on a comment), which is another finding, not this one
    assert [x for x in box["findings"] if x["rule"] == f["rule"]] == []
    # typing afterwards still reaches the model
    sp.page.keyboard.press("Control+End")
    sp.page.keyboard.type(" 🚀 yes")
    assert_model_intact(sp, expected + " 🚀 yes")
    assert hooks(sp.page)["ui"]["unsafe"] is False


@pytest.mark.parametrize("name", ALL)
def test_remove_suggestion_deletes_the_term(ext, site_page, name):
    sp = site_page(name)
    draft = "Loving Falcon Ridge so far"   # only the term: "we launch…" answering someone also speaks for the company
    type_draft(sp, draft)
    wait_finding(sp, TERM)
    sp.page.keyboard.press(CARD_KEY)
    wait_card(sp.page, "finding")
    click_card_button(sp.page, "suggest:1")  # Remove “Falcon Ridge”
    assert_model_intact(sp, "Loving so far")
    want = EDIT_PATH[EDITORS[name].library]["delete"]
    assert eventually(lambda: hooks(sp.page)["stats"].get("lastEditPath"), lambda v: v == want, page=sp.page) == want
    sp.page.keyboard.press("Control+End")
    sp.page.keyboard.type("!")
    assert_model_intact(sp, "Loving so far!")
    assert hooks(sp.page)["ui"]["unsafe"] is False


@pytest.mark.parametrize("name", ALL)
def test_insert_suggestion_appends_the_disclosure_line(ext, site_page, name):
    sp = site_page(name)
    draft = "My TestCo Blender is great"
    type_draft(sp, draft)
    f = wait_finding(sp, "TestCo Blender")
    assert f["rule"] == "base.disclosure.mention" and f["severity"] == "warning"
    sp.page.keyboard.press(CARD_KEY)
    card = wait_card(sp.page, "finding")
    assert [b["label"] for b in card["buttons"] if b["action"] == "suggest:0"] == ["Add the disclosure line"]
    answers = box_state(sp)["answers"]
    click_card_button(sp.page, "suggest:0")
    expected = draft + "\n\nI work at TestCo; views are my own."
    assert_model_intact(sp, expected)
    box = wait_checked(sp, after=answers)
    assert box["findings"] == []
    sp.page.keyboard.type(" Thanks")
    assert_model_intact(sp, expected + " Thanks")


@pytest.mark.parametrize("name", ALL)
def test_clean_draft_shows_nothing(ext, site_page, name):
    sp = site_page(name)
    type_draft(sp, CLEAN)
    box = wait_checked(sp)
    assert box["state"] == "ok" and box["findings"] == []
    assert box["chip"]["state"] == "ok"
    assert card_now(sp.page) is None
    assert_model_intact(sp, CLEAN)


@pytest.mark.parametrize("name", ALL)
def test_post_with_critical_finding_needs_confirmation(ext, site_page, name):
    sp = site_page(name)
    type_draft(sp, CRITICAL)
    wait_finding(sp, TERM)
    post_button(sp.page, name).click()
    card = wait_card(sp.page, "confirm")
    assert TERM in card["text"] and card["text"].count(TERM) == 1   # one sentence, the term once
    assert card["focused"] == "edit"
    settled(sp.page)
    assert posts(sp.page) == []
    # Edit: back to the editor, nothing posted
    click_card_button(sp.page, "edit")
    assert posts(sp.page) == []
    # try again, then Post anyway: the site's own action runs exactly once
    post_button(sp.page, name).click()
    wait_card(sp.page, "confirm")
    post_anyway(sp.page)
    sp.page.wait_for_function("() => window.__posts.length > 0", timeout=5000)
    settled(sp.page)
    assert posts(sp.page) == [{"editor": name, "text": CRITICAL}]
    assert card_now(sp.page) is None
    # the editor works after posting
    focus_editor(sp.page, name)
    sp.page.keyboard.type("next one")
    assert_model_intact(sp, "next one")


@pytest.mark.parametrize("name", [n for n in ALL if EDITORS[n].submit_keys])
def test_keyboard_post_with_critical_finding_needs_confirmation(ext, site_page, name):
    sp = site_page(name)
    (key,) = EDITORS[name].submit_keys
    type_draft(sp, CRITICAL)
    wait_finding(sp, TERM)
    sp.page.keyboard.press(key)
    wait_card(sp.page, "confirm")
    settled(sp.page)
    assert posts(sp.page) == []
    assert editor_text(sp.page, name) == CRITICAL  # the key did not insert a newline either
    sp.page.keyboard.press("Enter")  # the confirm card opens with focus on "Edit"
    sp.page.wait_for_function(
        "(n) => document.activeElement === document.querySelector(`[data-fixture-editor=\"${n}\"]`)", arg=name, timeout=3000
    )
    assert posts(sp.page) == []
    sp.page.keyboard.press(key)
    wait_card(sp.page, "confirm")
    sp.page.keyboard.press("Tab")          # Fix and post, Edit (focused), Post anyway…
    wait_focus(sp.page, "post-anyway")
    sp.page.keyboard.press("Enter")
    wait_focus(sp.page, "reason:approved")  # the optional reason first
    sp.page.keyboard.press("Enter")          # picks "It's approved"
    for _ in range(4):
        sp.page.keyboard.press("Tab")
        if (card_now(sp.page) or {}).get("focused") == "post-confirm":
            break
    wait_focus(sp.page, "post-confirm")
    assert posts(sp.page) == []
    sp.page.keyboard.press("Enter")
    sp.page.wait_for_function("() => window.__posts.length > 0", timeout=5000)
    settled(sp.page)
    assert posts(sp.page) == [{"editor": name, "text": CRITICAL}]


@pytest.mark.parametrize("name", ALL)
def test_clean_post_goes_straight_through(ext, site_page, name):
    sp = site_page(name)
    type_draft(sp, CLEAN)
    wait_checked(sp)
    post_button(sp.page, name).click()
    sp.page.wait_for_function("() => window.__posts.length > 0", timeout=5000)
    assert posts(sp.page) == [{"editor": name, "text": CLEAN}]
    assert card_now(sp.page) is None


@pytest.mark.parametrize("name", ALL)
def test_long_draft_typed_with_the_extension_is_intact(ext, site_page, name, record_property):
    sp = site_page(name)
    enter_posts = "Enter" in EDITORS[name].submit_keys
    sep = " " if enter_posts else "\n"
    lines = [
        "Shift report 🧾 for the team: the new menu went down well, café queue was long 👩🏽‍🍳",
        "Reminder that Falcon Ridge is not public yet, so keep it quiet ✋🏽 e\u0301 – thanks",
        "We will refund anyone whose order was wrong, and my TestCo Blender still rocks 🎉🎉",
        "Numbers: 12, 24, 48; dates 2026-11-23; symbols & < > \" ' % $ # @ done",
    ]
    text = sep.join(lines)
    focus_editor(sp.page, name)
    sp.page.keyboard.type(text, delay=5)
    assert_model_intact(sp, text)
    box = wait_checked(sp)
    # the code name, and the promise on the third line (after emoji); the draft names the product, but
    # "shift report for the team" and "we will refund" say the writer works there: no disclosure
    assert {f["excerpt"] for f in box["findings"]} >= {TERM, "We will refund"}
    assert_model_intact(sp, text)
    stats = hooks(sp.page)["stats"]
    # Every keystroke reached the input handler, but drafts go to the companion only when typing
    # pauses (debounce), not per keystroke. Its cost per keystroke is printed, never asserted
    # (speed belongs to benchmarks).
    assert stats["inputEvents"] >= len(text) // 2
    assert 1 <= stats["checks"] <= stats["inputEvents"] // 10, stats
    record_property("content_script_cost", (name, stats["renderMs"] / stats["renders"], stats["maxRenderMs"],
                                            stats["inputMs"] / stats["inputEvents"]))


def test_content_script_requests_are_visible_to_the_recorder(ext, site_page):
    """Control for the 'no 127.0.0.1 from the page' assertions: a page-side loopback fetch IS seen."""
    sp = site_page("x-post")
    port = ext["companion"].port
    sp.page.evaluate("(p) => fetch(`http://127.0.0.1:${p}/v1/health`).catch(() => null)", port)
    sp.page.wait_for_timeout(300)
    assert any(u.startswith(f"http://127.0.0.1:{port}/") for u in sp.requests)


def test_side_panel_lists_the_active_box_findings(ext, site_page):
    sp = site_page("li-comment")
    type_draft(sp, CRITICAL)
    wait_finding(sp, TERM)
    sw = ext["sw"]
    deadline = time.monotonic() + 5
    tab_id = None
    while time.monotonic() < deadline and tab_id is None:
        reports = sw.evaluate("() => chrome.storage.session.get(null)")
        for key, rep in reports.items():
            if key.startswith("tab:") and rep and rep.get("platform") == "linkedin" and rep.get("findings"):
                tab_id = int(key[4:])
        time.sleep(0.1)
    assert tab_id is not None
    panel = ext["ctx"].new_page()
    try:
        panel.goto(f"chrome-extension://{ext['id']}/sidepanel/index.html?tabId={tab_id}")
        item = panel.locator("#findings li.finding").first
        item.wait_for()
        text = item.inner_text()
        assert f"“{TERM}” is confidential" in text and WHY in text
        assert "Remove “Falcon Ridge”" in text
        panel.locator("#companion:not(:empty)").wait_for()
        assert "Connected" in panel.locator("#companion").inner_text()
    finally:
        panel.close()


def test_reply_context_brings_a_referral_and_its_link_goes_in(ext, site_page):
    """On a reply, the post being answered goes to the companion (replying_to); the referral it
    suggests is offered in the chip's summary card, and "Insert link" appends it to the draft."""
    sp = site_page("x-reply")
    draft = "So sorry to hear that!"
    type_draft(sp, draft)
    box = wait_checked(sp)
    assert box["surface"] == "reply" and box["findings"] == []
    assert "1 referral" in box["chip"]["text"], box["chip"]
    chip = box["chip"]
    sp.page.mouse.click(chip["x"], chip["y"])
    card = wait_card(sp.page, "summary")
    assert "Send the customer to:" in card["text"] and "Repairs" in card["text"]
    click_card_button(sp.page, "ref:0")
    expected = draft + " https://support.testco.example/repairs"
    assert_model_intact(sp, expected)
    sp.page.keyboard.type(" 🙏")
    assert_model_intact(sp, expected + " 🙏")


@pytest.mark.parametrize("name", ["fb-comment", "ig-comment"])
def test_ignore_is_remembered_across_a_remount(ext, site_page, name):
    """Ignore hides that finding for those words in that box; when the site re-mounts the box
    (here: the editor element is taken out of the page and put back), the new box is found again,
    still checked, and the ignore still holds."""
    sp = site_page(name)
    draft = draft_for_editor(name)
    type_draft(sp, draft)
    wait_finding(sp, TERM)
    sp.page.keyboard.press(CARD_KEY)
    wait_card(sp.page, "finding")
    click_card_button(sp.page, "ignore")
    sp.page.wait_for_function(
        "([label]) => { const h = document.querySelector('[data-postguard]');"
        " const b = JSON.parse(h.getAttribute('data-pg-boxes')).find((x) => x.label === label);"
        " return b && b.findings.length === 0; }",
        arg=[sp.label], timeout=5000,
    )
    # the site re-mounts the box
    sp.page.evaluate(
        """(n) => { const el = document.querySelector(`[data-fixture-editor="${n}"]`);
                    const parent = el.parentNode, next = el.nextSibling;
                    el.remove(); return new Promise((r) => setTimeout(() => { parent.insertBefore(el, next); r(); }, 400)); }""",
        name,
    )
    sp.page.wait_for_timeout(200)
    focus_editor(sp.page, name)
    sp.page.keyboard.type(" and my TestCo Blender")
    f = wait_finding(sp, "TestCo Blender")  # the re-found box is checked again...
    assert f["rule"] == "base.disclosure.mention"
    assert [x["excerpt"] for x in box_state(sp)["findings"]] == ["TestCo Blender"]  # ...and Falcon Ridge stays ignored
    assert_model_intact(sp, draft + " and my TestCo Blender")


def draft_for_editor(name):
    return SHORT_CRITICAL if EDITORS[name].library == "textarea" else CRITICAL
