"""Pack texts in the reader's language: `translations` on rules, confidential terms and replies, picked
by the language a request names (exact tag, then its primary language, then the pack's own words);
lint errors name file, line and key."""

import json
import textwrap

import pytest

from companion.engine.check import CheckRequest, check
from companion.engine.wording import candidates, pick
from companion.pack.compiled import load_pack_bytes
from companion.pack.errors import PackError

PACK = """\
format: postguard/pack-v1
id: tiny
revision: 1
language: en
company:
  name: TinyCo
confidential:
  - term: Blue Heron
    reason: The next kettle.
    translations: {bg: {reason: Следващата кана.}}
rules:
  - id: pd.ticket
    kind: pattern
    category: personal_data
    message: A ticket number.
    why: Tickets name customers.
    suggestions:
      - {label: Remove it, replacement: ""}
      - {label: Ask in private, replacement: "(send it privately)"}
    patterns: ['\\bTK-[0-9]{6}\\b']
    translations:
      bg:
        message: Номер на заявка.
        why: Заявките разкриват клиенти.
        suggestions: [Махнете го, Попитайте насаме]
      pt-BR:
        message: Um número de chamado.
    examples: {flag: [TK-123456]}
replies:
  - id: hello
    title: Say hello
    category: greeting
    text: "Hi {name}!"
    placeholders:
      name: {label: Customer's name, required: true}
    translations:
      bg: {title: Поздрав, placeholders: {name: Име на клиента}}
"""


def compiled(text=PACK):
    return load_pack_bytes(text.encode(), "pack.yaml")


def problems(text):
    with pytest.raises(PackError) as e:
        load_pack_bytes(textwrap.dedent(text).encode(), "pack.yaml")
    return [str(p) for p in e.value.problems]


def finding(pack, text, lang):
    report = check(pack, CheckRequest(text, "x", lang=lang))
    return report.findings[0]


def test_language_tags_match_exactly_then_by_primary_language():
    assert candidates("bg-BG") == ("bg-bg", "bg") and candidates("bg") == ("bg",) and candidates(None) == ()
    table = {"bg": 1, "pt-br": 2}
    assert [pick(table, lang) for lang in ("bg", "bg-BG", "pt-BR", "pt", "en", None)] == [1, 1, 2, None, None, None]


def test_a_rule_speaks_the_readers_language_and_falls_back_to_the_packs():
    pack = compiled()
    # the base policy's reference rule gives way to the pack's own rule on the same words and severity
    assert [f.rule for f in check(pack, CheckRequest("ticket TK-123456", "x")).findings] == ["pd.ticket"]
    bg = finding(pack, "ticket TK-123456", "bg")
    assert (bg.message, bg.why) == ("Номер на заявка.", "Заявките разкриват клиенти.")
    assert [s.label for s in bg.suggestions] == ["Махнете го", "Попитайте насаме"]
    assert [s.replacement for s in bg.suggestions] == ["", "(send it privately)"]    # only the words shown change
    assert finding(pack, "ticket TK-123456", "bg-BG").message == "Номер на заявка."
    partial = finding(pack, "ticket TK-123456", "pt-BR")   # a translation of the message only
    assert (partial.message, partial.why, partial.suggestions[0].label) == ("Um número de chamado.", "Tickets name customers.", "Remove it")
    for lang in ("en", "de", None):
        f = finding(pack, "ticket TK-123456", lang)
        assert (f.message, f.why, f.suggestions[1].label) == ("A ticket number.", "Tickets name customers.", "Ask in private")


def test_a_confidential_terms_reason_in_the_readers_language():
    pack = compiled()
    assert finding(pack, "Blue Heron soon", "bg").why == "Следващата кана."
    assert finding(pack, "Blue Heron soon", "fr").why == "The next kettle."


def test_a_replys_title_and_labels_in_the_readers_language_its_text_unchanged():
    reply = compiled().canned_reply("hello")
    bg = reply.in_language("bg")
    assert (bg.title, bg.placeholders[0].label, bg.text) == ("Поздрав", "Име на клиента", "Hi {name}!")
    assert reply.in_language("de") is reply


def test_lint_points_at_a_wrong_number_of_suggestion_labels():
    out = problems(PACK.replace("suggestions: [Махнете го, Попитайте насаме]", "suggestions: [Махнете го]"))
    assert out == ["pack.yaml:25:9: rules[0].translations.bg.suggestions: has 1 label; the rule has 2 suggestions "
                   "(one label each, in their order)"]


def test_lint_refuses_a_translation_into_the_packs_own_language_and_unknown_keys():
    out = problems(PACK.replace("      pt-BR:", "      en:"))
    assert out == ["pack.yaml:26:7: rules[0].translations.en: 'en' is the pack's own language (language: en): "
                   "its texts are the item's own message, why, reason or title"]
    out = problems(PACK.replace("        why: Заявките", "        wyh: Заявките"))
    assert out == ["pack.yaml:24:9: rules[0].translations.bg.wyh: unknown key (did you mean 'why'?)"]


def test_lint_refuses_a_label_for_a_placeholder_the_reply_lacks_and_a_bad_language_tag():
    out = problems(PACK.replace("placeholders: {name: Име на клиента}", "placeholders: {nmae: Име на клиента}"))
    assert out == ["pack.yaml:37:43: replies[0].translations.bg.placeholders.nmae: the reply has no placeholder 'nmae' (it has: name)"]
    out = problems(PACK.replace("translations: {bg: {reason:", "translations: {Bulgarian: {reason:"))
    assert len(out) == 1 and out[0].startswith("pack.yaml:10:5: confidential[0].translations:") and "Bulgarian" in out[0]


def test_the_bundled_example_pack_has_bulgarian_texts(pack):
    f = check(pack, CheckRequest("Can't wait for Falcon Ridge", "x", lang="bg")).findings[0]
    assert f.why.startswith("Falcon Ridge е кодовото име")
    f = check(pack, CheckRequest("your order NC-482-119305", "x", lang="bg")).findings[0]
    assert f.message == "Номер на поръчка на клиент не бива да се публикува."


def post(client, path, body):
    return client.post(path, data=json.dumps(body), headers={"Content-Type": "application/json"})


def test_the_api_takes_the_readers_language_on_checks_replies_and_the_pack(client):
    body = post(client, "/v1/check", {"text": "order NC-482-119305", "platform": "x", "lang": "bg-BG"}).get_json()
    assert body["findings"][0]["message"] == "Номер на поръчка на клиент не бива да се публикува."
    body = post(client, "/v1/check", {"text": "order NC-482-119305", "platform": "x"}).get_json()
    assert body["findings"][0]["message"] == "A customer order number must not be posted publicly."
    titles = {r["id"]: r["title"] for r in client.get("/v1/pack?lang=bg").get_json()["replies"]}
    assert titles["refund-request"] == "Искане за връщане на парите"
    assert client.get("/v1/pack").get_json()["replies"][1]["title"] == "Refund request"
    suggested = post(client, "/v1/replies/suggest", {"replying_to": "I want a refund", "platform": "x", "lang": "bg"}).get_json()
    assert suggested["replies"][0]["title"] == "Искане за връщане на парите"
    rendered = post(client, "/v1/replies/render", {"reply_id": "refund-request", "platform": "x", "lang": "bg",
                                                   "values": {"customer_name": "Dana", "agent_name": "NC-482-119305"}}).get_json()
    assert rendered["findings"][0]["message"] == "Номер на поръчка на клиент не бива да се публикува."


@pytest.mark.parametrize("lang", ["", "български", "b", "en-" + "x" * 40, 7])
def test_the_api_refuses_what_is_not_a_language_tag(client, lang):
    r = post(client, "/v1/check", {"text": "hi", "platform": "x", "lang": lang})
    assert r.status_code == 400 and "lang" in r.get_json()["error"]["message"]
    assert client.get("/v1/pack?lang=%3Cscript%3E").status_code == 400


def test_the_companions_own_words_follow_the_readers_language(pack):
    """Findings whose words are the companion's, not the pack's: a confidential term's message and fixes,
    the built-in detectors, the customer's data in the conversation, the hand-off, the platform limit."""
    req = CheckRequest("Falcon Ridge ships soon, mail dana@example.com " + "x" * 260, "x", surface="reply",
                       replying_to="call me on +44 20 7946 0018", lang="bg-BG")
    by_rule = {f.rule: f for f in check(pack, req).findings}
    conf = by_rule["conf.falcon-ridge"]
    assert conf.message == "„Falcon Ridge“ е поверително (неизлязъл продукт)."
    assert [s.label for s in conf.suggestions] == ["Кажете „our next blender“ вместо това", "Премахнете „Falcon Ridge“"]
    assert conf.suggestions[0].replacement == "our next blender"
    assert by_rule["builtin.email"].message == "Имейл адрес в публична публикация."
    assert by_rule["builtin.email"].suggestions[0].label == "Премахнете го"
    convo = by_rule["builtin.conversation-data"]
    assert convo.message == "Клиентът сподели публично свои данни: телефонен номер."
    assert "„Преминаване към лични съобщения“" in convo.suggestions[1].label    # the reply's Bulgarian title
    assert by_rule["platform.limit"].message.startswith("Твърде дълго за X:")
    disclosure = check(pack, CheckRequest("NimbusCo blenders are the best", "x", lang="bg")).findings
    [add_line] = [s for f in disclosure if f.category == "disclosure" for s in f.suggestions]
    assert (add_line.label, add_line.insert) == ("Добавете реда, че работите там", "\n\nI work at NimbusCo; opinions are my own.")
    legal = check(pack, CheckRequest("My lawyer will sue you", "x", lang="bg")).findings
    assert any(s.label.startswith("Не отговаряйте: изпратете го на Legal") for f in legal for s in f.suggestions)
    english = {f.rule: f for f in check(pack, CheckRequest(req.text, "x", surface="reply", replying_to=req.replying_to,
                                                               lang="de")).findings}
    assert english["conf.falcon-ridge"].message == "“Falcon Ridge” is confidential (unreleased product)."
    assert english["builtin.conversation-data"].message == "The customer shared their own phone number in public."


def test_every_built_in_text_is_in_bulgarian_with_the_same_blanks():
    import string

    from companion.engine.builtin_text import TEXTS

    assert TEXTS["bg"].keys() == TEXTS["en"].keys()
    blanks = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)   # noqa: E731
    for key, text in TEXTS["en"].items():
        assert blanks(TEXTS["bg"][key]) == blanks(text), key


def test_every_base_policy_rule_speaks_bulgarian_with_the_same_blanks():
    """The base policy is the companion's own wording for every company: each rule's message, why and
    suggestion labels in Bulgarian too, with the same {company} blanks, so a new rule cannot ship English-only."""
    from pathlib import Path

    import yaml

    base = yaml.safe_load((Path(__file__).resolve().parents[1] / "policy_packs/base/base-policy.yaml").read_text("utf-8"))
    for rule in base["rules"]:
        bg = rule.get("translations", {}).get("bg")
        assert bg and bg.get("message") and bg.get("why"), f"{rule['id']} has no Bulgarian message and why"
        assert ("{company}" in rule["message"]) == ("{company}" in bg["message"]), rule["id"]
        assert len(bg.get("suggestions", [])) == len(rule.get("suggestions", [])), rule["id"]


def test_a_base_rule_finding_in_bulgarian(pack):
    report = check(pack, CheckRequest("I know where you live", "x", surface="reply", lang="bg"))
    threat = next(f for f in report.findings if f.rule == "base.escalate.threat")
    assert threat.message.startswith("Заплаха с насилие")
