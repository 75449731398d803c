"""Broken packs fail with file, line and key; good ones compile; nothing unsafe is parsed."""

import textwrap

import pytest

from companion.pack.compiled import load_pack, load_pack_bytes
from companion.pack.errors import PackError
from companion.pack.loader import MAX_PACK_BYTES

GOOD = """\
format: postguard/pack-v1
id: tiny
revision: 3
company:
  name: TinyCo
confidential:
  - term: Blue Heron
    reason: unreleased
rules:
  - id: tone.rude
    kind: phrases
    category: tone
    message: Rude.
    why: Be kind.
    phrases: [calm down]
    examples: {flag: [calm down]}
"""


def problems(text: str, name="pack.yaml"):
    with pytest.raises(PackError) as e:
        load_pack_bytes(textwrap.dedent(text).encode(), name)
    return [str(p) for p in e.value.problems]


def test_good_pack_compiles():
    pack = load_pack_bytes(GOOD.encode(), "pack.yaml")
    assert (pack.id, pack.revision) == ("tiny", 3)
    assert len(pack.sha256) == 64


def test_yaml_syntax_error_names_line():
    out = problems(GOOD.replace("phrases: [calm down]", "phrases: [calm down"))
    assert out[0].startswith("pack.yaml:1") and "YAML syntax" in out[0]


def test_unknown_key_names_line_and_key_and_suggests():
    out = problems(GOOD.replace("    reason: unreleased", "    reason: unreleased\n    severty: critical"))
    assert out == ["pack.yaml:9:5: confidential[0].severty: unknown key (did you mean 'severity'?)"]


def test_bad_enum_value_points_at_the_value():
    out = problems(GOOD.replace("    category: tone", "    category: tone\n    severity: severe"))
    assert len(out) == 1 and out[0].startswith("pack.yaml:13:5: rules[0].severity:") and "'severe'" in out[0]


def test_missing_required_key():
    out = problems(GOOD.replace("revision: 3\n", ""))
    assert out == ["pack.yaml:1:1: 'revision' is a required property"]


def test_aliases_and_merge_keys_are_refused():
    out = problems(GOOD + "referrals: &r []\nreplies: *r\n")
    assert "aliases" in out[0]
    out = problems(GOOD.replace("company:\n  name: TinyCo", "base: &b {name: TinyCo}\ncompany:\n  <<: *b"))
    assert any("alias" in p or "merge" in p for p in out)


def test_python_tags_are_not_executed():
    out = problems(GOOD.replace("name: TinyCo", "name: !!python/object/apply:os.system ['echo hi']"))
    assert out == ["pack.yaml:5:3: company.name: YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed in packs"]


def test_duplicate_keys_are_refused():
    out = problems(GOOD.replace("revision: 3", "revision: 3\nrevision: 4"))
    assert out == ["pack.yaml:4:1: revision: duplicate key"]


def test_bad_regex_is_refused_with_the_reason():
    bad = GOOD.replace("    phrases: [calm down]", "    phrases: [calm down]\n    patterns: ['(a)\\1']")
    out = problems(bad)
    assert len(out) == 1 and "pack.yaml:16:16: rules[0].patterns[0]: invalid RE2 pattern" in out[0] and "RE2" in out[0]


def test_a_word_boundary_beside_a_cyrillic_letter_gets_a_warning_with_file_line():
    """RE2's \\b knows only ASCII letters: "\\bУК-" never matches "УК-25", so lint says so."""
    bad = GOOD.replace("    phrases: [calm down]", "    phrases: [calm down]\n    patterns: ['\\bУК-[0-9]{2}']")
    warned = [str(w) for w in load_pack_bytes(bad.encode(), "pack.yaml").warnings if "non-Latin" in str(w)]
    assert len(warned) == 1 and warned[0].startswith("pack.yaml:16:16: rules[0].patterns[0]: \\b beside a non-Latin")
    fine = GOOD.replace("    phrases: [calm down]", "    phrases: [calm down]\n    patterns: ['\\bGS-[0-9]{2}\\b', 'УК-[0-9]{2}\\b']")
    assert not any("non-Latin" in str(w) for w in load_pack_bytes(fine.encode(), "pack.yaml").warnings)
    # through groups and alternatives: "до 15-ти" ends in a Cyrillic letter on one branch
    grouped = GOOD.replace("    phrases: [calm down]", "    phrases: [calm down]\n    patterns: ['(?:до|do)\\s+[0-9]+-(?:ти|ti)\\b']")
    assert any("non-Latin" in str(w) for w in load_pack_bytes(grouped.encode(), "pack.yaml").warnings)
    latin = GOOD.replace("    phrases: [calm down]", "    phrases: [calm down]\n    patterns: ['\\b(?:до|do)\\s+[0-9]+-(?:ти|ti)(?:[^\\pL]|$)']")
    assert any("non-Latin" in str(w) for w in load_pack_bytes(latin.encode(), "pack.yaml").warnings)
    plain = GOOD.replace("    phrases: [calm down]", "    phrases: [calm down]\n    patterns: ['(?:^|[^\\pL])(?:до|do)\\s+[0-9]+-(?:ти|ti)(?:[^\\pL]|$)']")
    assert not any("non-Latin" in str(w) for w in load_pack_bytes(plain.encode(), "pack.yaml").warnings)


def test_a_context_word_without_letters_is_refused_at_lint_not_at_the_first_check():
    bad = GOOD.replace("    reason: unreleased", "    reason: unreleased\n    requires_context: [revenue, '€']")
    out = problems(bad)
    assert len(out) == 1 and "pack.yaml:9:33: confidential[0].requires_context[1]: '€' has no letters" in out[0]


def test_escalation_topic_must_exist():
    bad = GOOD.replace("    phrases: [calm down]", "    phrases: [calm down]\n    topic: legal")
    out = problems(bad)
    assert any("rules[0].topic: topic 'legal' is not in escalation_matrix" in p for p in out)


def test_a_second_opinion_rule_names_a_category_the_shipped_model_reads():
    """A second_opinion rule of a category the model has no column for would never speak: lint says so."""
    rule = ("  - id: t.model\n    kind: second_opinion\n    category: confidential\n    message: m\n    why: w\n")
    bad = GOOD.replace("rules:\n", "rules:\n" + rule, 1)
    out = problems(bad)
    assert any("rules[0].category: the shipped text model has no 'confidential' column" in p and "personal_data" in p
               for p in out), out
    assert load_pack_bytes(bad.replace("category: confidential", "category: personal_data").encode(), "pack.yaml")


def test_duplicate_rule_ids_across_terms_and_rules():
    bad = GOOD.replace("  - term: Blue Heron", "  - term: Blue Heron\n    id: tone.rude")
    assert any("duplicate rule id 'tone.rude'" in p for p in problems(bad))


def test_reply_placeholders_must_be_declared_and_links_must_exist():
    bad = GOOD + textwrap.dedent("""\
        replies:
          - id: r1
            title: T
            category: refund
            text: "Hi {name}, see {link:nowhere}"
        """)
    out = problems(bad)
    assert any("{name} is not declared" in p for p in out)
    assert any("{link:nowhere} names no referral" in p for p in out)


def test_size_cap_and_encoding(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_PACK_BYTES + 1))
    with pytest.raises(PackError, match="limit"):
        load_pack(big)
    with pytest.raises(PackError, match="not UTF-8"):
        load_pack_bytes(b"id: \xff\xfe", "x.yaml")
    with pytest.raises(PackError, match="cannot read"):
        load_pack(tmp_path / "missing.yaml")


def test_a_first_name_no_dictionary_knows_is_asked_for_as_an_alias():
    """"Flexa Physio" is "Flexa" in most posts; "Summit Peak Resorts" is not just "Summit"."""
    def warned(name: str, aliases: str = "") -> list[str]:
        text = GOOD.replace("  name: TinyCo", f"  name: {name}" + (f"\n  aliases: [{aliases}]" if aliases else ""))
        return [str(w) for w in load_pack_bytes(text.encode(), "pack.yaml").warnings if "shorten" in str(w)]
    assert warned("Flexa Physio") == ["pack.yaml:5:3: company.name: people shorten 'Flexa Physio' to 'Flexa', which is "
                                      "not among the aliases: add it, or a mention by that name needs no disclosure"]
    assert warned("Flexa Physio", "Flexa Physio Ltd, Flexa") == []
    assert warned("Summit Peak Resorts") == [] and warned("Flexa") == []


def test_a_list_is_not_a_pack():
    assert "mapping" in problems("- a\n- b\n")[0]


def test_example_pack_lints_clean(pack):
    assert pack.warnings == []
    assert pack.term_count >= 15


def test_the_compiled_pack_answers_through_typed_properties(pack):
    from companion.engine.replies import Placeholder

    assert pack.title == "NimbusCo social-media policy (example)"
    assert pack.company_profile["name"] == "NimbusCo" and "regions" not in pack.company_profile
    reply = pack.canned_reply("repair-referral")
    assert reply.category == "unhappy_customer" and reply.platforms == ("x", "facebook", "linkedin", "instagram")
    assert reply.placeholders == (Placeholder("customer_name", "Customer's first name", True, max_length=40),)
    assert pack.canned_reply("nope") is None
    assert pack.referral_urls["repairs"].startswith("https://")
    assert pack.guidance("facebook") == ["Move order details to Messenger."]
    built_in = ("confidential", "platform.limit")
    own = [r for r in pack.rules if r.id not in built_in and not r.id.startswith(("builtin.", "base."))]
    assert pack.own_rule_count == len(own) > 0
    assert pack.escalation_matrix[0]["topic"] == "legal_threat"


def test_the_api_and_the_cli_read_the_pack_through_its_properties():
    """`CompiledPack.data` is the pack as written; only companion/pack/ and the cache read it."""
    import re
    from pathlib import Path

    companion = Path(__file__).resolve().parent.parent / "companion"
    for path in [*companion.glob("api/*.py"), companion / "cli.py", *companion.glob("engine/**/*.py")]:
        assert not re.search(r"\bpack\.data\b|\.data\.get\(|\.data\[", path.read_text(encoding="utf-8")), path


def test_one_rule_id_for_a_confidential_term():
    from companion.engine.kinds.confidential import term_id
    from companion.pack.layers import item_id

    assert term_id({"term": "Falcon Ridge (v2)"}) == "conf.falcon-ridge-v2"
    assert term_id({"term": "Falcon Ridge", "id": "conf.fr"}) == "conf.fr"
    assert item_id("confidential", {"term": "Blue Heron"}) == "conf.blue-heron"
    twice = problems("""
        format: postguard/pack-v1
        id: t
        revision: 1
        company: {name: T}
        confidential:
          - {term: Blue Heron, reason: r}
          - {term: blue-heron, reason: r}
        """)
    assert any("duplicate rule id 'conf.blue-heron'" in p for p in twice)


def test_every_kind_has_its_schema_branch():
    """A kind in KINDS that the schema does not know (or the other way round) cannot be written in a pack."""
    from companion.engine.kinds import KINDS
    from companion.pack.validate import schema

    rule = schema()["$defs"]["rule"]
    branches = {b["if"]["properties"]["kind"]["const"] for b in rule["allOf"]}
    assert set(KINDS) == set(rule["properties"]["kind"]["enum"]) == branches
