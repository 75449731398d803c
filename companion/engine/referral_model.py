"""Which official page a conversation is about, learnt from other companies' labelled conversations.

The referral chooser (referrals.py) finds a page by its words: its topics, the thesaurus, its title.
That misses a customer who says it in other words ("can I bring my support dog?" for the page titled
"Accessibility and assistance"). This model reads each pair of a conversation word and a word of the
page (its title, description and topics), as a logistic regression over every (conversation, page)
pair of the labelled companies learnt: was this the page a person sent them to? Its features are
those word pairs and the chooser's own score, and it orders the pages the chooser found. Beside those,
a page the chooser's words did not find stays out: with companies left out of training, the model was
almost never sure enough of one to add it. Where the words found no page at all, its best page goes first
when its sum clears referrals.LEARNT_ONLY (right for 0.71 of such conversations held out). What it learnt
is about words, not companies: "refund" beside "claim", or "dog" beside "accessibility", holds for a zoo,
an airline and a cinema alike.

Trained offline (tests/train_referral_model.py, run by scripts/train-second-opinion) on the companies
the rules were tuned on, and shipped as plain weights (companion/data/referral-model.npz): the word
pairs as UTF-8 lines grouped by page word, their weights as one array, the rest as JSON. Work per check
is one dictionary lookup per conversation word (at most MAX_WORDS of the draft and as many of the
message answered).
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from companion.engine.language.lemmas import base_form
from companion.engine.language.textmodel import MAX_TOKENS
from companion.engine.normalize import Normalized, normalize

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "referral-model.npz"
DRAFT, REPLY = "d", "r"        # a word of the draft, or of the message being answered
MIN_LETTERS = 3                # shorter words say little about a topic (a, of, my)
MAX_WORDS = MAX_TOKENS         # a conversation's words read: as many as the second opinion reads
LEXICAL = ("score", "answered", "own", "found")   # the chooser's own reading of a page, as features
SCALE = 8.0                    # the chooser's points, brought near the word pairs' range
LEANING = 0.5                  # a word weighing this much towards a page is named in its reason


def _content_forms(tokens, stop_words: frozenset[str] = frozenset()) -> frozenset[str]:
    """The dictionary forms of the words of three letters or more that are neither numbers nor stop-words."""
    return frozenset(base_form(t.text) for t in tokens
                     if len(t.text) >= MIN_LETTERS and t.text not in stop_words and not t.text.isdigit())


def conversation_words(norm: Normalized) -> frozenset[str]:
    """What a draft or the message answered says, in dictionary forms (its first MAX_WORDS words)."""
    return _content_forms(norm.tokens[:MAX_WORDS])


def page_words(title: str, description: str | None, topics: tuple[str, ...], stop_words: frozenset[str]) -> frozenset[str]:
    """What a page is about, in dictionary forms: its title, description and topics, less stop-words."""
    return _content_forms(normalize(" ".join((title, description or "", *topics))).tokens, stop_words)


def lexical_features(score: tuple[int, int, int] | None) -> dict[str, float]:
    """The chooser's reading of one page: its points, those from the message answered and from the
    page's own topics, and whether it found the page at all."""
    if not score:
        return {}
    return dict(zip(LEXICAL, (score[0] / SCALE, score[1] / SCALE, score[2] / SCALE, 1.0)))


def pair_features(page: frozenset[str], draft: frozenset[str], reply: frozenset[str]) -> list[str]:
    """Every (conversation word, page word) pair: "d|dog|accessibility", "r|refund|refund"."""
    return [f"{side}|{w}|{v}" for v in page for side, words in ((DRAFT, draft), (REPLY, reply)) for w in words]


@dataclass(frozen=True)
class PagesReader:
    """The model's weights for one pack's pages, by conversation word: each word's weight towards each
    page it weighs for (summed over the page's words), so a conversation costs one lookup per word."""
    draft: dict[str, tuple[tuple[int, float], ...]]     # word -> ((page index, weight), ...)
    reply: dict[str, tuple[tuple[int, float], ...]]

    def sums(self, draft: frozenset[str], reply: frozenset[str], pages: int) -> list[float]:
        """Per page, the sum of the conversation's words' weights towards it."""
        out = [0.0] * pages
        for words, table in ((draft, self.draft), (reply, self.reply)):
            for w in words:
                for k, x in table.get(w, ()):
                    out[k] += x
        return out

    def leaning(self, page: int, draft: frozenset[str], reply: frozenset[str]) -> list[str]:
        """The conversation's words that weigh most towards one page, most first (two at most)."""
        weights: dict[str, float] = {}
        for words, table in ((draft, self.draft), (reply, self.reply)):
            for w in words:
                for k, x in table.get(w, ()):
                    if k == page and x >= LEANING:
                        weights[w] = max(weights.get(w, 0.0), x)
        return sorted(weights, key=lambda w: (-weights[w], w))[:2]


class ReferralModel:
    def __init__(self, trained_on: list[str], bias: float, lexical: dict[str, float], pairs: list[str],
                 weights: np.ndarray):
        """`pairs`: "side|conversation word|page word", one per weight."""
        if len(pairs) != len(weights):
            raise ValueError(f"{len(pairs)} word pairs but {len(weights)} weights")
        split = [p.rsplit("|", 1) for p in pairs]       # (side|conversation word, page word)
        order = sorted(range(len(split)), key=lambda i: split[i][1])
        pages = sorted({v for _, v in split})
        index = {v: k for k, v in enumerate(pages)}
        self._set(trained_on, bias, lexical, pages,
                  np.array([index[split[i][1]] for i in order], dtype=np.int32),
                  [split[i][0] for i in order], np.asarray(weights, dtype=np.float32)[order])

    def _set(self, trained_on, bias, lexical, pages: list[str], page_of: np.ndarray, words: list[str],
             weights: np.ndarray) -> None:
        """The weights grouped by page word (page_of never decreases), so that loading is a few splits
        and a pack's reader reads only its pages' words' rows."""
        page_of = np.asarray(page_of)
        weights = np.asarray(weights)
        if page_of.ndim != 1 or weights.ndim != 1 or page_of.dtype.kind != "i" or weights.dtype.kind != "f":
            raise ValueError("page_of must be one row of integers and weights one row of numbers")
        if not len(page_of) == len(words) == len(weights):
            raise ValueError(f"{len(words)} word pairs, {len(weights)} weights and {len(page_of)} page words")
        if len(page_of) and (np.any(np.diff(page_of.astype(np.int64)) < 0) or page_of[0] < 0 or page_of[-1] >= len(pages)):
            raise ValueError("the word pairs are not grouped by page word in order")
        if any(a >= b for a, b in zip(pages, pages[1:])):
            raise ValueError("the page words are not sorted without repeats")
        joined = "\n" + "\n".join(words) + "\n"     # counted in one pass: 180,000 rows load at every start
        if joined.count(f"\n{DRAFT}|") + joined.count(f"\n{REPLY}|") != len(words) or "|\n" in joined:
            raise ValueError("a word pair is not d|word or r|word")
        if not isinstance(lexical, dict) or not all(isinstance(v, (int, float)) for v in lexical.values()):
            raise ValueError("lexical must map the chooser's readings to numbers")
        self.trained_on, self.bias, self.lexical = trained_on, bias, lexical
        self._pages, self._page_of, self._words, self._weights = pages, page_of, words, weights
        self._page = {v: k for k, v in enumerate(pages)}
        self._start = np.searchsorted(page_of, np.arange(len(pages) + 1)).tolist()
        self._weight_list = weights.tolist()

    def reader(self, pages: list[frozenset[str]]) -> PagesReader:
        """A pack's pages' weights (each page given by its words, page_words), built once per pack."""
        sides: dict[str, dict[str, dict[int, float]]] = {DRAFT: {}, REPLY: {}}
        for k, page in enumerate(pages):
            for v in page:
                row = self._page.get(v)
                if row is None:
                    continue
                for i in range(self._start[row], self._start[row + 1]):
                    side, w = self._words[i].split("|", 1)
                    towards = sides[side].setdefault(w, {})
                    towards[k] = towards.get(k, 0.0) + self._weight_list[i]
        draft, reply = ({w: tuple(t.items()) for w, t in sides[side].items()} for side in (DRAFT, REPLY))
        return PagesReader(draft, reply)

    def z(self, lexical: dict[str, float], pair_sum: float) -> float:
        """The logistic regression's sum for one page, from the chooser's reading of it and the sum of
        its word pairs' weights: higher is likelier the page to send them to."""
        return self.bias + sum(self.lexical.get(k, 0.0) * v for k, v in lexical.items()) + pair_sum

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "ReferralModel":
        try:
            with np.load(path, allow_pickle=False) as f:
                meta = json.loads(f["meta"].tobytes().decode("utf-8"))
                model = cls.__new__(cls)
                model._set(meta["trained_on"], float(meta["bias"]), meta["lexical"], _lines(f["pages"]),
                           f["page_of"], _lines(f["words"]), f["weights"])
        except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile) as e:
            raise ValueError(f"{path}: not a referral model ({e})") from None
        return model

    def save(self, path: Path) -> None:
        if any("\n" in w for w in (*self._words, *self._pages)):
            raise ValueError("a word holds a line break")
        meta = {"trained_on": self.trained_on, "bias": self.bias, "lexical": self.lexical}
        with open(path, "wb") as fh:
            np.savez_compressed(fh, meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), np.uint8),
                                pages=_bytes(self._pages), page_of=self._page_of, words=_bytes(self._words),
                                weights=self._weights)


def _bytes(lines: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(lines).encode(), np.uint8)


def _lines(array: np.ndarray) -> list[str]:
    return array.tobytes().decode("utf-8").split("\n") if array.size else []


@lru_cache(maxsize=1)
def shipped_referral_model() -> ReferralModel:
    return ReferralModel.load()
