"""The local records end to end, in real headless Chromium with the real extension and a REAL
companion of this module's own (so the counts are only this test's): fix a finding through a
suggestion, ignore one, mark one wrong with a reason, post anyway past a critical one →
`postguard report --json` counts each exactly once. (A canned reply inserted from the side panel is
not driven here yet: its event is covered by the unit tests and the API tests only.)"""

from __future__ import annotations

import json
import time

from harness import clear_editor, post_button
from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    CARD_KEY,
    SitePage,
    box_state,
    built_extension,
    click_card_button,
    own_companion_and_extension,
    post_anyway,
    type_draft,
    wait_card,
    wait_checked,
    wait_finding,
)

NAME = "x-post"
CONF = "conf.falcon-ridge"
ALONE = "base.safety.alone-at-work"


own_companion, ext = own_companion_and_extension("records")


def card_for(sp, excerpt):
    wait_finding(sp, excerpt)
    sp.page.keyboard.press(CARD_KEY)
    return wait_card(sp.page, "finding")


def open_first_card(sp):
    """Wait until the box's check found something, then open the card from the text."""
    sp.page.wait_for_function(
        "([label]) => { const h = document.querySelector('[data-postguard]');"
        " const b = h && JSON.parse(h.getAttribute('data-pg-boxes') || '[]').find((x) => x.label === label);"
        " return !!b && b.checked && b.findings.some((f) => f.rects.length); }", arg=[sp.label], timeout=10_000)
    sp.page.keyboard.press(CARD_KEY)
    return wait_card(sp.page, "finding")


def report(companion) -> dict:
    return json.loads(companion.cli("report", "--json", "--since", "1d"))


def rule_row(body, rule):
    return next((r for r in body["rules"] if r["rule"] == rule), None)


def test_each_action_is_counted_exactly_once(ext, own_companion):
    sp = SitePage(ext["ctx"], NAME)
    try:
        # 1. fix through a suggestion
        type_draft(sp, "Coming soon: Falcon Ridge")
        card = card_for(sp, "Falcon Ridge")
        assert any(b["action"] == "wrong" for b in card["buttons"])                 # the new control is there
        assert not any(b["action"].startswith("wrong:") for b in card["buttons"])   # its reasons only once opened
        answers = box_state(sp)["answers"]
        click_card_button(sp.page, "suggest:0")
        sp.page.wait_for_function("(n) => window.__editorText(n).includes('our next blender')", arg=NAME)
        # the box reads the edit once the extension has verified it (and counted it as fixed): wait for
        # the check of the new text, or clearing the box now would fail the edit's verification
        wait_checked(sp, after=answers)
        clear_editor(sp.page, NAME)

        # 2. ignore
        type_draft(sp, "Closing the store alone tonight")
        card = open_first_card(sp)
        assert ALONE in json.dumps(card) or "alone" in card["text"].lower()
        click_card_button(sp.page, "ignore")
        sp.page.keyboard.press("Escape")
        clear_editor(sp.page, NAME)

        # 3. "This warning is wrong", with a reason
        type_draft(sp, "Closing the shop alone tonight")
        open_first_card(sp)
        click_card_button(sp.page, "wrong")
        card = wait_reasons(sp.page)
        assert {"wrong:not_a_problem", "wrong:wrong_words", "wrong:allowed_for_me", "wrong:other",
                "wrong:none"} <= {b["action"] for b in card["buttons"]}
        click_card_button(sp.page, "wrong:not_a_problem")
        sp.page.keyboard.press("Escape")
        clear_editor(sp.page, NAME)

        # 4. post anyway past a critical finding
        type_draft(sp, "Coming soon: Falcon Ridge")
        wait_finding(sp, "Falcon Ridge")
        post_button(sp.page, NAME).click()
        wait_card(sp.page, "confirm")
        post_anyway(sp.page)
        sp.page.wait_for_function("() => window.__posts.length > 0", timeout=5000)
        assert sp.errors == [], sp.errors
    finally:
        sp.close()

    # the worker sends after a short pause, the companion writes at most a second later
    deadline = time.monotonic() + 15
    body = report(own_companion)
    while time.monotonic() < deadline and body["totals"]["overridden"] < 1:
        time.sleep(0.3)
        body = report(own_companion)
    time.sleep(2)   # anything counted twice would arrive now
    body = report(own_companion)
    conf, alone = rule_row(body, CONF), rule_row(body, ALONE)
    assert conf and alone, body["rules"]
    assert (conf["fixed"], conf["overridden"], conf["ignored"], conf["wrong"]) == (1, 1, 0, 0), conf
    assert (alone["ignored"], alone["wrong"], alone["fixed"], alone["overridden"]) == (1, 1, 0, 0), alone
    assert (body["totals"]["fixed"], body["totals"]["ignored"], body["totals"]["overridden"],
            body["totals"]["wrong"]) == (1, 1, 1, 1), body["totals"]
    assert conf["shown"] >= 2 and alone["shown"] >= 2       # each draft's finding was shown
    assert body["wrong_reasons"][ALONE]["not_a_problem"] == 1
    assert "Falcon" not in json.dumps(body) and "Closing" not in json.dumps(body)


def wait_reasons(page, timeout=5.0):
    """The card after "This warning is wrong": its reasons come in the next render, not at the click."""
    deadline = time.monotonic() + timeout
    card = wait_card(page, "finding")
    while time.monotonic() < deadline and not any(b["action"].startswith("wrong:") for b in card["buttons"]):
        page.wait_for_timeout(50)     # a Playwright wait, so page events keep flowing
        card = wait_card(page, "finding")
    return card
