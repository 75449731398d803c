"""axe-core over every PostGuard surface, in real headless Chromium against a REAL companion.

axe-core (extension/node_modules/axe-core, a devDependency; its own axe.min.js, no wrapper) is
evaluated into each page and run there; a `serious` or `critical` violation fails the test and is
printed with its nodes. Audited: the in-page chip and finding card, the summary card, the card's ⋯
menu, the confirm dialog (both steps) on a fixture site page; the side panel, the options page, every
tour step and the practice page, each in light and dark colour schemes.

The overlay's shadow root is closed in production; with the test hooks on (as in every e2e test) it
is attached open, the only difference, so axe can read the card and chip users get.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from harness import EXTENSION_DIR, SCREENSHOT_DIR, focus_editor, panel_ready, post_button
from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    CARD_KEY,
    CRITICAL,
    TERM,
    built_extension,
    card_now,
    click_card_button,
    configure,
    eventually,
    site_page,
    type_draft,
    wait_card,
    wait_finding,
)

AXE_JS = Path(EXTENSION_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
SCHEMES = ("light", "dark")

# Runs axe on `include` (a CSS selector, or the whole document) and returns the violations that
# block, each with its nodes' targets and failure summaries, and how many buttons axe looked at (so an
# audit that saw nothing, e.g. a closed shadow root, cannot pass).
RUN_AXE = """async ([include, blocking]) => {
  const context = include ? { include: [[include]] } : document;
  const result = await axe.run(context);
  const seen = (id) => ['passes', 'violations', 'incomplete'].reduce(
    (n, kind) => n + result[kind].filter((r) => r.id === id).reduce((m, r) => m + r.nodes.length, 0), 0);
  return {
    buttons: seen('button-name'),
    violations: result.violations.filter((v) => blocking.includes(v.impact)).map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
    })),
  };
}"""


@pytest.fixture(scope="module")
def ext(browser_context, companion):
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm --prefix extension ci` (axe-core is a devDependency)")
    sw, ext_id = configure(browser_context, companion.port, companion.token(), tourDone={"how": "skipped", "at": 1, "pack": None})
    return {"ctx": browser_context, "sw": sw, "id": ext_id, "companion": companion}


def audit(page, where: str, include: str | None = None) -> list[str]:
    """axe over the page (or one part of it); the blocking violations as printable lines."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))   # CDP evaluation: extension pages' CSP allows it
    found = page.evaluate(RUN_AXE, [include, list(BLOCKING)])
    assert found["buttons"] > 0, f"{where}: axe saw no button at all"
    lines = []
    for v in found["violations"]:
        lines.append(f"{where}: {v['impact']} {v['id']}: {v['help']}")
        lines += [f"    {n['target']}: {n['summary']}" for n in v["nodes"]]
    return lines


def assert_clean(lines: list[str]) -> None:
    if lines:
        print("\n".join(lines))
    assert not lines, "axe-core found serious or critical violations:\n" + "\n".join(lines)


def ext_page(ext, path: str, scheme: str):
    page = ext["ctx"].new_page()
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 760, "height": 1000})
    page.goto(f"chrome-extension://{ext['id']}/{path}")
    return page


OVERLAY = "[data-postguard]"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_card_chip_menu_and_confirm_dialog(ext, site_page, scheme):  # noqa: F811  (site_page: the fixture imported above)
    sp = site_page("x-post")
    sp.page.emulate_media(color_scheme=scheme)
    type_draft(sp, CRITICAL)
    wait_finding(sp, TERM)
    problems = audit(sp.page, f"chip ({scheme})", OVERLAY)

    sp.page.keyboard.press(CARD_KEY)
    wait_card(sp.page, "finding")
    problems += audit(sp.page, f"finding card ({scheme})", OVERLAY)
    click_card_button(sp.page, "more")
    sp.page.wait_for_function(
        "() => !!document.querySelector('[data-postguard]').shadowRoot.querySelector('.menu:not([hidden])')")
    problems += audit(sp.page, f"card menu ({scheme})", OVERLAY)
    sp.page.keyboard.press("Escape")
    sp.page.keyboard.press("Escape")
    eventually(lambda: card_now(sp.page), lambda c: c is None, page=sp.page)

    post_button(sp.page, "x-post").click()
    wait_card(sp.page, "confirm")
    problems += audit(sp.page, f"confirm dialog ({scheme})", OVERLAY)
    click_card_button(sp.page, "post-anyway")
    eventually(lambda: card_now(sp.page), lambda c: c and c.get("step") == "reason", page=sp.page)
    problems += audit(sp.page, f"confirm dialog, reason step ({scheme})", OVERLAY)
    assert_clean(problems)


def test_summary_card(ext, site_page):  # noqa: F811  (site_page: the fixture imported above)
    sp = site_page("x-post")
    type_draft(sp, CRITICAL + " and our order #A-12345")
    wait_finding(sp, TERM)
    focus_editor(sp.page, "x-post")
    sp.page.keyboard.press("Tab")     # the chip follows its box in the tab order
    sp.page.keyboard.press("Enter")
    wait_card(sp.page, "summary")
    assert_clean(audit(sp.page, "summary card", OVERLAY))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_side_panel(ext, site_page, scheme):  # noqa: F811  (site_page: the fixture imported above)
    sp = site_page("x-reply")
    type_draft(sp, CRITICAL)
    wait_finding(sp, TERM)
    panel = ext_page(ext, "sidepanel/index.html", scheme)
    panel_ready(panel)
    problems = audit(panel, f"side panel ({scheme})")
    panel.locator("#reply-list li.reply button").first.click()
    panel.locator("#reply-form:not([hidden])").wait_for()
    problems += audit(panel, f"side panel, reply form ({scheme})")
    assert_clean(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_options_page(ext, scheme):
    page = ext_page(ext, "options/index.html", scheme)
    expect(page.locator("#state")).not_to_be_empty()
    assert_clean(audit(page, f"options ({scheme})"))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_tour_step(ext, scheme):
    page = ext_page(ext, "learn/tour.html", scheme)
    expect(page.locator("#progress")).to_have_text("Step 1 of 5")
    problems = []
    for step in range(1, 6):
        expect(page.locator("#progress")).to_have_text(f"Step {step} of 5")
        problems += audit(page, f"tour step {step} ({scheme})")
        if step < 5:
            page.get_by_role("button", name="Next").click()
    assert_clean(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_practice_page(ext, scheme):
    page = ext_page(ext, "learn/practice.html", scheme)
    expect(page.locator("#verdict")).to_have_text("Not yet: fix what PostGuard found.")
    problems = audit(page, f"practice ({scheme})")
    page.get_by_label("The draft").press("End")   # keyboard: the box, then its findings' suggestions
    page.keyboard.press("Tab")
    problems += audit(page, f"practice, focus moved ({scheme})")
    assert_clean(problems)


def test_the_audit_fails_on_a_real_violation(ext):
    """The audit can fail: an unnamed button and grey-on-grey text put into the overlay's own
    shadow root on the options page are reported, as serious/critical, with where they are."""
    page = ext_page(ext, "options/index.html", "light")
    page.evaluate("""() => {
      const host = document.createElement('div'); host.id = 'probe';
      const root = host.attachShadow({ mode: 'open' });
      root.innerHTML = '<button></button><p style="color:#bbb;background:#fff">hard to read</p>';
      document.body.append(host);
    }""")
    lines = audit(page, "probe", "#probe")
    assert any("critical button-name" in line for line in lines), lines
    assert any("serious color-contrast" in line for line in lines), lines


def test_bulgarian_card_and_panel(make_browser_context, companion, site_page):  # noqa: F811  (site_page: the fixture imported above)
    """Chromium started in Bulgarian (--lang=bg, LANGUAGE=bg): the card, its chip and the side panel's
    finding list speak Bulgarian from _locales/bg, and the pack's text too: the extension sends the
    browser's language with the check and the companion answers with the term's Bulgarian reason from
    the pack's `translations`. Screenshot: docs/screenshots/card-bg.png (with POSTGUARD_UPDATE_SCREENSHOTS=1)."""
    ctx = make_browser_context(extra_args=["--lang=bg"], locale="bg-BG", env={**os.environ, "LANGUAGE": "bg"})
    sw, ext_id = configure(ctx, companion.port, companion.token(), tourDone={"how": "skipped", "at": 1, "pack": None})
    assert sw.evaluate("() => chrome.i18n.getUILanguage()").startswith("bg")
    sp = site_page("x-post", ctx)
    type_draft(sp, CRITICAL)
    wait_finding(sp, TERM)
    sp.page.keyboard.press(CARD_KEY)
    card = wait_card(sp.page, "finding")
    labels = {b["action"]: b["label"] for b in card["buttons"]}
    assert labels["ignore"] == "Пренебрегни", labels
    assert labels["wrong"] == "Това предупреждение е грешно", labels
    assert "поверително · критично" in card["text"].lower(), card["text"]   # the head is upper-cased by CSS
    assert "отваря тази карта от текста" in card["text"], card["text"]
    assert "Защо: неизлязъл продукт до 2027-04-01" in card["text"], card["text"]   # the pack's Bulgarian text
    assert "„Falcon Ridge“ е поверително (неизлязъл продукт)." in card["text"], card["text"]   # the companion's words
    for english in ("Why:", "unreleased product", "Matched", "Remove"):
        assert english not in card["text"], (english, card["text"])
    chip = sp.page.evaluate(
        "() => JSON.parse(document.querySelector('[data-postguard]').getAttribute('data-pg-boxes'))[0].chip.label")
    assert chip.startswith("PostGuard: 1 находка") or "находки" in chip, chip
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    sp.page.screenshot(path=str(SCREENSHOT_DIR / "card-bg.png"))

    reports = sw.evaluate("() => chrome.storage.session.get(null)")   # the box report names the site's tab
    (tab_id,) = {int(k[4:]) for k, rep in reports.items() if k.startswith("tab:") and rep and rep.get("platform") == "x"}
    panel = ctx.new_page()
    panel.goto(f"chrome-extension://{ext_id}/sidepanel/index.html?tabId={tab_id}")
    finding = panel.locator("li.finding").first
    expect(finding).to_contain_text("Поверително · Критично")
    expect(finding).to_contain_text("Защо: неизлязъл продукт до 2027-04-01")
    expect(panel.locator("#replies-title")).to_have_text("Готови отговори")   # the panel's own HTML
    expect(panel.locator("#search")).to_have_attribute("placeholder", "напр. ремонт, възстановяване, извинение")

    # the options page's fixed words (its HTML, through data-i18n): headings, steps with their code, buttons, title
    options = ctx.new_page()
    options.goto(f"chrome-extension://{ext_id}/options/index.html")
    expect(options.locator("#connect-heading")).to_have_text("Свързване с помощната програма")
    expect(options.locator("#posting-heading")).to_have_text("Преди публикуване")
    expect(options.locator("#keys-heading")).to_have_text("Клавиатура")
    expect(options.locator("#step-start")).to_contain_text("Стартирайте помощната програма с ./scripts/run")
    expect(options.locator("#step-start code")).to_have_count(2)
    expect(options.locator("#test")).to_have_text("Проверка на връзката")
    expect(options).to_have_title("Настройки на PostGuard")
    assert options.evaluate("() => document.documentElement.lang") == "bg"
    body = options.locator("main").inner_text()
    for english in ("Connect to the companion", "Before posting", "Paused sites", "Keyboard", "Changes are saved"):
        assert english not in body, (english, body)


LAYER_IS_DARK = ("() => document.querySelector('[data-postguard]').shadowRoot"
                 ".querySelector('.layer').classList.contains('dark')")
CARD_BACKGROUND = ("() => getComputedStyle(document.querySelector('[data-postguard]').shadowRoot"
                   ".querySelector('.card')).backgroundColor")


def test_the_card_follows_a_dark_page_and_passes_the_audit_there(ext, site_page):  # noqa: F811  (site_page: the fixture imported above)
    """The overlay takes the page's side: light on a light page even when the system is dark, dark as soon
    as the site switches to a dark background (X's 'dim' here), and still without a serious axe finding."""
    sp = site_page("x-post")
    sp.page.emulate_media(color_scheme="dark")
    sp.page.evaluate("() => { document.body.style.background = '#ffffff'; }")
    type_draft(sp, CRITICAL)
    wait_finding(sp, TERM)
    assert sp.page.evaluate(LAYER_IS_DARK) is False
    sp.page.evaluate("() => { document.body.style.background = '#15202b'; }")
    sp.page.wait_for_function(LAYER_IS_DARK)
    sp.page.keyboard.press(CARD_KEY)
    wait_card(sp.page, "finding")
    assert sp.page.evaluate(CARD_BACKGROUND) == "rgb(41, 42, 45)"
    assert_clean(audit(sp.page, "finding card on a dark page", OVERLAY))
    sp.page.keyboard.press("Escape")
