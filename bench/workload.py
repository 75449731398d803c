"""The benchmark's inputs for one term count: the synthetic pack and the drafts (all seeded)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import yaml

from bench import synth
from companion.engine import lexicon
from companion.pack.compiled import BUNDLED_PACK

CONTEXT = ["launch", "project", "beta", "release", "roadmap", "prototype", "internal", "codename"]


@dataclass
class Draft:
    text: str
    planted: list[synth.Planted] = field(default_factory=list)


@dataclass
class Workload:
    terms: list[str]
    pack: dict
    clean: dict[int, list[Draft]]       # chars -> drafts with nothing planted
    planted: dict[int, list[Draft]]     # chars -> drafts with planted variants


def term_id(i: int) -> str:
    return f"conf.t{i:06d}"


def entry_of(rule_id: str) -> int:
    return int(rule_id.removeprefix("conf.t"))


def make_pack(terms: list[str]) -> dict:
    """A pack with one confidential entry per term. As the pack format advises, a code name that is a
    lone ordinary word ("River") only counts with context words nearby (requires_context). Its referral
    links are the bundled example pack's, which a check answering someone chooses from."""
    ordinary = lexicon.words()
    entries = []
    for i, term in enumerate(terms):
        entry = {"id": term_id(i), "term": term, "reason": "bench"}
        if " " not in term and term.casefold() in ordinary:
            entry["requires_context"] = CONTEXT
        entries.append(entry)
    with open(BUNDLED_PACK, encoding="utf-8") as fh:
        referrals = yaml.safe_load(fh)["referrals"]
    return {"format": "postguard/pack-v1", "id": "bench", "revision": 1, "company": {"name": "BenchCo"},
            "confidential": entries, "referrals": referrals}


def _plantable(terms: list[str], ordinary: frozenset[str]) -> list[int]:
    return [i for i, t in enumerate(terms) if not (" " not in t and t.casefold() in ordinary)]


def make_workload(n_terms: int, lengths: dict[int, tuple[int, int]], recall_280: int, seed: int = 7) -> Workload:
    """lengths: chars -> (clean drafts, planted drafts); at 280 chars each planted draft holds one
    variant (recall_280 terms x every variant kind), longer drafts hold one of each kind per 3,000
    characters."""
    terms = synth.code_names(n_terms, seed)
    ordinary = lexicon.words()
    candidates = _plantable(terms, ordinary)
    rng = random.Random(seed * 1000 + n_terms)
    clean: dict[int, list[Draft]] = {}
    planted: dict[int, list[Draft]] = {}
    for chars, (n_clean, n_planted) in lengths.items():
        clean[chars] = [Draft(synth.prose(chars, rng)) for _ in range(n_clean)]
        drafts = []
        if chars <= 280:
            targets = rng.sample(candidates, min(recall_280, len(candidates)))
            for entry in targets:
                for kind in synth.VARIANTS:
                    items = [_item(terms, candidates, entry, kind, rng)]
                    text, spots = synth.plant(synth.prose(chars, rng), items, rng)
                    drafts.append(Draft(text, spots))
        else:
            per_draft = max(1, chars // 3000)
            for _ in range(n_planted):
                items = [_item(terms, candidates, rng.choice(candidates), kind, rng)
                         for _ in range(per_draft) for kind in synth.VARIANTS]
                text, spots = synth.plant(synth.prose(chars, rng), items, rng)
                drafts.append(Draft(text, spots))
        planted[chars] = drafts
    return Workload(terms, make_pack(terms), clean, planted)


def _item(terms: list[str], candidates: list[int], entry: int, kind: str, rng: random.Random) -> tuple[int, str, str]:
    """A variant of `entry`; when this kind leaves the term unchanged (no letter to turn into leetspeak,
    a Cyrillic name for a Latin homoglyph), another term is drawn so that every variant really varies."""
    for _ in range(50):
        written = synth.variant(terms[entry], kind, rng)
        if kind == "exact" or written != terms[entry]:
            return entry, kind, written
        entry = rng.choice(candidates)
    return entry, kind, written
