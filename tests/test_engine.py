"""The check engine on the example pack: each rule kind, spans in UTF-16, dates, roles, referrals."""

import datetime as dt
import random

from companion.engine.check import CheckRequest, check, findings_of
from companion.engine.normalize import utf16_slice


def run(pack, text, platform="facebook", surface="post", today=dt.date(2026, 11, 23), **kw):
    return check(pack, CheckRequest(text, platform, surface, today=today, **kw))


def rules(report):
    return [f.rule for f in report.findings]


def test_typo_term_found_with_utf16_span_after_emoji(pack):
    text = "🚀🎉 e\u0301 Can't wait for Projct Falcn Ridge!"
    f = run(pack, text).findings[0]
    assert f.rule == "conf.falcon-ridge" and f.severity == "critical"
    assert utf16_slice(text, f.start, f.end) == f.excerpt == "Projct Falcn Ridge"
    assert f.start == text.index("Projct") + 2      # two astral emoji = two extra UTF-16 code units
    assert f.detail == {"match": "fuzzy", "matched": "Project Falcon Ridge", "distance": 2}
    assert "2027-04-01" in f.why
    assert [s.replacement for s in f.suggestions] == ["our next blender", ""]


def test_emoji_inside_the_match_span(pack):
    text = "FalconRidge🚀 Fal\u200bcon Ri\u200bdge"
    found = run(pack, text).findings
    assert [utf16_slice(text, f.start, f.end) for f in found] == ["FalconRidge", "Fal\u200bcon Ri\u200bdge"]


def test_public_after_uses_the_check_date(pack):
    text = "The Falcon Ridge launch is near"
    assert "conf.falcon-ridge" in rules(run(pack, text, today=dt.date(2027, 3, 31)))
    assert "conf.falcon-ridge" not in rules(run(pack, text, today=dt.date(2027, 4, 1)))
    assert "conf.aurora-air" not in rules(run(pack, "Aurora Air rocks #NimbusEmployee"))


def test_allowed_look_alikes_and_required_context(pack):
    assert rules(run(pack, "Hiking Falcon Ridge State Park")) == []
    assert rules(run(pack, "Juniper berries in my gin")) == []
    found = run(pack, "The Juniper app beta is great").findings
    assert found[0].rule == "conf.juniper" and found[0].detail["context"] == ["app", "beta"]
    typo = run(pack, "The Junipr app beta is great").findings
    assert typo[0].rule == "conf.juniper" and typo[0].detail["match"] == "fuzzy" and typo[0].excerpt == "Junipr"
    assert rules(run(pack, "Junipr berries in my gin")) == []     # a typo needs the context word as much


def test_an_allowed_word_that_is_the_code_name_itself_allows_the_ordinary_word_only():
    """A pack that allows "compass" beside the code name Compass allows the word: "Compass" written as a
    name, beside its context words, is the code name, and so is "compass" typed in lower case the way
    staff type a tool they use every day; "my compass", "a compass", "compass-shaped" and another form
    ("starlings") stay the ordinary word."""
    from companion.pack.compiled import compile_pack
    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"},
            "confidential": [{"term": "Compass", "reason": "rota app", "requires_context": ["shift", "depot"],
                              "allow": ["compass", "moral compass"]},
                             {"term": "Starling", "reason": "code name", "requires_context": ["sign", "nesting"],
                              "allow": ["starlings"]}]}
    pack = compile_pack(data)
    assert "conf.compass" in rules(run(pack, "Compass has me on the late shift all week"))
    assert rules(run(pack, "so glad my compass app shows the depot, I'd be lost")) == []   # the word, with "my"
    assert "conf.compass" in rules(run(pack, "compass has me on the late shift all week"))
    assert "conf.compass" in rules(run(pack, "swapped shifts on compass again, depot's a mess"))
    assert rules(run(pack, "bought a compass for the depot walk")) == []
    assert rules(run(pack, "compass-shaped sign over the depot door")) == []
    assert rules(run(pack, "Compass in my pocket, off hiking")) == []                     # no context word
    assert rules(run(pack, "her Moral Compass is broken, shift or no shift")) == []       # a longer allowed phrase
    assert rules(run(pack, "Starlings nesting in the sign again")) == []                   # another form


def test_context_words_count_within_sixteen_words_of_the_code_name(pack):
    """Staff name the code name first and what it is about at the end of the draft."""
    near = "Juniper was down again this morning for the whole team so nobody could open the app"
    assert "conf.juniper" in rules(run(pack, near))          # "app" is 15 words after it (8 were too few)
    far = "Juniper " + "and then we waited for ages " * 4 + "for the app"
    assert "conf.juniper" not in rules(run(pack, far))        # 26 words after it


def test_bulgarian_context_words_count_in_any_form_and_typed_in_latin_letters():
    from companion.pack.compiled import compile_pack
    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"},
            "confidential": [{"term": "Orchard", "aliases": ["Орчард"], "reason": "merger code name",
                              "requires_context": ["сливане", "цените", "тикет", "контролирани", "клиент", "buy"]}]}
    pack = compile_pack(data)
    found = run(pack, "Проект Орчард – сливането уж е до Коледа").findings
    assert found[0].rule == "conf.orchard" and found[0].detail["context"] == ["сливане"]
    assert rules(run(pack, "Orchard shte vdigne cenite")) == ["conf.orchard"]      # "цените" typed in Latin
    assert rules(run(pack, "Orchard i sliwaneto sa gotovi")) == ["conf.orchard"]   # with its ending, Latin typed
    assert rules(run(pack, "Orchard e gotov")) == []
    # a word the dictionary does not know, with a noun's ending ("тикетите": the tickets)
    assert run(pack, "Орчард пак заби, тикетите чакат").findings[0].detail["context"] == ["тикет"]
    assert rules(run(pack, "Орчард пак заби, тиквите чакат")) == []
    # a context word the dictionary reads as a verb's form, with the article ("контролираните")
    assert rules(run(pack, "Орчард пак ме прати с контролираните")) == ["conf.orchard"]
    assert rules(run(pack, "в Орчард пише, че клиентката е с три жалби")) == ["conf.orchard"]   # "клиент", the woman
    assert rules(run(pack, "bought apples at the orchard")) == []                  # English words stay as written


def test_an_alias_of_several_words_that_holds_a_context_word_is_its_own_context():
    """The author wrote "Project Magpie" to be caught as it stands; "Magpie" alone still needs a context
    word beside it, and a one-word match is never its own context."""
    from companion.pack.compiled import compile_pack
    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"},
            "confidential": [{"term": "Magpie", "aliases": ["Project Magpie", "проект Сврака"],
                              "reason": "takeover code name", "requires_context": ["project", "проект", "deal"]},
                             {"term": "Deal", "reason": "a word that is its own context word", "requires_context": ["deal"]}]}
    pack = compile_pack(data)
    assert rules(run(pack, "project magpie moves to Q2")) == ["conf.magpie"]
    assert rules(run(pack, "проект Сврака значи ли, че ще местят хора?")) == ["conf.magpie"]
    assert rules(run(pack, "a magpie stole my earring")) == []
    assert rules(run(pack, "what a deal")) == []


def test_a_gated_term_takes_the_words_staff_use_about_its_kind():
    """A rota app "has me" on a shift and a takeover "is signed" in every company; the base policy's
    term_context adds those words to a gated term's own, by the term's kind, and to no other kind."""
    from companion.pack.compiled import compile_pack
    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"},
            "confidential": [{"term": "Kite", "aliases": ["Кайт"], "kind": "internal_tool", "reason": "rota app",
                              "requires_context": ["rota"]},
                             {"term": "Harrier", "kind": "plan", "reason": "takeover", "requires_context": ["takeover"]},
                             {"term": "Lark", "kind": "codename", "reason": "code name", "requires_context": ["project"]}]}
    pack = compile_pack(data)
    found = run(pack, "Kite has me on the late close again").findings
    assert [f.rule for f in found] == ["conf.kite"] and found[0].detail["context"] == ["has me"]
    assert rules(run(pack, "Кайт ми сложи три затваряния подред")) == ["conf.kite"]
    assert "conf.harrier" in rules(run(pack, "don't tell anyone but Harrier's signed"))
    assert rules(run(pack, "Harrier has me thinking about birds")) == []        # an app's words are not a plan's
    assert rules(run(pack, "Lark has me up at dawn")) == []                      # nor a plain code name's
    assert rules(run(pack, "Kite flying on the beach")) == []
    assert rules(run(pack, "can't say much but Lark is going to blow people away")) == ["conf.lark"]   # a secret's words, any kind


def test_an_english_code_name_is_found_as_bulgarians_write_it_when_the_staff_write_bulgarian():
    from companion.pack.compiled import compile_pack
    term = {"term": "Nightjar", "reason": "code name of the console", "requires_context": ["console", "конзолата"]}
    bulgarian = compile_pack({"format": "pack-v1", "id": "t", "revision": 1,
                              "company": {"name": "Acme", "regions": ["BG"]}, "confidential": [term]})
    assert rules(run(bulgarian, "utre obuchenie za Naitdzhar konzolata")) == ["conf.nightjar"]
    assert rules(run(bulgarian, "Найтджар конзолата пак заби")) == ["conf.nightjar"]
    english = compile_pack({"format": "pack-v1", "id": "t", "revision": 1,
                            "company": {"name": "Acme", "regions": ["GB"]}, "confidential": [term]})
    assert rules(run(english, "utre obuchenie za Naitdzhar konzolata")) == []


def test_a_code_name_whose_bulgarian_writing_is_a_word_is_found_beside_its_context_words_and_only_as_written():
    """"Pelican" is "пеликан" in Bulgarian: with context words the pack tells the bird from the project, so
    the word is a form of the name; a letter off ("беликан") it is not taken for a typo of it."""
    from companion.pack.compiled import compile_pack
    term = {"term": "Pelican", "reason": "a new cold store", "requires_context": ["проект", "склад"]}
    pack = compile_pack({"format": "pack-v1", "id": "t", "revision": 1,
                         "company": {"name": "Acme", "regions": ["BG"]}, "confidential": [term]})
    assert rules(run(pack, "пеликан проекта е одобрен, 40 декара за новия склад")) == ["conf.pelican"]
    assert rules(run(pack, "видях пеликан в Сребърна днес")) == []            # no context word: the bird
    assert rules(run(pack, "беликан проекта е одобрен")) == []                # not a typo of a word
    no_context = compile_pack({"format": "pack-v1", "id": "t", "revision": 1,
                               "company": {"name": "Acme", "regions": ["BG"]},
                               "confidential": [{"term": "Pelican", "reason": "a new cold store"}]})
    assert rules(run(no_context, "пеликан проекта е одобрен")) == []          # ungated, the word stays the word


def test_a_cyrillic_code_name_is_found_typed_in_latin_letters_when_the_staff_write_bulgarian():
    from companion.pack.compiled import compile_pack
    term = {"term": "Tradewind", "aliases": ["Трейдуинд"], "reason": "the weekly yield report",
            "requires_context": ["report", "отчета"]}
    pack = compile_pack({"format": "pack-v1", "id": "t", "revision": 1,
                         "company": {"name": "Acme", "regions": ["BG"]}, "confidential": [term]})
    assert rules(run(pack, "trejduind otcheta pokazva che sme posledni")) == ["conf.tradewind"]
    assert rules(run(pack, "treyduind otcheta pak")) == ["conf.tradewind"]
    assert rules(run(pack, "trejduind e hubav vyatar")) == []      # no context word: not the report


def test_a_cyrillic_name_of_several_words_is_found_with_the_article_on_its_last_word():
    """"Гранит таблица" is written "гранит таблицата" in a sentence: two letters past the typo tolerance."""
    from companion.pack.compiled import compile_pack
    term = {"term": "Granite", "aliases": ["Granite sheet", "Гранит таблица", "Гранит договор"], "reason": "the margins sheet",
            "requires_context": ["margin", "марж"], "allow": ["гранит"]}
    pack = compile_pack({"format": "pack-v1", "id": "t", "revision": 1,
                         "company": {"name": "Acme", "regions": ["BG"]}, "confidential": [term]})
    assert rules(run(pack, "гранит таблицата – маржът в София е 6%")) == ["conf.granite"]
    assert rules(run(pack, "гранит договорът: маржът е 4%")) == ["conf.granite"]
    assert rules(run(pack, "гранит плочките в кухнята, маржът на майстора")) == []


def test_a_code_name_that_is_a_word_written_in_lower_case_is_the_word():
    """Without context words, "Obsidian" (a bid's code name) written "obsidian" is the stone; written as a
    name it is the code name. A code name that is no word ("Flowsite") counts however it is written."""
    from companion.pack.compiled import compile_pack

    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"},
            "confidential": [{"term": "Obsidian", "reason": "the bid's code name"},
                             {"term": "Flowsite", "reason": "an internal tool"}]}
    pack = compile_pack(data)
    assert rules(run(pack, "Obsidian bid is 6% under the next guy")) == ["conf.obsidian"]
    assert rules(run(pack, "OBSIDIAN is signed")) == ["conf.obsidian"]
    assert rules(run(pack, "obsidian knife from Mexico, scary sharp")) == []
    assert rules(run(pack, "flowsite alarms all night again")) == ["conf.flowsite"]


def test_a_code_name_in_lower_case_after_a_or_one_is_the_word_even_beside_a_context_word():
    """A context word near "lantern" does not make "a camping lantern for the van" the code name, nor
    is "a new bench board" the tool BenchBoard; "bench board crashed" may be, as staff write it."""
    from companion.pack.compiled import compile_pack

    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"},
            "confidential": [{"term": "Lantern", "reason": "an unlaunched van service", "requires_context": ["van", "vans"]},
                             {"term": "BenchBoard", "aliases": ["Bench Board"], "reason": "an internal tool"},
                             {"term": "Magpie", "aliases": ["Project Magpie"], "reason": "a plan", "requires_context": ["shift"]}]}
    pack = compile_pack(data)
    assert rules(run(pack, "bought a camping lantern for the van")) == []
    assert rules(run(pack, "lantern vans start charging in March")) == ["conf.lantern"]
    assert rules(run(pack, "my Lantern van is charged")) == ["conf.lantern"]          # written as a name
    assert rules(run(pack, "a new bench board for the garage")) == []
    assert rules(run(pack, "Bench Board crashed again")) == ["conf.benchboard"]
    assert rules(run(pack, "benchboard crashed again")) == ["conf.benchboard"]
    assert rules(run(pack, "bench board crashed again")) == ["conf.benchboard"]
    assert rules(run(pack, "project magpie cuts the night shift")) == ["conf.magpie"]   # an alias as it stands


def test_a_public_name_is_not_a_typo_of_a_confidential_sequel():
    """The sequel "Shardfall II" is confidential, the game "Shardfall" is public: "Shardfall" alone is
    two edits from the sequel's name but is the public product, said exactly."""
    from companion.pack.compiled import compile_pack

    data = {"format": "postguard/pack-v1", "id": "t", "revision": 1, "title": "t",
            "company": {"name": "Tessel", "products": ["Shardfall"]},
            "confidential": [{"id": "conf.sequel", "term": "Shardfall 2", "aliases": ["Shardfall II"],
                              "kind": "product", "reason": "unannounced sequel"}]}
    sequel = compile_pack(data)
    assert "conf.sequel" not in rules(run(sequel, "Shardfall season 8 is live, come play"))
    assert "conf.sequel" in rules(run(sequel, "Shardfal II looks unreal"))        # a typo of the sequel
    assert "conf.sequel" in rules(run(sequel, "Shardfall 2 looks unreal"))
    unlisted = compile_pack({**data, "company": {"name": "Tessel"}})               # not declared public:
    assert "conf.sequel" in rules(run(unlisted, "Shardfall season 8 is live"))    # still a near miss


def test_an_alias_that_reads_as_the_company_name_is_ignored():
    """An alias that normalizes to the company's own name ("#Tidewell" reads "tidewell") would flag
    every mention of the company: it is ignored and `pack lint` warns. A plus sign closing a name is
    the word "plus", so "Tidewell+" is the unreleased "Tidewell Plus" and not the company."""
    from companion.pack.compiled import compile_pack
    from companion.pack.validate import validate

    data = {"format": "postguard/pack-v1", "id": "t", "revision": 1, "title": "t",
            "company": {"name": "Tidewell", "aliases": ["Tidewell Pharmacy"]},
            "confidential": [{"id": "conf.plus", "term": "Tidewell Plus", "aliases": ["#Tidewell", "Tidewell+"],
                              "kind": "product", "reason": "unreleased membership", "examples": {"flag": ["x"]}}]}
    pack = compile_pack(data)
    assert "conf.plus" not in rules(run(pack, "got my flu shot at #Tidewell this morning"))
    assert "conf.plus" not in rules(run(pack, "Tidewell and Tidewell Pharmacy, same thing"))
    assert "conf.plus" in rules(run(pack, "Tidewell Plus launches in March"))
    assert "conf.plus" in rules(run(pack, "Tidewell+ is $9.99 a month"))
    _, warnings = validate(data, {}, "t.yaml")
    assert [(w.key, w.message) for w in warnings if "aliases" in w.key] == [("confidential[0].aliases[0]",
        "'#Tidewell' reads as the public name 'tidewell' once punctuation is set aside, so it is ignored: "
        "write the product's own name")]
    own = compile_pack({**data, "confidential": [{**data["confidential"][0], "term": "Tidewell"}]})
    assert "conf.plus" in rules(run(own, "Tidewell"))     # the term itself: the pack says it is confidential


def test_ordinary_words_are_not_typos(pack):
    assert rules(run(pack, "falcon bridge over the river, copper kettles for sale")) == []


def test_combination_needs_every_group_within_the_window(pack):
    assert rules(run(pack, "I'm in the parking lot at 4 am")) == ["base.safety.night-place"]
    assert rules(run(pack, "In the parking lot at 4 am")) == []    # no one there: nobody's whereabouts
    far = "I'm in the parking lot " + "and then we went to the shops and it was lovely and sunny " * 2 + "at 4 am"
    assert rules(run(pack, far)) == []
    assert rules(run(pack, "The parking lot was full")) == []


def test_combination_tries_other_picks_when_one_phrase_could_fill_two_groups():
    from companion.pack.compiled import compile_pack
    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"}, "rules": [
        {"id": "cash", "kind": "combination", "category": "safety", "severity": "critical", "message": "m", "why": "w", "window": 8,
         "groups": [{"name": "money", "phrases": ["bank run", "cash"]}, {"name": "moving", "phrases": ["bank run", "bring"]},
                    {"name": "when", "phrases": ["today"]}]}]}
    pack = compile_pack(data)
    # "bank run" lies nearer "today" than "cash"; if the money group takes it, the moving
    # group's only other word ("bring") is out of the window
    text = "bank run today with cash, me and Gerry. Lots of chat and more chat and more. Bring snacks"
    found = [f for f in run(pack, text).findings if f.rule == "cash"]
    assert len(found) == 1
    assert {c["group"]: c["text"] for c in found[0].detail["context"]} == {"money": "cash", "moving": "bank run", "when": "today"}


def test_a_combination_is_silenced_near_its_window_by_unless_and_anywhere_by_unless_in_draft():
    from companion.pack.compiled import compile_pack
    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"}, "rules": [     # made-up words:
        {"id": "pair", "kind": "combination", "category": "tone", "severity": "warning", "message": "m", "why": "w",   # no base rule reads them
         "groups": [{"name": "a", "phrases": ["blorp"]}, {"name": "b", "phrases": ["snarf"]}],
         "unless": ["quux_zing"], "unless_in_draft": ["wibble_wobble"]}]}
    pack = compile_pack(data)

    def own(text):
        return [f.rule for f in run(pack, text).findings if f.rule == "pair"]

    filler = "and then the rest of the evening went on " * 2
    assert own("blorp with the snarf") == ["pair"]
    assert own("blorp with the snarf quux zing") == []                  # `unless` within three words
    assert own("blorp with the snarf, " + filler + "quux zing") == ["pair"]   # ... and no further
    assert own("blorp with the snarf, " + filler + "wibble wobble") == []    # `unless_in_draft`: anywhere


def test_a_phrases_rule_can_read_only_answers_and_be_silenced_by_a_pattern():
    """`answering`: an eye-roll at the person answered, not in a team chat; `unless_patterns`: what words
    cannot say ("you muppet 😂" between friends)."""
    from companion.pack.compiled import compile_pack
    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"}, "rules": [
        {"id": "eye-roll", "kind": "phrases", "category": "tone", "message": "m", "why": "w",
         "surfaces": ["reply", "comment"], "answering": True, "patterns": ["🙄"]},
        {"id": "names", "kind": "phrases", "category": "tone", "message": "m", "why": "w",
         "phrases": ["muppet"], "unless_patterns": ["muppet[^\\n]{0,40}😂"]}]}
    pack = compile_pack(data)

    def own(report):     # the base policy's rules and model read these drafts too
        return [r for r in rules(report) if not r.startswith("base.")]

    assert own(run(pack, "it's on the website 🙄", surface="reply", replying_to="what time do you open?")) == ["eye-roll"]
    assert own(run(pack, "the printer jammed again 🙄", surface="comment")) == []
    assert own(run(pack, "you muppet, read the sign")) == ["names"]
    assert own(run(pack, "you absolute muppet, you forgot the cake 😂")) == []


def test_a_pattern_hit_leaves_out_the_space_and_comma_its_boundary_took():
    """(?:^|[^\\pL]) and (?:[^\\pL]|$) stand for \\b beside Cyrillic; the underline is the words alone."""
    from companion.pack.compiled import compile_pack
    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"}, "rules": [
        {"id": "until", "kind": "pattern", "category": "safety", "severity": "warning", "message": "m", "why": "w",
         "patterns": [r"(?:^|[^\pL])до\s+\d{1,2}-ти(?:[^\pL]|$)"]}]}
    text = "Срокът е до 24-ти, после почивка"
    found = [f for f in run(compile_pack(data), text).findings if f.rule == "until"]
    assert [(f.excerpt, text[f.start:f.end]) for f in found] == [("до 24-ти", "до 24-ти")]


def test_escalation_in_the_message_being_answered_has_an_empty_span(pack):
    f = run(pack, "So sorry to hear that", surface="reply", replying_to="I will sue you").findings
    assert [(x.rule, x.start, x.end, x.excerpt, x.detail["source"]) for x in f] == [
        ("base.escalate.legal", 0, 0, "I will sue", "replying_to")]
    assert "Legal (legal@nimbusco.example)" in f[0].suggestions[0].label
    assert f[0].detail["topic"] == "legal_threat"       # the escalation matrix row, for the side panel
    in_draft = [x for x in run(pack, "Our lawyer will sue you", surface="reply").findings if x.category == "escalation"]
    assert in_draft and all(x.detail["topic"] == "legal_threat" for x in in_draft)


def test_an_unless_in_the_message_answered_silences_the_hit_there():
    """`unless` reads the words around a hit wherever the hit is: the customer's "arrived melted" is a
    spoiled delivery as much as the employee's would be, while a draft of its own still counts."""
    from companion.engine.check import context_for
    from companion.pack.compiled import compile_pack
    data = {"format": "pack-v1", "id": "t", "revision": 1, "company": {"name": "Acme"}, "rules": [
        {"id": "incident", "kind": "phrases", "category": "escalation", "severity": "critical", "message": "m",
         "why": "w", "scope": "both", "tokens": ["parcel ..2 melted|on_fire"], "unless": ["arrived ..1 melted"]}]}
    pack = compile_pack(data)

    def incident(text, replying_to):
        return [(f.rule, f.detail.get("source")) for f in run(pack, text, surface="reply", replying_to=replying_to).findings
                if f.rule == "incident"]

    assert incident("so sorry, the orders page has a form", "my parcel arrived melted") == []
    assert incident("so sorry, the orders page has a form", "my parcel melted the hall carpet") == [("incident", "replying_to")]
    assert incident("the parcel melted in the van", "hi") == [("incident", None)]
    req = CheckRequest("so sorry, the orders page has a form", "x", "reply", replying_to="my parcel arrived melted",
                       today=dt.date(2026, 11, 23))
    rule = next(r for r in pack.rules if r.id == "incident")
    assert rule.explain_miss(context_for(pack, req)) == "one of its `unless` phrases is in the message answered"


def test_promise_offers_the_referral_from_the_conversation(pack):
    report = run(pack, "We will refund you today", surface="reply",
                 replying_to="My blender broke and the dealer won't repair it")
    assert report.referrals[0]["id"] == "repairs"
    f = report.findings[0]
    assert f.rule == "base.speak.commitment"
    assert f.suggestions[-1].insert == " https://support.nimbusco.example/repairs"


def test_official_accounts_may_speak_for_the_company_and_need_no_disclosure(pack):
    text = "We will replace your Nimbus Blend 500"
    personal = run(pack, text, surface="reply")
    official = run(pack, text, surface="reply", account="@NimbusCoHelp", platform="x")
    assert {f.rule: f.severity for f in personal.findings} == {
        "base.disclosure.mention": "warning", "base.speak.commitment": "warning"}
    assert official.findings == []     # no speaking-for-company finding at all, not even info


def test_official_accounts_are_still_checked_for_everything_else(pack):
    text = "We will replace your blender, Falcon Ridge is coming. Call Dana on +44 20 7946 0123"
    official = run(pack, text, surface="reply", account="@NimbusCoHelp", platform="x")
    assert {f.category for f in official.findings} == {"confidential", "personal_data"}
    personal = run(pack, text, surface="reply", platform="x")
    assert "speaking_for_company" in {f.category for f in personal.findings}


def test_disclosure_line_or_hashtag_satisfies_disclosure(pack):
    assert rules(run(pack, "My AeroBake is great")) == ["base.disclosure.mention"]
    assert rules(run(pack, "My AeroBake is great #nimbusemployee")) == []
    f = run(pack, "My AeroBake is great").findings[0]
    assert f.suggestions[0].insert == "\n\nI work at NimbusCo; opinions are my own."


def test_personal_data_patterns_with_luhn(pack):
    assert rules(run(pack, "card 4111 1111 1111 1111")) == ["builtin.card"]
    assert rules(run(pack, "ref 4111 1111 1111 1112")) == []          # the Luhn digit is wrong
    assert rules(run(pack, "card 4111 1111 1111 1112")) == ["builtin.card"]   # said to be a card: a mistyped digit
    assert rules(run(pack, "order NC-482-119305 ships")) == ["pd.order-number"]   # not also a phone number
    assert rules(run(pack, "call +1 (555) 123-4567")) == ["builtin.phone"]
    assert rules(run(pack, "on 2026-11-23 at 10:30")) == []


def test_tone_only_on_replies(pack):
    assert rules(run(pack, "Calm down, read the manual", surface="reply")) == ["base.tone.hostile"] * 2
    assert rules(run(pack, "Calm down, read the manual", surface="post")) == []


def test_platform_limit_counts_like_the_platform(pack):
    text = "a" * 270 + "🚀" * 5 + " https://example.com/" + "x" * 40
    f = [x for x in run(pack, text, platform="x").findings if x.category == "platform_limit"][0]
    assert f.detail["length"] == 270 + 10 + 1 + 23 and f.detail["limit"] == 280
    # 270 letters + 5 rockets (2 each on X) fill 280 exactly: the overflow starts at the space after them
    assert f.start == 270 + 2 * 5 and utf16_slice(text, f.start, f.end) == text[275:]
    assert run(pack, text, platform="facebook").findings == []


def test_platform_limit_cuts_before_a_link_that_does_not_fit_and_counts_light_punctuation_once(pack):
    text = "b" * 260 + "\u2014" * 5 + " https://example.com/" + "y" * 30    # em dashes count 1 on X
    f = [x for x in run(pack, text, platform="x").findings if x.category == "platform_limit"][0]
    assert f.detail["length"] == 266 + 23
    assert f.start == 266 and utf16_slice(text, f.start, f.end).startswith("https://")   # the whole link is over
    long = "c" * 2300
    g = [x for x in run(pack, long, platform="instagram").findings if x.category == "platform_limit"][0]
    assert g.start == g.detail["limit"] and g.end == 2300


def test_findings_are_sorted_and_ids_stable(pack):
    text = "Alone in the parking lot at 4 am thinking about Falcon Ridge"
    a, b = run(pack, text).to_dict(), run(pack, text).to_dict()
    assert a == b
    starts = [f["start"] for f in a["findings"]]
    assert starts == sorted(starts)


def test_x_overflow_point_agrees_with_a_character_by_character_count():
    from companion.engine.kinds.platform_limit import URL, X_HEAVY, X_URL_WEIGHT, over_at

    def walk(text, limit):      # the plain definition: every character or link in turn
        links = {m.start(): m.end() for m in URL.finditer(text)}
        total = i = 0
        while i < len(text):
            w, nxt = (X_URL_WEIGHT, links[i]) if i in links else (2 if X_HEAVY.match(text[i]) else 1, i + 1)
            if total + w > limit:
                return i
            total, i = total + w, nxt
        return len(text)

    rng = random.Random(3)
    pieces = ["a", "b", " ", "é", "\u2014", "🚀", "中", "https://x.co/ab ", "http://e.com"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        limit = rng.randint(0, 80)
        assert over_at(text, "x", limit) == walk(text, limit), (text, limit)


def test_one_finding_per_stretch_of_text_agrees_with_a_pairwise_overlap_test():
    from companion.engine.kinds.confidential import _best_per_span
    from companion.engine.termindex import TermMatch

    def pairwise(kept):         # the plain definition: keep a match unless it overlaps one kept before it
        kept = sorted(kept, key=lambda k: (-(k[0].last - k[0].first), not k[0].exact, k[0].distance, k[0].first))
        out = []
        for k in kept:
            if all(k[0].last < o[0].first or k[0].first > o[0].last for o in out):
                out.append(k)
        return sorted(out, key=lambda k: k[0].first)

    rng = random.Random(5)
    for _ in range(2000):
        kept = []
        for e in range(rng.randint(0, 12)):
            first = rng.randint(0, 30)
            exact = rng.random() < 0.5
            m = TermMatch(e, "t", first, first + rng.randint(0, 3), exact, 0 if exact else rng.randint(1, 2))
            kept.append((m, None, []))
        assert _best_per_span(list(kept)) == pairwise(kept)
    longer = TermMatch(0, "Project Falcon Ridge", 4, 6, True, 0)
    shorter = TermMatch(1, "Falcon Ridge", 5, 6, True, 0)
    assert _best_per_span([(shorter, None, []), (longer, None, [])]) == [(longer, None, [])]


def test_sue_the_verb_is_a_legal_threat_and_sue_the_colleague_is_not(pack):
    for text in ("I'm going to sue you", "Sue them all!", "I WILL SUE", "we will sue NimbusCo over this"):
        assert "base.escalate.legal" in rules(run(pack, text)), text
    for text in ("Happy retirement, Sue! We'll miss you", "Lunch with Sue and Tom", "Sue Martinez taught me a lot"):
        assert "base.escalate.legal" not in rules(run(pack, text)), text


def test_answer_is_the_report_with_the_pack_and_the_time_it_took(pack):
    from companion.engine.answer import answer

    req = CheckRequest("Projct Falcn Ridge ships", "x", today=dt.date(2026, 11, 23))
    result = answer(pack, req)
    body = result.to_dict()
    assert body["findings"] == check(pack, req).to_dict()["findings"] != []
    assert body["pack"] == {"id": pack.id, "revision": pack.revision}
    assert body["elapsed_ms"] == result.elapsed_ms >= 0
    assert list(body) == ["findings", "referrals", "pack", "elapsed_ms"]


def test_explain_sees_the_draft_as_the_check_does(pack):
    """explain builds its context with the check's own function: the account and the message
    answered count there too."""
    from companion.pack.explain import explain

    text = "We will replace your Nimbus Blend 500"
    official = CheckRequest(text, "x", "reply", "My blender broke", "@NimbusCoHelp", dt.date(2026, 11, 23))
    lines = explain(pack, official)
    assert "- base.disclosure.mention [base policy]: did not fire: official account" in lines
    referrals = ", ".join(r["id"] for r in check(pack, official).referrals)
    assert referrals and lines[-1].endswith(f"referrals: {referrals}")
    personal = explain(pack, CheckRequest(text, "x", "post", today=dt.date(2026, 11, 23)))
    assert any(line.startswith("✔ base.disclosure.mention") for line in personal)
    assert personal[-1].endswith("referrals: none")


def test_every_rule_of_a_pack_is_a_rule_with_the_whole_interface(pack):
    """Confidential terms and platform limits included: explain and pack test call each of them alike."""
    from companion.engine.check import context_for
    from companion.engine.kinds.base import Rule
    from companion.engine.kinds.confidential import ConfidentialTerms
    from companion.engine.kinds.platform_limit import PlatformLimit

    kinds = {type(rule) for rule in pack.rules}
    assert {ConfidentialTerms, PlatformLimit} <= kinds and len(kinds) >= 6
    ctx = context_for(pack, CheckRequest("Lovely day for a walk", "x", today=dt.date(2026, 11, 23)))
    for rule in pack.rules:
        assert isinstance(rule, Rule) and rule.layer in ("base", "pack") and rule.id
        if rule.applies(ctx):
            assert rule.run(ctx) == [] and rule.explain_miss(ctx), rule.id


def test_one_rule_alone_finds_what_the_whole_check_gives_it(pack):
    """findings_of, which `pack test` and every pack load use for flag examples, runs one rule alone; on
    every example text of the base policy and the pack (flag and pass), it must give that rule exactly
    what the whole check gives it, also for rules that read others' findings or the text model."""
    compared = 0
    for ex in pack.rule_examples():
        for text in (*ex.flag, *ex.passes):
            for surface in ("post", "reply"):
                req = CheckRequest(text, "facebook", surface, replying_to="is Acme closing?" if surface == "reply" else None,
                                   today=dt.date(2026, 11, 23))
                whole = [(f.start, f.end, f.excerpt) for f in check(pack, req, every_finding=True).findings if f.rule == ex.rule_id]
                alone = [(f.start, f.end, f.excerpt) for f in findings_of(pack, req, ex.rule, ex.rule_id)]
                assert alone == whole, (ex.rule_id, surface, text)
                compared += 1
    assert compared > 1000
