"""`customer_replies: refer_only` (issue 16) in real headless Chromium with the real extension against
a real companion of this module's own (the test pack with the option): on X, a helpful answer typed
from a personal account to the fixture's broken-blender complaint is underlined, its card's fix
inserts the repairs link into the editor's model, and the fixed draft has no finding left."""

from __future__ import annotations

from test_extension_sites import (  # noqa: F401  (built_extension is an autouse fixture)
    CARD_KEY,
    SitePage,
    assert_model_intact,
    box_state,
    built_extension,
    click_card_button,
    own_companion_and_extension,
    type_draft,
    wait_card,
    wait_checked,
    wait_finding,
)

HELPFUL = "Oh no! Hold the power button for ten seconds, that resets it."
REPAIRS = "https://support.testco.example/repairs"


def refer_only_pack(folder):
    from companion_process import TEST_PACK

    pack = folder / "pack.yaml"
    pack.write_text(TEST_PACK.read_text(encoding="utf-8") + "\ncustomer_replies: refer_only\n", encoding="utf-8")
    return pack


own_companion, ext = own_companion_and_extension("customer-replies", pack=refer_only_pack)


def test_a_personal_answer_to_a_complaint_gets_the_referral_inserted(ext):
    sp = SitePage(ext["ctx"], "x-reply")
    try:
        type_draft(sp, HELPFUL)
        f = wait_finding(sp, HELPFUL)   # the whole answer is underlined
        assert f["rule"] == "builtin.customer-replies" and f["severity"] == "warning", f
        sp.page.keyboard.press(CARD_KEY)
        card = wait_card(sp.page, "finding")
        assert [b["label"] for b in card["buttons"] if b["action"] == "suggest:0"] == ["Add the link to Repairs"], card
        answers = box_state(sp)["answers"]
        click_card_button(sp.page, "suggest:0")
        assert_model_intact(sp, f"{HELPFUL} {REPAIRS}")
        box = wait_checked(sp, after=answers)
        assert not [x for x in box["findings"] if x["rule"] == "builtin.customer-replies"], box["findings"]
        assert sp.loopback_requests() == []
    finally:
        sp.close()
