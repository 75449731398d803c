"""`pack lint`: a canned reply offered for an escalation topic must get through its own re-check.

Each reply with `escalate_to: T` is filled in (defaults, else a sample name) and re-checked as
/v1/replies/render does, answering each example customer message of T (the `flag` examples of the
rules with `topic: T` that read the message being answered), on every platform it is offered on. A
critical finding of T itself would disable Insert and Copy in the panel: the pack suggests a reply it
then blocks. The error points at the reply's `escalate_to` and names the rule.
"""

from __future__ import annotations

from companion.engine.replies import RenderError, render
from companion.engine.reply_check import recheck
from companion.pack.errors import PackProblem
from companion.pack.layers import merge
from companion.pack.loader import Marks, parse_yaml, path_str
from companion.pack.sources import Layer

SAMPLE_VALUE = "Sam"   # a placeholder without a default: a first name, what most of them ask for


def customer_messages(pack, topic: str) -> list[tuple[str, str]]:
    """(rule id, example message) for each flag example of the rules raising `topic` in the customer's message."""
    return [(ex.rule_id, text) for ex in pack.rule_examples()
            if (getattr(ex.rule, "topic", None) or {}).get("topic") == topic
            and getattr(ex.rule, "scope", "draft") in ("replying_to", "both")
            for text in ex.flag]


def blocked_replies(pack) -> list[tuple[int, str]]:
    """(index in `replies`, what is wrong) for every reply its own topic's rule would block."""
    out = []
    for i, raw in enumerate(pack.data.get("replies", ())):
        reply = pack.canned_reply(raw["id"])
        topic = reply.escalate_to if reply else None
        if not topic:
            continue
        values = {p.name: p.default or SAMPLE_VALUE for p in reply.placeholders}
        try:
            text = render(reply, values, pack.referral_urls)
        except RenderError as e:
            out.append((i, f"reply '{reply.id}' cannot be filled in to check it: {e}"))
            continue
        problem = _first_block(pack, reply, text, topic)
        if problem:
            out.append((i, problem))
    return out


def _first_block(pack, reply, text: str, topic: str) -> str | None:
    for _rule, message in customer_messages(pack, topic):
        for platform in reply.platforms:
            report = recheck(pack, reply, text, platform, replying_to=message)
            for f in report.findings:
                if f.severity == "critical" and (f.detail or {}).get("topic") == topic:
                    why = ("its matrix row says public_reply: none (no public answer), so the customer's message blocks it"
                           if pack.public_reply(topic) == "none" else f"the reply's own words hit it (“{f.excerpt}”)")
                    return (f"reply '{reply.id}' is offered for {topic}, but the rule {f.rule} of that topic blocks it "
                            f"(critical) answering “{message}” on {platform}: {why}")
    return None


def reply_problems(pack, layers: list[Layer]) -> list[PackProblem]:
    """The blocked replies as file:line:col problems (the layer the reply came from)."""
    blocked = blocked_replies(pack)
    if not blocked:
        return []
    name, marks, origin = layer_marks(layers)
    return [problem_at(name, marks, origin, ("replies", i, "escalate_to"), message) for i, message in blocked]


def layer_marks(layers: list[Layer]) -> tuple[str, Marks, dict]:
    """(first layer's file name, line marks of the merged pack, which layer each item came from)."""
    parsed = [(layer.name, *parse_yaml(layer.data, layer.name)) for layer in layers]
    _, marks, origin = merge(parsed) if len(parsed) > 1 else (parsed[0][1], parsed[0][2], {})
    return parsed[0][0], marks, origin


def problem_at(name: str, marks: Marks, origin: dict, path: tuple, message: str) -> PackProblem:
    p = path
    while p and p not in marks:
        p = p[:-1]
    line, col = marks.get(p, (0, 0))
    return PackProblem(origin.get(path[:2]) or name, line, col, path_str(path), message)
