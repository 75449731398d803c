"""Role-play scenarios (issue 17): replies[].practice in the pack, served in /v1/pack in the reader's
language, and `pack lint` refusing a scenario whose own reply is not among the first three suggestions."""

from support import EXAMPLE_PACK
from support import cli_here as cli

SOURCE = EXAMPLE_PACK.read_text(encoding="utf-8")


def lint_with(tmp_path, old, new):
    """`pack lint` on the example pack with `old` (which must be in it) written as `new`."""
    assert old in SOURCE
    path = tmp_path / "pack.yaml"
    path.write_text(SOURCE.replace(old, new), encoding="utf-8")
    return path, cli("pack", "lint", str(path))


def test_the_pack_serves_each_replys_scenarios_in_the_readers_language(client):
    en = {r["id"]: r["practice"] for r in client.get("/v1/pack").get_json()["replies"]}
    bg = {r["id"]: r["practice"] for r in client.get("/v1/pack?lang=bg").get_json()["replies"]}
    assert en["refund-request"][0] == "I was charged twice for my blender, I want my money back."
    assert bg["refund-request"] == ["Таксуваха ме два пъти за блендера, искам си парите обратно."]
    assert all(1 <= len(en[r]) <= 5 and bg[r] and bg[r] != en[r] for r in en)   # every reply: English and Bulgarian


def test_a_scenario_its_reply_is_not_suggested_for_is_refused_at_its_line(tmp_path):
    path, r = lint_with(tmp_path, 'practice: ["Thanks, I love my new toaster, it\'s perfect!"]',
                        'practice: ["When does the store open on Sunday?"]')
    assert r.returncode == 1, r.stdout
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "store open on Sunday" in t)
    assert f"error: {path}:{line}:" in r.stdout, r.stdout
    assert "replies[8].practice[0]: practice message “When does the store open on Sunday?” of reply 'thank-you'" in r.stdout


def test_a_translated_scenario_is_checked_too(tmp_path):
    _, r = lint_with(tmp_path, 'practice: ["Благодаря, обожавам новия си тостер!"]', 'practice: ["Кога отваря магазинът в неделя?"]')
    assert r.returncode == 1, r.stdout
    assert "replies[8].translations.bg.practice[0]: practice message “Кога отваря магазинът в неделя?”" in r.stdout


def test_practice_is_one_to_five_short_messages(tmp_path):
    _, r = lint_with(tmp_path, 'practice: ["Thanks, I love my new toaster, it\'s perfect!"]', "practice: []")
    assert r.returncode == 1 and "replies[8].practice:" in r.stdout, r.stdout
