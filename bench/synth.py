"""Reproducible synthetic data for the benchmark: code-name lists, social-media prose, planted variants.

Everything is derived from a seed with `random.Random`, so two runs (or two machines) see the same
terms, drafts and variants. Smaller term lists are prefixes of larger ones.

Code names imitate what companies actually use: two ordinary words ("Falcon Ridge", "Silver Kite"),
invented brand words ("Velmora", "Quintaro Hub"), model names ("Blend Pro X2", "Thalor 500"),
prefixed projects ("Project Kestrel", "Operation Iron Tide"), compound tool names ("HarborOps",
"ZorviaDB") and a few Cyrillic ones ("Проект Гроза").
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from companion.engine import lexicon

ADJ = """silver crimson iron blue quiet northern golden hidden amber azure bold bright broken cobalt copper
coral dark deep distant eastern emerald fading falling final first frozen gentle gray green grey high hollow
ivory jade last lone lost low lucky lunar marble midnight misty noble obsidian open pale polar proud purple
rapid red restless rising rough royal ruby rust sacred scarlet secret shadow sharp shining silent silk sleeping
slow small solar southern spare steady steel stone stormy strong summer sunny swift tall thunder tiny twin
velvet violet wandering warm western white wild winter wooden young zero cosmic crystal electric hyper
quantum sonic turbo ultra vivid radiant brave clever fierce""".split()

NOUN = """falcon ridge harbor cedar kestrel juniper river summit aurora atlas orion phoenix raven willow canyon
meadow glacier tundra prairie delta lagoon reef island harbour beacon lantern compass anchor arrow bridge
castle citadel comet crater dune ember forest garden gate grove haven horizon lake maple mesa mountain nebula
oasis ocean orchard peak pine pond quarry rapids rock sierra spire spring star stream summit thicket tide tower
trail valley vista wave wind wolf badger bear bison condor coyote crane eagle egret elk finch fox gazelle
hawk heron ibis jaguar kite lynx magpie marten merlin moose osprey otter owl panther pelican puma robin
salmon sparrow stag swan tiger viper wren yak zebra oak birch aspen cypress elm hemlock larch linden
redwood sequoia spruce sycamore hazel thistle clover fern ivy lotus orchid poppy sage tulip violet ember
flint granite basalt quartz cobalt onyx opal topaz garnet slate shale marble pebble boulder keystone
cornerstone lighthouse windmill harvest tempest monsoon cyclone blizzard zephyr breeze thunderbolt
lightning sunrise sunset twilight dawn dusk eclipse meridian equinox solstice""".split()

PREFIX = ["Project", "Operation", "Codename", "Initiative"]
MODEL = ["X2", "X3", "Pro", "Max", "Mini", "Plus", "Ultra", "500", "700", "900", "2", "3", "S", "One", "Air",
         "Neo", "Prime", "Lite", "Go", "Edge", "Core", "Flex", "Duo", "360", "Z", "XL", "Nova", "GT"]
TOOL_SUFFIX = ["Ops", "DB", "Hub", "Desk", "Flow", "Sync", "Forge", "Vault", "Board", "Track", "Lab", "Link"]
ONSET = ["b", "br", "c", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "pr", "qu", "r",
         "s", "st", "t", "tr", "v", "z", "", "", "l", "m", "n", "r", "s", "t", "v"]
VOWEL = ["a", "e", "i", "o", "u", "a", "e", "o", "a", "i", "ia", "io", "y"]
CODA = ["", "", "", "n", "r", "l", "s", "x", "m", "nd", "rt", "st", "th", "v", "z", "ck", "n", "r", "s"]
CYR_NOUN = ["Гроза", "Буря", "Сокол", "Берёза", "Вершина", "Рассвет", "Метель", "Полярник", "Ястреб",
            "Кедр", "Зарница", "Тайга", "Байкал", "Вихрь", "Искра", "Север", "Янтарь", "Орион", "Комета"]
CYR_PREFIX = ["Проект", "Операция"]


def _pseudo(rng: random.Random, ordinary: frozenset[str]) -> str:
    """An invented brand word: two or three open syllables, maybe a closing consonant (Velmora, Zunos)."""
    while True:
        syllables = [rng.choice(ONSET) + rng.choice(VOWEL) for _ in range(rng.choice((2, 2, 2, 3)))]
        word = "".join(syllables) + rng.choice(CODA)
        if 4 <= len(word) <= 10 and word not in ordinary and word.isalpha():
            return word.capitalize()


def _shape(rng: random.Random, ordinary: frozenset[str]) -> str:
    r = rng.random()
    adj, noun = rng.choice(ADJ).capitalize(), rng.choice(NOUN).capitalize()
    noun2 = rng.choice(NOUN).capitalize()
    if r < 0.18:
        return f"{adj} {noun}"
    if r < 0.32:
        return f"{noun} {noun2}" if noun != noun2 else f"{adj} {noun}"
    if r < 0.42:
        prefix = rng.choice(PREFIX)
        rest = rng.choice((noun, _pseudo(rng, ordinary), f"{adj} {noun}", f"{noun} {noun2}"))
        return f"{prefix} {rest}"
    if r < 0.62:
        return _pseudo(rng, ordinary)
    if r < 0.72:
        return f"{_pseudo(rng, ordinary)} {noun}"
    if r < 0.82:
        return f"{_pseudo(rng, ordinary)} {rng.choice(MODEL)}"
    if r < 0.87:
        return f"{noun} {rng.choice(MODEL)} {rng.choice(MODEL)}" if rng.random() < 0.3 else f"{adj} {noun} {rng.choice(MODEL)}"
    if r < 0.93:
        return f"{rng.choice((noun, _pseudo(rng, ordinary)))}{rng.choice(TOOL_SUFFIX)}"
    if r < 0.97:
        return f"{_pseudo(rng, ordinary)} {_pseudo(rng, ordinary)}"
    if r < 0.99:
        return rng.choice((rng.choice(CYR_NOUN), f"{rng.choice(CYR_PREFIX)} {rng.choice(CYR_NOUN)}",
                           f"{rng.choice(CYR_NOUN)} {rng.randint(2, 9)}"))
    return noun          # a lone ordinary word: exact-only by design


def _key(term: str) -> str:
    return "".join(ch for ch in term.casefold() if ch.isalnum())


def code_names(n: int, seed: int = 7) -> list[str]:
    """n unique, realistic code names; code_names(k) == code_names(n)[:k] for k <= n."""
    rng = random.Random(seed)
    ordinary = lexicon.words()
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        term = _shape(rng, ordinary)
        key = _key(term)
        if key in seen or len(key) < 4:
            continue
        seen.add(key)
        out.append(term)
    return out


# -- prose -----------------------------------------------------------------------------------------
NAMES = ["Priya", "Marcus", "Aoife", "Jens", "Thandiwe", "Mateo", "Yuki", "Oluwaseun", "Sven", "Camille",
         "Dmitri", "Leilani", "Rahul", "Siobhan", "Kwame", "Ingrid", "Tomasz", "Ngozi", "Hamish", "Mei",
         "Bartholomew", "Esperanza", "Fergus", "Anneliese", "Kofi", "Zainab", "Pádraig", "Zoë", "Björn"]
PLACES = ["Portland", "Leeds", "Lisbon", "Tucson", "Gdansk", "Osaka", "Nairobi", "Halifax", "Brisbane",
          "Cork", "Antwerp", "Boise", "Reykjavik", "Valparaíso", "Kraków", "Düsseldorf", "Chattanooga"]
BRANDS = ["Spotify", "YouTube", "TikTok", "iPhone", "PlayStation", "Costco", "IKEA", "Airbnb", "Uber",
          "Netflix", "Instagram", "LinkedIn", "Zoom", "Slack", "Peloton", "Duolingo", "Shopify", "Figma"]
TYPOS = ["teh", "recieve", "definately", "wierd", "untill", "tommorow", "seperate", "occured", "thier",
         "becuase", "alot", "goverment", "beleive", "accross", "wich", "realy", "finaly", "tounge", "freind"]
EMOJI = ["🚀", "🎉", "😂", "🙌", "❤️", "👍", "🔥", "☕", "🌧️", "😅", "👩‍💻", "🏃‍♀️", "🇨🇦", "✨", "🤔"]
HASHTAGS = ["#MondayMotivation", "#tbt", "#WorkLife", "#CoffeeFirst", "#weekendvibes", "#TeamSpirit",
            "#NowHiring", "#CustomerLove", "#BehindTheScenes", "#ThrowbackThursday", "#FridayFeeling",
            "#hiking", "#foodie", "#LifeLessons", "#OpenToWork", "#gratitude"]

SENTENCES = """Just got back from {place} and honestly the coffee there is something else {emoji}
Huge thanks to {name} for covering my shift today, you are a legend.
Does anyone know a good place to get a bike fixed near {place}? Mine has a flat again.
Three years at the company today and I still learn something new every week {hashtag}
Our team shipped the new checkout flow last night; the dashboards look calm so far.
Rainy {day} in {place}, perfect excuse to finish the book {name} lent me.
If you ever need a reminder to drink water, this is it {emoji}
Spent the afternoon with {name} sorting out the storage room, found a box of old catalogues from 2009.
Can we talk about how good the new {brand} update is? The dark mode finally works.
Hot take: meetings before ten should come with free breakfast.
My kid asked me what I do at work and I said I answer emails, which is not wrong {emoji}
Proud of {name} who ran their first half marathon in {place} this weekend {hashtag}
The line at the store was out the door this morning but everyone was really patient, thank you!
We are hiring in {place}: warehouse, customer care and two software roles, message me for details {hashtag}
Tried the new ramen place on Fifth Street, the broth is rich and the noodles are perfect.
Reminder that the charity bake sale is on {day} from noon until three, bring cash or cards.
Nothing beats a long walk by the water after a busy week {emoji} {hashtag}
{name} and I are running the booth at the trade fair in {place} next month, come say hi!
Finally finished the kitchen renovation, only took six months and one flooded basement.
Love seeing customers send photos of what they cooked with our stuff, keep them coming {emoji}
Anyone else get {brand} notifications at three in the morning or is it just me
The quarterly volunteer day was at the food bank; we packed more than four hundred boxes.
Wrote a short guide on keeping spreadsheets tidy, link in the comments {hashtag}
Traffic on the bridge was terrible again, leaving earlier tomorrow.
Big congratulations to {name} on the promotion, well deserved after a tough year.
So many tomatoes in the garden this year that I am giving them away to the neighbours {emoji}
Watching the game tonight with {name}, pizza is already on its way.
I think teh new schedule is better but I definately need more coffee {emoji}
Learning to play the guitar at forty is humbling but fun, week three and my fingers hurt.
The sunrise over {place} on the drive in today was unreal {emoji}
Grateful for colleagues who make hard days easier {hashtag}
If your order arrived late this week, please send us a message and we will sort it out quickly.
Happy to share that I completed the safety certification course today!
Our dog learned to open the fridge and now we have to buy a lock for it.
The conference in {place} had great talks about supply chains and a surprising amount of cake.
Booked a cabin for the long weekend, no phone signal, no laptop, just books and board games.
Shoutout to the night crew who keep everything running while the rest of us sleep {emoji}
Quick poll: tea or coffee during the afternoon slump?
Moving to a new apartment on {day}, if you have spare boxes I will trade them for cookies.
Still thinking about that lemon cake {name} brought to the picnic {emoji}
Started a small book club at the office; first pick is a mystery set in {place}.
Just realised I have been pronouncing the name of that street wrong for ten years.
The new {brand} playlist for focus work is actually pretty good {hashtag}
Thank you to everyone who came to the open house, we met so many lovely people.
Working from the library today because the wifi at home gave up.
My grandmother turned ninety and still beats everyone at cards {emoji}
Cycled to work every day this month and my legs would like a word with me.
Our little garden club planted twenty trees along the river path this spring.
Is it normal to be this excited about a new label printer? Asking for a friend.
Sending good vibes to everyone who has exams this week, you have got this {emoji}
Took the train to {place} for the first time and the views were stunning.
Made pancakes for the whole team this morning, the kitchen survived, barely.
Recieved the nicest handwritten note from a customer today, it is going on the fridge.
Weekend plan: sleep in, farmers market, nap, repeat {hashtag}""".splitlines()

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _sentence(rng: random.Random) -> str:
    s = rng.choice(SENTENCES)
    s = s.format(place=rng.choice(PLACES), name=rng.choice(NAMES), emoji=rng.choice(EMOJI),
                 hashtag=rng.choice(HASHTAGS), day=rng.choice(DAYS), brand=rng.choice(BRANDS))
    words = s.split(" ")
    if rng.random() < 0.15:      # a stray typo, a handle or a link now and then, as in real posts
        i = rng.randrange(len(words))
        words.insert(i, rng.choice(TYPOS + [f"@{rng.choice(NAMES).lower()}{rng.randint(1, 99)}",
                                            f"https://example.com/{rng.choice(NAMES).lower()}"]))
    return " ".join(words)


def prose(chars: int, rng: random.Random) -> str:
    """Clean social-media prose of exactly `chars` characters (code points), nothing planted."""
    parts: list[str] = []
    total = 0
    while total < chars + 200:
        s = _sentence(rng)
        sep = "\n\n" if rng.random() < 0.1 else " "
        parts.append(s + sep)
        total += len(s) + len(sep)
    text = "".join(parts)[:chars]
    return text


# -- planted variants ------------------------------------------------------------------------------
VARIANTS = ("exact", "case", "spacing", "hashtag", "leet", "homoglyph", "zero_width", "typo1", "typo2")
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
HOMOGLYPH = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "k": "к"}
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _typo(word: str, rng: random.Random) -> str:
    """One random edit (substitute, insert, delete or swap with the neighbour) at a letter position."""
    letters = [i for i, ch in enumerate(word) if ch.isalpha() and ch.isascii()]
    if not letters:
        return word
    i = rng.choice(letters)
    op = rng.choice(("sub", "sub", "ins", "del"))
    if op == "sub":
        ch = rng.choice([c for c in LETTERS if c != word[i].lower()])
        return word[:i] + (ch.upper() if word[i].isupper() else ch) + word[i + 1:]
    if op == "ins":
        return word[:i] + rng.choice(LETTERS) + word[i:]
    if len([c for c in word if c.isalnum()]) <= 3:
        return word[:i] + rng.choice(LETTERS) + word[i + 1:]
    return word[:i] + word[i + 1:]


def variant(term: str, kind: str, rng: random.Random) -> str:
    """How someone might actually type the term (one kind of variation)."""
    words = term.split()
    if kind == "exact":
        return term
    if kind == "case":
        return rng.choice((term.upper(), term.lower(), term.swapcase()))
    if kind == "spacing":
        if len(words) > 1:
            return rng.choice(("".join(words), "  ".join(words), "-".join(words), "\u00a0".join(words)))
        w = term
        cut = rng.randrange(2, len(w) - 1) if len(w) > 3 else 1
        return w[:cut] + " " + w[cut:]
    if kind == "hashtag":
        camel = "".join(w[:1].upper() + w[1:] for w in words)
        return "#" + (camel if rng.random() < 0.6 else camel.lower())
    if kind == "leet":
        chars = list(term)
        spots = [i for i, ch in enumerate(chars) if ch.lower() in LEET and 0 < i < len(chars) - 1
                 and chars[i - 1].isalpha() and chars[i + 1].isalpha()]
        for i in rng.sample(spots, min(len(spots), rng.choice((1, 2, 2)))):
            chars[i] = LEET[chars[i].lower()]
        return "".join(chars)
    if kind == "homoglyph":
        chars = list(term)
        spots = [i for i, ch in enumerate(chars) if ch in HOMOGLYPH]
        for i in rng.sample(spots, min(len(spots), rng.choice((1, 2)))):
            chars[i] = HOMOGLYPH[chars[i]]
        return "".join(chars)
    if kind == "zero_width":
        chars = list(term)
        spots = [i for i in range(1, len(chars)) if chars[i].isalnum() and chars[i - 1].isalnum()]
        for i in sorted(rng.sample(spots, min(len(spots), rng.choice((1, 2)))), reverse=True):
            chars.insert(i, rng.choice(ZERO_WIDTH))
        return "".join(chars)
    if kind in ("typo1", "typo2"):
        out = term
        for _ in range(1 if kind == "typo1" else 2):
            out = _typo(out, rng)
        return out
    raise ValueError(kind)


@dataclass
class Planted:
    entry: int       # index of the term in the list
    kind: str
    written: str     # the variant as planted
    start: int       # code-point span in the draft
    end: int


def plant(text: str, items: list[tuple[int, str, str]], rng: random.Random) -> tuple[str, list[Planted]]:
    """Insert (entry, kind, written) items at word boundaries of `text`, keeping its length about the same.

    The text is cut at the end so that the draft keeps its nominal length.
    """
    target = len(text)
    need = sum(len(w) + 2 for _, _, w in items)
    base = text[:max(0, target - need)]
    cuts = sorted(rng.sample([i for i, ch in enumerate(base) if ch == " "] or [len(base)], len(items))) \
        if len(items) <= base.count(" ") else [len(base)] * len(items)
    out: list[str] = []
    planted: list[Planted] = []
    length = prev = 0
    order = list(items)
    rng.shuffle(order)
    for cut, (entry, kind, written) in zip(cuts, order):
        piece = base[prev:cut] + " "
        out.append(piece)
        length += len(piece)
        planted.append(Planted(entry, kind, written, length, length + len(written)))
        out.append(written + " ")
        length += len(written) + 1
        prev = cut
    out.append(base[prev:])
    return "".join(out), planted
