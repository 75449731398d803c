"""Train the referral model (companion/engine/referral_model.py) on the labelled drafts with a `referral`.

Every (conversation, page) pair of a tuned company is one example: was this the page the labeller sent
the customer to? Features are the chooser's own reading of the page and every (conversation word, page
word) pair, exactly as the companion reads them. The untouched companies stay unseen. Run through
scripts/train-second-opinion; `--check` prints grouped cross-validation (by company) and writes nothing.
"""

from __future__ import annotations

import sys

import numpy as np
import yaml

from companion.engine.normalize import normalize
from companion.engine.referral_model import (
    LEXICAL,
    MODEL_PATH,
    ReferralModel,
    conversation_words,
    lexical_features,
    pair_features,
)
from companion.engine.referrals import ReferralChooser, order_by_points
from tests.quality import SETS, load_drafts, model_training_sets

C = 0.3              # grouped cross-validation by company: as good as 1.0 or a little better
MIN_WEIGHT = 0.02    # smaller weights change no ranking worth having and would only grow the file
FOLDS = 3


def conversations(names: list[str]) -> list[tuple[str, list[dict[str, float]], int, int | None]]:
    """Per labelled draft: its company, the features of each of its pack's pages, the right page's index,
    and the page the chooser's points alone put first (None: they found none)."""
    out = []
    for labelled in SETS:
        if labelled.name not in names:
            continue
        with open(labelled.pack, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)       # the company's pack is one file; its referrals are all needed
        company = data.get("company") or {}
        chooser = ReferralChooser(data.get("referrals", []), [company.get("name", ""), *company.get("aliases", ())])
        ids = [r.id for r in chooser.referrals]
        for d in load_drafts(labelled.drafts):
            if not d.get("referral"):
                continue
            draft = normalize(d["text"])
            reply = normalize(d["replying_to"]) if d.get("replying_to") else None
            scores, _ = chooser.lexical(draft, reply)
            said, answered = conversation_words(draft), conversation_words(reply) if reply else frozenset()
            rows = []
            for k, page in enumerate(chooser.page_word_sets):
                f = lexical_features(scores.get(k))
                f.update(dict.fromkeys(pair_features(page, said, answered), 1.0))
                rows.append(f)
            by_points = order_by_points(scores)
            out.append((labelled.name, rows, ids.index(d["referral"]), by_points[0] if by_points else None))
    return out


def fit(data):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    xs = [row for _, rows, *_ in data for row in rows]
    ys = [k == right for _, rows, right, _ in data for k in range(len(rows))]
    vec = DictVectorizer()
    x = vec.fit_transform(xs)
    x.indices, x.indptr = x.indices.astype(np.int32), x.indptr.astype(np.int32)   # liblinear takes 32-bit only
    model = LogisticRegression(C=C, solver="liblinear", max_iter=2000).fit(x, ys)
    return vec, model


def accuracy(vec, model, data) -> int:
    """Drafts whose right page the model puts first among the pages the chooser's words found: the
    companion never adds a page they did not find (left out of training, the model was almost never
    sure of one)."""
    right = 0
    for _, rows, gold, _ in data:
        found = [k for k, row in enumerate(rows) if "found" in row]
        if found:
            z = model.decision_function(vec.transform([rows[k] for k in found]))
            right += found[int(np.argmax(z))] == gold
    return right


def main(argv: list[str]) -> int:
    names = [s.name for s in model_training_sets()]
    data = conversations(names)
    if "--check" in argv:
        companies = sorted(names)
        right = 0
        for f in range(FOLDS):
            held = set(companies[f::FOLDS])
            vec, model = fit([x for x in data if x[0] not in held])
            right += accuracy(vec, model, [x for x in data if x[0] in held])
        words_only = sum(by_points == gold for *_, gold, by_points in data)
        print(f"right page first, grouped {FOLDS}-fold by company: the model {right}/{len(data)} = {right / len(data):.3f}; "
              f"the chooser's words alone {words_only}/{len(data)} = {words_only / len(data):.3f}")
        return 0
    vec, model = fit(data)
    weights = dict(zip(vec.get_feature_names_out(), model.coef_[0]))
    lexical = {k: round(float(weights.get(k, 0.0)), 4) for k in LEXICAL}
    pairs = sorted(f for f, w in weights.items() if "|" in f and abs(w) >= MIN_WEIGHT)
    out = ReferralModel(names, round(float(model.intercept_[0]), 4), lexical, pairs,
                        np.array([weights[p] for p in pairs], dtype=np.float32))
    out.save(MODEL_PATH)
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KB, {len(pairs)} word pairs), trained on {len(names)} companies")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
