"""The v1 calls (docs/architecture.md, README). Drafts live in memory for the request only and are never logged."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from companion import __version__
from companion.api.errors import ApiError
from companion.api.security import refusal
from companion.api.validation import MAX_TEXT, fields, json_body, string_map
from companion.engine.answer import answer
from companion.engine.check import CheckRequest
from companion.engine.findings import PLATFORMS, SURFACES
from companion.engine.replies import CannedReply, RenderError, preview, render
from companion.engine.reply_check import recheck
from companion.engine.reply_suggest import suggest
from companion.engine.wording import LANGUAGE_TAG
from companion.pack.compiled import CompiledPack
from companion.pack.tour import build_tour
from companion.zerotouch import (
    CHALLENGE,
    PairingSecretError,
    companion_proof,
    extension_proof,
    proof_matches,
    read_secret,
)

bp = Blueprint("v1", __name__, url_prefix="/v1")
log = logging.getLogger("postguard.pairing")
NONCE = re.compile(r"[A-Za-z0-9_-]{16,128}", re.ASCII)

CHECK_FIELDS = {
    "text": (str, True, MAX_TEXT),
    "platform": (str, True, frozenset(PLATFORMS)),
    "surface": (str, False, frozenset(SURFACES)),
    "replying_to": (str, False, MAX_TEXT),
    "account": (str, False, 200),
    "lang": (str, False, 35),          # the reader's language (the browser's): texts in it where translated
}


def _language(lang: Any) -> str | None:
    """A request's `lang` (the body's, or ?lang= on a GET): a language tag like "bg" or "pt-BR", else 400."""
    if lang is not None and (not isinstance(lang, str) or len(lang) > 35 or not LANGUAGE_TAG.fullmatch(lang)):
        raise ApiError(400, "bad_field", "'lang' must be a language tag such as en, bg or pt-BR")
    return lang


def _pack() -> CompiledPack:
    pack = current_app.config["POSTGUARD_PACKS"].pack
    if pack is None:
        raise ApiError(503, "no_pack", "no valid policy pack is loaded; see /v1/health")
    return pack


def _today():
    return current_app.config["POSTGUARD_CLOCK"]()


@bp.get("/health")
def health():
    # Open to anyone on this machine; pack problems (paths, quoted pack content) only with the token.
    with_token = refusal(current_app.config, request.host or "", None, request.headers.get("Authorization", ""),
                         needs_token=True) is None
    body: dict[str, Any] = current_app.config["POSTGUARD_PACKS"].health(details=with_token)
    body["version"] = __version__
    body["token_storage"] = "keyring" if current_app.config["POSTGUARD_TOKENS"].store.fallback_reason is None else "file"
    return jsonify(body)


@bp.post("/hello")
def hello():
    req = fields(json_body(), {"nonce": (str, True, 128)})
    if not NONCE.fullmatch(req["nonce"]):
        raise ApiError(400, "bad_field", "'nonce' must be 16 to 128 letters, digits, '-' or '_'")
    # The port this request reached (waitress: the listening socket's), which the proof covers.
    port = int(request.environ.get("SERVER_PORT") or 0)
    proof = current_app.config["POSTGUARD_TOKENS"].proof(req["nonce"], port)
    if proof is None:
        raise ApiError(401, "not_paired", "this companion has not been paired yet: run `postguard pair`")
    return jsonify({"proof": proof})


@bp.post("/pair")
def pair():
    req = fields(json_body(), {"code": (str, True, 20)})
    if not current_app.config["POSTGUARD_PAIR_LIMIT"].allow():
        raise ApiError(429, "too_many_requests", "too many pairing attempts; wait a minute")
    ok, reason = current_app.config["POSTGUARD_PAIRING"].redeem(req["code"])
    if not ok:
        raise ApiError(401, "bad_code", reason)
    tokens = current_app.config["POSTGUARD_TOKENS"]
    token = tokens.store.ensure()
    return jsonify({"token": token})


def _pairing_secret() -> str:
    """This account's pairing secret from IT (read on every call: IT may install it while we run)."""
    path = current_app.config.get("POSTGUARD_PAIRING_SECRET")
    try:
        secret = read_secret(path) if path is not None else None
    except PairingSecretError as e:
        log.error("zero-touch pairing refused: %s", e)
        raise ApiError(409, "bad_pairing_secret", "IT's pairing secret on this computer cannot be used; "
                                                  "see the companion's log") from None
    if secret is None:
        raise ApiError(409, "no_pairing_secret", "IT has set no pairing secret for this account on this computer: "
                                                 "pair with a code from `postguard pair`")
    return secret


def _pair_allowed() -> None:
    if not current_app.config["POSTGUARD_PAIR_LIMIT"].allow():
        raise ApiError(429, "too_many_requests", "too many pairing attempts; wait a minute")


@bp.post("/pair/managed/start")
def pair_managed_start():
    """Zero-touch pairing, step 1: a single-use challenge (companion/zerotouch.py)."""
    fields(json_body(), {})
    _pair_allowed()
    _pairing_secret()
    return jsonify({"challenge": current_app.config["POSTGUARD_CHALLENGES"].issue()})


@bp.post("/pair/managed")
def pair_managed():
    """Step 2: the extension proves it holds IT's secret; the answer proves the companion does too."""
    req = fields(json_body(), {"challenge": (str, True, 43), "nonce": (str, True, 128), "proof": (str, True, 64)})
    if not CHALLENGE.fullmatch(req["challenge"]) or not NONCE.fullmatch(req["nonce"]):
        raise ApiError(400, "bad_field", "'challenge' and 'nonce' must be letters, digits, '-' or '_'")
    _pair_allowed()
    secret = _pairing_secret()
    port = int(request.environ.get("SERVER_PORT") or 0)   # the proof names the port the extension reached
    if not current_app.config["POSTGUARD_CHALLENGES"].take(req["challenge"]):
        raise ApiError(401, "bad_challenge", "unknown or used challenge: start again")
    if not proof_matches(req["proof"], extension_proof(secret, port, req["challenge"], req["nonce"])):
        log.warning("zero-touch pairing: a wrong proof (not IT's pairing secret for this account)")
        raise ApiError(401, "bad_proof", "the proof does not match this account's pairing secret")
    token = current_app.config["POSTGUARD_TOKENS"].store.ensure()
    log.info("paired through IT's pairing secret")
    return jsonify({"token": token, "proof": companion_proof(secret, port, req["challenge"], req["nonce"], token)})


@bp.post("/check")
def check_draft():
    req = fields(json_body(), CHECK_FIELDS)
    _language(req.get("lang"))
    result = answer(_pack(), CheckRequest(**req, today=_today()))
    g.finding_count = len(result.report.findings)
    return jsonify(result.to_dict())


@bp.get("/pack")
def pack_view():
    pack = _pack()
    lang = _language(request.args.get("lang"))
    return jsonify({
        "pack": {"id": pack.id, "revision": pack.revision, "title": pack.title},
        "policy_url": pack.policy_url,
        "company": pack.company_profile,
        "replies": [_reply_view(r.in_language(lang), pack.referral_urls) for r in pack.canned_replies],
        "referrals": [{"id": r.id, "title": r.title, "url": r.url,
                       **({"description": r.description} if r.description is not None else {}), "topics": list(r.topics)}
                      for r in pack.referrals],
        "escalation_matrix": pack.escalation_matrix,
        "social_media_team": pack.social_media_team,
        "response_targets": pack.response_targets,
        "platforms": {p: {"limit": pack.limits[p], "guidance": pack.guidance(p)} for p in PLATFORMS},
    })


@bp.get("/pack/tour")
def pack_tour():
    """The tour and practice box: per category the policy's reason, a flag and a pass example, drafts to fix."""
    return jsonify(build_tour(_pack(), _today()))


@bp.get("/pack/changes")
def pack_changes():
    """What the latest revision changed, for the extension's "what changed" (never a term's name)."""
    pack = _pack()
    changes = current_app.config["POSTGUARD_PACKS"].changes
    if changes and changes["to"] != {"id": pack.id, "revision": pack.revision}:
        changes = None   # a saved copy serves again: the digest was for another pack
    return jsonify({"pack": {"id": pack.id, "revision": pack.revision},
                    "from": changes["from"] if changes else None, "digest": changes["digest"] if changes else None})


def _reply_view(r: CannedReply, referrals: dict[str, str]) -> dict[str, Any]:
    return {
        "id": r.id, "title": r.title, "category": r.category, "text": r.text, "platforms": list(r.platforms),
        "topics": list(r.topics), "escalate_to": r.escalate_to,
        "preview": preview(r, {}, referrals),   # the list's snippet: [Label] where a value goes
        "placeholders": [{"name": p.name, "label": p.label, "required": p.required, "default": p.default,
                          "hint": p.hint, "max_length": p.max_length} for p in r.placeholders],
        "practice": list(r.practice),   # role-play scenarios: customer messages it answers, in the reader's language
    }


@bp.post("/replies/suggest")
def suggest_replies():
    """Replies and referrals ranked for the message being answered (the side panel's suggestions)."""
    req = fields(json_body(), {"replying_to": CHECK_FIELDS["replying_to"], "platform": CHECK_FIELDS["platform"],
                               "surface": CHECK_FIELDS["surface"], "lang": CHECK_FIELDS["lang"]})
    req["replying_to"] = req.get("replying_to") or ""
    lang = _language(req.get("lang"))
    pack = _pack()
    s = suggest(pack, req["replying_to"], req["platform"], surface=req.get("surface", "reply"), today=_today(), lang=lang)
    return jsonify({
        "replies": s.replies,
        "handoff": s.handoff,     # topics to hand over with no public reply: the panel leads with "Send to <owner>"
        "referrals": s.referrals,
        "escalations": [{"rule": f.rule, "topic": s.topics.get(f.rule), "excerpt": f.excerpt, "message": f.message}
                        for f in s.escalations],
        "pack": {"id": pack.id, "revision": pack.revision},
    })


@bp.post("/replies/render")
def render_reply():
    body = json_body()
    values = string_map(body.pop("values", None), "values")
    req = fields(body, {"reply_id": (str, True, 100), "platform": CHECK_FIELDS["platform"],
                        "surface": CHECK_FIELDS["surface"], "replying_to": CHECK_FIELDS["replying_to"],
                        "account": CHECK_FIELDS["account"], "preview": (bool, False, None), "lang": CHECK_FIELDS["lang"]})
    lang = _language(req.get("lang"))
    pack = _pack()
    reply = pack.canned_reply(req["reply_id"])
    if reply is None:
        raise ApiError(404, "unknown_reply", f"no canned reply '{req['reply_id']}' in this pack")
    links = pack.referral_chooser.links_for(req.get("replying_to"))   # {link:a|b}: what the conversation is about
    if req.get("preview"):   # while values are being typed: shown, never inserted, so not checked
        return jsonify({"text": preview(reply, values, links), "findings": [], "preview": True,
                        "pack": {"id": pack.id, "revision": pack.revision}})
    try:
        text = render(reply, values, links)
    except RenderError as e:
        raise ApiError(400, e.code, str(e)) from None
    # approved wording, and an allowed acknowledgement is not blocked by its own topic (engine/reply_check.py)
    report = recheck(pack, reply, text, req["platform"], surface=req.get("surface", "reply"),
                     replying_to=req.get("replying_to"), account=req.get("account"), today=_today(), lang=lang)
    g.finding_count = len(report.findings)
    return jsonify({"text": text, "findings": report.to_dict()["findings"],
                    "pack": {"id": pack.id, "revision": pack.revision}})
