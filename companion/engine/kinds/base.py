"""What all rule kinds share: the Rule interface, and for rules written in a pack their wording,
where they apply, and making findings."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import Any

from companion.engine.builtin_text import say
from companion.engine.context import CheckContext
from companion.engine.findings import Finding, Suggestion
from companion.engine.language.lemmas import in_dictionary, is_cyrillic
from companion.engine.personal import resolve_regions
from companion.engine.prefilter import Required
from companion.engine.wording import pick, translations_of


def suggestions_from(raw: list[dict[str, Any]] | None) -> list[Suggestion]:
    return [Suggestion(s["label"], s.get("replacement"), s.get("insert")) for s in raw or ()]


def public_names(company: dict[str, Any]) -> list[str]:
    """What the company is publicly called: its name, aliases and public products, and a product named
    after the company also by its own word ("Jibston LiftBook": LiftBook)."""
    names = [n for n in (company.get("name", ""), *company.get("aliases", ())) if n]
    products = [p for p in company.get("products", ()) if p]
    return list(dict.fromkeys([*names, *products, *_products_own_words(names, products)]))


def _products_own_words(names: list[str], products: list[str]) -> list[str]:
    """The word after the company's name in a product's name, when it is one coined word with a capital
    inside ("LiftBook"; not "Cranes" or "Lozenets": "Jibston Cranes" is not called "cranes", and a
    site named after its district is the district when named alone)."""
    out = []
    for product in products:
        for name in names:
            rest = product[len(name):].strip() if product.lower().startswith(name.lower() + " ") else ""
            if len(rest) >= 4 and rest.isascii() and rest.isalpha() and any(c.isupper() for c in rest[1:]) \
                    and not in_dictionary(rest.lower()):
                out.append(rest)
    return out


def writes_bulgarian(data: dict[str, Any]) -> bool:
    """Does the company's staff write Bulgarian too? Its customers are in Bulgaria, or the pack writes
    the company's names or its confidential terms in Cyrillic."""
    company = data.get("company", {})
    names = [company.get("name", ""), *company.get("aliases", ())]
    names += [n for t in data.get("confidential", ()) for n in (t["term"], *t.get("aliases", ()))]
    return "BG" in resolve_regions(company.get("regions")) or any(is_cyrillic(n) for n in names)


TEAM_TOPIC = "social_media_team"     # the pack's default hand-off: "Report this post", the text model's escalation


def team_row(pack_data: dict[str, Any]) -> dict[str, Any]:
    """The pack's default hand-off (`social_media_team`) as an escalation row; with none, "your social-media team"."""
    return {**(pack_data.get("social_media_team") or {}), "topic": TEAM_TOPIC}


def escalation_topic(raw: dict[str, Any], pack_data: dict[str, Any]) -> dict[str, Any] | None:
    """The escalation matrix row of a rule's `topic`. A base-policy topic the company's matrix lacks
    still goes to someone: the social-media team."""
    if not raw.get("topic"):
        return None
    return next((t for t in pack_data.get("escalation_matrix", ()) if t["topic"] == raw["topic"]),
                {"topic": raw["topic"]})     # no owner: "your social-media team", in the reader's language


def topic_suggestion(topic: dict[str, Any], lang: str | None = None) -> Suggestion:
    """The hand-off an escalation finding offers: who takes the conversation, and how fast. A row of
    the company's matrix (it has a contact) names its topic, so the card can open the pre-filled message."""
    contact = f" ({topic['contact']})" if topic.get("contact") else ""
    within = say(lang, "handoff.within", within=topic["respond_within"]) if topic.get("respond_within") else ""
    owner = topic.get("owner") or say(lang, "handoff.team")
    return Suggestion(say(lang, "handoff.send", owner=owner, contact=contact, within=within),
                      handoff=topic["topic"] if topic.get("contact") else None)


def with_handoff(suggestions: list[Suggestion], topic: dict[str, Any] | None, lang: str | None = None) -> list[Suggestion]:
    """A finding's suggestions with its topic's hand-off: first when the topic gets no public reply
    (public_reply: none, the default), as /v1/replies/suggest offers no reply then; after them otherwise."""
    if not topic:
        return list(suggestions)
    if topic.get("public_reply", "none") == "none":
        return [topic_suggestion(topic, lang), *suggestions]
    return [*suggestions, topic_suggestion(topic, lang)]


MAX_FINDINGS = 100   # per rule and check; the last one says the rest were left out (detail.truncated)


def capped(findings: list[Finding]) -> list[Finding]:
    if len(findings) <= MAX_FINDINGS:
        return findings
    kept = findings[:MAX_FINDINGS]
    kept[-1].detail = {**(kept[-1].detail or {}), "truncated": "findings"}
    return kept


class Rule(ABC):
    """What the check, `pack explain` and `pack test` use of every rule kind.

    `id` names the rule in findings (the confidential terms report each term's own id), `layer` says
    whether it came from the base policy ("base") or the company's pack ("pack").
    """

    id: str
    category: str
    platforms: tuple[str, ...] = ()    # empty: every platform
    surfaces: tuple[str, ...] = ()     # empty: every surface
    audience: str = "anyone"           # "customer": only when the draft answers someone
    layer: str = "pack"
    runs_after_others = False          # True: run once every other rule has, reading ctx.found (kinds/follows.py)

    def applies(self, ctx: CheckContext) -> bool:
        return (not self.platforms or ctx.platform in self.platforms) and (
            not self.surfaces or ctx.surface in self.surfaces) and (
            self.audience == "anyone" or ctx.customer_in_sight)

    @abstractmethod
    def run(self, ctx: CheckContext) -> list[Finding]:
        """The findings in this draft (UTF-16 offsets); at most MAX_FINDINGS for kinds that repeat."""

    @abstractmethod
    def explain_miss(self, ctx: CheckContext) -> str:
        """Why run() found nothing here, in a few words for `pack explain`."""

    def required(self) -> Required | None:
        """The matchers that must all find something for run() to find anything, for the prefilter
        (engine/prefilter.py), which skips the rule when a draft cannot give them a hit. None: the
        rule is never skipped."""
        return None


@dataclass
class PackRule(Rule):
    """A rule written under `rules:` in a pack or the base policy: its wording, severity and reach."""

    id: str
    category: str
    severity: str
    message: str
    why: str
    suggestions: list[Suggestion] = field(default_factory=list)
    platforms: tuple[str, ...] = ()
    surfaces: tuple[str, ...] = ()
    audience: str = "anyone"
    layer: str = "pack"          # "base" for rules inherited from the base policy (pack/base.py)
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)   # language -> {message, why, suggestions}

    @classmethod
    def common(cls, raw: dict[str, Any], default_category: str, default_severity: str = "warning") -> dict[str, Any]:
        return {
            "id": raw["id"], "category": raw.get("category", default_category),
            "severity": raw.get("severity", default_severity), "message": raw["message"], "why": raw["why"],
            "suggestions": suggestions_from(raw.get("suggestions")),
            "platforms": tuple(raw.get("platforms", ())), "surfaces": tuple(raw.get("surfaces", ())),
            "audience": raw.get("audience", "anyone"), "translations": translations_of(raw),
        }

    def wording(self, lang: str | None) -> tuple[str, str, list[Suggestion]]:
        """The rule's message, why and own suggestions in `lang`, where the pack translates them."""
        tr = pick(self.translations, lang)
        if tr is None:
            return self.message, self.why, list(self.suggestions)
        labels = tr.get("suggestions") or [s.label for s in self.suggestions]   # lint: one per suggestion
        return (tr.get("message", self.message), tr.get("why", self.why),
                [replace(s, label=label) for s, label in zip(self.suggestions, labels)])

    def finding(self, ctx: CheckContext, start: int, end: int, *, detail: dict | None = None,
                suggestions: list[Suggestion] | None = None, severity: str | None = None,
                message: str | None = None, why: str | None = None) -> Finding:
        own_message, own_why, own_suggestions = self.wording(ctx.lang)
        return Finding(
            category=self.category, severity=severity or self.severity, rule=self.id, start=start, end=end,
            excerpt=ctx.norm.slice16(start, end), message=message or own_message, why=why or own_why,
            suggestions=own_suggestions if suggestions is None else list(suggestions),
            detail={**(detail or {}), "layer": self.layer},
        )
