"""The base policy every pack inherits: layering, overrides, slots, and the smallest useful pack."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from companion.engine.check import CheckRequest, check
from companion.pack.base import base_policy, base_rule_ids
from companion.pack.compiled import load_pack, load_pack_bytes
from companion.pack.errors import PackError
from companion.pack.examples import run_examples
from companion.pack.explain import explain
from companion.pack.validate import validate

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "policy_packs" / "minimal" / "acme-freight.yaml"
README = ROOT / "policy_packs" / "README.md"
TODAY = dt.date(2026, 11, 23)

NAME_ONLY = """\
format: postguard/pack-v1
id: nameonly
revision: 1
company:
  name: Quill Ltd
"""


def rules_of(pack, text, **kw):
    return [f.rule for f in check(pack, CheckRequest(text, kw.pop("platform", "x"), today=TODAY, **kw)).findings]


def test_the_base_policy_is_a_valid_set_of_rules():
    data = {"format": "postguard/pack-v1", "id": "base", "revision": 1, "company": {"name": "Acme"},
            "escalation_matrix": [{"topic": r["topic"], "title": "t", "owner": "o", "contact": "c", "respond_within": "1h"}
                                  for r in {r["topic"]: r for r in base_policy()["rules"] if r.get("topic")}.values()],
            "rules": base_policy()["rules"], "classes": base_policy()["classes"]}
    errors, _ = validate(data, {}, "base-policy.yaml")
    assert not errors, "\n".join(map(str, errors))
    assert all(r["id"].startswith("base.") for r in base_policy()["rules"])


def test_every_base_example_holds_for_the_minimal_pack():
    """Every company's own pack is checked the same way in test_quality.py."""
    results = run_examples(load_pack(MINIMAL), TODAY)
    assert len([r for r in results if r.rule.startswith("base.")]) > 40
    assert not [r for r in results if not r.ok], [(r.rule, r.text) for r in results if not r.ok]


def test_a_minimal_pack_gets_the_whole_base_policy_and_is_in_the_readme():
    pack = load_pack(MINIMAL)
    assert not pack.warnings
    assert {r["id"] for r in pack.base_rules} == base_rule_ids()
    assert MINIMAL.read_text(encoding="utf-8") in README.read_text(encoding="utf-8")
    assert rules_of(pack, "Closing up by myself again, pray for me") == ["base.safety.alone-at-work"]
    assert "base.speak.commitment" in rules_of(pack, "Acme will refund you in full, promise", surface="reply")
    assert "base.escalate.legal" in rules_of(pack, "You'll be hearing from my solicitor", surface="reply")


def test_base_rules_can_be_switched_off_regraded_and_replaced():
    text = NAME_ONLY + textwrap.dedent("""\
        base:
          base.tone.hostile: off
          base.model.tone: off
          base.escalate.press: critical
        rules:
          - id: base.safety.secret-code
            kind: phrases
            category: safety
            message: Our own code rule.
            why: Codes stay private.
            phrases: [gate code]
            examples: {flag: [the gate code]}
        """)
    pack = load_pack_bytes(text.encode(), "pack.yaml")
    assert rules_of(pack, "Calm down, read the manual", surface="reply") == []
    press = check(pack, CheckRequest("I'm a reporter at the Ledger, can you comment for a story?", "x", today=TODAY)).findings
    assert {(f.rule, f.severity, f.detail["layer"]) for f in press} == {("base.escalate.press", "critical", "base")}
    own = check(pack, CheckRequest("the gate code is 4512", "x", today=TODAY)).findings
    assert [(f.rule, f.message, f.detail["layer"]) for f in own] == [("base.safety.secret-code", "Our own code rule.", "pack")]


def test_the_built_in_detectors_come_from_postguard_not_the_company():
    """The card's "how it matched" names the layer: a card number is found by PostGuard itself."""
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    card = check(pack, CheckRequest("refund went to 4111 1111 1111 1111", "x", today=TODAY)).findings
    assert [(f.rule, f.detail["layer"]) for f in card] == [("builtin.card", "base")]


def test_an_unknown_base_rule_is_an_error_with_its_line():
    text = NAME_ONLY + "base:\n  base.tone.hostil: warning\n"
    with pytest.raises(PackError) as e:
        load_pack_bytes(text.encode(), "pack.yaml")
    [problem] = e.value.problems
    assert (problem.line, problem.key) == (7, "base.base.tone.hostil") and "did you mean 'base.tone.hostile'" in problem.message


def test_a_bad_token_pattern_in_a_pack_is_an_error_with_its_line():
    text = NAME_ONLY + "classes:\n  workplace: [sorting hub, '<nonesuch> yard']\n"
    with pytest.raises(PackError) as e:
        load_pack_bytes(text.encode(), "pack.yaml")
    [problem] = e.value.problems
    assert problem.line == 7 and "unknown class <nonesuch>" in problem.message


def test_a_pack_with_no_aliases_or_products_works_and_empty_slots_match_nothing():
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    for text in ("The weather is nice today", "We went to the beach", "products and aliases", "Ltd", "quill pens"):
        assert rules_of(pack, text) == [], text
    assert rules_of(pack, "Quill Ltd makes the best notebooks") == ["base.disclosure.mention"]
    assert "base.speak.commitment" in rules_of(pack, "Quill Ltd will refund everyone, I promise")



def test_vouching_for_the_company_in_a_thread_about_it_needs_a_disclosure_though_the_draft_names_nothing():
    """An employee answering "is Quill any good?" with "best service going" speaks up for their employer;
    the card says so. Not when the thread is about something else, not with a disclosure, not from an
    official account, and a denial ("not true") is left to the dispute and company's-word rules."""
    pack = load_pack_bytes((NAME_ONLY + "  official_accounts: {x: ['@quill']}\n").encode(), "pack.yaml")
    thread = "is Quill Ltd any good for notebooks?"
    for praise in ("yep, best service going", "100% worth it", "honestly can't recommend them enough",
                   "they've always been brilliant with me", "Да, най-добрите са", "preporachvam gi",
                   "yes, it's legit, my cousin won last year", "the app is class, use it daily", "best shop in the country, not even close",
                   "they're sound, they always ring back", "най-коректната фирма в града са"):
        [f] = check(pack, CheckRequest(praise, "x", surface="reply", replying_to=thread, today=TODAY)).findings
        assert f.rule == "base.disclosure.mention" and f.message.startswith("You speak up for Quill Ltd"), praise
    assert rules_of(pack, "yep, best service going", surface="reply", replying_to="any good pizza places open late?") == []
    assert rules_of(pack, "yep, best service going, I work at Quill Ltd", surface="reply", replying_to=thread) == []
    assert rules_of(pack, "yep, best service going", surface="reply", replying_to=thread, account="@quill") == []
    assert rules_of(pack, "that's not true", surface="reply", replying_to="Quill Ltd overcharges everyone") == [
        "base.escalate.dispute-in-reply"]
    bulgarian = check(pack, CheckRequest("струва си", "x", surface="reply", replying_to=thread, today=TODAY, lang="bg"))
    assert bulgarian.findings[0].message.startswith("Защитавате или хвалите Quill Ltd")
    why_not = {line for line in explain(pack, CheckRequest("yep, best service going, I work at Quill Ltd", "x", surface="reply",
                                                           replying_to=thread, today=TODAY)) if "base.disclosure" in line}
    assert any("the draft carries a disclosure" in line for line in why_not), why_not
    why_not = {line for line in explain(pack, CheckRequest("no idea, sorry", "x", surface="reply", replying_to=thread,
                                                           today=TODAY)) if "base.disclosure" in line}
    assert any("neither a praise token nor the model reads the draft as vouching for it" in line for line in why_not), why_not


def test_a_product_named_with_ordinary_words_is_a_mention_only_when_written_as_a_name():
    """"Day Pass" is the company's product; "a day pass at another place" is any day pass."""
    pack = load_pack_bytes((NAME_ONLY + "  products: [Day Pass, Honey Bar]\n").encode(), "pack.yaml")
    assert rules_of(pack, "had a day pass at WorkNest once, nice coffee") == []
    assert rules_of(pack, "the Day Pass is the best deal in town") == ["base.disclosure.mention"]
    assert rules_of(pack, "4pm at the Honey Bar? best smoothies") == ["base.disclosure.mention"]
    # a capital that only starts the sentence is not the name's
    assert rules_of(pack, "Day pass prices everywhere are silly now") == []
    assert rules_of(pack, "DAY PASS sale ends Friday, go go go") == ["base.disclosure.mention"]


def test_a_product_named_after_the_company_is_a_mention_by_its_own_word():
    """"Quill LiftBook" is called "LiftBook"; "Quill Pens" is not called "pens"."""
    pack = load_pack_bytes((NAME_ONLY + "  products: [Quill Ltd LiftBook, Quill Ltd Pens]\n").encode(), "pack.yaml")
    assert rules_of(pack, "LiftBook every time, all the paperwork in one place") == ["base.disclosure.mention"]
    assert rules_of(pack, "pens for the kids' school bags, sorted") == []
    assert rules_of(pack, "LiftBook every time, and I work at Quill Ltd so I would say that") == []


def test_the_company_s_cyrillic_name_typed_in_latin_letters_is_a_mention_where_staff_write_bulgarian():
    """Bulgarian staff type "Келпи" on a phone as "Kelpi"."""
    bulgarian = load_pack_bytes((NAME_ONLY + "  aliases: [Квил]\n  regions: [BG]\n").encode(), "pack.yaml")
    assert rules_of(bulgarian, "Kvil imat nai-dobroto obsluzhvane v grada") == ["base.disclosure.mention"]
    assert rules_of(bulgarian, "rabotya v Kvil i moga da kazha che obsluzhvaneto e dobro") == []


def test_the_words_of_a_link_are_not_the_draft_s_words():
    """"https://acme.example/vault/recover" names a vault without saying anything about one."""
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    assert rules_of(pack, "the reset kit doesn't work: https://help.example/vault/recover") == []
    assert rules_of(pack, "the vault door doesn't work since monday") == ["base.safety.security-gap"]


def test_a_team_hashtag_discloses_and_a_domain_is_no_mention():
    """"#AcmeTeam" says the writer works there; "status.acme.example" is an address, not a mention."""
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    name = pack.data["company"]["name"].replace(" ", "")
    assert rules_of(pack, f"night out with the #{name}Team, best colleagues ever") == []
    assert rules_of(pack, f"night out, #{name} forever") == ["base.disclosure.mention"]
    assert rules_of(pack, f"the status page is at status.{name.lower()}.example/now, worth a look") == []
    # an Instagram handle with a dot looks like a domain, but "@" makes it a name
    assert rules_of(pack, "follow @quill.ltd for the photos") == ["base.disclosure.mention"]
    assert "base.disclosure.mention" not in rules_of(pack, "write to hello@quill.ltd for the photos")


def test_a_handle_named_only_as_where_to_ask_needs_no_disclosure():
    """"no idea, DM @QuillHelp" hands the question to the official team; praise alongside still needs one."""
    pack = load_pack_bytes((NAME_ONLY + "  aliases: ['@QuillHelp']\n  handles: {x: ['@QuillHelp']}\n").encode(), "pack.yaml")
    for text in ("no idea, I'd ask @QuillHelp", "Не знам, питай @QuillHelp директно", "best DM @QuillHelp with your order number"):
        assert rules_of(pack, text, surface="reply") == [], text
    assert rules_of(pack, "ask @QuillHelp, best service going", surface="reply") == ["base.disclosure.mention"]
    assert rules_of(pack, "love what @QuillHelp did for me today", surface="reply") == ["base.disclosure.mention"]
    assert rules_of(pack, "ask Quill Ltd, they know", surface="reply") == ["base.disclosure.mention"]   # the name, not a handle
    assert rules_of(pack, "worth telling @QuillHelp directly, they log it", surface="reply") == []
    for text in ("oof, drop @QuillHelp a DM with photos", "@QuillHelp is who you want for that", "@QuillHelp can check stock for you",
                 "the people at @QuillHelp deal with trade accounts", "their help account is @QuillHelp if you want to DM them",
                 "Пращайте въпроса на @QuillHelp, аз не съм от обслужването"):
        assert rules_of(pack, text, surface="reply") == [], text
    # asking the help account itself, or praising how it handled something, is no hand-off
    assert rules_of(pack, "@QuillHelp can you sort my mam's order?", surface="reply") == ["base.disclosure.mention"]
    assert rules_of(pack, "love how @QuillHelp handled the storm weekend", surface="reply") == ["base.disclosure.mention"]


def test_naming_the_company_in_answer_to_where_do_you_work_is_the_disclosure():
    """"which wholesaler are you at now?" - "Quill Ltd! Coventry site": the answer says the writer works there."""
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    answer = "Quill Ltd has the best service in town"
    for question in ("which wholesaler are you at now?", "where are you working these days?", "Къде работиш сега?"):
        assert rules_of(pack, answer, surface="comment", replying_to=question) == [], question
    assert rules_of(pack, answer, surface="comment", replying_to="what are you working on this week?") == ["base.disclosure.mention"]
    assert rules_of(pack, answer, surface="comment") == ["base.disclosure.mention"]


def test_a_base_topic_missing_from_the_matrix_goes_to_the_social_media_team():
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    # the writer's own threat is also a tone warning (base.tone.own_threat); the hand-off is the escalation's
    [f] = [x for x in check(pack, CheckRequest("I know where you live", "x", today=TODAY)).findings if x.category == "escalation"]
    assert f.detail["topic"] == "threat"
    assert any("your social-media team" in s.label for s in f.suggestions)


def test_referral_links_only_where_a_customer_is_in_sight():
    pack = load_pack(MINIMAL)
    own_life = check(pack, CheckRequest("My parcel from my sister is late again, classic", "x", today=TODAY))
    assert own_life.referrals == []
    answering = check(pack, CheckRequest("So sorry it's late!", "x", surface="reply", replying_to="Where is my parcel?",
                                         today=TODAY))
    assert [r["id"] for r in answering.referrals] == ["tracking"]
    addressed = check(pack, CheckRequest("@jo_bloggs your parcel tracking shows it is late", "x", today=TODAY))
    assert [r["id"] for r in addressed.referrals] == ["tracking"]
    own_handle = check(pack, CheckRequest("@AcmeFreight my parcel is late lol", "x", today=TODAY))
    assert own_handle.referrals == []


def test_a_phrase_repeated_thousands_of_times_gives_a_bounded_answer_that_says_so():
    pack = load_pack(MINIMAL)
    report = check(pack, CheckRequest("Closing up by myself again tonight. " * 3000, "facebook", today=TODAY))
    per_rule = {}
    for f in report.findings:
        per_rule.setdefault(f.rule, []).append(f)
    assert per_rule["base.safety.alone-at-work"]
    for rule, found in per_rule.items():
        assert len(found) <= 100, rule
    assert any((f.detail or {}).get("truncated") == "findings" for f in per_rule["base.safety.alone-at-work"])


def test_answering_as_the_company_is_only_for_drafts_that_answer_someone():
    pack = load_pack(MINIMAL)
    text = "sorry mate, we were two drivers down that day, next delivery fee is on us"
    assert "base.speak.answering-as-company" in rules_of(pack, text, surface="reply",
                                                         replying_to="my parcel never came")
    assert "base.speak.answering-as-company" not in rules_of(pack, text, surface="post")
    official = check(pack, CheckRequest(text, "x", surface="reply", account="@AcmeFreight", today=TODAY))
    assert not [f for f in official.findings if f.category == "speaking_for_company"]


def test_a_we_that_links_the_companys_own_page_hands_the_matter_over():
    pack = load_pack(MINIMAL)
    text = "I work there, we're two drivers down this week, sorry. You can see where it is on {}"
    answering = "base.speak.answering-as-company"
    assert answering not in rules_of(pack, text.format("acme.example/track"), surface="reply", replying_to="where's my parcel")
    assert answering not in rules_of(pack, text.format("https://www.acme.example/track 👍"), surface="reply")
    assert answering in rules_of(pack, text.format("acme.example/tracking-help"), surface="reply",   # not the pack's page
                                 replying_to="where's my parcel")
    assert answering in rules_of(pack, text.format("the website"), surface="reply", replying_to="where's my parcel")


def test_a_denial_is_news_for_the_company_but_a_disclaimer_is_not_a_claim():
    pack = load_pack(MINIMAL)
    assert "base.speak.company-news" in rules_of(pack, "Acme Freight is NOT closing the depot, ignore the rumours")
    disclaimer = rules_of(pack, "I can't speak for Acme Freight, but that sounds rough", surface="comment")
    assert [r for r in disclaimer if r.startswith("base.speak.")] == []


def test_referral_topics_match_in_another_order_and_bulgarian_words_by_stem():
    from companion.engine.normalize import normalize
    from companion.engine.referrals import ReferralChooser

    chooser = ReferralChooser([
        {"id": "cards", "title": "Cards", "url": "https://x.example/cards", "topics": ["stolen card"]},
        {"id": "refunds", "title": "Refunds", "url": "https://x.example/refunds", "topics": ["възстановяване"]},
    ])
    assert [r["id"] for r in chooser.choose(normalize("my card was stolen last night"), None)] == ["cards"]
    assert [r["id"] for r in chooser.choose(normalize("ще ви възстановим сумата"), None)] == ["refunds"]
    assert chooser.choose(normalize("възстание"), None) == []


def test_a_rude_reply_to_a_critic_is_also_a_public_dispute():
    """kinds/follows.py: the tone finding, read with the message answered, becomes a hand-off."""
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    rude = "lol good luck with that"

    def found(replying_to):
        report = check(pack, CheckRequest(rude, "x", surface="reply", replying_to=replying_to, today=TODAY))
        return {f.rule: f for f in report.findings}

    at_critic = found("Quill Ltd is the worst, a total scam")
    tone, dispute = at_critic["base.tone.hostile"], at_critic["base.escalate.rude-reply-to-critic"]
    assert (dispute.start, dispute.end) == (tone.start, tone.end)
    assert dispute.category == "escalation" and dispute.detail["topic"] == "public_dispute"
    assert dispute.detail["follows"] == "base.tone.hostile"
    assert any("your social-media team" in s.label for s in dispute.suggestions)
    assert set(found("Do you open on Sundays?")) == {"base.tone.hostile"}          # rude, but to no critic
    polite = check(pack, CheckRequest("So sorry to hear that, can you DM us?", "x", surface="reply",
                                      replying_to="Quill Ltd is the worst, a total scam", today=TODAY))
    assert not [f for f in polite.findings if f.rule == "base.escalate.rude-reply-to-critic"]


@pytest.mark.parametrize("follows, extra, said", [
    ("escalation", "", ["follows", "its own category"]),                                  # a loop
    ("tone", "when_model: sarcasm", ["when_model", "no 'sarcasm' reading", "critic"]),   # a reading the model lacks
])
def test_a_follows_rule_is_checked_when_the_pack_loads(follows, extra, said):
    bad = NAME_ONLY + textwrap.dedent(f"""\
        rules:
          - id: second-reading
            kind: follows
            follows: {follows}
            category: escalation
            message: m
            why: w
        """) + (f"    {extra}\n" if extra else "")
    with pytest.raises(PackError) as err:
        load_pack_bytes(bad.encode(), "pack.yaml")
    assert all(words in str(err.value) for words in said), str(err.value)


def test_a_phrases_rule_unless_is_token_patterns_like_a_combinations():
    """`unless: ["happy_birthday|congrats|..."]` is one choice of words and phrases in any form, not a
    literal phrase with bars in it (which never matched: birthday wishes to a journalist friend were
    flagged as press enquiries)."""
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    assert "base.escalate.press" in rules_of(pack, "A journalist from the Ledger asked me about Quill Ltd")
    assert "base.escalate.press" not in rules_of(pack, "Congrats to my journalist friend working at the Ledger!")
    assert "base.escalate.press" not in rules_of(pack, "Честит рожден ден на приятелката ми, журналистка от bTV!")
    text = NAME_ONLY + textwrap.dedent("""\
        rules:
          - id: quill.rumour
            kind: phrases
            category: speaking_for_company
            severity: warning
            message: m
            why: w
            phrases: [takeover]
            unless: ["board_game|boardgame"]
        """)
    own = load_pack_bytes(text.encode(), "pack.yaml")
    assert "quill.rumour" in rules_of(own, "the takeover is real")
    assert "quill.rumour" not in rules_of(own, "Takeover, the board games night, was fun")


def test_we_denying_an_accusation_in_a_reply_speaks_for_the_company_but_calling_it_a_lie_does_not():
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    accusation = "Quill Ltd copied our notebook design line by line"
    assert "base.speak.denial-in-reply" in rules_of(pack, "we never copied anything, our designers drew it in 2021",
                                                    surface="reply", replying_to=accusation)
    assert "base.speak.denial-in-reply" in rules_of(pack, "Не сме копирали нищо, това е наш дизайн", surface="reply",
                                                    replying_to="Куил са копирали дизайна ни, крадци")
    assert "base.speak.denial-in-reply" not in rules_of(pack, "That's a lie and you know it", surface="reply",
                                                        replying_to=accusation)
    assert "base.speak.denial-in-reply" not in rules_of(pack, "we never copied anything, our designers drew it",
                                                        surface="reply", replying_to="what did you do this weekend?")


def test_yes_or_no_under_is_it_true_confirms_or_denies_news_for_the_company():
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    rule = "base.speak.confirm-in-reply"
    asked = "Is it true Quill Ltd is closing the Leeds shop?"
    assert rule in rules_of(pack, "nope, total rumour 😂", surface="reply", replying_to=asked)
    assert rule in rules_of(pack, "can't say much but... yes 👀", surface="reply", replying_to=asked)
    assert rule in rules_of(pack, "не е вярно, остава си", surface="comment", replying_to="Вярно ли е, че Quill Ltd затварят?")
    assert rule not in rules_of(pack, "no idea, check their official page", surface="reply", replying_to=asked)
    assert rule not in rules_of(pack, "yes, see you there!", surface="reply", replying_to="are you coming on Friday?")
    assert rule not in rules_of(pack, "nope, total rumour", surface="post")


def test_a_yes_under_is_this_person_your_client_gives_away_that_they_are():
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    rule = "base.pd.client-confirmed-in-reply"
    asked = "is my brother Tom Grady a patient at your practice? saw him in the waiting room"
    assert rule in rules_of(pack, "yes, he's been coming since spring", surface="reply", replying_to=asked)
    assert rule in rules_of(pack, "да, ходи всеки четвъртък", surface="comment", replying_to="Мария Колева клиентка ли е при вас?")
    assert rule not in rules_of(pack, "sorry, we can't confirm who comes to us, ask him", surface="reply", replying_to=asked)
    assert rule not in rules_of(pack, "yes, he's been coming since spring", surface="reply", replying_to="is Tom still doing football?")
    assert rule not in rules_of(pack, "yes, he's been coming since spring", surface="post")


def test_laughing_off_a_legal_threat_is_tone_only_in_answer_to_one():
    """base.tone.legal-brushoff reads the message answered, which a rule's own examples cannot give."""
    pack = load_pack(MINIMAL)
    threat = "I'm taking you to court over this"
    assert "base.tone.legal-brushoff" in rules_of(pack, "go for it, see you in court", surface="reply", replying_to=threat)
    assert "base.tone.legal-brushoff" in rules_of(pack, "пак ли ще ни съдите", surface="reply", replying_to="ще ви дам на съд")
    assert "base.tone.legal-brushoff" in rules_of(pack, "good luck with your lawyer 🙃", surface="reply", replying_to=threat)
    assert "base.tone.legal-brushoff" not in rules_of(pack, "go for it, see you in court", surface="reply")
    assert "base.tone.legal-brushoff" not in rules_of(pack, "Sorry to hear that, I've passed it to our legal team",
                                                        surface="reply", replying_to=threat)
    assert rules_of(pack, "go for it!", surface="reply", replying_to="Should I try the new menu?") == []


def test_answers_to_a_critic_that_dispute_speak_or_sympathise():
    """Under a complaint: contradicting the critic or blaming the customer is a public dispute; the company's
    terms or rights held up, or "sue us then", is the company's answer; sympathy and kindness are neither."""
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    def rules(text, complaint):
        return rules_of(pack, text, surface="reply", replying_to=complaint)
    no_show = "@QuillHelp your truck didn't show this morning and now we're paying staff to sit round"
    assert "base.escalate.dispute-in-reply" in rules("not true, the truck was there 7:02, I was driving it", no_show)
    assert "base.escalate.dispute-in-reply" in rules("не е вярно, бяхме там в 7:05, аз карах", "Камионът ви не дойде сутринта")
    shrank = "Quill Ltd tunics shrank after one wash, rubbish quality"
    assert "base.escalate.dispute-in-reply" in rules("sigurno ne ste gi prali pravilno 😒", shrank)
    assert "base.escalate.dispute-in-reply" in rules("you probably didn't follow the care label properly", shrank)
    assert "base.escalate.dispute-in-reply" not in rules("hope they sort your invoice out quick, that's rubbish to be charged twice",
                                                        "Quill Ltd charged me twice, rubbish")
    court = "You lost our deeds. I'm taking Quill Ltd to the small claims court."
    assert "base.speak.legal-defence" in rules("good luck with that, our terms say we're not liable for contents", court)
    assert "base.speak.legal-dare" in rules("sadete ni togava", "Izgubihte ni kashona, shte vi sadya")
    photo = "that's my photo you've reposted @QuillHelp, credit me or take it down"
    assert "base.speak.denial-in-reply" in rules("mate it's a photo of OUR warehouse, we can use it how we like", photo)
    assert "base.tone.hostile" not in rules("no such thing as a stupid question! yes, they take staples", "do they take staples?")


def test_a_customer_s_goods_and_when_they_come_is_handling_their_case():
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    asked = "Къде е кашонът ни??"
    assert "base.speak.handling-a-case" in rules_of(pack, "кашонът е на камиона, до 16 ч. е при вас", surface="comment", replying_to=asked)
    assert "base.speak.handling-a-case" in rules_of(pack, "@mark_legal both boxes will be on tomorrow's van", surface="reply")
    for text in ("Не знам какво е станало при вас, аз съм шофьор там", "И вие на мен! Още два месеца и съм при вас 💛"):
        assert "base.speak.handling-a-case" not in rules_of(pack, text, surface="comment", replying_to=asked), text


def test_more_hand_offs_to_the_help_account_need_no_disclosure():
    pack = load_pack_bytes((NAME_ONLY + "  aliases: ['@QuillHelp']\n  handles: {x: ['@QuillHelp']}\n").encode(), "pack.yaml")
    for text in ("not sure tbh, best wait for @QuillHelp to answer, they're on till 8",
                 "that's awful. get on to @QuillHelp by DM with your bank statement",
                 "I'd send that straight to @QuillHelp, they'll pick it up"):
        assert "base.disclosure.mention" not in rules_of(pack, text, surface="reply"), text


def test_the_company_beside_a_place_or_a_service_is_no_one_s_health():
    """"Quill Sofia: 3 patients started home dialysis": the company and a site, not a person with a condition."""
    pack = load_pack_bytes(NAME_ONLY.replace("name: Quill Ltd", "name: Renalby\n  aliases: [Renalby Kidney Care]").encode(), "pack.yaml")
    for text in ("Proud of my team at Renalby Sofia: 3 patients started home dialysis this month after training with us.",
                 "Nine years as a dialysis nurse at Renalby Kidney Care in Leeds this month."):
        assert "base.pd.health" not in rules_of(pack, text), text
    assert "base.pd.health" in rules_of(pack, "Get well soon Mary Byrne, back on dialysis after her op")


def test_words_that_look_like_danger_and_are_not():
    """A ship's car deck, a charity collection's coins, advice to test an alarm, a plan that "takes" a
    commission: none is the risk its words suggest; the real thing next to each still is."""
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    asked = "Does Quill let you sleep in your car on the crossing?"
    assert "base.escalate.threat" not in rules_of(pack, "nah, nobody's allowed down on the car deck once you sail",
                                                  surface="comment", replying_to=asked)
    assert "base.escalate.threat" in rules_of(pack, "I'll deck you mate", surface="reply", replying_to="you lot are useless")
    assert "base.safety.cash-routine" not in rules_of(
        pack, "Collecting for the Holyhead lifeboat at the Maritime Museum on Saturday, come say hello and bring coins")
    assert "base.safety.cash-routine" in rules_of(pack, "Taking the raffle money to the bank Friday at 4, about £600 in a bag")
    assert "base.escalate.safety-incident" not in rules_of(
        pack, "reminder to everyone with an elderly parent: test the smoke alarm on the landing while you're round there")
    assert "base.escalate.copyright" not in rules_of(pack, "Nettle plan takes our commission from 12 to 8 per cent")
    assert "base.escalate.copyright" in rules_of(pack, "we took the photo from his Instagram and used it")
    assert "base.safety.alone-at-work" not in rules_of(pack, "Reminder to the lone workers out there: check in, check out, every visit.")


def test_incidents_lawyers_and_one_person_left_on():
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    assert "base.escalate.safety-incident" in rules_of(
        pack, "Our thoughts are with everyone affected by this morning's transport collision near Antrim. "
              "All three patients are being cared for at the Royal Victoria.")
    assert "base.escalate.legal" in rules_of(pack, "family of the patient who died in June have a solicitor now")
    assert "base.escalate.legal" not in rules_of(pack, "my solicitor hasn't rung back about the house")
    assert "base.safety.unstaffed" in rules_of(pack, "Only one marshal on the car deck on the 03:00 tonight. Me.")


def test_put_downs_in_answers_and_posts():
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    assert "base.tone.hostile" in rules_of(pack, "bring a three course meal for all I care", surface="reply",
                                           replying_to="Can I bring my own food on board?")
    assert "base.tone.hostile" in rules_of(pack, "it's literally pinned to the top of our profile", surface="reply",
                                           replying_to="how do I book??")
    assert "base.tone.hostile" not in rules_of(pack, "that's rubbish, what a waste of a day. ring the survey team lead",
                                               surface="reply", replying_to="Waited in all day. Nobody rang. Useless.")
    assert "base.tone.insult" in rules_of(pack, "To the relative who screamed at my colleague today: she doesn't drive "
                                                "the taxi, you absolute walnut")
    assert "base.tone.mock-people" in rules_of(pack, "patient's wife asked if dialysis cleans the kidneys. no Sandra, it replaces them 🙃")
    assert "base.tone.mock-people" not in rules_of(pack, "a customer asked if we open on Sundays, we do now 🙂")


def test_a_family_served_and_a_case_handled():
    pack = load_pack_bytes(NAME_ONLY.encode(), "pack.yaml")
    assert "base.speak.answering-as-company" not in rules_of(
        pack, "We had them for my nan, fitted inside a fortnight and the engineer was lovely", surface="comment",
        replying_to="Anyone used Quill Ltd? Got quoted £3,200")
    assert "base.speak.answering-as-company" in rules_of(
        pack, "found them in lost property, grey case? I'll leave them at reception for his session Thursday",
        surface="reply", replying_to="your Cork unit lost my dad's glasses")
