"""`pack lint`: each reply's practice messages must get that reply suggested.

The practice page's role-play shows a reply's `practice` message as the customer's and asks
/v1/replies/suggest for replies to it; a scenario whose own reply is not among the first three
offered would teach the champion to scroll for it (or the reply's topics do not fit the scenario).
Each message, the translated ones too, is asked on every platform the reply is offered on. The error
points at the message.
"""

from __future__ import annotations

from companion.engine.reply_suggest import suggest
from companion.pack.errors import PackProblem
from companion.pack.reply_lint import layer_marks, problem_at

OFFERED_WITHIN = 3    # how far down the suggestions a scenario's own reply may be


def practice_messages(raw: dict) -> list[tuple[tuple, str, str | None]]:
    """(path inside the reply, message, its language or None for the pack's own) for one reply's scenarios."""
    own = [(("practice", j), m, None) for j, m in enumerate(raw.get("practice", ()))]
    translated = [(("translations", lang, "practice", j), m, lang)
                  for lang, texts in (raw.get("translations") or {}).items()
                  for j, m in enumerate((texts or {}).get("practice", ()))]
    return own + translated


def unsuggested_practice(pack) -> list[tuple[tuple, str]]:
    """(path in the pack, what is wrong) for every practice message its reply is not suggested for."""
    out = []
    for i, raw in enumerate(pack.data.get("replies", ())):
        reply = pack.canned_reply(raw["id"])
        for path, message, lang in practice_messages(raw):
            problem = _not_offered(pack, reply, message, lang)
            if problem:
                out.append((("replies", i, *path), problem))
    return out


def _not_offered(pack, reply, message: str, lang: str | None) -> str | None:
    for platform in reply.platforms:
        s = suggest(pack, message, platform, lang=lang)
        ids = [r["id"] for r in s.replies[:OFFERED_WITHIN]]
        if reply.id in ids:
            continue
        got = (f"it offers {', '.join(ids)}" if ids else
               f"it hands the conversation over ({', '.join(s.handoff)}: no public reply)" if s.handoff else
               "it offers no reply")
        return (f"practice message “{message}” of reply '{reply.id}' does not get that reply among the first "
                f"{OFFERED_WITHIN} suggestions on {platform}: {got}. Add words of the message to the reply's topics, "
                "or give the reply a message it answers")
    return None


def practice_problems(pack, layers) -> list[PackProblem]:
    """The unsuggested practice messages as file:line:col problems (the layer the reply came from)."""
    bad = unsuggested_practice(pack)
    if not bad:
        return []
    name, marks, origin = layer_marks(layers)
    return [problem_at(name, marks, origin, path, message) for path, message in bad]
