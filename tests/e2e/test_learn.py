"""Learning the policy in real headless Chromium against a REAL companion (tests/data/test_pack.yaml).

* The tour: pairing through the options page opens it (once); its steps come from the pack through
  GET /v1/pack/tour: the categories with the pack's own why texts, a flag and a pass example each, the
  pack's policy_url, ignore / pause / hand over; Skip and Finish are remembered in chrome.storage.local;
  the options page and the side panel open it again.
* Practice: every flag example of one category fixed in the practice box with the card's suggestions,
  each re-checked by the companion (/v1/check through the worker) until it passes; progress shown.

Screenshots of the tour and the practice box (docs/screenshots/ with POSTGUARD_UPDATE_SCREENSHOTS=1).
Extension pages run under MV3's CSP: wait on them with locators, never wait_for_function.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from harness import SCREENSHOT_DIR, service_worker
from test_extension_sites import built_extension, configure  # noqa: F401  (built_extension is an autouse fixture)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from companion_process import TEST_PACK, CompanionProcess  # noqa: E402

POLICY_URL = "https://intranet.testco.example/social-media-policy"


def ext_url(ext_id: str, path: str) -> str:
    return f"chrome-extension://{ext_id}/{path}"


def stored(sw, key):
    return sw.evaluate("(k) => chrome.storage.local.get(k)", key).get(key)


def wait_stored(sw, key, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = stored(sw, key)
        if value is not None:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{key} was never stored")


def test_pairing_opens_the_tour_built_from_the_pack(make_browser_context, companion):
    ctx = make_browser_context()
    sw, ext_id = configure(ctx, companion.port)   # no token yet: the user pairs
    opts = ctx.new_page()
    opts.goto(ext_url(ext_id, "options/index.html"))
    opts.get_by_label("Pairing code").fill(companion.pairing_code())
    with ctx.expect_page() as opened:
        opts.get_by_role("button", name="Pair", exact=True).click()
    tour = opened.value
    assert tour.url == ext_url(ext_id, "learn/tour.html")
    expect(opts.locator("#pair-result")).to_contain_text("Paired with the companion")

    tour.set_viewport_size({"width": 760, "height": 1000})
    expect(tour.locator("#step-title")).to_have_text("What PostGuard checks")
    expect(tour.locator("#step-title")).to_be_focused()          # a screen reader hears each step
    expect(tour.locator("#progress")).to_have_text("Step 1 of 5")
    conf = tour.locator('.cat[data-category="confidential"]')
    expect(conf).to_contain_text("unreleased product until 2027-04-01")   # the term's own reason
    expect(tour.locator('.cat[data-category="personal_data"]')).to_contain_text(
        "Order numbers identify customers and their purchases")            # the pack's rule's why
    expect(tour.locator('.cat[data-category="safety"]')).to_be_visible()  # the base policy's, too
    expect(tour.get_by_role("button", name="Back")).to_be_disabled()

    tour.get_by_role("button", name="Next").click()
    expect(tour.locator("#step-title")).to_have_text("What it flags, and what it lets pass")
    conf = tour.locator('.cat[data-category="confidential"]')
    expect(conf.locator(".example.flag")).to_have_text("Flagged:“Falcon Ridge ships soon”")
    expect(conf.locator(".example.pass")).to_have_text("Fine:“Falcon Ridge State Park trail”")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    tour.screenshot(path=str(SCREENSHOT_DIR / "tour.png"), full_page=True)

    tour.get_by_role("button", name="Next").click()
    expect(tour.locator("#step-title")).to_have_text("Where to read the policy")
    expect(tour.get_by_role("link", name="Read PostGuard end-to-end test pack")).to_have_attribute("href", POLICY_URL)
    tour.get_by_role("button", name="Next").click()
    expect(tour.locator("#step-title")).to_have_text("Ignore, pause, hand over")
    for words in ("Ignore button", "⋯ menu pauses PostGuard", "Send to"):
        expect(tour.locator("#step-body")).to_contain_text(words)
    tour.get_by_role("button", name="Next").click()
    expect(tour.get_by_role("link", name="Open the practice box")).to_have_attribute("href", "practice.html")
    expect(tour.get_by_role("button", name="Skip the tour")).to_be_hidden()
    tour.get_by_role("button", name="Finish").click()
    expect(tour.locator("#status")).to_contain_text("That is the tour")
    done = wait_stored(sw, "tourDone")
    assert done["how"] == "finished" and done["pack"] == {"id": "postguard-test-pack", "revision": 7}

    # reachable again from the options page; Skip is remembered too
    with ctx.expect_page() as again:
        opts.get_by_role("link", name="Take the tour").click()
    again.value.get_by_role("button", name="Skip the tour").click()
    expect(again.value.locator("#status")).to_contain_text("Tour skipped")
    deadline = time.monotonic() + 5
    while stored(sw, "tourDone")["how"] != "skipped" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert stored(sw, "tourDone")["how"] == "skipped"

    # and from the side panel
    panel = ctx.new_page()
    panel.goto(ext_url(ext_id, "sidepanel/index.html"))
    with ctx.expect_page() as from_panel:
        panel.get_by_role("link", name="Tour of the policy").click()
    expect(from_panel.value.locator("#step-title")).to_have_text("What PostGuard checks")


def test_a_second_pairing_does_not_open_the_tour_again(make_browser_context, companion):
    ctx = make_browser_context()
    sw, ext_id = configure(ctx, companion.port, tourDone={"how": "skipped", "at": 1, "pack": None})
    opts = ctx.new_page()
    opts.goto(ext_url(ext_id, "options/index.html"))
    opts.get_by_label("Pairing code").fill(companion.pairing_code())
    opts.get_by_role("button", name="Pair", exact=True).click()
    expect(opts.locator("#pair-result")).to_contain_text("Paired with the companion")
    opts.wait_for_timeout(500)
    assert [p.url for p in ctx.pages if "learn/tour.html" in p.url] == []


def test_practice_fixes_every_example_of_one_category(browser_context, companion):
    sw, ext_id = configure(browser_context, companion.port, companion.token())
    page = browser_context.new_page()
    page.set_viewport_size({"width": 760, "height": 1000})
    page.goto(ext_url(ext_id, "learn/practice.html"))
    expect(page.get_by_label("What to practise")).to_have_value("confidential")
    drafts = page.locator("#drafts li")
    expect(drafts).to_have_count(5)     # the pack's own two terms first, then the base policy's three
    expect(page.locator("#progress")).to_have_text("0 of 5 fixed")
    box = page.get_by_label("The draft")
    expect(box).to_have_value("Falcon Ridge ships soon")
    expect(page.locator("#verdict")).to_have_text("Not yet: fix what PostGuard found.")
    finding = page.locator('#findings .finding[data-rule="conf.falcon-ridge"]')
    expect(finding).to_contain_text("unreleased product until 2027-04-01")   # the test pack's reason: the companion's answer
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "practice.png"), full_page=True)

    # the card's suggestion fixes it; the companion checks the fixed draft and it passes
    finding.get_by_role("button", name="Say “our next blender” instead").click()
    expect(box).to_have_value("our next blender ships soon")
    expect(page.locator("#verdict")).to_have_text("Passes: nothing to fix.")
    expect(page.locator("#progress")).to_have_text("1 of 5 fixed")
    expect(drafts.nth(0)).to_have_attribute("data-done", "true")

    page.get_by_role("button", name="Next draft").click()
    expect(box).to_have_value("#FalconRidge")
    page.locator('#findings .finding[data-rule="conf.falcon-ridge"]').get_by_role("button", name="Remove “FalconRidge”").click()
    expect(page.locator("#verdict")).to_have_text("Passes: nothing to fix.")
    expect(page.locator("#progress")).to_have_text("2 of 5 fixed")

    # the base policy's drafts (news not announced yet) have no suggestion: fixed by rewriting them
    for done in (3, 4, 5):
        page.get_by_role("button", name="Next draft").click()
        expect(page.locator('#findings .finding[data-rule="base.conf.unannounced"]')).to_have_count(1)
        box.fill("Nothing to share yet, follow the official page for updates")
        expect(page.locator("#verdict")).to_have_text("Passes: nothing to fix.")
        expect(page.locator("#progress")).to_have_text("All 5 fixed. Well done." if done == 5 else f"{done} of 5 fixed")
    expect(page.get_by_role("button", name="Next draft")).to_be_disabled()

    # by editing: another category's draft typed clean passes too
    page.get_by_label("What to practise").select_option("personal_data")
    expect(box).to_have_value("Your order NC-482-119305 ships tomorrow")
    expect(page.locator("#verdict")).to_have_text("Not yet: fix what PostGuard found.")
    box.fill("Please check the official support page for your order details")
    expect(page.locator("#verdict")).to_have_text("Passes: nothing to fix.")
    expect(page.locator("#progress")).to_contain_text("1 of ")



def test_roleplay_answers_a_customer_with_a_canned_reply(browser_context, companion):
    """A scenario end to end: the test pack's practice message, the companion's suggestions, the picked
    reply filled in and re-checked by /v1/replies/render: an unreleased product's name in a value is
    confidential (critical, blocked); a private message instead passes and the scenario is done."""
    sw, ext_id = configure(browser_context, companion.port, companion.token())
    page = browser_context.new_page()
    page.set_viewport_size({"width": 760, "height": 1400})
    page.goto(ext_url(ext_id, "learn/practice.html"))
    section = page.get_by_role("region", name="Role-play: answer a customer")
    expect(section).to_be_visible()
    expect(section.locator("#rp-scenarios li")).to_have_count(2)      # the test pack's two practice messages
    expect(section.locator("#rp-progress")).to_have_text("0 of 2 answered")
    section.get_by_role("button", name="Next customer").click()
    message = "Where is my order? The delivery was due on Monday."
    expect(section.locator("#rp-message")).to_have_text(message)

    section.get_by_role("button", name="Suggest replies").click()
    suggested = section.locator("#rp-replies button")
    expect(suggested.first).to_have_text("Order follow-up")              # the companion's ranking, first
    suggested.first.click()
    section.get_by_label("Customer's first name").fill("Dana")
    expect(section.get_by_label('Order (say "your order" in public)')).to_have_value("your order")
    section.get_by_label("Callback number or channel").fill("the Falcon Ridge team")
    section.get_by_role("button", name="Check this reply").click()
    expect(section.locator("#rp-verdict")).to_have_text("Blocked: the side panel would not insert this reply.")
    expect(section.locator('#rp-findings .finding[data-rule="conf.falcon-ridge"]')).to_have_attribute("data-severity", "critical")
    expect(section.locator("#rp-progress")).to_have_text("0 of 2 answered")

    section.get_by_label("Callback number or channel").fill("a private message")
    section.get_by_role("button", name="Check this reply").click()
    expect(section.locator("#rp-verdict")).to_have_text("Nothing blocking: this reply could go out.")
    expect(section.locator("#rp-text")).to_have_text(
        "Hi Dana, thanks for your patience. About your order: our team will call you back at a private message.")
    expect(section.locator("#rp-progress")).to_have_text("1 of 2 answered")
    expect(section.locator("#rp-scenarios li").nth(1)).to_have_attribute("data-done", "true")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "roleplay.png"), full_page=True)

def test_what_changed_after_a_new_revision_is_shown_once(make_browser_context, tmp_path):
    pack = tmp_path / "pack.yaml"
    original = TEST_PACK.read_text(encoding="utf-8")
    pack.write_text(original, encoding="utf-8")
    (tmp_path / "state").mkdir()
    comp = CompanionProcess(tmp_path / "state", pack=pack)
    try:
        ctx = make_browser_context()
        sw, ext_id = configure(ctx, comp.port, comp.token())
        panel = ctx.new_page()
        panel.goto(ext_url(ext_id, "sidepanel/index.html"))
        wait_stored(sw, "packSeen")                       # the first pack is acknowledged silently
        assert stored(sw, "packSeen") == {"id": "postguard-test-pack", "revision": 7}
        expect(panel.locator("#digest")).to_be_hidden()

        # IT publishes revision 8: a new term, a changed rule, a new reply and link
        new = original.replace("revision: 7", "revision: 8").replace(
            "confidential:\n", "confidential:\n  - id: conf.kestrel\n    term: Project Kestrel\n"
            "    reason: The smart oven, unannounced until its launch event.\n", 1).replace(
            "message: A customer order number must not be posted publicly.",
            "message: Never post a customer's order number.").replace(
            "referrals:\n", "referrals:\n  - {id: careers, title: Careers at TestCo, url: https://careers.testco.example, topics: [job, hiring]}\n", 1)
        pack.write_text(new, encoding="utf-8")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            health = json.load(urllib.request.urlopen(f"{comp.base}/v1/health"))
            if health["pack"] and health["pack"]["revision"] == 8:
                break
            time.sleep(0.2)
        assert health["pack"]["revision"] == 8, comp.log()

        panel.reload()
        digest = panel.locator("#digest")
        expect(digest).to_be_visible()
        expect(digest.get_by_role("heading", name="What changed in your policy (revision 8)")).to_be_visible()
        expect(digest).to_contain_text("A new confidential term: The smart oven, unannounced until its launch event.")
        expect(digest).not_to_contain_text("Kestrel")    # by its reason, never its name
        expect(digest).to_contain_text("Rule changed: Never post a customer's order number.")
        expect(digest).to_contain_text("Link added: Careers at TestCo (https://careers.testco.example)")
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        panel.screenshot(path=str(SCREENSHOT_DIR / "what-changed.png"))

        # the options page shows it too, until it is acknowledged in one of them
        opts = ctx.new_page()
        opts.goto(ext_url(ext_id, "options/index.html"))
        expect(opts.locator("#digest")).to_contain_text("The smart oven")
        panel.bring_to_front()
        digest.get_by_role("button", name="Got it").click()
        expect(digest).to_be_hidden()
        expect(opts.locator("#digest")).to_be_hidden()
        assert stored(sw, "packSeen") == {"id": "postguard-test-pack", "revision": 8}
        panel.reload()
        panel.locator("#companion").filter(has_text="revision 8").wait_for()
        expect(panel.locator("#digest")).to_be_hidden()   # once
    finally:
        comp.stop()


def open_page(ctx, url):
    """A new tab on `url`. Chrome may start the unpacked extension again as a fresh install on the same
    profile, and its first-run options page then takes over the blank tab being navigated: open
    another one."""
    for attempt in range(3):
        page = ctx.new_page()
        try:
            page.goto(url)
            return page
        except PlaywrightError as e:
            if "interrupted by another navigation" not in str(e) or attempt == 2:
                raise


def test_what_changed_survives_restarts_of_the_companion_and_the_browser(make_browser_context, tmp_path):
    """Revision 8 is published while the browser and the companion are both stopped; the companion is
    restarted twice (the digest is computed from the last run's saved pack, then read back from the
    state folder), and the browser, started again on the same profile, shows it once."""
    pack, profile = tmp_path / "pack.yaml", tmp_path / "profile"
    original = TEST_PACK.read_text(encoding="utf-8")
    pack.write_text(original, encoding="utf-8")
    (tmp_path / "state").mkdir()
    comp = CompanionProcess(tmp_path / "state", pack=pack)
    try:
        ctx = make_browser_context(user_data_dir=profile)
        sw, ext_id = configure(ctx, comp.port, comp.token())
        ctx.new_page().goto(ext_url(ext_id, "sidepanel/index.html"))
        wait_stored(sw, "packSeen")
        assert stored(sw, "packSeen") == {"id": "postguard-test-pack", "revision": 7}
        ctx.close()                                      # the browser is closed ...
        comp.stop()                                      # ... and so is the companion

        pack.write_text(original.replace("revision: 7", "revision: 8").replace(
            "referrals:\n", "referrals:\n  - {id: careers, title: Careers at TestCo, url: https://careers.testco.example, topics: [job, hiring]}\n", 1),
            encoding="utf-8")
        comp.restart()                                   # starts on revision 8: the digest from the saved revision 7
        changes = tmp_path / "state" / "state" / "postguard" / "last-good" / "changes.json"
        kept = json.loads(changes.read_text(encoding="utf-8"))
        assert kept["from"]["revision"] == 7 and kept["to"]["revision"] == 8, kept
        comp.stop()
        comp.restart()                                   # and again: the digest read back from the state folder

        ctx = make_browser_context(user_data_dir=profile)   # the same profile: packSeen is still revision 7
        panel = open_page(ctx, ext_url(ext_id, "sidepanel/index.html"))
        digest = panel.locator("#digest")
        expect(digest.get_by_role("heading", name="What changed in your policy (revision 8)")).to_be_visible()
        expect(digest).to_contain_text("Link added: Careers at TestCo (https://careers.testco.example)")
        digest.get_by_role("button", name="Got it").click()
        expect(digest).to_be_hidden()

        comp.stop()
        comp.restart()                                   # the kept digest again, but acknowledged: not shown
        panel.reload()
        panel.locator("#companion").filter(has_text="revision 8").wait_for()
        expect(panel.locator("#digest")).to_be_hidden()
        sw, _ = service_worker(ctx)
        assert stored(sw, "packSeen") == {"id": "postguard-test-pack", "revision": 8}
    finally:
        comp.stop()
