"""The built-in personal-data detectors against labelled texts (tests/data/personal_data/*.yaml).

Every row is run through every detector (e-mail, phone, card, address) in the row's regions (the
pack's company.regions; the built-in default when the row names none). Per detector:

  TP  a span the row lists for it is reported exactly (same start and end)
  FP  a span it reports that the row does not list (traps.yaml lists none at all)
  FN  a span the row lists that it does not report

Thresholds: recall >= 0.90 and precision >= 0.95 per detector. The table is printed (run with -s).
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import phonenumbers
import pytest
import yaml

from companion.engine.check import CheckRequest, check
from companion.engine.personal import DETECTORS, resolve_regions
from companion.engine.personal.card import is_card
from companion.engine.personal.regions import DEFAULT_REGIONS
from companion.engine.personal.span import MAX_CANDIDATES
from companion.pack.compiled import compile_pack, load_pack

DATA = Path(__file__).resolve().parent / "data" / "personal_data"
TYPES = tuple(DETECTORS)
MIN_RECALL, MIN_PRECISION = 0.90, 0.95
ROW_KEYS = {"text", "regions", "note", *TYPES}


def load_rows() -> list[tuple[str, dict]]:
    rows = []
    for path in sorted(DATA.glob("*.yaml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")):
            rows.append((path.name, row))
    return rows


def expected_spans(text: str, wanted: list[str]) -> set[tuple[int, int]]:
    """Each listed excerpt's span, looked for after the previous one (so a repeat is a second span)."""
    spans, pos = set(), 0
    for excerpt in wanted:
        start = text.find(excerpt, pos)
        assert start >= 0, f"{excerpt!r} is not in {text!r} (after offset {pos})"
        spans.add((start, start + len(excerpt)))
        pos = start + len(excerpt)
    return spans


def score():
    counts = {t: Counter() for t in TYPES}
    misses: dict[str, list[str]] = {t: [] for t in TYPES}
    for name, row in load_rows():
        text = row["text"]
        regions = resolve_regions(row.get("regions"))
        for kind in TYPES:
            want = expected_spans(text, row.get(kind, []))
            got = {(s.start, s.end) for s in DETECTORS[kind](text, regions)}
            counts[kind]["tp"] += len(want & got)
            counts[kind]["fn"] += len(want - got)
            counts[kind]["fp"] += len(got - want)
            for s, e in sorted(want - got):
                misses[kind].append(f"  missed {text[s:e]!r} in {name}: {text!r}")
            for s, e in sorted(got - want):
                misses[kind].append(f"  false  {text[s:e]!r} in {name}: {text!r}")
    return counts, misses


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def test_the_rows_are_well_formed():
    rows = load_rows()
    for name, row in rows:
        assert set(row) <= ROW_KEYS, (name, row)
        assert isinstance(row["text"], str) and row["text"], (name, row)
        for r in row.get("regions", ()):
            assert phonenumbers.country_code_for_region(r), f"{name}: unknown region {r}"
    positives = sum(len(row.get(t, ())) for _, row in rows for t in TYPES)
    traps = sum(1 for name, _ in rows if name == "traps.yaml")
    assert positives >= 150 and traps >= 140, (positives, traps)


def test_recall_and_precision_per_type():
    counts, misses = score()
    lines = [f"{'detector':10} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>7}"]
    failed = []
    for kind in TYPES:
        c = counts[kind]
        precision, recall = ratio(c["tp"], c["tp"] + c["fp"]), ratio(c["tp"], c["tp"] + c["fn"])
        lines.append(f"{kind:10} {c['tp']:4} {c['fp']:4} {c['fn']:4} {precision:10.3f} {recall:7.3f}")
        if precision < MIN_PRECISION or recall < MIN_RECALL:
            failed.append(kind)
    table = "\n".join(lines)
    print("\n" + table)
    for kind in TYPES:
        for line in misses[kind]:
            print(f"{kind}: {line}")
    assert not failed, table + "\n" + "\n".join(line for k in failed for line in misses[k])


# -- the detectors' guards, one by one ---------------------------------------------------------------

def spans(kind: str, text: str, *regions: str) -> list[str]:
    return [text[s.start:s.end] for s in DETECTORS[kind](text, resolve_regions(regions))]


def test_cards_need_an_issuer_range_and_the_luhn_digit():
    assert is_card("4111111111111111") and is_card("378282246310005") and is_card("122000000000003")
    assert not is_card("4111111111111112")      # Luhn
    assert not is_card("1000000000009")         # Luhn-valid, 13 digits from 1: no issuer
    assert not is_card("356938035643809")       # an IMEI: JCB's prefix, but not JCB's length
    assert not is_card("9000000000000001")      # Luhn-valid, no issuer


def test_a_card_said_to_be_one_counts_even_with_a_mistyped_check_digit():
    text = "noted the card 4539 6721 0043 8812 exp 09/28"          # Luhn fails: one digit mistyped
    assert spans("card", text) == ["4539 6721 0043 8812"]
    assert spans("card", "4539 6721 0043 8812") == []              # no card word: a tracking number, maybe
    assert spans("card", "card 4539672100438812") == []            # typed whole: only the Luhn digit decides
    assert spans("card", "card 9539 6721 0043 8812") == []         # no issuer starts with 9539
    # the card word a sentence earlier still says it ("read out her whole card number to me today: ...")
    assert spans("card", "read out her whole card number to me on the phone today 🙈 4539 6721 0043 8812") == \
        ["4539 6721 0043 8812"]
    assert spans("card", "card. " + "x" * 70 + " 4539 6721 0043 8812") == []   # too far to be about it
    # the card word typed in Latin letters, as Bulgarian is on many phones
    assert spans("card", "plati s karta 4539 6721 0043 8812 vchera") == ["4539 6721 0043 8812"]
    # money moving on it says it too, and so does the card word in the languages staff abroad write in
    assert spans("card", "put the refund through on 4539 6721 0043 8812, 5 days") == ["4539 6721 0043 8812"]
    assert spans("card", "o número do cartão é 5412 7500 3381 0092?") == ["5412 7500 3381 0092"]
    assert spans("card", "parcel 4539 6721 0043 8812 is out for delivery") == []


def test_an_iban_needs_its_countrys_length_and_check_digits():
    assert spans("iban", "to GB82 WEST 1234 5698 7654 32 please") == ["GB82 WEST 1234 5698 7654 32"]
    assert spans("iban", "to GB83 WEST 1234 5698 7654 32 please") == []          # check digits wrong
    assert spans("iban", "to GB82 WEST 1234 5698 7654") == []                     # too short for GB
    assert spans("iban", "to XX82 WEST 1234 5698 7654 32") == []                  # no such country
    # the other detectors leave it alone: not a phone, card or address
    assert [k for k in TYPES if k != "iban" and spans(k, "BG80 BNBG 9661 1020 3456 78", "BG")] == []


def test_a_card_with_mixed_separators_is_two_things():
    assert spans("card", "4111-1111 1111-1111") == []
    assert spans("card", "4111 1111 1111 1111 5555 5555 5555 4444") == ["4111 1111 1111 1111", "5555 5555 5555 4444"]


def test_phone_regions_decide_how_a_national_number_is_read():
    assert spans("phone", "Arayın 0532 123 45 67", "TR") == ["0532 123 45 67"]
    assert spans("phone", "Arayın 0532 123 45 67", "GB") == []          # not a British number
    assert spans("phone", "Arayın +90 532 123 45 67", "GB") == ["+90 532 123 45 67"]   # the + says where


def test_a_phone_word_lets_a_possible_but_unassigned_number_count():
    assert spans("phone", "07700 900123", "GB") == []
    assert spans("phone", "call me on 07700 900123", "GB") == ["07700 900123"]
    assert spans("phone", "тел. 0888 123 456", "BG") == ["0888 123 456"]
    assert spans("phone", "gave me her number 'for next time' 🙄 07700 900482", "GB") == ["07700 900482"]
    assert spans("phone", "his mum is on 07700 900812 if anyone needs her", "GB") == ["07700 900812"]
    assert spans("phone", "tried you on 07700 900412 twice, ring me back", "GB") == ["07700 900412"]   # the one tried is on it
    assert spans("phone", "tried it on 07700 900412", "GB") == []
    assert spans("phone", "the sale is on 2 000 000 items", "GB") == []


def test_a_persons_full_name_just_before_gives_them_the_number():
    assert spans("phone", "Darren Pike on 07700 900123 rang again", "GB") == ["07700 900123"]
    assert spans("phone", "tenant: Michael Reid, 07700 900123, moving in Sat", "GB") == ["07700 900123"]
    assert spans("phone", "Иван Петров, 0888 123 456", "BG") == ["0888 123 456"]
    assert spans("phone", "Station Road 07700 900123", "GB") == []     # a street is not a person
    # a first name alone, opening a sentence, "on" the number; a day or a desk is nobody
    assert spans("phone", "Lucy on 07700 900762, your bus is here", "GB") == ["07700 900762"]
    assert spans("phone", "Thanks all. Lucy on 07700 900762 has the keys", "GB") == ["07700 900762"]
    assert spans("phone", "Sunday on 07700 900762", "GB") == []
    assert spans("phone", "Reception on 07700 900762 if you need us", "GB") == []
    # "she's Kate, <number>": a first name given as whose the number is
    assert spans("phone", "the finder left her number, she's Maria, 07700 900318", "GB") == ["07700 900318"]
    assert spans("phone", "She's Maria - 07700 900318", "GB") == ["07700 900318"]
    assert spans("phone", "she's 07700 900318", "GB") == []
    # a name and where they are from or at, then the number; a desk or a day somewhere is nobody
    assert spans("phone", "Leanne Hirst from Horsforth, 07700 900418, tell her", "GB") == ["07700 900418"]
    assert spans("phone", "it belongs to Graham at Oakwood, 07700 900215", "GB") == ["07700 900215"]
    assert spans("phone", "Open Monday in Leeds, 07700 900215", "GB") == []
    assert spans("phone", "Office in Leeds, 07700 900215", "GB") == []


def test_order_numbers_dates_and_prices_are_not_phones():
    assert spans("phone", "order #4155550132", "US") == []
    assert spans("phone", "4155550132", "US") == ["4155550132"]
    assert spans("phone", "$4155550132", "US") == []
    assert spans("phone", "on 12-03-2024 10:30", "US", "GB") == []
    assert spans("phone", "Цена 1 250 000 лв.", "BG") == []


def test_dutch_spanish_portuguese_and_german_streets_where_the_pack_names_the_country():
    assert spans("address", "dropped flowers at Lotte's, Nieuwe Binnenweg 212B, rough week", "NL") == ["Nieuwe Binnenweg 212B"]
    assert spans("address", "parcel for Sint-Jacobsstraat 40, 1012 AB Amsterdam", "NL") == \
        ["Sint-Jacobsstraat 40, 1012 AB Amsterdam"]
    assert spans("address", "we walked the Keizersgracht for 2 hours", "NL") == []       # a canal, no door
    assert spans("address", "the lady from Calle Toledo 41 3ºB rang again", "ES") == ["Calle Toledo 41 3ºB"]
    assert spans("address", "Calle 13 played at the festival", "ES") == []
    assert spans("address", "he lives on Rua das Flores 22 in Cascais", "PT") == ["Rua das Flores 22"]
    assert spans("address", "the Rua Augusta arch at 5pm", "PT") == []
    assert spans("address", "Hans Müller, Berliner Str. 12, 10115 Berlin", "DE") == ["Berliner Str. 12, 10115 Berlin"]
    assert spans("address", "Nieuwe Binnenweg 212B", "GB") == []                         # not a country the pack names


def test_a_town_alone_is_not_an_address_but_joins_one():
    assert spans("address", "Концерт в гр. Пловдив", "BG") == []
    assert spans("address", "гр. Пловдив, ул. Капитан Райчо 56", "BG") == ["гр. Пловдив, ул. Капитан Райчо 56"]


def test_address_forms_follow_the_regions_and_the_language_of_the_draft():
    assert spans("address", "ул. Витоша 15", "BG") == ["ул. Витоша 15"]
    # a draft written in Bulgarian (or a Latin-typed "ul."/"zh.k." street) writes its addresses the Bulgarian
    # way whatever the pack's regions: the British insurer's Sofia team posts in Bulgarian
    assert spans("address", "клиентът от ул. Витоша 15 пак звъни", "GB") == ["ул. Витоша 15"]
    assert spans("address", "klientkata ot ul. Shipka 12 pak zvunq", "GB") == ["ul. Shipka 12"]
    assert spans("address", "Витоша 15 е хубава планина", "GB") == []
    assert spans("address", "He lives on Griffith Ave, by the park", "IE") == ["Griffith Ave"]
    # the minutes of a clock time are no house number
    assert spans("address", "pick up Tony 4:30 Hinckley Rd", "GB") == []
    assert spans("address", "Tony 4.30 Hinckley Road", "GB") == []
    assert spans("address", "pick up Tony at 30 Hinckley Rd", "GB") == ["30 Hinckley Rd"]
    assert spans("address", "Mrs Flanagan at 3 Church View, Ennis", "IE") == ["3 Church View"]
    assert spans("address", "just me from 6 till close, bring snacks", "GB") == []      # closing time, not Elm Close
    assert spans("address", "she's at 12 elm close now", "GB") == ["12 elm close"]
    assert spans("address", "SW1A 1AA", "BG") == []
    assert spans("address", "SW1A 1AA") == ["SW1A 1AA"]                  # GB is in the default set
    assert "GB" in DEFAULT_REGIONS and "BG" not in DEFAULT_REGIONS
    assert spans("address", "eircode D08 X2Y7 if you're passing", "IE") == ["D08 X2Y7"]
    assert spans("address", "D6W 1234 is not one, D6W X2Y7 is", "IE") == ["D6W X2Y7"]   # four digits: a year, a model
    assert spans("address", "D08 X2Y7", "GB") == []


def test_regions_are_cleaned_the_first_list_wins_and_empty_means_the_default():
    assert resolve_regions(["bg", "uk"], ["GB", "US"]) == ("BG", "GB", "US")
    assert resolve_regions(None, []) == DEFAULT_REGIONS
    assert resolve_regions(["x", "USA", ""]) == DEFAULT_REGIONS


# -- bounded work on long, digit-heavy drafts -----------------------------------------------------------

LONG_DRAFTS = {
    "one run of digits": "7" * 70_000,
    "digit groups": " ".join(f"{i:04d}" for i in range(14_000)),
    "phone-shaped": " ".join(f"0888 {i:03d} {i:03d}" for i in range(5_600)),
    "card-shaped": " ".join(["4111 1111 1111 1111"] * 3_500),
    "dates and prices": " ".join(f"12.03.{1990 + i % 40} ${i},99" for i in range(4_000)),
}


@pytest.mark.parametrize("name", LONG_DRAFTS)
def test_the_phone_library_sees_a_bounded_number_of_candidates(name, monkeypatch):
    text = LONG_DRAFTS[name]
    assert len(text) >= 60_000
    calls = Counter()
    parse = phonenumbers.parse

    def counting_parse(*args, **kwargs):
        calls["parse"] += 1
        return parse(*args, **kwargs)

    monkeypatch.setattr(phonenumbers, "parse", counting_parse)
    regions = resolve_regions(["BG", "GB", "US", "DE"])
    found = {kind: DETECTORS[kind](text, regions) for kind in TYPES}
    assert calls["parse"] <= MAX_CANDIDATES * len(regions)
    assert all(len(v) <= MAX_CANDIDATES for v in found.values())


def test_long_card_drafts_still_report_the_first_cards():
    found = DETECTORS["card"](LONG_DRAFTS["card-shaped"], ())
    assert 0 < len(found) <= MAX_CANDIDATES and found[0].start == 0


# -- through the engine: public surfaces, the company's own contacts, names with addresses ----------------

@pytest.fixture(scope="module")
def bg_pack():
    data = copy.deepcopy(load_pack().data)
    data["company"]["regions"] = ["BG", "GB"]
    return compile_pack(data)


def rules(pack, text: str, surface: str = "reply") -> list[str]:
    report = check(pack, CheckRequest(text, platform="facebook", surface=surface, replying_to="Where is my blender?"))
    return [f.rule for f in report.findings if f.category == "personal_data"]


def test_a_name_with_an_address_in_a_public_reply_is_caught(bg_pack):
    assert rules(bg_pack, "Здравейте, Мария Иванова, пращаме го на ж.к. Младост 1, бл. 12 утре") == ["builtin.address"]
    assert rules(bg_pack, "Dana Smith, 10 Baker Street, London NW1 6XE, your parcel is late") == ["builtin.address"]
    assert rules(bg_pack, "Thanks Dana Smith, we emailed dana.smith@example.com") == ["builtin.email"]


def test_a_bulgarian_address_written_block_first_and_a_us_trail_are_addresses(bg_pack):
    assert rules(bg_pack, "Клиентът от блок 214, Младост 2, вх. Б – Георги Николов – не е платил") == ["builtin.address"]
    assert rules(bg_pack, "Ivan Petrov, bl. 7, vh. A, ne e platil") == ["builtin.address"]
    assert rules(bg_pack, "Блок 214 е най-високият в квартала") == []      # a block alone is no one's address
    assert rules(bg_pack, "Пешо Стоянов от Люлин 7, бл. 712 пак пише") == ["builtin.address"]    # no "ж.к." before it
    assert rules(bg_pack, "семейство Димитрови от ап. 23, вход А") == ["builtin.address"]
    assert rules(bg_pack, "me and Dev on the Flores roof, 1182 Mesquite Trl Buda") == ["builtin.address"]


def test_the_same_in_a_direct_message_is_fine(bg_pack):
    assert rules(bg_pack, "Dana Smith, 10 Baker Street, London NW1 6XE", surface="message") == []


def test_the_companys_published_contacts_are_not_personal_data(bg_pack):
    assert rules(bg_pack, "Call our hotline (555) 010-4477 or mail help@nimbusco.example") == []
    assert rules(bg_pack, "Call Dana on 0888 123 456") == ["builtin.phone"]


def test_a_finding_says_which_kind_and_region_matched(bg_pack):
    report = check(bg_pack, CheckRequest("ул. Витоша 15; SW1A 1AA", platform="x", surface="post"))
    details = [{k: v for k, v in f.detail.items() if k != "layer"} for f in report.findings if f.rule == "builtin.address"]
    assert details == [{"match": "pattern", "type": "address", "region": "BG"},
                       {"match": "pattern", "type": "postcode", "region": "GB"}]


def test_offsets_are_utf16_after_emoji(bg_pack):
    text = "🚀🚀 call 0888 123 456"
    f = [f for f in check(bg_pack, CheckRequest(text, platform="x", surface="post")).findings if f.rule == "builtin.phone"][0]
    assert (f.start, f.end) == (10, 22) and f.excerpt == "0888 123 456"


def test_a_pack_names_its_regions_and_the_detectors_read_them():
    from companion.pack.compiled import BUNDLED_PACK, load_pack_bytes

    raw = BUNDLED_PACK.read_text(encoding="utf-8").replace("company:\n", "company:\n  regions: [BG, TR]\n", 1)
    pack = load_pack_bytes(raw.encode(), "regions.yaml")
    assert pack.data["company"]["regions"] == ["BG", "TR"]
    assert rules(pack, "Обадете се на 0888 123 456 или 0532 123 45 67") == ["builtin.phone", "builtin.phone"]
    assert rules(pack, "Dana: (415) 555-0132") == []          # not a Bulgarian or Turkish number
    assert rules(load_pack(), "Dana: (415) 555-0132") == ["builtin.phone"]   # the default regions hold US
    assert rules(pack, "call Dana: (415) 555-0132") == ["builtin.phone"]     # a phone word: any possible number


def test_the_companys_own_number_written_the_national_way_is_still_its_own():
    """A published "+359 2 555 7711" is the number a Sofia employee writes "02 555 7711"."""
    from companion.engine.kinds.pattern import NotPublished
    kept = NotPublished(["+359 2 555 7711", "01392 555 010"], set())
    assert not kept("02 555 7711") and not kept("+359 2 555 7711") and not kept("+44 1392 555 010")
    assert kept("02 555 7712") and kept("0888 123 456") and kept("+44 1392 555 011")
