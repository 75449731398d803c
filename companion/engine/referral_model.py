"""Which official page a conversation is about, learnt from other companies' labelled conversations.

The referral chooser (referrals.py) finds a page by its words: its topics, the thesaurus, its title.
That misses a customer who says it in other words ("can I bring my support dog?" for the page titled
"Accessibility and assistance"). This model reads each pair of a conversation word and a word of the
page (its title, description and topics), as a logistic regression over every (conversation, page)
pair of the labelled companies learnt: was this the page a person sent them to? Its features are
those word pairs and the chooser's own score, and it orders the pages the chooser found (a page the
chooser's words did not find stays out: on the companies nobody tuned for, the model was never sure
enough of one to add it). What it learnt is about words, not companies: "refund" beside "claim", or
"dog" beside "accessibility", holds for a zoo, an airline and a cinema alike.

Trained offline (tests/train_referral_model.py, run by scripts/train-second-opinion) on the companies
the rules were tuned on, and shipped as plain weights (companion/data/referral-model.npz): the word
pairs as UTF-8 lines, their weights as one array, the rest as JSON. Work per check is one dictionary
lookup per conversation word and page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from companion.engine.language.lemmas import base_form
from companion.engine.normalize import Normalized, normalize

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "referral-model.npz"
DRAFT, REPLY = "d", "r"        # a word of the draft, or of the message being answered
MIN_LETTERS = 3                # shorter words say little about a topic (a, of, my)
MAX_WORDS = 2000               # a conversation's words read: as many as the second opinion reads
LEXICAL = ("score", "answered", "own", "found")   # the chooser's own reading of a page, as features
SCALE = 8.0                    # the chooser's points, brought near the word pairs' range
LEANING = 0.5                  # a word weighing this much towards a page is named in its reason


def conversation_words(norm: Normalized) -> frozenset[str]:
    """The dictionary forms of a text's words of three letters or more (the first MAX_WORDS)."""
    return frozenset(base_form(t.text) for t in norm.tokens[:MAX_WORDS]
                     if len(t.text) >= MIN_LETTERS and not t.text.isdigit())


def page_words(title: str, description: str | None, topics: tuple[str, ...], stop_words: frozenset[str]) -> frozenset[str]:
    """What a page is about, in dictionary forms: its title, description and topics, less stop-words."""
    text = " ".join((title, description or "", *topics))
    return frozenset(base_form(t.text) for t in normalize(text).tokens
                     if len(t.text) >= MIN_LETTERS and t.text not in stop_words and not t.text.isdigit())


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
class PageReader:
    """The model's weights for one page: its conversation words' weights, summed over the page's words."""
    draft: dict[str, float]
    reply: dict[str, float]

    def weigh(self, draft: frozenset[str], reply: frozenset[str]) -> float:
        """The sum of the conversation's words' weights for the page."""
        return sum(self.draft.get(w, 0.0) for w in draft) + sum(self.reply.get(w, 0.0) for w in reply)

    def leaning(self, draft: frozenset[str], reply: frozenset[str], at_least: float = LEANING) -> list[str]:
        """The conversation's words that weigh most towards the page, most first (two at most)."""
        weights: dict[str, float] = {}
        for words, table in ((draft, self.draft), (reply, self.reply)):
            for w in words:
                if table.get(w, 0.0) >= at_least:
                    weights[w] = max(weights.get(w, 0.0), table[w])
        return sorted(weights, key=lambda w: (-weights[w], w))[:2]


class ReferralModel:
    def __init__(self, trained_on: list[str], bias: float, lexical: dict[str, float], pairs: list[str],
                 weights: np.ndarray):
        """`pairs`: "side|conversation word|page word", one per weight."""
        if len(pairs) != len(weights):
            raise ValueError(f"{len(pairs)} word pairs but {len(weights)} weights")
        order = sorted(range(len(pairs)), key=lambda i: pairs[i].rsplit("|", 1)[1])
        pages = sorted({p.rsplit("|", 1)[1] for p in pairs})
        index = {v: k for k, v in enumerate(pages)}
        self._set(trained_on, bias, lexical, pages,
                  np.array([index[pairs[i].rsplit("|", 1)[1]] for i in order], dtype=np.int32),
                  [pairs[i].rsplit("|", 1)[0] for i in order], np.asarray(weights, dtype=np.float32)[order])

    def _set(self, trained_on, bias, lexical, pages: list[str], page_of: np.ndarray, words: list[str],
             weights: np.ndarray) -> None:
        """The weights grouped by page word (page_of never decreases), so that loading is a few splits
        and a page's reader reads only its own words' rows."""
        if not (len(page_of) == len(words) == len(weights)) or (len(page_of) and (
                np.any(np.diff(page_of) < 0) or page_of[0] < 0 or page_of[-1] >= len(pages))):
            raise ValueError(f"{len(words)} word pairs, {len(weights)} weights and {len(page_of)} page words do not agree")
        self.trained_on, self.bias, self.lexical = trained_on, bias, lexical
        self._pages, self._page_of, self._words, self._weights = pages, page_of, words, weights
        self._page = {v: k for k, v in enumerate(pages)}
        self._start = np.searchsorted(page_of, np.arange(len(pages) + 1)).tolist()
        self._weight_list = weights.tolist()

    def reader(self, page: frozenset[str]) -> PageReader:
        """A page's weights, read once per pack: each conversation word's weights summed over the page's words."""
        draft: dict[str, float] = {}
        reply: dict[str, float] = {}
        for v in page:
            k = self._page.get(v)
            if k is None:
                continue
            for i in range(self._start[k], self._start[k + 1]):
                side, w = self._words[i].split("|", 1)
                into = draft if side == DRAFT else reply
                into[w] = into.get(w, 0.0) + self._weight_list[i]
        return PageReader(draft, reply)

    def z(self, lexical: dict[str, float], words: float) -> float:
        """The logistic regression's sum for one page: higher is likelier the page to send them to."""
        return self.bias + sum(self.lexical.get(k, 0.0) * v for k, v in lexical.items()) + words

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "ReferralModel":
        try:
            with np.load(path, allow_pickle=False) as f:
                meta = json.loads(f["meta"].tobytes().decode("utf-8"))
                model = cls.__new__(cls)
                model._set(meta["trained_on"], meta["bias"], meta["lexical"], _lines(f["pages"]), f["page_of"],
                           _lines(f["words"]), f["weights"])
        except (KeyError, ValueError) as e:
            raise ValueError(f"{path}: {e}") from None
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
