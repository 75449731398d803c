"""Fill in a canned reply: {placeholders} from the champion's values, {link:ID} from the referrals.

Values are inserted as they are, in one pass, so a value holding "{x}" is never expanded again.
"""

from __future__ import annotations

import re
from typing import Any

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
DEFAULT_MAX_LENGTH = 500


class RenderError(ValueError):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code, self.field = code, field


def render(reply: dict[str, Any], values: dict[str, str], referrals: dict[str, str]) -> str:
    placeholders = reply.get("placeholders", {})
    for name in values:
        if name not in placeholders:
            raise RenderError("unknown_placeholder", f"reply '{reply['id']}' has no placeholder '{name}'", name)
    for name, spec in placeholders.items():
        value = values.get(name)
        if value is not None and len(value) > spec.get("max_length", DEFAULT_MAX_LENGTH):
            raise RenderError("value_too_long", f"'{name}' is longer than {spec.get('max_length', DEFAULT_MAX_LENGTH)} characters", name)
        if spec.get("required") and not (value or "").strip():
            raise RenderError("missing_placeholder", f"'{spec['label']}' ({name}) is required", name)

    def fill(m: re.Match) -> str:
        name = m.group(1)
        if name.startswith("link:"):
            return referrals[name[5:]]
        spec = placeholders[name]
        value = values.get(name)
        return value.strip() if value and value.strip() else spec.get("default", "")

    return PLACEHOLDER.sub(fill, reply["text"])


class ReplySuggester:
    """Rank canned replies for the message being answered: its words against each reply's topics, and
    a strong bonus when the message raises an escalation topic the reply is made for."""

    ESCALATION_BONUS = 5

    def __init__(self, replies: list[dict[str, Any]]):
        from companion.engine.phraseset import PhraseSet

        self.replies = [(r, PhraseSet((t, None) for t in r.get("topics", ()))) for r in replies]

    def suggest(self, reply_norm, platform: str, escalations: set[str], limit: int = 5) -> list[dict[str, Any]]:
        scored = []
        for order, (reply, topics) in enumerate(self.replies):
            if reply.get("platforms") and platform not in reply["platforms"]:
                continue
            words = [reply_norm.slice16(reply_norm.tokens[h.first].start, reply_norm.tokens[h.last].end)
                     for h in topics.find(reply_norm.tokens)]
            score = len(words)
            reasons = [f"mentions {', '.join(f'“{w}”' for w in dict.fromkeys(words))}"] if words else []
            if reply.get("escalate_to") in escalations:
                score += self.ESCALATION_BONUS
                reasons.insert(0, f"the message is a {reply['escalate_to'].replace('_', ' ')}")
            if score:
                scored.append((-score, order, {"id": reply["id"], "title": reply["title"], "score": score,
                                               "reason": "; ".join(reasons)}))
        return [s[2] for s in sorted(scored, key=lambda s: s[:2])[:limit]]
