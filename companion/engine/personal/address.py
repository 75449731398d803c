"""Street addresses and postcodes, in the forms of the countries a check reads.

Parts are found separately (a street with its house number, a flat or block, a postcode, a town) and
parts that follow each other with only a comma or a town name between them become one finding:
"Flat 2, 10 Baker Street, London NW1 6XE" is one address. A town alone ("гр. Пловдив") is no address;
it only joins one.
"""

from __future__ import annotations

import re

from companion.engine.personal import postcode
from companion.engine.personal.span import MAX_CANDIDATES, Span, glued
from companion.engine.regex import compile_pattern

_EN_TYPES = ("Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Drive|Dr|Close|Crescent|Cres|Court|Ct|Place|Pl|Way|"
             "Terrace|Tce|Gardens|Gdns|Grove|Square|Sq|Boulevard|Blvd|Parade|Pde|Highway|Hwy|Mews|Walk|Circuit|"
             "Cct|Esplanade|Esp|Parkway|Pkwy|Trail|Rise|Wharf|Quay|Circle|Cir|Plaza|Loop|View|Side|Park|Row|Green|Hill|"
             "Heights|Vale|Meadows|Gate|Trl|Cv|Cove|Bend|Pass|Path|Ridge|Xing|Crossing")
_EN_LOWER_TYPES = "street|road|avenue|lane|drive|close|crescent|terrace|boulevard|gardens|grove|parade|highway"
_EN_UNIT = r"(?:(?:Flat|Apt|Apartment|Unit|Suite|Ste)\.? ?#?\d{1,4}[A-Za-z]?(?:,? |/)|\d{1,4}[A-Za-z]?/)?"
# "221B Baker Street", "Flat 2, 10 Downing St", "5/23 Smith St", "1600 Pennsylvania Ave NW, Apt 4".
_EN_STREET = compile_pattern(
    r"(?-i:\b" + _EN_UNIT + r"\d{1,5}[A-Za-z]?,? (?:[A-Z][a-z'’]+(?:-[A-Z][a-z]+)? ){1,3}(?:" + _EN_TYPES + r")\b\.?"
    r"(?: (?:NW|NE|SW|SE|N|S|E|W)\b)?"
    r"(?:,? (?:Apt|Apartment|Unit|Suite|Ste|Flat|#)\.? ?#?\d{1,4}[A-Za-z]?\b)?)")
# Typed in lower case: only the full street word, and no ordinary words before it ("5 miles down the road").
_EN_STREET_LOWER = compile_pattern(r"(?-i:\b\d{1,5}[a-z]? ((?:[a-z]{3,} ){1,2})(?:" + _EN_LOWER_TYPES + r")\b)")
_NOT_A_STREET_NAME = {
    "the", "this", "that", "these", "those", "down", "along", "across", "over", "from", "into", "onto", "with",
    "our", "your", "their", "his", "her", "its", "same", "next", "other", "empty", "busy", "dirt", "wrong",
    "open", "whole", "entire", "more", "less", "miles", "mile", "minutes", "mins", "hours", "blocks", "houses",
    "doors", "times", "days", "weeks", "years", "cars", "lanes", "roads", "streets", "different", "main",
    "long", "back", "side", "country", "mountain", "toll", "private", "public", "first", "last", "slow", "fast",
    "till", "til", "until", "after", "before", "since", "short", "near", "around",   # "from 6 till close"
}
_PO_BOX = compile_pattern(r"\bP\.? ?O\.? ?Box \d{1,6}\b")
# Where someone lives, without the house number: "lives on Griffith Ave", "his place on Hollybank Rd"
# (not "the new Thai place on Smith St", not "the van stays on Elm Rd").
_LIVES_ON = compile_pattern(
    r"(?-i:\b(?:[Ll]ives?|[Ll]iving|[Mm]oved|(?:[Hh]is|[Hh]er|[Tt]heir) (?:own )?(?:place|house|home|gaff|flat)) (?:on|in|at|to) "
    r"((?:[A-Z][a-z'’]+ ){1,3}(?:" + _EN_TYPES + r")\b\.?))")

_BG_CITIES = ("София|Пловдив|Варна|Бургас|Русе|Стара Загора|Плевен|Сливен|Добрич|Шумен|Перник|Хасково|Ямбол|"
              "Пазарджик|Благоевград|Велико Търново|Враца|Габрово|Асеновград|Видин|Казанлък|Кюстендил|Кърджали|"
              "Монтана|Димитровград|Ловеч|Силистра|Търговище|Дупница|Разград|Горна Оряховица|Смолян|Петрич|"
              "Сандански|Самоков|Севлиево|Лом|Карлово|Велинград|Нова Загора|Троян|Айтос|Ботевград|Свищов|"
              "Гоце Делчев|Банско|Несебър|Поморие|Созопол|Приморско|Царево|Каварна|Балчик|Свиленград|Панагюрище|"
              "Sofia|Plovdiv|Varna|Burgas|Bourgas|Ruse|Rousse|Stara Zagora|Pleven|Sliven|Dobrich|Shumen|Pernik|"
              "Haskovo|Yambol|Pazardzhik|Blagoevgrad|Veliko Tarnovo|Vratsa|Gabrovo|Asenovgrad|Vidin|Kazanlak|"
              "Kyustendil|Kardzhali|Montana|Lovech|Silistra|Targovishte|Dupnitsa|Razgrad|Smolyan|Petrich|Sandanski|"
              "Samokov|Bansko|Nesebar|Pomorie|Sozopol|Balchik")
# RE2's \b knows only ASCII letters, so the Bulgarian parts have none; _edges_ok checks the edges instead.
_BG_NAME = r"[„\"«]?[А-ЯA-Z][а-яa-z]*\.?(?:[ -][А-ЯA-Z]?[а-яa-z]+\.?){0,3}(?: [IVX]{1,4})?[“”\"»]?"   # "Цар Борис III"
_BG_MORE = r"(?:,? ?(?:бл|вх|ет|ап|bl|vh|et|ap)\. ?[А-ЯA-Z\d]{1,4})*"
_BG_PARTS = [    # street forms first, the postcode-and-town form last (PARTS reads them so)
    # "ул. Витоша 15", "бул. Христо Ботев 48, ет. 3", "ul. Vitosha 15"
    compile_pattern(r"(?-i:(?:(?:ул|бул|пл|ul|bul|pl)\. ?|(?:улица|булевард|площад|ulitsa|bulevard) )"
                    + _BG_NAME + r",? ?(?:№ ?)?\d{1,4}[А-Яа-я]?" + _BG_MORE + ")"),
    # "ж.к. Младост 1, бл. 12", "кв. Тракия, бл. 215, вх. Б"
    compile_pattern(r"(?-i:(?:(?:ж\. ?к\.|жк|кв\.|квартал|zh\. ?k\.|zhk|kv\.) ?)?" + _BG_NAME + r"(?: \d{1,2})?,? ?"
                    r"(?:бл|bl)\. ?\d{1,4}[А-Яа-яA-Za-z]?" + _BG_MORE + ")"),
    # A flat and its entrance: "ап. 23, вход А"
    compile_pattern(r"(?-i:(?:ап|ap)\. ?\d{1,4}[А-Яа-я]?,? ?(?:вход|vhod|вх\.|vh\.) ?[А-ЯA-Z\d]{1,2}" + _BG_MORE + ")"),
    # The block first, as people write it: "блок 214, Младост 2, вх. Б", "bl. 7, vh. A" (an entrance or a flat is required)
    compile_pattern(r"(?-i:(?:(?:бл|bl)\. ?|(?:блок|blok) )\d{1,4}[А-Яа-яA-Za-z]?,? ?(?:" + _BG_NAME + r"(?: \d{1,2})?,? ?)?"
                    r"(?:вх|ет|ап|vh|et|ap)\. ?[А-ЯA-Z\d]{1,4}" + _BG_MORE + ")"),
    # "4000 Пловдив", "п.к. 1000, гр. София"
    compile_pattern(r"(?-i:(?:(?:п\. ?к\.|p\. ?k\.) ?)?\d{4},? (?:гр\. ?|град |gr\. ?)?(?:" + _BG_CITIES + r"))"),
]
_BG_TOWN = compile_pattern(r"(?-i:(?:(?:гр\.|град|gr\.) ?)?(?:" + _BG_CITIES + r"))")

_DE_STREET = compile_pattern(
    r"(?-i:\b[A-ZÄÖÜ][\pL-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|damm|ring|ufer) \d{1,4}[a-z]?\b|"
    r"\b[A-ZÄÖÜ][\pL-]*(?:er|e) (?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse|Damm|Ring|Ufer) \d{1,4}[a-z]?\b)")   # "Berliner Str. 12"
_DE_POSTCODE_TOWN = compile_pattern(r"(?-i:\b\d{5} [A-ZÄÖÜ][a-zäöüß]+(?:[ -][A-ZÄÖÜ][a-zäöüß]+)?\b)")
_FR_STREET = compile_pattern(
    r"(?-i:\b\d{1,4}(?: ?(?:bis|ter))?,? (?:rue|avenue|av\.|boulevard|bd|place|allée|impasse|chemin|quai|route) "
    r"(?:(?:de la|de l'|du|des|de|la|le|l') ?)?[\pL'-]+(?: [A-ZÉ][\pL'-]+){0,2})")
_FR_POSTCODE_TOWN = compile_pattern(r"(?-i:\b\d{5} [A-ZÉ][\pL'-]+(?:[ -][A-ZÉ][\pL'-]+)?\b)")
# "Keizersgracht 318", "Nieuwe Binnenweg 212B", "Sint-Jacobsstraat 40"; a postcode "1012 AB" joins one
_NL_STREET = compile_pattern(
    r"(?-i:\b(?:[A-Z][a-z]+ ){0,2}[A-Z][\pL-]*(?:straat|laan|weg|gracht|plein|kade|singel|dijk|steeg|dreef|markt|hof) "
    r"\d{1,4}(?:-?[A-Za-z]\b|-\d{1,3}\b)?)")
_NL_POSTCODE_TOWN = compile_pattern(r"(?-i:\b\d{4} ?[A-Z]{2}(?: [A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)?\b)")
# "Calle Toledo 41 3ºB", "C/ Mayor, 5", "Avenida de América 12"; a postcode with its town joins one
_ES_STREET = compile_pattern(
    r"(?-i:(?:\b[Cc]alle|\bC/|\b[Aa]venida|\b[Aa]vda\.|\b[Pp]laza|\b[Pp]aseo|\b[Cc]amino|\b[Cc]arrer|\b[Rr]onda) ?"
    r"(?:(?:de(?:l| la| los| las)?|la) )?[A-ZÁÉÍÓÚÑ][\pL'-]+(?: [A-ZÁÉÍÓÚÑ][\pL'-]+){0,2},? (?:n[ºo°]\.? ?)?\d{1,4}"
    r"(?:,? \d{1,2}[ºª°] ?[A-Z]?)?)")
_ES_POSTCODE_TOWN = compile_pattern(r"(?-i:\b\d{5} [A-ZÁÉÍÓÚ][\pL'-]+(?:[ -][A-ZÁÉÍÓÚ][\pL'-]+)?)")
# "Rua das Flores 22", "Avenida da Liberdade, 110"; a postcode "1100-148 Lisboa" joins one
_PT_STREET = compile_pattern(
    r"(?-i:(?:\b[Rr]ua|\b[Aa]venida|\b[Aa]v\.|\b[Tt]ravessa|\b[Ll]argo|\b[Pp]raça|\b[Ee]strada|\b[Cc]alçada) "
    r"(?:(?:d[aoe]s?|de) )?[A-ZÁÉÍÓÚÂÊÔÃÕÇ][\pL'-]+(?: (?:d[aoe]s? )?[A-ZÁÉÍÓÚÂÊÔÃÕÇ][\pL'-]+){0,2},? (?:n\.?[ºo°] ?)?\d{1,4}[A-Za-z]?)")
_PT_POSTCODE_TOWN = compile_pattern(r"(?-i:\b\d{4}-\d{3}(?: [A-ZÁÉÍÓÚ][\pL'-]+)?)")

ENGLISH = {"GB", "US", "AU", "CA", "IE", "NZ", "IN", "ZA"}
# Each region's (pattern, part kind); "town" parts join an address but are never one alone.
PARTS = {
    "BG": [*((p, "street") for p in _BG_PARTS[:-1]), (_BG_PARTS[-1], "postcode"), (_BG_TOWN, "town")],
    "DE": [(_DE_STREET, "street"), (_DE_POSTCODE_TOWN, "town")],
    "FR": [(_FR_STREET, "street"), (_FR_POSTCODE_TOWN, "town")],
    "NL": [(_NL_STREET, "street"), (_NL_POSTCODE_TOWN, "town")],
    "ES": [(_ES_STREET, "street"), (_ES_POSTCODE_TOWN, "town")],
    "PT": [(_PT_STREET, "street"), (_PT_POSTCODE_TOWN, "town")],
}
# What may stand between two parts of one address: a comma, a town or county name, a line break.
_JOIN = re.compile(r"[,\s]*(?:[\w.'’-]+[,\s]+){0,3}", re.UNICODE)
MAX_JOIN = 40


# A draft written in Bulgarian writes its addresses the Bulgarian way, whatever the pack's regions:
# Cyrillic letters, or a Latin-typed street or estate prefix ("ul. Shipka 12", "zh.k. Lyulin").
_BULGARIAN = compile_pattern(r"[\x{0400}-\x{04FF}]|(?-i:\b(?:ul|bul|zh\. ?k|kv)\. ?[A-Z])")


def find(text: str, regions: tuple[str, ...]) -> list[Span]:
    if "BG" not in regions and _BULGARIAN.search(text):
        regions = (*regions, "BG")
    parts: list[tuple[int, int, str, str]] = []
    for region in regions:
        if region in ENGLISH and not any(r in ENGLISH for r in regions[:regions.index(region)]):
            parts += [(s, e, "street", region) for s, e in _english_streets(text)]
        parts += [(s, e, "postcode", region) for s, e in postcode.find(text, region)]
        for rx, kind in PARTS.get(region, ()):
            parts += [(m.start(), m.end(), kind, region) for m in rx.finditer(text) if _edges_ok(text, *m.span())]
        if len(parts) > MAX_CANDIDATES:
            parts = parts[:MAX_CANDIDATES]
            break
    return _join(text, sorted(parts))


def _english_streets(text: str):
    for m in _EN_STREET.finditer(text):
        if not _after_a_clock(text, m.start()):
            yield m.start(), m.end()
    for m in _PO_BOX.finditer(text):
        yield m.start(), m.end()
    for m in _LIVES_ON.finditer(text):
        yield m.start(1), m.end(1)
    for m in _EN_STREET_LOWER.finditer(text):
        if not set(m.group(1).split()) & _NOT_A_STREET_NAME:
            yield m.start(), m.end()


def _after_a_clock(text: str, start: int) -> bool:
    """The minutes of a time are no house number: "Tony 4:30 Hinckley Rd" is a pick-up time and a street."""
    return start >= 2 and text[start - 1] in ":." and text[start - 2].isdigit()


def _edges_ok(text: str, start: int, end: int) -> bool:
    """Not the middle of a word or number: "гр. Пловдивски" is not Plovdiv, and the end of the phone
    number in "02 987 6543, Пловдив" is not a postcode."""
    if text[start].isdigit() and glued(text, start, end):
        return False
    return not (start and text[start - 1].isalnum() and text[start].isalnum()) and not (
        text[end:end + 1].isalnum() and text[end - 1].isalnum())


def _join(text: str, parts) -> list[Span]:
    """Parts that follow each other closely become one address; an address needs more than a town,
    and has one street and one postcode ("B33 8TH and CR2 6XH" are two)."""
    out: list[Span] = []
    cur = None   # [start, end, kinds, region]
    for start, end, kind, region in parts:
        if cur and start < cur[1]:
            cur[1] = max(cur[1], end)     # overlapping parts: the same text found twice
            cur[2].add(kind)
            continue
        if cur and (kind == "town" or kind not in cur[2]) and start <= cur[1] + MAX_JOIN and \
                _JOIN.fullmatch(text, cur[1], start):
            cur[1] = max(cur[1], end)
            cur[2].add(kind)
            continue
        if cur:
            out += _close(cur)
        cur = [start, end, {kind}, region]
    if cur:
        out += _close(cur)
    return out


def _close(cur) -> list[Span]:
    start, end, kinds, region = cur
    if kinds == {"town"}:
        return []
    kind = "postcode" if kinds == {"postcode"} else "address"
    return [Span(start, end, kind, region)]
