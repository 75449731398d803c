"""Built-in token classes found by pattern: clock times, time ranges, durations, days, night, codes, dates.

Rules refer to them as <clock>, <time_range>, <duration>, <day>, <night>, <code>, <date>, in English and
Bulgarian. Every pattern is RE2 (linear in the text's length). RE2's \\b only knows ASCII letters, so
patterns that may touch Cyrillic use the EDGE prefix and report their group `m`.

A few look-alikes are dropped after matching: a price ("$5.30"), a version ("v5.30", "version 5.30"),
a score or ratio with a single-digit side, a pace ("6:30 mile"), and a length ("a 12h shift").
"""

from __future__ import annotations

import re
from functools import lru_cache

from companion.engine.regex import RegexSet, compile_pattern

EDGE = r"(?:^|[^\pL\pN_])"
END = r"(?:$|[^\pL\pN_])"
NUM_WORD = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
MONTH = ("january|february|march|april|may|june|july|august|september|october|november|december|"
         "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
WEEKDAY = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays"
BG_WEEKDAY = "понеделник|вторник|сряда|четвъртък|петък|събота|неделя|понеделниците|петъците|съботите|неделите"
BG_MONTH = "януари|февруари|март|април|май|юни|юли|август|септември|октомври|ноември|декември"
FR_MONTH = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
AMPM = r"(?:a\.?m\.?|p\.?m\.?)"
BG_DAYPART = r"(?:ч\.?|часа|сутринта|сутрин|вечерта|вечер|следобед|през нощта|нощта|без \d{1,2})"

PATTERNS: dict[str, list[str]] = {
    "clock": [
        r"\b(?P<m>(?:[01]?[0-9]|2[0-3])[:.h][0-5][0-9](?:\s?" + AMPM + r"|\s?(?:hrs|h)\b)?)",
        r"\b(?P<m>(?:1[0-2]|0?[1-9])\s?" + AMPM + r")",
        r"\b(?P<m>(?:[01][0-9]|2[0-3])[0-5][0-9]\s?(?:hrs|hours|h))\b",
        r"\b(?P<m>(?:noon|midnight|midday))\b",
        r"\b(?P<m>(?:[01]?[0-9]|2[0-3])h)\b",
        r"\b(?P<m>(?:half|quarter)\s(?:past|to)\s(?:" + NUM_WORD + r"|1[0-2]|[1-9]))\b",
        r"\b(?P<m>half\s(?:" + NUM_WORD + r"|1[0-2]|[1-9]))\b",     # "half six", "half 5": half past
        r"\b(?P<m>(?:" + NUM_WORD + r"|1[0-2]|[1-9])\s?o'?clock)\b",
        r"\b(?P<m>(?:at|by|before|after|from|till|until)\s+(?:1[0-2]|[1-9]|" + NUM_WORD + r"))\s*(?:[.,!;:)](?:\s|$)|$|tomorrow|tonight|today|sharp|every|each|in the|this|and|on|till|until)",
        EDGE + r"(?P<m>(?:[01]?[0-9]|2[0-3])\s?" + BG_DAYPART + ")" + END,
        EDGE + r"(?P<m>(?:в|към|около|след|преди|от|до)\s+(?:[01]?[0-9]|2[0-3])(?:[:.][0-5][0-9])?)\s*(?:ч\.?|часа|сутринта|$|[.,!;:])",
        EDGE + r"(?P<m>(?:полунощ|обед|пладне|зори|зазоряване))" + END,
    ],
    "time_range": [
        r"\b(?P<m>(?:[01]?[0-9]|2[0-3])(?:[:.][0-5][0-9])?\s?" + AMPM + r"?\s?(?:-|–|—|to|till|til|until)\s?"
        r"(?:[01]?[0-9]|2[0-3])(?:[:.][0-5][0-9])?\s?" + AMPM + r")",
        r"\b(?P<m>(?:[01]?[0-9]|2[0-3])[:.][0-5][0-9]\s?(?:-|–|—|to|till|until)\s?(?:[01]?[0-9]|2[0-3])[:.][0-5][0-9])",
        r"\b(?P<m>(?:from|between)\s(?:1[0-2]|[1-9]|" + NUM_WORD + r")(?:[:.][0-5][0-9])?\s?" + AMPM + r"?\s(?:to|till|until|and|-)\s"
        r"(?:1[0-2]|[1-9]|" + NUM_WORD + r"|close|closing|late|midnight)(?:[:.][0-5][0-9])?\s?" + AMPM + r"?)\b",
        r"\b(?P<m>(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\s?(?:-|–|to|through|thru)\s?(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?)\b",
        EDGE + r"(?P<m>от\s+(?:[01]?[0-9]|2[0-3])(?:[:.][0-5][0-9])?\s*(?:ч\.?\s*)?до\s+(?:[01]?[0-9]|2[0-3])(?:[:.][0-5][0-9])?)",
        EDGE + r"(?P<m>(?:[01]?[0-9]|2[0-3])[:.][0-5][0-9]\s?(?:-|–|—|до)\s?(?:[01]?[0-9]|2[0-3])[:.][0-5][0-9])",
        EDGE + r"(?P<m>от\s+(?:" + BG_WEEKDAY + r")\s+до\s+(?:" + BG_WEEKDAY + "))" + END,
        EDGE + r"(?P<m>между\s+(?:[01]?[0-9]|2[0-3])(?:[:.][0-5][0-9])?\s+и\s+(?:[01]?[0-9]|2[0-3])(?:[:.][0-5][0-9])?)",
        r"\b(?P<m>ot\s+(?:[01]?[0-9]|2[0-3])h?\s+do\s+(?:[01]?[0-9]|2[0-3])h?)\b",
        r"\b(?P<m>from\s+the\s+\d{1,2}(?:st|nd|rd|th)\s+(?:to|till|until)\s+the\s+\d{1,2}(?:st|nd|rd|th))\b",
        r"\((?P<m>(?:[01]?[0-9]|2[0-3])\s?[–-]\s?(?:[01]?[0-9]|2[0-3]))\)",
    ],
    "duration": [
        r"\b(?P<m>for\s+(?:the\s+)?(?:next\s+|whole\s+|entire\s+|full\s+)?(?:(?:a|one|two|three|four|five|six|ten|\d{1,2}|couple\s+of|few)\s+)?"
        r"(?:days|nights|weeks?|months?|fortnight|weekend|week|summer|winter|holidays))\b",
        r"\b(?P<m>(?:all|the\s+whole|the\s+entire|whole)\s+(?:of\s+)?(?:week|weekend|month|summer|winter|" + MONTH + r"))\b",
        r"\b(?P<m>(?:until|till|til|through|thru)\s+(?:next\s+|the\s+)?(?:" + WEEKDAY + "|" + MONTH + r"|\d{1,2}(?:st|nd|rd|th)|new\s+year|christmas|easter|the\s+new\s+year|end\s+of\s+the\s+month|the\s+end\s+of\s+\w+))\b",
        r"\b(?P<m>a\s+fortnight|two\s+weeks|three\s+weeks|\d{1,2}\s+(?:days|nights|weeks))\b",
        r"\b(?P<m>over\s+(?:christmas|easter|the\s+holidays|the\s+long\s+weekend|the\s+weekend|new\s+year|summer|half[- ]term))\b",
        EDGE + r"(?P<m>за\s+(?:една|един|две|два|три|четири|пет|няколко|цял|цяла|цели|\d{1,2})?\s*(?:ден|дни|седмица|седмици|месец|месеца|уикенда|уикенд))" + END,
        EDGE + r"(?P<m>(?:през\s+)?(?:целия|цялата|целият|цялото)\s+(?:следващ[аи]?\s+)?(?:месец|седмица|уикенд|лято|" + BG_MONTH + "))" + END,
        EDGE + r"(?P<m>до\s+(?:следващ(?:ия|ата)?\s+)?(?:" + BG_WEEKDAY + "|" + BG_MONTH + r"|края на месеца|Коледа|Нова година|\d{1,2}(?:-ти|-ви|-ри)?))" + END,
        # a span of days: 12–26 Dec, Dec 12-26, 3 to 17 August, 20 Dec – 5 Jan, until 6 Jan, от 12 до 26 август
        r"\b(?P<m>\d{1,2}(?:st|nd|rd|th)?\s+(?:" + MONTH + r")\s?(?:-|–|—|to|till|until)\s?\d{1,2}(?:st|nd|rd|th)?\s+(?:" + MONTH + r"))\b",
        r"\b(?P<m>(?:until|till|til|through|thru)\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:" + MONTH + r"))\b",
        r"\b(?P<m>\d{1,2}(?:st|nd|rd|th)?\s?(?:-|–|—|to|till|until)\s?\d{1,2}(?:st|nd|rd|th)?\s+(?:" + MONTH + r"))\b",
        r"\b(?P<m>(?:" + MONTH + r")\s+\d{1,2}(?:st|nd|rd|th)?\s?(?:-|–|—|to|till|until)\s?\d{1,2}(?:st|nd|rd|th)?)\b",
        EDGE + r"(?P<m>(?:от\s+)?\d{1,2}\s?(?:-|–|—|до)\s?\d{1,2}(?:\s+|\.)(?:" + BG_MONTH + "))" + END,
    ],
    "day": [
        r"\b(?P<m>(?:tonight|tomorrow|today|this\s+(?:morning|evening|afternoon|weekend)|tmrw|tmr|(?:every|each|next|this)\s+(?:" + WEEKDAY + r"|weekday|weekend|morning|night|evening)|on\s+(?:" + WEEKDAY + r")|" + WEEKDAY + r"|weekdays|weeknights))\b",
        r"\b(?P<m>\d{1,2}(?:st|nd|rd|th)?\s+(?:" + MONTH + r")|(?:" + MONTH + r")\s+\d{1,2}(?:st|nd|rd|th)?)\b",
        r"\b(?P<m>(?:till|until|til|by|from|next|this)\s+(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun))\b",   # "till Thurs"
        # Bulgarian typed in Latin letters: "ot ponedelnik", "do petak", "utre"
        r"\b(?P<m>(?:utre|dovechera|vdrugiden|(?:(?:v|vav|ot|do|vseki|vsyaka)\s+)?(?:ponedelnik|vtornik|sryada|sreda|chetvartak|chetvurtuk|chetvyrtyk|petak|petuk|petyk|sabota|subota|sybota|nedelya|nedelq|nedelia)))\b",
        EDGE + r"(?P<m>(?:утре|довечера|днес|вдругиден|всеки\s+ден|всяка\s+(?:сутрин|вечер|нощ|събота|неделя|сряда)|всеки\s+(?:" + BG_WEEKDAY + r")|в(?:ъв)?\s+(?:" + BG_WEEKDAY + r")|(?:" + BG_WEEKDAY + r")|този\s+уикенд|през\s+уикенда|\d{1,2}\s+(?:" + BG_MONTH + ")))" + END,
    ],
    "date": [   # a calendar date with its year (a date of birth, an appointment)
        r"\b(?P<m>(?:0?[1-9]|[12][0-9]|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:19|20)?[0-9]{2})\b",
        r"\b(?P<m>(?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12][0-9]|3[01])[/.-](?:19|20)?[0-9]{2})\b",
        r"\b(?P<m>(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9])\b",
        r"\b(?P<m>\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + MONTH + r")\s+(?:19|20)[0-9]{2})\b",
        r"\b(?P<m>(?:" + MONTH + r")\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)[0-9]{2})\b",
        EDGE + r"(?P<m>\d{1,2}\s+(?:" + BG_MONTH + r")\s+(?:19|20)[0-9]{2})" + END,
        EDGE + r"(?P<m>(?:1er|\d{1,2})\s+(?:" + FR_MONTH + r")\s+(?:19|20)[0-9]{2})" + END,   # "née le 2 mai 1990"
    ],
    "night": [
        r"\b(?P<m>(?:tonight|overnight|late\s+at\s+night|at\s+night|after\s+dark|before\s+(?:dawn|sunrise)|in\s+the\s+dark|night\s+shifts?|nights|graveyard\s+shift|small\s+hours|late\s+shift|after\s+close|after\s+closing|after\s+hours|past\s+midnight|crack\s+of\s+dawn|before\s+anyone\s+else|before\s+the\s+others))\b",
        EDGE + r"(?P<m>(?:довечера|нощем|през\s+нощта|нощна(?:та)?\s+смяна|нощни(?:те)?\s+смени|нощна|късно\s+вечерта|рано\s+сутринта|по\s+тъмно|преди\s+изгрев|след\s+затваряне|след\s+полунощ|в\s+полунощ))" + END,
    ],
    "code": [
        r"(?:^|[^\pL\pN_.,/$€£-])(?P<m>[#*]?[0-9]{3,8}#?)(?:$|[^\pL\pN_.,/%-]|[.,](?:\s|$))",
        r"\b(?P<m>[0-9]{1,3}(?:-[0-9]{1,3}){2,})\b",
        r"\b(?P<m>(?:[0-9]\s){3,7}[0-9])\b",
    ],
}

NIGHT_HOURS = {21, 22, 23, 0, 1, 2, 3, 4, 5}
_HOUR = re.compile(r"(\d{1,2})(?:[:.h](\d\d))?\s*(a\.?m\.?|p\.?m\.?)?", re.IGNORECASE)
_VERSION_WORDS = ("version", "ver", "v", "release", "build", "ios", "android", "update", "firmware")


@lru_cache(maxsize=1)
def _compiled() -> dict[str, list[tuple[int, object]]]:
    """Each class's patterns, compiled, with their numbers in _pattern_set."""
    numbers = iter(range(sum(map(len, PATTERNS.values()))))
    return {name: [(next(numbers), compile_pattern(p)) for p in pats] for name, pats in PATTERNS.items()}


@lru_cache(maxsize=1)
def _pattern_set() -> RegexSet:
    return RegexSet([p for pats in PATTERNS.values() for p in pats])


def find(text: str) -> dict[str, list[tuple[int, int]]]:
    """Code-point spans of every built-in class in `text` (already valid for RE2)."""
    found = Found(text)
    return {name: found.spans(name) for name in PATTERNS}


class Found:
    """The built-in classes of one text, each found the first time it is asked for: a check that asks
    only for days runs only the day patterns. One pass of every pattern at once (an RE2 set) first
    tells which patterns match anywhere in the text; only those are run for their spans."""

    def __init__(self, text: str):
        self.text = text
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._matching: set[int] | None = None

    def spans(self, name: str) -> list[tuple[int, int]]:
        """Code-point spans of the class `name` (night reads the clock times, so it finds them too)."""
        if name not in self._spans:
            text, out = self.text, []
            for number, rx in _compiled()[name]:
                if not self._matches(number):
                    continue
                for m in rx.finditer(text):
                    s, e = m.span(1)   # group 1 is (?P<m>...): this RE2 binding takes group numbers
                    if s < 0 or e <= s or _looks_like_something_else(name, text, s, e):
                        continue
                    out.append((s, e))
            if name == "night":
                out += [s for s in self.spans("clock") if _is_night(text[s[0]:s[1]])]
            self._spans[name] = out
        return self._spans[name]

    def _matches(self, number: int) -> bool:
        if self._matching is None:
            self._matching = set(_pattern_set().matching(self.text))
        return number in self._matching


def _is_night(clock: str) -> bool:
    if any(w in clock for w in ("midnight", "полунощ")):
        return True
    m = _HOUR.search(clock)
    if not m:
        return False
    hour = int(m.group(1))
    ampm = (m.group(3) or "").lower()[:1]
    if ampm == "p":
        hour = hour % 12 + 12
    elif ampm == "a":
        hour = hour % 12
    elif not m.group(2) and not re.search(r"(?:сутр|вечер|нощ|ч\.?|часа|hrs|h)", clock):
        return False      # "at 5" alone says nothing about the hour of the day
    if "вечер" in clock and hour < 12:
        hour += 12
    # "the 2.50", "a 3.40 finish": a British afternoon, written with a dot; a night hour comes with am or a night word
    dotted = bool(m.group(2)) and clock[m.end(1)] == "." and len(m.group(1)) == 1
    if dotted and not ampm and 1 <= hour <= 3 and not re.search(r"(?:сутр|нощ)", clock):
        return False
    return hour in NIGHT_HOURS


def _looks_like_something_else(name: str, text: str, s: int, e: int) -> bool:
    before = text[max(0, s - 12):s].lower()
    after = text[e:e + 16].lower()
    if name in ("clock", "time_range", "code"):
        if before.rstrip()[-1:] in ("$", "€", "£", "#") and name != "code":
            return True
        # "v 2.3" is a version; "v 17:30" is Bulgarian "at 17:30" typed in Latin letters (versions use dots)
        if ":" not in text[s:e]:
            words = before.replace(".", " ").split()
            if words and words[-1] in _VERSION_WORDS:
                return True
            if before.endswith(("v", "ver.", "version ")):
                return True
    if name == "clock":
        if re.match(r"\s*(?:mile|km|/km|pace|min/km|min per)", after):
            return True
        # "a 12h shift", "10h day": a length of time, not a clock time ("at 19h" is one)
        if text[s:e].lower().endswith("h") and re.match(r"[\s-]*(?:shifts?|days?|nights?|stints?|drives?|flights?|runs?|weeks?)\b", after):
            return True
        if after[:1] in ("%", "/") or after.startswith(("x ", "k ")):
            return True
        # "14.03.1995" is a date: day and month, not 14:03
        if "." in text[s:e] and re.match(r"\.\d", after):
            return True
    if name == "night" and text[s:e].lower().startswith("in") and re.search(r"\b(?:kept|keep|keeps|keeping|left|leave|leaving|being)\s+$", before):
        return True     # "kept in the dark": not told, not night
    if name == "code":
        if _in_phone_number(text, s, e):
            return True
        if re.match(r"\s*(?:%|percent|km|miles?|kg|g\b|ml|people|followers|likes|views|stars?|points|customers|"
                     r"passengers|staff|years?|yrs|days|hours|minutes|mins|steps|calories|words|pages|lv|лв|bgn|"
                     r"aud|gbp|usd|eur|dollars|pounds|sq|m2|души|човека|лева|години)", after):
            return True
        last = before.split()[-1] if before.split() else ""   # a whole word: "pin 1234" is a code, "in 1990" a year
        if last.endswith(("$", "€", "£")) or last in ("no.", "page", "room", "flight", "route", "bus", "tram", "line",
                                                      "gate", "platform", "since", "in", "from", "year"):
            return True
    return False


_PHONE_RUN = re.compile(r"\+?\(?\d[\d().\-]*(?: [\d().\-]+)*")


def _in_phone_number(text: str, s: int, e: int) -> bool:
    """The digits are one group of a longer run such as "0113 496 0520" or "+359 82 800 650": a phone
    number (nine digits or more, in groups), not a door or alarm code. Looks 20 characters each side."""
    for m in _PHONE_RUN.finditer(text, max(0, s - 20), min(len(text), e + 20)):
        if m.start() <= s and e <= m.end():
            groups = [g for g in re.split(r"[ ().\-]+", m.group()) if g.strip("+")]
            return len(groups) >= 2 and sum(c.isdigit() for c in m.group()) >= 9
    return False
