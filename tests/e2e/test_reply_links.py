"""Links chosen by what the conversation is about (issue 16), in real headless Chromium with the real
extension and side panel against a real companion serving the EXAMPLE pack (its complaint reply says
{link:repairs|service-feedback}): on X, answering the fixture's broken-blender complaint the reply's
link is the repairs page; answering a rude-staff complaint (the post's text replaced in the page
before the box reports it, as another post would read) it is the service-feedback page, and that is
what lands in the editor. POSTGUARD_UPDATE_SCREENSHOTS=1 writes docs/screenshots/reply-link-choice.png."""

from __future__ import annotations

import os

import pytest

from harness import (
    EDITORS,
    SCREENSHOT_DIR,
    editor_text,
    focus_editor,
    open_site,
    page_errors,
    panel_ready,
    wait_for_editor_text,
)
from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    built_extension,
    own_companion_and_extension,
)
from test_sidepanel import Session

REPAIRS = "https://support.nimbusco.example/repairs"
FEEDBACK = "https://nimbusco.example/feedback"
RUDE = "The cashier at your Sofia store was so rude to me when I asked about my order. Terrible service."


def example_pack(folder):
    from companion_process import EXAMPLE_PACK

    return EXAMPLE_PACK


own_companion, ext = own_companion_and_extension("reply-links", pack=example_pack)


def session(ext, customer: str | None) -> Session:
    """Session("x-reply"), with the post being answered saying `customer` (set before the box reports)."""
    s = Session.__new__(Session)
    s.ext, s.name = ext, "x-reply"
    s.page = open_site(ext["ctx"], s.name)
    s.page.wait_for_function("() => !!document.querySelector('[data-postguard]')")
    if customer:
        s.page.locator(EDITORS[s.name].context_selector).first.evaluate("(el, t) => { el.textContent = t; }", customer)
    focus_editor(s.page, s.name)
    s.tab_id = s._tab_id()
    s.panel = ext["ctx"].new_page()
    s.panel.set_viewport_size({"width": 420, "height": 900})
    s.panel.goto(f"chrome-extension://{ext['id']}/sidepanel/index.html?tabId={s.tab_id}")
    panel_ready(s.panel)
    return s


@pytest.mark.parametrize("customer, link, other", [(None, REPAIRS, FEEDBACK), (RUDE, FEEDBACK, REPAIRS)])
def test_the_complaint_replys_link_follows_the_conversation(ext, customer, link, other):
    s = session(ext, customer)
    try:
        s.panel.locator("#conversation:has-text('%s')" % ("so rude" if customer else "blender broke")).wait_for()
        s.open_reply("unhappy-customer", customer_name="Dana", agent_name="Sam")
        assert s.wait_checked().startswith("Checked")
        s.panel.locator("#insert:not([disabled])").wait_for()
        text = s.panel.locator("#preview").inner_text()
        assert link in text and other not in text, text
        if customer and os.environ.get("POSTGUARD_UPDATE_SCREENSHOTS") == "1":
            s.panel.screenshot(path=str(SCREENSHOT_DIR / "reply-link-choice.png"))
        s.panel.click("#insert")
        assert "inserted" in s.insert_status()
        wait_for_editor_text(s.page, s.name, text)
        assert link in editor_text(s.page, s.name)
        assert page_errors(s.page) == []
    finally:
        s.close()
