"""A pack ready for checking: validated data turned into rule objects and indexes.

Built once per pack load; never changed afterwards, so one CompiledPack can serve concurrent checks
and a reload swaps the whole object at once. The API and the CLI read it through its properties;
`data`, the validated pack as written, is read only here and in the pack's own tools (diff, the cache).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.engine.gcpause import collector_paused
from companion.engine.kinds import KINDS
from companion.engine.kinds.base import Rule, public_names, writes_bulgarian
from companion.engine.kinds.confidential import ConfidentialTerms, term_id
from companion.engine.kinds.conversation_data import conversation_rule
from companion.engine.kinds.customer_replies import ReferOnly
from companion.engine.kinds.pattern import BUILTINS
from companion.engine.kinds.platform_limit import PlatformLimit
from companion.engine.language.vocabulary import Vocabulary
from companion.engine.prefilter import Prefilter
from companion.engine.referral_model import shipped_referral_model
from companion.engine.referrals import Referral, ReferralChooser
from companion.engine.replies import CannedReply, ReplySuggester
from companion.engine.termindex import TermIndex
from companion.pack.base import base_policy, inherited_rules
from companion.pack.errors import PackError, PackProblem
from companion.pack.layers import is_overlay, merge, overlay_as_pack, overlay_meta_problems
from companion.pack.loader import parse_yaml, read_pack_file
from companion.pack.signing import SignatureError, verify
from companion.pack.sources import Layer
from companion.pack.validate import validate

DEFAULT_LIMITS = {"x": 280, "facebook": 63206, "linkedin": 3000, "instagram": 2200}
BUNDLED_PACK = Path(__file__).resolve().parent.parent / "data" / "example-pack.yaml"


@dataclass
class CompiledPack:
    data: dict[str, Any]
    source: str
    sha256: str
    rules: list[Rule]
    referral_chooser: ReferralChooser
    limits: dict[str, int]
    canned_replies: list[CannedReply]
    reply_suggester: ReplySuggester
    warnings: list[PackProblem] = field(default_factory=list)
    layers: list[dict[str, Any]] = field(default_factory=list)   # [{name, id, revision}], base first
    signature: dict[str, Any] | None = None                      # {key_id, expires_at} when verified
    base_rules: list[dict[str, Any]] = field(default_factory=list)   # the base policy's rules it inherits
    prefilter: Prefilter = field(default_factory=Prefilter)          # which rules a draft's words rule out

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def revision(self) -> int:
        return self.data["revision"]

    @property
    def title(self) -> str:
        return self.data.get("title", self.id)

    @property
    def policy_url(self) -> str | None:
        """Where employees read the whole policy (https), when the pack says."""
        return self.data.get("policy_url")

    @property
    def company_profile(self) -> dict[str, Any]:
        """The company's name, handles, official accounts and disclosure, as the pack writes them."""
        company = self.data["company"]
        return {k: company[k] for k in ("name", "handles", "official_accounts", "disclosure") if k in company}

    def canned_reply(self, reply_id: str) -> CannedReply | None:
        return next((r for r in self.canned_replies if r.id == reply_id), None)

    @property
    def referrals(self) -> list[Referral]:
        return self.referral_chooser.referrals

    @property
    def referral_urls(self) -> dict[str, str]:
        """Referral id -> URL: what {link:ID} in a canned reply becomes."""
        return {r.id: r.url for r in self.referrals}

    @property
    def escalation_matrix(self) -> list[dict[str, Any]]:
        """[{topic, owner, contact?, respond_within?, ...}] as the pack writes them."""
        return self.data.get("escalation_matrix", [])

    @property
    def social_media_team(self) -> dict[str, Any] | None:
        """The default hand-off ("Report this post" with no topic picked), as the pack writes it."""
        return self.data.get("social_media_team")

    def public_reply(self, topic: str) -> str:
        """Whether a conversation on an escalation topic is answered in public: "none" (hand it over; also
        for a topic the matrix lacks) or "acknowledge" (only the replies with escalate_to this topic)."""
        row = next((r for r in self.escalation_matrix if r["topic"] == topic), None)
        return row.get("public_reply", "none") if row else "none"

    @property
    def response_targets(self) -> list[dict[str, Any]]:
        return self.data.get("response_targets", [])

    def guidance(self, platform: str) -> list[str]:
        """The pack's advice for posting on `platform` (the side panel shows it)."""
        return self.data.get("platforms", {}).get(platform, {}).get("guidance", [])

    @property
    def term_count(self) -> int:
        return len(self.data.get("confidential", ()))

    @property
    def own_rule_count(self) -> int:
        """Rules the pack (and its overlays) defines itself, not counting the base policy's."""
        return len(self.data.get("rules", ()))

    @property
    def own_handles(self) -> set[str]:
        """The company's own @handles, lower case without @: mentioning them does not address a customer."""
        company = self.data["company"]
        names = [*(h for hs in (company.get("handles") or {}).values() for h in hs),
                 *(a for accts in (company.get("official_accounts") or {}).values() for a in accts)]
        return {n.lstrip("@").casefold() for n in names}

    def is_official(self, platform: str, account: str | None) -> bool:
        if not account:
            return False
        wanted = account.strip().lstrip("@").casefold()
        accounts = self.data["company"].get("official_accounts", {}).get(platform, ())
        return any(a.lstrip("@").casefold() == wanted for a in accounts)

    def rule_examples(self) -> list[RuleExamples]:
        """The `examples` of every rule that has them, confidential terms included."""
        by_id = {rule.id: rule for rule in self.rules}
        terms = next((rule for rule in self.rules if isinstance(rule, ConfidentialTerms)), None)
        out = []
        for t in self.data.get("confidential", ()):
            if t.get("examples"):
                public_after = dt.date.fromisoformat(t["public_after"]) if t.get("public_after") else None
                out.append(RuleExamples(term_id(t), terms, *_flag_and_pass(t["examples"]), public_after))
        for r in (*self.base_rules, *self.data.get("rules", ())):
            if r.get("examples"):
                out.append(RuleExamples(r["id"], by_id[r["id"]], *_flag_and_pass(r["examples"])))
        return out


@dataclass(frozen=True)
class RuleExamples:
    """Drafts a rule must flag and drafts it must let pass (`pack test`)."""
    rule_id: str                    # the id its findings carry (a term's own id for confidential terms)
    rule: Rule                      # the rule that reports them
    flag: tuple[str, ...]
    passes: tuple[str, ...]
    public_after: dt.date | None = None   # a confidential term's: flagged only before this day


def _flag_and_pass(examples: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(examples.get("flag", ())), tuple(examples.get("pass", ()))


@collector_paused()
def compile_pack(data: dict[str, Any], source: str = "<pack>", sha256: str = "",
                 warnings: list[PackProblem] | None = None, term_index: TermIndex | None = None) -> CompiledPack:
    """`term_index`: the confidential terms' index built before from the same data (the cache's)."""
    rules: list[Rule] = []
    if data.get("confidential"):
        company = data.get("company", {})
        rules.append(ConfidentialTerms(data["confidential"], index=term_index, public_names=public_names(company),
                                       bulgarian=writes_bulgarian(data), kind_context=base_policy().get("term_context")))
    vocab = Vocabulary.build(base_policy(), data)
    inherited = inherited_rules(data)
    for raw in inherited:
        rule = KINDS[raw["kind"]](raw, data, vocab)
        rule.layer = "base"
        rules.append(rule)
    for raw in data.get("rules", ()):
        rules.append(KINDS[raw["kind"]](raw, data, vocab))
    # The built-in detectors ship with PostGuard like the base policy, whichever of them a pack picks.
    for name in data.get("personal_data_builtins", list(BUILTINS)):
        rule = KINDS["pattern"](BUILTINS[name], data, vocab)
        rule.layer = "base"
        rules.append(rule)
    rules.append(conversation_rule(rules, data))   # the customer's own data in the message answered
    company = data.get("company") or {}
    chooser = ReferralChooser(data.get("referrals", []), [company.get("name", ""), *company.get("aliases", ())],
                              shipped_referral_model() if data.get("referrals") else None)
    if data.get("customer_replies", "allowed") == "refer_only":
        rules.append(ReferOnly(chooser))            # personal accounts only refer customers
    limits = dict(DEFAULT_LIMITS)
    limits.update({p: v["limit"] for p, v in data.get("platforms", {}).items() if "limit" in v})
    rules.append(PlatformLimit(limits))
    replies = [CannedReply.from_pack(r) for r in data.get("replies", ())]
    return CompiledPack(data=data, source=source, sha256=sha256, rules=rules,
                        referral_chooser=chooser, limits=limits,
                        canned_replies=replies, reply_suggester=ReplySuggester(replies),
                        warnings=warnings or [], base_rules=inherited, prefilter=Prefilter(rules))


@collector_paused()
def build_pack(layers: list[Layer], trusted_keys: list[bytes] | None = None, now: dt.datetime | None = None) -> CompiledPack:
    """Parse, verify (when keys are trusted), merge, validate and compile a base pack and its overlays.

    Raises PackError naming file, line and key for every problem found.
    """
    parsed = [(layer.name, *parse_yaml(layer.data, layer.name)) for layer in layers]
    base_name, base, _ = parsed[0]
    if not isinstance(base, dict):
        raise PackError([PackProblem(base_name, 1, 1, "", "a pack is a mapping of keys (format, id, revision, ...)")])
    if is_overlay(base):
        raise PackError([PackProblem(base_name, 1, 1, "format", "the first layer must be a pack, not an overlay")])
    problems: list[PackProblem] = []
    for name, overlay, marks in parsed[1:]:
        if not is_overlay(overlay):
            problems.append(PackProblem(name, 1, 1, "format", "a layer after the base must be an overlay (format: postguard/overlay-v1)"))
            continue
        problems += overlay_meta_problems(overlay, marks, name, base.get("id"))
        problems += validate(overlay_as_pack(overlay), marks, name, semantics=False)[0]
    verified, refused = verify_layers(layers, [data if isinstance(data, dict) else {} for _, data, _ in parsed],
                                      trusted_keys, now)
    problems += refused
    if problems:
        raise PackError(problems)
    data, marks, origin = merge(parsed) if len(parsed) > 1 else (base, parsed[0][2], {})
    errors, warnings = validate(data, marks, base_name, origin)
    if errors:
        raise PackError(errors)
    pack = compile_pack(data, " + ".join(layer.name for layer in layers), pack_sha256(layers), warnings)
    return with_layers(pack, layers, [d for _, d, _ in parsed], verified)


def pack_sha256(layers: list[Layer]) -> str:
    """The pack's SHA-256: of the SHA-256 of each layer's bytes, base first."""
    return hashlib.sha256(b"".join(hashlib.sha256(layer.data).digest() for layer in layers)).hexdigest()


def verify_layers(layers: list[Layer], metas: list[dict[str, Any]], trusted_keys: list[bytes] | None,
                  now: dt.datetime | None) -> tuple[list, list[PackProblem]]:
    """(verified signatures, problems) of every layer against its parsed id and revision (`metas`);
    nothing to verify without trusted keys."""
    verified, problems = [], []
    if not trusted_keys:
        return verified, problems
    for layer, meta in zip(layers, metas):
        try:
            verified.append(verify(layer.data, meta.get("id"), meta.get("revision"), layer.signature, trusted_keys, now))
        except SignatureError as e:
            problems.append(PackProblem(layer.name, 0, 0, "", f"signature refused: {e}"))
    return verified, problems


def with_layers(pack: CompiledPack, layers: list[Layer], metas: list[dict[str, Any]], verified: list) -> CompiledPack:
    """Name the pack's layers (id and revision from `metas`) and the signature that verified them."""
    pack.layers = [{"name": layer.name, "id": m.get("id"), "revision": m.get("revision")} for layer, m in zip(layers, metas)]
    if verified:
        pack.signature = {"key_id": verified[0].key_id, "expires_at": min(v.expires_at for v in verified)}
    return pack


def load_pack_bytes(raw: bytes, name: str) -> CompiledPack:
    """Parse, validate and compile one unsigned pack; raises PackError naming file, line and key."""
    return build_pack([Layer(name, raw, None)])


def pack_layers(path: str | Path | None = None) -> list[Layer]:
    """One unsigned pack file as the single layer load_pack compiles (the bundled example without a path)."""
    p = Path(path) if path else BUNDLED_PACK
    return [Layer(str(path) if path else "bundled:example-pack.yaml", read_pack_file(p), None)]


def load_pack(path: str | Path | None = None) -> CompiledPack:
    return build_pack(pack_layers(path))
