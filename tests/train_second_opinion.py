"""Train the second-opinion text model (companion/engine/language/textmodel.py) on labelled drafts.

Only the companies whose rules were tuned (tests/quality.py, `model_training_sets()`: `tuned=True`, less
those not yet learned) are training data; the untouched ones stay unseen so that their figures still say
how PostGuard does on a new company.
One logistic regression per category over the features textmodel.features() gives, so training and
run time cannot disagree. Run through scripts/train-second-opinion.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from typing import NamedTuple

from companion.engine.kinds.disclosure import DisclosureRule
from companion.engine.language.textmodel import MODEL_PATH, REPLY, WORD, TextModel, features, word_pieces
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.normalize import normalize
from companion.engine.referrals import customer_in_sight
from companion.pack.base import base_policy
from companion.pack.compiled import load_pack
from tests.quality import SETS, load_drafts, model_training_sets

# Escalation too: with the message answered among the features (r:...), the model learns what the
# customer wrote, not only the sympathy that answers it; it speaks a little later than the others.
# Disclosure is read the other way round, by the disclosure rule: of the personal drafts that name the
# company, which still need a disclosure; below its threshold the rule's finding is dropped.
# Disclosure in a thread is the third reading: a personal reply under a message that names the company,
# which names nothing itself ("tbh yes, they did my cousin's wedding"): does it vouch for the company?
# Personal data too, in public surfaces only (a private message may carry the customer's own booking
# number), and learnt only from the drafts whose personal data is in words: the rules find numbers and
# e-mail addresses by their form, with the Luhn, date, price and order-number guards, but a named
# person's health, pregnancy or test result is worded in endless ways. Learnt from every labelled draft,
# the column read "ticket" or "ref" beside any long number as personal data (a 16-digit reference with a
# wrong check digit, which the card rule rightly lets pass, at 0.99).
# The critic head reads only the message a rude answer answers: does it criticise the company? Hitting
# back at a critic is a public dispute (base.escalate.rude-reply-to-critic, `when_model: critic`), and
# after the second reading of every rude reply (tests/data/companies/README.md, "Escalation read twice")
# those labels say which messages were criticism in any words; <criticism>'s token list names only some.
CATEGORIES = ("safety", "speaking_for_company", "tone", "escalation", "disclosure", "disclosure_in_thread",
              "personal_data", "critic")
# Leave-one-company-out over the tuned companies keeps the model's own precision >= 0.90 at these (--check).
# Disclosure's is low because it takes a finding away: on companies held out (grouped five-fold) it
# removed about two false alarms for each true finding lost at 0.1; from 0.2 to 0.3, three true
# findings went for each further false alarm.
# Disclosure in a thread adds findings, so it speaks high: on companies held out (grouped five-fold), at 0.8
# it found 19 of the 93 vouching replies the praise tokens missed, with 4 false alarms.
# Personal data spoke at 0.5 until the 33rd round (below): trained without Vitalis, Zanetti and Stratalink,
# on their drafts it found 13 of the 23 the rules missed (a named person's diagnosis, test result or
# pregnancy) with at most one false alarm; at 0.6 to 0.8, 9.
# Tone and speaking for the company were set again in the 33rd round, on the whole check's F1: trained without
# the twelve companies tuned last (Kelpie ... Gladestone), on their drafts (rules alone, model added where the
# rules were silent), tone at 0.7 gave 0.871 (0.8: 0.864; 0.6: 0.866), with recall, the side short on the
# untouched sets, 2.7 points higher; speaking at 0.85 gave 0.874 (0.8: 0.870; 0.9: 0.872), with precision,
# its short side, a point higher. Escalation (0.857 at 0.85, 0.859 at 0.8) and safety stayed: flat there.
# Personal data went from 0.5 to 0.75 the same way: 0.956 (0.5: 0.951; 0.85: 0.950), one of 22 finds lost
# for four false alarms fewer; at 0.5 the model had begun to read a lone first name and "e" ("Orchard e
# gotov": Orchard is ready) as a person's private matter, at 0.6.
# Escalation went from 0.85 to 0.8 in the 34th round, after the second reading of rude replies (tests/data/
# companies/README.md, "Escalation read twice") had added escalation to 406 of them: trained without the twelve
# companies tuned last (Brindle ... Sunbarrow), on their drafts the whole check's F1 was 0.862 at 0.8 (0.85:
# 0.856; 0.9: 0.853). Once the rude answers were left out of its training (examples() below), 0.827 at 0.8 and
# 0.828 at 0.85 (0.9: 0.817), with the rules alone around it: in use the rude-reply rule also follows the tone
# model's findings, which this study leaves out. Tone (0.873 at 0.7, 0.875 at 0.6) and speaking (0.879-0.880
# from 0.75 to 0.9) stayed.
# Critic, added in the 35th round: trained without the twelve companies tuned last, on their rude replies the
# rules found with no escalation, it added 42 of 54 disputes for 6 false alarms at 0.6 (whole check, rules
# alone: escalation F1 0.787 -> 0.807; 0.3: 44 for 7; 0.8: 35 for 4); C 0.3 and 3 gave the same.
# disclosure_in_thread 0.8 -> 0.9 in the 46th round: after retraining, "no idea, we went with a friend in the
# end" under a question naming the company read 0.87; at 0.9 the tuned companies' disclosure figures do not move.
THRESHOLDS = {"safety": 0.8, "speaking_for_company": 0.85, "tone": 0.7, "escalation": 0.8, "disclosure": 0.1,
              "disclosure_in_thread": 0.9, "personal_data": 0.75, "critic": 0.6}
MIN_WEIGHT = 0.02  # smaller weights change no decision worth having and would only grow the file
# The model speaks only where no rule of its category did, so C is chosen on those drafts: trained without
# the nine companies reported last (Clearsight ... Riddlecrest), on their drafts the rules left silent, 1
# gave every category the best F1 of the whole check at its threshold, with higher precision (safety 0.818
# -> 0.830, speaking for the company 0.794 -> 0.809, tone 0.823 -> 0.857, escalation 0.776 -> 0.793) at
# the same recall within 1.4 points; 3 and 10 gave less. (Over all drafts, as --check measures, 3 had
# looked better: there the model also scores what the rules already find.)
C = {"safety": 1.0, "speaking_for_company": 1.0, "tone": 1.0, "escalation": 1.0, "disclosure": 1.0,
     "disclosure_in_thread": 1.0, "personal_data": 1.0, "critic": 1.0}
SPEAKER = ("speaking_for_company", "disclosure", "disclosure_in_thread")   # what an official account may say
PUBLIC = ("post", "reply", "comment", "caption")     # where personal data is a finding (base.model.personal-data)
NUMBER_OR_EMAIL = re.compile(r"\d[\d \-]{3,}\d|\w@\w")   # personal data the rules read by its form


class Row(NamedTuple):
    """One labelled draft, read once for every category."""
    counts: dict[str, int]           # its features, as TextModel weighs them
    expect: frozenset[str]           # its labels
    official: bool                   # an official account wrote it
    asked: str | None                # the disclosure question it is asked: "disclosure" when it names the
                                     # company, "disclosure_in_thread" when only the message answered does
    public: bool                     # not a private message
    has_number: bool                 # holds a long number or an e-mail address
    rude_answer: bool                # labelled tone, and answers a message


@cache
def _company(name: str) -> tuple[Row, ...]:
    """Each labelled draft of one company, read once for every category."""
    labelled = next(s for s in SETS if s.name == name)
    pack = load_pack(labelled.pack)
    vocab = Vocabulary.build(base_policy(), pack.data)
    disclosure = next(r for r in pack.rules if isinstance(r, DisclosureRule))
    rows = []
    for d in load_drafts(labelled.drafts):
        answering = customer_in_sight(d["text"], d["surface"], d.get("replying_to"), pack.own_handles)
        norm = normalize(d["text"])
        reply = normalize(d["replying_to"]) if d.get("replying_to") else None
        asked = ("disclosure" if disclosure.mentions_in(norm)
                 else "disclosure_in_thread" if reply is not None and disclosure.mentions_in(reply) else None)
        rows.append(Row(_counts(features(norm, reply, answering, vocab)), frozenset(d["expect"]),
                        pack.is_official(d["platform"], d.get("account")), asked, d["surface"] in PUBLIC,
                        bool(NUMBER_OR_EMAIL.search(d["text"])), "tone" in d["expect"] and bool(d.get("replying_to"))))
    return tuple(rows)


def examples(names: list[str], category: str) -> tuple[list[dict], list[bool]]:
    xs, ys = [], []
    for name in names:
        for row in _company(name):
            if category == "critic":
                if row.rude_answer:       # the message answered's features only; labelled escalation or not
                    xs.append({f: n for f, n in row.counts.items() if f.startswith(REPLY)})
                    ys.append("escalation" in row.expect)
                continue
            if category == "personal_data" and (not row.public or "personal_data" in row.expect and row.has_number):
                continue      # a private message may carry the customer's own number; a number is the rules'
            if category in SPEAKER and row.official:
                continue      # an official account may say it: those labels say nothing of the words
            if category.startswith("disclosure") and row.asked != category:
                continue      # the only drafts the disclosure rule asks this question about
            if category == "escalation" and row.rude_answer and "escalation" in row.expect:
                # Hitting back at a critic: base.escalate.rude-reply-to-critic reads it from the tone finding.
                # Learnt here, the model learnt the complaint, not the rudeness, and read "So sorry to hear
                # that!" under a broken blender as escalation at 0.94; learnt from the draft's words alone, it
                # read rudeness to anyone as escalation (precision on the untouched sets 0.70-0.84).
                continue
            xs.append(row.counts)
            ys.append("disclosure" in row.expect if category == "disclosure_in_thread" else category in row.expect)
    return xs, ys


def _counts(feats: dict) -> dict[str, int]:
    """Each feature once; a word ("w:") as its pieces, each counted once per distinct word, as
    TextModel weighs them."""
    out: dict[str, int] = {}
    for f in feats:
        if f.startswith(WORD):
            for piece in word_pieces(f):
                out[piece] = out.get(piece, 0) + 1
        else:
            out[f] = 1
    return out


def fit(names: list[str], category: str):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    xs, ys = examples(names, category)
    vec = DictVectorizer()
    model = LogisticRegression(C=C[category], max_iter=5000, class_weight="balanced").fit(vec.fit_transform(xs), ys)
    return vec, model


def leave_one_company_out(names: list[str]) -> None:
    print("leave-one-company-out, model alone")
    for category in CATEGORIES:
        threshold = THRESHOLDS[category]
        tp = fp = fn = 0
        for held in names:
            vec, model = fit([n for n in names if n != held], category)
            xs, ys = examples([held], category)
            for p, y in zip(model.predict_proba(vec.transform(xs))[:, 1], ys):
                tp += p >= threshold and y
                fp += p >= threshold and not y
                fn += p < threshold and y
        print(f"  {category:22} at {threshold}: precision {tp / max(1, tp + fp):.2f}  recall {tp / max(1, tp + fn):.2f}")


def main(argv: list[str]) -> int:
    names = [s.name for s in model_training_sets()]
    if "--check" in argv:
        leave_one_company_out(names)
        return 0
    out = {"trained_on": names, "threshold_rule": "probability >= the category's threshold", "categories": {}}
    for category in CATEGORIES:
        vec, model = fit(names, category)
        weights = {f: round(float(w), 4) for f, w in zip(vec.get_feature_names_out(), model.coef_[0])
                   if abs(w) >= MIN_WEIGHT}
        out["categories"][category] = {"bias": round(float(model.intercept_[0]), 4), "threshold": THRESHOLDS[category],
                                       "weights": dict(sorted(weights.items()))}
        print(f"{category}: {len(weights)} weights")
    TextModel.from_weights(out).save(MODEL_PATH, out["threshold_rule"])
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KB), trained on {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
