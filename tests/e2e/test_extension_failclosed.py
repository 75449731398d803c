"""Fail closed, in real Chromium against a real companion that is stopped and restarted.

* A draft flagged before the companion went away keeps its findings (greyed, "not re-checked") and
  Post is still held; restarting the companion is noticed without a keystroke (the focused box
  probes it) and Post is then held on a fresh check. On X (Draft.js), Facebook (Lexical) and
  LinkedIn (Quill).
* Post re-checks first: restart, click Post at once with the box unfocused (no probe) -> re-checked.
* A draft PostGuard never could check is held with "could not check — Wait / Post anyway";
  notify-only installs never hold.
* A pack update voids the answers of the old pack: a text checked clean before is flagged after the
  update and its post is held.
* The card and the side panel: advice is a tip, not a button; "how it matched" of a combination
  rule reads its words; no referral beside a safety or escalation finding.

Every wait is for an explicit signal from the extension's test hooks (answers applied to a box,
probes made, the card open), never a fixed sleep before asserting absence.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from harness import companion_health, focus_editor, post_button, posts, restart_companion
from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    CARD_KEY,
    CRITICAL,
    TERM,
    SitePage,
    assert_model_intact,
    box_state,
    built_extension,
    card_now,
    click_card_button,
    companion_token,
    configure,
    eventually,
    hooks,
    post_anyway,
    type_draft,
    wait_card,
    wait_finding,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from companion_process import TEST_PACK, CompanionProcess, free_port  # noqa: E402

SITES = ["x-post", "fb-post", "li-post"]

BOX_WHERE_JS = """([label, cond]) => {
  const h = document.querySelector('[data-postguard]');
  const b = h && JSON.parse(h.getAttribute('data-pg-boxes') || '[]').find((x) => x.label === label);
  return !!b && (new Function('b', 'return ' + cond))(b);
}"""


def wait_box(sp: SitePage, cond: str, timeout=15_000) -> dict:
    """Wait until the box's hook state satisfies the JS expression `cond` over `b`; returns it."""
    try:
        sp.page.wait_for_function(BOX_WHERE_JS, arg=[sp.label, cond], timeout=timeout)
    except Exception as exc:
        raise AssertionError(f"box never got to {cond}: {box_state(sp)}") from exc
    return box_state(sp)


def wait_editor_focused(sp: SitePage):
    sp.page.wait_for_function(
        "(n) => document.activeElement === document.querySelector(`[data-fixture-editor=\"${n}\"]`)", arg=sp.name,
        timeout=5000)


def stop_and_type(comp, sp: SitePage, more=" and more") -> dict:
    """Stop the companion, type: the check that follows fails; wait for that answer to be applied."""
    comp.stop()
    n = box_state(sp)["answers"]
    focus_editor(sp.page, sp.name)
    sp.page.keyboard.type(more)
    return wait_box(sp, f"b.answers > {n} && b.state === 'offline'")


@pytest.fixture
def companion_proc(tmp_path):
    comp = CompanionProcess(tmp_path, pack=TEST_PACK)
    yield comp
    comp.stop()


@pytest.mark.parametrize("name", SITES)
def test_flagged_draft_stays_held_while_the_companion_is_away_and_after_it_is_back(make_browser_context, companion_proc, name):
    comp = companion_proc
    ctx = make_browser_context()
    configure(ctx, comp.port, companion_token(comp))
    sp = SitePage(ctx, name)
    try:
        type_draft(sp, CRITICAL)
        wait_finding(sp, TERM)
        # 1. the companion goes away: the finding stays, greyed and marked not re-checked
        box = stop_and_type(comp, sp)
        assert box["stale"] is True and box["kept"] == 1
        (f,) = [f for f in box["findings"] if f["excerpt"] == TERM]
        assert f["stale"] is True and f["rects"], "the underline is still drawn (greyed)"
        assert box["chip"]["short"] == "not running"
        assert "not re-checked" in box["chip"]["text"]
        # 2. Post is held: re-checked first, the companion does not answer, the kept finding holds it
        post_button(sp.page, name).click()
        card = wait_card(sp.page, "confirm")
        assert card["variant"] == "stale", card
        assert TERM in card["text"] and "not re-checked" in card["text"].lower()
        assert posts(sp.page) == []
        click_card_button(sp.page, "edit")
        wait_editor_focused(sp)
        assert posts(sp.page) == []
        # 3. the companion comes back; no keystroke: the focused box's probe notices and re-checks
        probes = hooks(sp.page)["stats"]["probes"]
        restart_companion(comp)
        box = wait_box(sp, "b.state === 'ok' && !b.stale && b.checked")
        assert [f["excerpt"] for f in box["findings"]] == [TERM]
        assert box["chip"]["state"] == "findings"
        assert hooks(sp.page)["stats"]["probes"] > probes
        # 4. Post: held on the fresh answer
        post_button(sp.page, name).click()
        card = wait_card(sp.page, "confirm")
        assert card["variant"] == "findings" and TERM in card["text"]
        assert posts(sp.page) == []
        post_anyway(sp.page)
        sp.page.wait_for_function("() => window.__posts.length > 0", timeout=5000)
        assert posts(sp.page) == [{"editor": name, "text": CRITICAL + " and more"}]
        assert sp.loopback_requests() == []
    finally:
        sp.close()


@pytest.mark.parametrize("name", SITES)
def test_post_right_after_a_restart_is_rechecked_first(make_browser_context, companion_proc, name):
    """No probe can help here (the box is not focused): the post guard itself asks the companion."""
    comp = companion_proc
    ctx = make_browser_context()
    configure(ctx, comp.port, companion_token(comp))
    sp = SitePage(ctx, name)
    try:
        type_draft(sp, CRITICAL)
        wait_finding(sp, TERM)
        stop_and_type(comp, sp)
        sp.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        restart_companion(comp)
        checks = hooks(sp.page)["stats"]["checks"]
        post_button(sp.page, name).click()
        card = wait_card(sp.page, "confirm")
        assert card["variant"] == "findings", card  # answered by the companion, not kept from before
        assert TERM in card["text"] and "not re-checked" not in card["text"]
        assert posts(sp.page) == []
        assert hooks(sp.page)["stats"]["checks"] > checks
        # The guard's answer also tells the page the companion is back, which re-checks the box; the box
        # takes that newer answer, not the guard's, so under load it reads 'offline' a moment longer
        box = wait_box(sp, "b.state === 'ok' && b.stale === false")
        assert box["state"] == "ok" and box["stale"] is False
    finally:
        sp.close()


def _wait_card_closed(page, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while card_now(page) is not None:
        assert time.monotonic() < deadline, f"the card stayed open: {card_now(page)}"
        page.wait_for_timeout(50)


@pytest.mark.parametrize("name", SITES)
def test_draft_never_checked_is_held_as_could_not_check(make_browser_context, name):
    ctx = make_browser_context()
    configure(ctx, free_port())  # nothing listens there
    sp = SitePage(ctx, name)
    draft = "Big news coming for the team"
    try:
        focus_editor(sp.page, name)
        sp.page.keyboard.type(draft)
        wait_box(sp, "b.answers > 0 && b.state === 'offline'")
        post_button(sp.page, name).click()
        card = wait_card(sp.page, "confirm")
        assert card["variant"] == "unchecked"
        assert "PostGuard could not check this draft" in card["text"]
        assert [b["action"] for b in card["buttons"]] == ["wait", "post-anyway"]
        assert card["focused"] == "wait"
        assert posts(sp.page) == []
        click_card_button(sp.page, "wait")
        wait_editor_focused(sp)
        _wait_card_closed(sp.page)   # the card closes on the next frame: wait for it, then look
        assert posts(sp.page) == []
        post_button(sp.page, name).click()
        wait_card(sp.page, "confirm")
        click_card_button(sp.page, "post-anyway")
        sp.page.wait_for_function("() => window.__posts.length > 0", timeout=5000)
        assert posts(sp.page) == [{"editor": name, "text": draft}]
        _wait_card_closed(sp.page)   # the post goes out first, the card closes on the next frame
    finally:
        sp.close()


def test_notify_only_never_holds_even_with_the_companion_away(make_browser_context, companion_proc):
    comp = companion_proc
    ctx = make_browser_context()
    configure(ctx, comp.port, companion_token(comp), notifyOnly=True)
    sp = SitePage(ctx, "x-post")
    try:
        type_draft(sp, CRITICAL)
        wait_finding(sp, TERM)
        box = stop_and_type(comp, sp)
        assert box["stale"] is True  # still shown, greyed
        post_button(sp.page, "x-post").click()
        sp.page.wait_for_function("() => window.__posts.length > 0", timeout=5000)
        assert posts(sp.page) == [{"editor": "x-post", "text": CRITICAL + " and more"}]
        assert card_now(sp.page) is None
    finally:
        sp.close()


NEW_TERM = "Bluebird"


def add_confidential_term(pack: Path, term: str, revision: int) -> None:
    text = pack.read_text(encoding="utf-8")
    assert "revision: 7\n" in text
    text = text.replace("revision: 7\n", f"revision: {revision}\n", 1)
    text = text.replace("confidential:\n", f"confidential:\n  - id: conf.bluebird\n    term: {term}\n    kind: product\n"
                                           f"    reason: unreleased kettle\n", 1)
    pack.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", ["x-post", "li-post"])
def test_a_pack_update_voids_answers_of_the_old_pack(make_browser_context, tmp_path, name):
    """The answer cache is keyed by pack: a text checked clean under revision 7 and checked again
    after revision 8 added a term in it is flagged, and its post held."""
    pack = tmp_path / "pack.yaml"
    shutil.copy(TEST_PACK, pack)
    (tmp_path / "c").mkdir()
    comp = CompanionProcess(tmp_path / "c", pack=pack)
    ctx = make_browser_context()
    configure(ctx, comp.port, companion_token(comp))
    sp = SitePage(ctx, name)
    first = f"The {NEW_TERM} kettle looks great"
    try:
        type_draft(sp, first)
        box = wait_box(sp, "b.state === 'ok' && b.checked")
        assert box["findings"] == []  # revision 7 knows no such term; this answer is now cached
        sp.page.keyboard.type(" today")
        wait_box(sp, "b.state === 'ok' && b.checked")
        assert hooks(sp.page)["stats"]["pack"]["revision"] == 7
        add_confidential_term(pack, NEW_TERM, 8)
        # the companion polls its pack file; the focused box's probe then sees revision 8
        sp.page.wait_for_function(
            "() => { const s = JSON.parse(document.querySelector('[data-postguard]').getAttribute('data-pg-stats'));"
            " return s.pack && s.pack.revision === 8; }", timeout=20_000)
        assert companion_health(comp)["pack"]["revision"] == 8
        # back to the first text (once answered from the cache): asked again under revision 8
        for _ in " today":
            sp.page.keyboard.press("Backspace")
        wait_finding(sp, NEW_TERM)
        post_button(sp.page, name).click()
        card = wait_card(sp.page, "confirm")
        assert NEW_TERM in card["text"]
        assert posts(sp.page) == []
    finally:
        sp.close()
        comp.stop()


SAFETY_DRAFT = "@dana In the parking lot at 4 am, and my blender broke"   # @dana: a customer in sight
LEGAL_DRAFT = "@dana Tell them to talk to my lawyer, my blender broke"


def open_card_for(sp: SitePage, rule: str) -> dict:
    """Open the card of the finding of `rule` with the keyboard (Alt+Shift+Down, then Right)."""
    sp.page.keyboard.press(CARD_KEY)
    card = wait_card(sp.page, "finding")
    box = box_state(sp)
    target = next(f["id"] for f in box["findings"] if f["rule"] == rule)
    for _ in box["findings"]:
        if card["findingId"] == target:
            return card
        sp.page.keyboard.press("ArrowRight")
        sp.page.wait_for_function("([id]) => JSON.parse(document.querySelector('[data-postguard]')"
                                  ".getAttribute('data-pg-ui')).card.findingId !== id", arg=[card["findingId"]])
        card = wait_card(sp.page, "finding")
    raise AssertionError(f"no card for {rule}: {box}")


# The card tests below share one companion (module_companion): none of them stops it or reads its records.


def test_safety_card_shows_a_tip_the_matched_words_and_no_referral(make_browser_context, module_companion):
    comp = module_companion
    ctx = make_browser_context()
    sw, ext_id = configure(ctx, comp.port, companion_token(comp))
    sp = SitePage(ctx, "x-post")
    try:
        type_draft(sp, SAFETY_DRAFT)
        box = wait_box(sp, "b.state === 'ok' && b.checked && b.findings.length > 0")
        assert "1 referral" in box["chip"]["text"], box["chip"]  # the companion did send one (repairs)
        card = open_card_for(sp, "base.safety.night-place")
        text = card["text"]
        assert "Tip: Leave out the time or the place" in text
        assert "[object Object]" not in text
        assert "“parking lot” (place)" in text and "“4 am” (night)" in text
        actions = [b["action"] for b in card["buttons"]]
        assert not any(a.startswith("suggest:") for a in actions), actions  # advice is not a button
        assert not any(a.startswith("ref:") for a in actions) and "Send the customer to" not in text
        # the summary card of this draft offers no referral either
        sp.page.keyboard.press("Escape")
        chip = box_state(sp)["chip"]
        sp.page.mouse.click(chip["x"], chip["y"])
        card = wait_card(sp.page, "summary")
        assert "Send the customer to" not in card["text"]
        assert not any(b["action"].startswith("ref:") for b in card["buttons"])
        # the side panel lists the advice as a tip, not as "(add “” at the end)"
        def reported():
            reports = sw.evaluate("() => chrome.storage.session.get(null)")
            return [int(k[4:]) for k, v in reports.items()
                    if k.startswith("tab:") and v and any(f["rule"] == "base.safety.night-place" for f in v["findings"])]
        tab_ids = eventually(reported, bool, timeout=5, page=sp.page)
        assert tab_ids, sw.evaluate("() => chrome.storage.session.get(null)")
        panel = ctx.new_page()
        panel.goto(f"chrome-extension://{ext_id}/sidepanel/index.html?tabId={tab_ids[0]}")
        item = panel.locator("#findings li.finding[data-severity=warning]").first
        item.wait_for()
        panel_text = panel.locator("#findings").inner_text()
        assert "Tip: Leave out the time or the place" in panel_text
        assert "at the end" not in panel_text and "[object Object]" not in panel_text
        assert panel.locator("#referrals").is_hidden()   # the companion sent one; none beside a safety finding
        panel.close()
    finally:
        sp.close()


def test_escalation_card_has_no_referral_and_its_advice_is_a_tip(make_browser_context, module_companion):
    comp = module_companion
    ctx = make_browser_context()
    configure(ctx, comp.port, companion_token(comp))
    sp = SitePage(ctx, "li-post")
    try:
        type_draft(sp, LEGAL_DRAFT)
        box = wait_box(sp, "b.state === 'ok' && b.checked && b.findings.length > 0")
        assert "referral" in box["chip"]["text"], box["chip"]
        card = open_card_for(sp, "base.escalate.legal")
        assert "Send the customer to" not in card["text"]
        assert not any(b["action"].startswith(("ref:", "suggest:")) for b in card["buttons"])
    finally:
        sp.close()


def test_referrals_are_still_offered_on_an_ordinary_draft(make_browser_context, module_companion):
    comp = module_companion
    ctx = make_browser_context()
    configure(ctx, comp.port, companion_token(comp))
    sp = SitePage(ctx, "fb-post")
    try:
        draft = "@dana Sorry my blender broke, Falcon Ridge"   # addressed to a customer: referrals come
        type_draft(sp, draft)
        wait_finding(sp, TERM)
        card = open_card_for(sp, "conf.falcon-ridge")
        assert "Send the customer to" in card["text"]
        assert any(b["action"] == "ref:0" for b in card["buttons"])
        assert [b["action"] for b in card["buttons"] if b["action"].startswith("suggest:")] == ["suggest:0", "suggest:1"]
    finally:
        sp.close()
