"""A small linear model as a second opinion: how much a draft resembles labelled drafts that break the policy.

Trained offline (scripts/train-second-opinion) on the labelled drafts of the companies the rules were
tuned on, and shipped as plain weights (companion/data/second-opinion.npz: the features as UTF-8 lines,
their weights as one float64 array, and the categories' biases and thresholds as JSON; nothing pickled):
no model library at run time, nothing downloaded. Features are the lemmas of the draft's words and pairs of neighbouring
lemmas, each distinct word ("w:", weighed as its pieces of 3 to 5 letters, "c:"), the same for the message being answered
(prefixed "r:"), the emoji of the draft ("e:"), and whether the draft answers someone. Words of the vocabulary's classes also count as their class
("<company>", "<clock>", "<workplace>"), alone and beside their neighbours, so that what the model
learnt from one company's drafts ("Brightline will refund", "alone at the depot at 5") holds for
another's words ("Acme will refund", "alone at the warehouse at 05:30"). The score is a logistic
regression's probability; its explanation is the draft's word pairs that weigh most towards it, or,
for a category decided by the conversation (escalation), the words of the message answered when the
draft itself has none. Two more columns answer the disclosure rule's questions: of the drafts from
personal accounts that name the company, does this one still need a disclosure, or does it say in other
words that the writer works there ("my first wedding dress as lead tailor at ...")? (`disclosure`); and
of the replies that name nothing under a message that names the company, does this one vouch for it
("honestly yes, they did ours and it was stunning")? (`disclosure_in_thread`).

Work is linear in the draft's length: one pass over its tokens, one dictionary lookup per feature.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from companion.engine.language.analysis import analyse
from companion.engine.language.lemmas import base_form
from companion.engine.normalize import Normalized

if TYPE_CHECKING:
    from companion.engine.context import CheckContext
    from companion.engine.language.vocabulary import Vocabulary

MODEL_PATH = Path(__file__).resolve().parent.parent.parent / "data" / "second-opinion.npz"
ANSWERING = "__answering__"
REPLY = "r:"
MAX_TOKENS = 2000     # a draft longer than this is scored on its first 2,000 words: enough to resemble
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF]")
EMOJI_PREFIX = "e:"
WORD = "w:"
CHARS = "c:"
MAX_WORD = 40         # letters of one word cut into pieces: a 5,000-letter "word" costs as much as a long one
# The tails normalize() splits from contractions ("I'll" -> "I", "ll"): alone they weigh like any word
# but never point, since a card saying the draft resembles "ll" explains nothing ("I'll" still can).
CONTRACTION_TAILS = frozenset({"ll", "re", "ve", "s", "d", "t", "m"})
MAX_CACHED_WORDS = 100_000   # words whose pieces are summed; emptied when full, so hostile input cannot grow it without end
MAX_EMOJI_SCAN = 20_000   # characters of the draft searched for emoji
# The classes a draft's words are also read as: the company's slots, the built-in time and code
# classes, and the base policy's classes. Training and run time read the same tuple; a class a
# vocabulary lacks contributes nothing (tests/test_second_opinion.py checks the base policy has them).
CLASSES = ("company", "product", "handle", "clock", "time_range", "duration", "day", "date", "night", "code",
           "workplace", "job", "key", "secret", "hiding_place", "cash", "home", "legal", "harm", "alone",
           "open_close", "shift", "away", "security", "unsecured", "carry", "routine", "speaker", "you",
           "company_action", "payout", "announce", "customer_thing", "status", "status_verb", "service",
           "business", "hostile", "criticism", "critic")
SLOTS = ("company", "product", "handle")   # the company's own names, read as their class only


@dataclass(frozen=True)
class Opinion:
    probability: float
    evidence: tuple[tuple[int, int, str], ...]   # (first token, last token, feature) weighing most towards it
    in_reply: bool = False                        # the evidence is in the message answered, not the draft


def features(norm: Normalized, reply: Normalized | None, answering: bool,
             vocab: "Vocabulary | None" = None) -> dict[str, tuple[int, int]]:
    """Every feature of a draft, with the tokens of its first occurrence: in the draft, or for "r:"
    features in the message answered; (-1, -1) for whether the draft answers someone. With a
    vocabulary, its classes' words count as their class too."""
    out: dict[str, tuple[int, int]] = {}
    named: dict[str, set[int]] = {}     # per text, the tokens of the company's own names
    for text, prefix in ((norm, ""), (reply, REPLY)):
        if text is None:
            continue
        lemmas = [base_form(t.text) for t in text.tokens[:MAX_TOKENS]]
        runs = _class_runs(text, vocab, len(lemmas)) if vocab is not None else {}
        # The company's names, products and handles are read as their class only: a model trained on
        # other companies has learnt nothing true of the words "Evergreen Funeral Care".
        own = named[prefix] = {k for first, (last, name) in runs.items() if name in SLOTS for k in range(first, last + 1)}
        for i, lemma in enumerate(lemmas):
            if i in own:
                continue
            out.setdefault(prefix + lemma, (-1, -1) if text.tokens[i].text.lower() in CONTRACTION_TAILS else (i, i))
            if i and i - 1 not in own:
                out.setdefault(prefix + lemmas[i - 1] + " " + lemma, (i - 1, i))
        if runs:
            _class_features(out, prefix, lemmas, runs)
    # Each distinct word also stands for its pieces of 3 to 5 letters (with the word's edges), which
    # reach the forms no lemma table lists: Latin-typed Bulgarian, slang, typos and inflections
    # ("idiots", "idioti", "идиоти" share " idi"). The model weighs a word's pieces together, once per
    # word (word_pieces), and never points at them: a card points at words, not at letters.
    for text, prefix in ((norm, WORD), (reply, WORD + REPLY)):
        if text is not None:
            own = named.get(prefix[len(WORD):], set())
            for i, t in enumerate(text.tokens[:MAX_TOKENS]):
                if i not in own:
                    out.setdefault(prefix + t.text[:MAX_WORD].lower(), (-1, -1))
    # Emoji carry tone (🙄 💅 😂 under a complaint): each one the draft uses counts, underlines nothing.
    for emoji in set(EMOJI.findall(norm.text, 0, MAX_EMOJI_SCAN)):
        out[EMOJI_PREFIX + emoji] = (-1, -1)
    if answering:
        out[ANSWERING] = (-1, -1)
    return out


@lru_cache(maxsize=50_000)      # a draft is checked again at each pause in typing: its words repeat
def word_pieces(feature: str) -> tuple[str, ...]:
    """The pieces a "w:" feature stands for: "w:idiots" -> "c: id", "c: idi", ..., "c:ts "; the
    message answered's ("w:r:...") as "r:c:...". Training counts them per distinct word, as here."""
    word = feature[len(WORD):]
    prefix = CHARS
    if word.startswith(REPLY):
        word, prefix = word[len(REPLY):], REPLY + CHARS
    padded = f" {word} "
    return tuple({prefix + padded[i:i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)})


def _class_runs(text: Normalized, vocab: "Vocabulary", size: int) -> dict[int, tuple[int, str]]:
    """first token -> (last token, class) of the longest class occurrence starting there."""
    # The draft's own analysis, which the rules have mostly filled already; on a long draft only the
    # occurrences that begin within its first `size` tokens count, cut at the last of them.
    an = analyse(text, vocab)
    runs: dict[int, tuple[int, str]] = {}
    for name in CLASSES:
        for first, lasts in an.class_spans(name).items():
            last = max(lasts)
            if first < size and (first not in runs or last > runs[first][0]):
                runs[first] = (min(last, size - 1), name)
    return runs


def _class_features(out: dict[str, tuple[int, int]], prefix: str, lemmas: list[str],
                    runs: dict[int, tuple[int, str]]) -> None:
    """The draft read with each class occurrence as one word "<class>": those words, and every pair
    of neighbours in which one is a class."""
    previous: tuple[str, int, bool] | None = None     # (label, first token, is a class)
    i = 0
    while i < len(lemmas):
        run = runs.get(i)
        last, label = (run[0], f"<{run[1]}>") if run else (i, lemmas[i])
        if run:
            out.setdefault(prefix + label, (i, last))
        if previous and (run or previous[2]):
            out.setdefault(prefix + previous[0] + " " + label, (previous[1], last))
        previous = (label, i, bool(run))
        i = last + 1


@dataclass(frozen=True)
class Weighed:
    """A draft's features weighed for every category at once (TextModel.weigh)."""
    z: tuple[float, ...]                                   # per category: the bias plus every feature's weight
    pointing: tuple[tuple[int, int, int, str], ...]        # (row of the weights, first, last, feature) of words


class TextModel:
    def __init__(self, trained_on: list[str], categories: dict[str, tuple[float, float]],
                 names: list[str], weights: np.ndarray):
        """`categories`: name -> (bias, threshold), in the order of the weights' columns; `names`: the
        features, one per row of `weights` with its weight in every category, so a draft is weighed
        for all of them in one pass. One array, not a tuple per feature: loading at every start is
        a tenth of the time, and 160,000 features take a quarter of the memory."""
        if weights.shape != (len(names), len(categories)):
            raise ValueError(f"{len(names)} features and {len(categories)} categories, but weights of shape {weights.shape}")
        self.trained_on = trained_on
        self.categories: dict[str, float] = {name: threshold for name, (_, threshold) in categories.items()}
        self._column = {name: i for i, name in enumerate(categories)}
        self._biases = np.array([bias for bias, _ in categories.values()], dtype=np.float64)
        self._names = names
        self._row = dict(zip(names, range(len(names))))
        self._weights = weights
        self._words: dict[str, np.ndarray | None] = {}     # word -> its pieces' sums (None: no piece weighs)

    @classmethod
    def from_weights(cls, data: dict) -> "TextModel":
        """From the trainer's form: {"trained_on": [...], "categories": {name: {bias, threshold, weights}}}."""
        cats = data["categories"]
        names = sorted({f for c in cats.values() for f in c["weights"]})
        row = {f: k for k, f in enumerate(names)}
        weights = np.zeros((len(names), len(cats)), dtype=np.float64)
        for i, c in enumerate(cats.values()):
            for f, w in c["weights"].items():
                weights[row[f], i] = w
        return cls(data["trained_on"], {name: (c["bias"], c["threshold"]) for name, c in cats.items()}, names, weights)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "TextModel":
        # Arrays, not a JSON object of 160,000 weights: reading takes a tenth of the time at every start.
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode("utf-8"))
            names = z["features"].tobytes().decode("utf-8").split("\n")
            weights = z["weights"]
        categories = {name: (c["bias"], c["threshold"]) for name, c in meta["categories"].items()}
        try:
            return cls(meta["trained_on"], categories, names, weights)
        except ValueError as e:
            raise ValueError(f"{path}: {e}") from None

    def save(self, path: Path, threshold_rule: str) -> None:
        """Write the model as load() reads it (scripts/train-second-opinion)."""
        if any("\n" in f for f in self._names):
            raise ValueError("a feature holds a line break")
        meta = {"trained_on": self.trained_on, "threshold_rule": threshold_rule,
                "categories": {name: {"bias": float(b), "threshold": self.categories[name]}
                               for name, b in zip(self._column, self._biases)}}
        with open(path, "wb") as fh:
            np.savez_compressed(fh, meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), np.uint8),
                                features=np.frombuffer("\n".join(self._names).encode(), np.uint8),
                                weights=np.ascontiguousarray(self._weights, dtype=np.float64))

    def threshold(self, category: str) -> float:
        return self.categories[category]

    def weigh(self, feats: dict[str, tuple[int, int]]) -> Weighed:
        """Every category's sum for a draft's features, and the features that can be pointed at."""
        index = self._row
        rows: list[int] = []
        words: list[np.ndarray] = []
        pointing = []
        for f, (first, last) in feats.items():
            row = index.get(f)
            if row is None:
                if f.startswith(WORD):        # a word, weighed as its pieces; it never points
                    summed = self._word_row(f)
                    if summed is not None:
                        words.append(summed)
                continue
            rows.append(row)
            if first >= 0:
                pointing.append((row, first, last, f))
        z = self._biases + self._weights[rows].sum(axis=0)
        for summed in words:
            z = z + summed
        return Weighed(tuple(z.tolist()), tuple(pointing))

    def _word_row(self, word: str) -> np.ndarray | None:
        """The sums of a word's pieces' weights, worked out once per word."""
        if word in self._words:
            return self._words[word]
        if len(self._words) > MAX_CACHED_WORDS:
            self._words.clear()
        rows = [r for p in word_pieces(word) if (r := self._row.get(p)) is not None]
        summed = self._words[word] = self._weights[rows].sum(axis=0) if rows else None
        return summed

    def probability(self, category: str, weighed: Weighed) -> float:
        return _sigmoid(weighed.z[self._column[category]])

    def opinion(self, category: str, weighed: Weighed, reply_evidence: bool = False) -> Opinion | None:
        """The model's opinion for one category when it reaches the category's threshold, else None.
        It points at the draft's words; with `reply_evidence`, at the message answered's when the
        draft has none weighing towards it ("Reported." under a threat)."""
        i = self._column.get(category)
        if i is None:
            return None
        p = _sigmoid(weighed.z[i])
        if p < self.categories[category]:
            return None
        weighing: list[tuple[float, int, int, str]] = []
        in_reply: list[tuple[float, int, int, str]] = []
        column = self._weights[:, i]
        for row, first, last, f in weighed.pointing:
            w = float(column[row])
            if w > 0:
                (in_reply if f.startswith(REPLY) else weighing).append((w, first, last, f))
        if not weighing and reply_evidence and in_reply:
            in_reply.sort(reverse=True)
            return Opinion(p, tuple((first, last, f) for _, first, last, f in in_reply[:3]), in_reply=True)
        if not weighing:
            return None
        weighing.sort(reverse=True)
        return Opinion(p, tuple((first, last, f) for _, first, last, f in weighing[:3]))


def opinion_texts(norm: Normalized, opinion: Opinion) -> list[str]:
    """The words an opinion points at, each text once (two features can point at the same words:
    "genius" and "<...> genius"), in the draft or, for an opinion in the reply, in the message answered."""
    tokens = norm.tokens
    return list(dict.fromkeys(norm.slice16(tokens[a].start, tokens[b].end) for a, b, _ in opinion.evidence))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def shipped_model() -> TextModel:
    return TextModel.load()


def weighed_draft(ctx: "CheckContext", model: TextModel, vocab: "Vocabulary | None") -> Weighed:
    """A draft's features weighed by `model`, once per check: every rule that asks the model (each
    category's second opinion, the disclosure rule) shares the one weighing."""
    key = ("second-opinion", ctx.customer_in_sight, id(vocab), id(model))
    weighed = ctx.norm.analyses.get(key)
    if weighed is None:
        feats = features(ctx.norm, ctx.reply_norm, ctx.customer_in_sight, vocab)
        weighed = ctx.norm.analyses[key] = model.weigh(feats)
    return weighed
