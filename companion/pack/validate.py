"""Validate pack data: the JSON Schema first, then what a schema cannot say.

Problems are errors (the pack is refused) or warnings (`pack lint` shows them; the pack loads).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from companion.engine.kinds.base import TEAM_TOPIC, public_names
from companion.engine.normalize import normalize, normalize_phrase
from companion.engine.regex import PatternError, compile_pattern
from companion.engine.replies import link_ids
from companion.pack.errors import PackProblem
from companion.pack.loader import Marks, path_str
from companion.pack.translation_lint import check_translations

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "pack.schema.json"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
HANDOFF_FIELDS = {"to", "subject", "body"}     # what the extension fills into a matrix row's handoff_url


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


class _Report:
    def __init__(self, name: str, marks: Marks, origin: dict[tuple, str] | None = None):
        self.name, self.marks, self.origin = name, marks, origin or {}
        self.errors: list[PackProblem] = []
        self.warnings: list[PackProblem] = []

    def _problem(self, path: tuple, message: str) -> PackProblem:
        line, col = 0, 0
        p = path
        while p not in self.marks and p:
            p = p[:-1]
        if p in self.marks:
            line, col = self.marks[p]
        name = self.origin.get(path[:2]) or self.name    # which layer file the item came from
        return PackProblem(name, line, col, path_str(path), message)

    def error(self, path: tuple, message: str) -> None:
        self.errors.append(self._problem(path, message))

    def warn(self, path: tuple, message: str) -> None:
        self.warnings.append(self._problem(path, message))


def validate(data: Any, marks: Marks, name: str, origin: dict[tuple, str] | None = None,
             semantics: bool = True) -> tuple[list[PackProblem], list[PackProblem]]:
    """Return (errors, warnings). `origin` maps (section, index) to the layer file an item came from."""
    rep = _Report(name, marks, origin)
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        _schema_error(rep, err)
    if rep.errors or not semantics:
        return rep.errors, rep.warnings
    _semantics(rep, data)
    return rep.errors, rep.warnings


def _schema_error(rep: _Report, err: jsonschema.ValidationError) -> None:
    path = tuple(err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = set(err.schema.get("properties", {}))
        for key in sorted(set(err.instance) - allowed):
            rep.error(path + (key,), "unknown key" + _did_you_mean(key, allowed))
        return
    if err.validator in ("allOf", "anyOf", "oneOf") and err.context:
        for sub in err.context:
            _schema_error(rep, sub)
        return
    rep.error(path, err.message)


def _did_you_mean(key: str, allowed: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    return f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(sorted(allowed))})"


def _https_link(url: str) -> bool:
    """An https:// URL with a host and no spaces (the extension opens it as a link)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname) and not re.search(r"\s", url)


def _semantics(rep: _Report, data: dict[str, Any]) -> None:
    from companion.engine.kinds.confidential import term_id

    ids: dict[str, tuple] = {}

    def claim(rule_id: str, path: tuple) -> None:
        if rule_id in ids:
            rep.error(path, f"duplicate rule id '{rule_id}' (also at {path_str(ids[rule_id])})")
        else:
            ids[rule_id] = path

    topics = {t["topic"] for t in data.get("escalation_matrix", ())}
    _base_settings(rep, data)
    check_translations(rep, data)
    if "policy_url" in data and not _https_link(data["policy_url"]):
        rep.error(("policy_url",), "must be an https:// link to the policy, e.g. https://intranet.example/social-media-policy")
    classes = _class_names(data)
    for name, phrases in (data.get("classes") or {}).items():
        _tokens(rep, ("classes", name), phrases, classes)
    referral_ids = {r["id"] for r in data.get("referrals", ())}
    public = {normalize_phrase(n) for n in public_names(data.get("company") or {})}
    _short_name(rep, data.get("company") or {}, public)

    for i, term in enumerate(data.get("confidential", ())):
        path = ("confidential", i)
        claim(term_id(term), path + ("id",))
        for j, form in enumerate([term["term"], *term.get("aliases", ())]):
            where = path + (("term",) if j == 0 else ("aliases", j - 1))
            if not normalize(form).tokens:
                rep.error(where, "has no letters or digits to match")
            elif j and normalize_phrase(form) in public:
                rep.warn(where, f"'{form}' reads as the public name '{' '.join(normalize_phrase(form))}' once "
                                "punctuation is set aside, so it is ignored: write the product's own name")
        for key in ("requires_context", "allow"):     # matched as words, like the term itself
            for j, phrase in enumerate(term.get(key, ())):
                if not normalize(phrase).tokens:
                    rep.error(path + (key, j), f"'{phrase}' has no letters or digits to match: write a word")
        words = [t.text for t in normalize(term["term"]).tokens]
        if len(words) == 1 and not term.get("requires_context") and not term.get("allow"):
            from companion.engine import lexicon
            if lexicon.is_word(words[0]):
                rep.warn(path + ("term",), f"'{term['term']}' is an ordinary word: add requires_context or allow, "
                                           "or it will fire on everyday text")
        if "examples" not in term:
            rep.warn(path, "no examples: add examples.flag and examples.pass so `pack test` can prove the term")

    for i, rule in enumerate(data.get("rules", ())):
        path = ("rules", i)
        claim(rule["id"], path + ("id",))
        if "examples" not in rule or not rule["examples"].get("flag"):
            rep.warn(path, "no examples.flag: add drafts this rule must flag")
        _patterns(rep, path, rule.get("patterns", ()), rule.get("case_sensitive", False))
        _tokens(rep, path + ("tokens",), rule.get("tokens", ()), classes)
        _tokens(rep, path + ("when_replying_to",), rule.get("when_replying_to", ()), classes)
        for g, group in enumerate(rule.get("groups", ())):
            _patterns(rep, path + ("groups", g), group.get("patterns", ()), False)
            _tokens(rep, path + ("groups", g, "tokens"), group.get("tokens", ()), classes)
            if not group.get("phrases") and not group.get("patterns") and not group.get("tokens"):
                rep.error(path + ("groups", g), "a group needs phrases, patterns or tokens")
        if rule["kind"] == "phrases" and not any(rule.get(k) for k in ("phrases", "patterns", "tokens")):
            rep.error(path, "a phrases rule needs phrases, patterns or tokens")
        if rule.get("topic") and rule["topic"] not in topics:
            rep.error(path + ("topic",), f"topic '{rule['topic']}' is not in escalation_matrix")
        if rule["kind"] == "phrases" and rule.get("topic") and rule.get("category", "escalation") != "escalation":
            rep.error(path + ("category",), "a rule with a topic is an escalation rule")
        if rule["kind"] == "follows" and rule["follows"] == rule.get("category", "escalation"):
            rep.error(path + ("follows",), "a rule cannot follow its own category")
        if rule["kind"] == "second_opinion":
            _model_reads(rep, path + ("category",), rule.get("category"), "column")
        if rule["kind"] == "follows" and rule.get("when_model"):
            _model_reads(rep, path + ("when_model",), rule["when_model"], "reading")
        _tokens(rep, path + ("unless",), rule.get("unless", ()), classes)     # token patterns in every kind
        for j, phrase in enumerate(rule.get("phrases", ())):
            _phrase(rep, path + ("phrases", j), phrase)
        if rule["kind"] == "disclosure" and not rule.get("disclosed_by") and not rule.get("tokens") \
                and not data["company"].get("disclosure"):
            rep.error(path, "needs disclosed_by, or company.disclosure in the pack")

    seen_topics = set()
    for i, row in enumerate(data.get("escalation_matrix", ())):
        if row["topic"] in seen_topics:
            rep.error(("escalation_matrix", i, "topic"), f"topic '{row['topic']}' appears twice")
        seen_topics.add(row["topic"])
        for name in PLACEHOLDER.findall(row.get("handoff_url", "")):
            if name not in HANDOFF_FIELDS:
                rep.error(("escalation_matrix", i, "handoff_url"),
                          f"{{{name}}} is not a hand-off field (have: {', '.join(sorted(HANDOFF_FIELDS))})")

    team_url = data.get("social_media_team", {}).get("handoff_url", "")
    for name in PLACEHOLDER.findall(team_url):
        if name not in HANDOFF_FIELDS:
            rep.error(("social_media_team", "handoff_url"),
                      f"{{{name}}} is not a hand-off field (have: {', '.join(sorted(HANDOFF_FIELDS))})")
    if TEAM_TOPIC in seen_topics:
        rep.error(("social_media_team",), f"an escalation_matrix row has topic '{TEAM_TOPIC}', the default hand-off's")

    seen_refs = set()
    for i, ref in enumerate(data.get("referrals", ())):
        if ref["id"] in seen_refs:
            rep.error(("referrals", i, "id"), f"referral id '{ref['id']}' appears twice")
        seen_refs.add(ref["id"])

    public_reply = {row["topic"]: row.get("public_reply", "none") for row in data.get("escalation_matrix", ())}
    seen_replies = set()
    for i, reply in enumerate(data.get("replies", ())):
        path = ("replies", i)
        if reply["id"] in seen_replies:
            rep.error(path + ("id",), f"reply id '{reply['id']}' appears twice")
        seen_replies.add(reply["id"])
        declared = set(reply.get("placeholders", {}))
        used = set()
        for name in PLACEHOLDER.findall(reply["text"]):
            if name.startswith("link:"):
                ids = link_ids(name)
                for ref in ids:
                    if ref not in referral_ids:
                        which = f"{{{name}}}" if len(ids) == 1 else f"{{{name}}}: '{ref}'"
                        rep.error(path + ("text",), f"{which} names no referral (have: {', '.join(sorted(referral_ids))})")
                if len(set(ids)) < len(ids):
                    rep.error(path + ("text",), f"{{{name}}} names a referral twice")
            elif name not in declared:
                rep.error(path + ("text",), f"placeholder {{{name}}} is not declared in placeholders")
            used.add(name)
        for name in sorted(declared - used):
            rep.warn(path + ("placeholders", name), f"placeholder '{name}' is declared but not used in text")
        if reply.get("escalate_to") and reply["escalate_to"] not in topics:
            rep.error(path + ("escalate_to",), f"topic '{reply['escalate_to']}' is not in escalation_matrix")
        elif reply.get("escalate_to") and public_reply.get(reply["escalate_to"]) == "none":
            rep.error(path + ("escalate_to",), f"topic '{reply['escalate_to']}' gets no public reply (its matrix row has "
                      "public_reply: none, the default): hand it over, or set public_reply: acknowledge")


def _short_name(rep: _Report, company: dict[str, Any], public: set[tuple[str, ...]]) -> None:
    """People shorten "Flexa Physio" to "Flexa": a first word no dictionary knows is the company's own
    name, and a mention the pack does not list is one no rule sees. (A word such as "Summit" is left to
    IT: listed alone it would be every summit.)"""
    from companion.engine import lexicon
    words = normalize_phrase(company.get("name", ""))
    if len(words) < 2 or not words[0].isalpha() or (words[0],) in public or lexicon.is_word(words[0]):
        return
    rep.warn(("company", "name"), f"people shorten '{company['name']}' to '{company['name'].split()[0]}', which is "
                                  "not among the aliases: add it, or a mention by that name needs no disclosure")


def _base_settings(rep: _Report, data: dict[str, Any]) -> None:
    """`base:` names rules of the base policy; a name that is not one is a typo that would switch nothing off."""
    from companion.pack.base import base_rule_ids

    known = base_rule_ids()
    for rule_id in (data.get("base") or {}):
        if rule_id not in known:
            rep.error(("base", rule_id), f"'{rule_id}' is not a rule of the base policy" + _did_you_mean(rule_id, known))


def _class_names(data: dict[str, Any]) -> set[str]:
    from companion.engine.language import timeclasses
    from companion.engine.language.vocabulary import SLOT_CLASSES
    from companion.pack.base import base_policy

    return {*(base_policy().get("classes") or {}), *(data.get("classes") or {}), *SLOT_CLASSES, *timeclasses.PATTERNS}


def _tokens(rep: _Report, path: tuple, patterns, classes: set[str]) -> None:
    from companion.engine.language.tokenpattern import PatternSyntaxError, parse

    for j, pattern in enumerate(patterns):
        try:
            parse(pattern, classes)
        except PatternSyntaxError as e:
            rep.error(path + (j,), f"token pattern {pattern!r}: {e}")


# RE2's \b knows only ASCII letters: beside a Cyrillic letter it never matches ("\bУК-" misses "УК-25",
# "(?:до|do)\s+\d+-(?:ти|ti)\b" misses "до 15-ти"), also where the letter opens or ends one of a group's choices.
_BOUNDARY = re.compile(r"(?<!\\)(?:\\\\)*\\b")
_GROUP_FLAGS = re.compile(r"\?(?:[a-zA-Z-]*:|P?<\w+>)")
_QUANTIFIER_TAIL = re.compile(r"(?:[?*+]|\{\d*,?\d*\})+\??$")


def _boundary_beside_letter(pattern: str) -> bool:
    """Does some \\b in the pattern stand next to a non-ASCII letter, on either side, through groups?"""
    for m in _BOUNDARY.finditer(pattern):
        if any(_non_ascii_letter(c) for c in _edges(pattern[m.end():], first=True) + _edges(pattern[:m.end() - 2], first=False)):
            return True
    return False


def _non_ascii_letter(c: str) -> bool:
    return c.isalpha() and ord(c) > 127


def _edges(text: str, first: bool) -> list[str]:
    """The characters that can stand first (or last) in what `text` starts (or ends) with, through groups."""
    if not first:
        text = _QUANTIFIER_TAIL.sub("", text)
    if not text:
        return []
    if (first and text[0] != "(") or (not first and text[-1] != ")"):
        return [text[0] if first else text[-1]]
    depth = 0
    span = range(len(text)) if first else range(len(text) - 1, -1, -1)
    for k in span:
        c = text[k]
        if c in "()" and (k == 0 or text[k - 1] != "\\"):
            depth += 1 if (c == "(") == first else -1
            if depth == 0:
                inner = text[1:k] if first else text[k + 1:-1]
                break
    else:
        return []
    inner = _GROUP_FLAGS.sub("", inner, count=1) if inner.startswith("?") else inner
    depth, piece, choices = 0, "", []
    for c in inner + "|":
        if c == "|" and depth == 0:
            choices.append(piece)
            piece = ""
            continue
        depth += (c == "(") - (c == ")")
        piece += c
    return [e for ch in choices for e in _edges(ch, first)]


def _patterns(rep: _Report, path: tuple, patterns, case_sensitive: bool) -> None:
    for j, pattern in enumerate(patterns):
        try:
            compile_pattern(pattern, case_sensitive)
        except PatternError as e:
            rep.error(path + ("patterns", j), str(e))
            continue
        if _boundary_beside_letter(pattern):
            rep.warn(path + ("patterns", j), "\\b beside a non-Latin letter never matches in RE2 (its \\b knows only "
                     "ASCII letters): leave it out there, or write (?:^|[^\\pL\\pN]) before the word")


def _phrase(rep: _Report, path: tuple, phrase: str) -> None:
    if not normalize(phrase.replace("*", "")).tokens:
        rep.error(path, "phrase has no letters or digits to match")
    for word in phrase.split():
        if word.endswith("*") and len(word.rstrip("*")) < 3:
            rep.error(path, f"prefix '{word}' is too short: use at least 3 letters before *")


def _model_reads(rep: _Report, path: tuple, name: str | None, what: str) -> None:
    """An error unless the shipped text model scores `name` (a rule asking for any other never speaks)."""
    if name not in _model_columns():
        rep.error(path, f"the shipped text model has no '{name}' {what}; it reads {', '.join(sorted(_model_columns()))}")


@lru_cache(maxsize=1)
def _model_columns() -> frozenset[str]:
    """The categories the shipped second-opinion model scores (a second_opinion rule of any other would never speak)."""
    from companion.engine.language.textmodel import shipped_model
    return frozenset(shipped_model().categories)
