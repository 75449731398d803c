"""`pack lint` refuses a pack that suggests a reply its own escalation topic then blocks (issue 16):
each reply with `escalate_to` is filled in and re-checked against the topic's example customer
messages, as /v1/replies/render would; the error gives file:line, the reply and the rule."""

import re

from support import EXAMPLE_PACK
from support import cli_here as cli

SOURCE = EXAMPLE_PACK.read_text(encoding="utf-8")

# a public answer to a threat: the threat row says public_reply: none
THREAT_REPLY = """  - id: threat-reply
    title: Threat (public answer)
    category: threat
    escalate_to: threat
    text: "Hi {customer_name}, we have passed this on. Please stay calm."
    placeholders:
      customer_name: {label: Name or handle, required: true, max_length: 40}
"""


def broken(tmp_path, old: str, new: str):
    assert old in SOURCE
    path = tmp_path / "broken.yaml"
    path.write_text(SOURCE.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path, needle: str, after: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def test_the_example_pack_passes():
    r = cli("pack", "lint", str(EXAMPLE_PACK))
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_public_reply_to_a_topic_with_no_public_reply_is_refused(tmp_path):
    # validation refuses it before any re-check: the row says public_reply: none
    path = broken(tmp_path, "replies:\n", "replies:\n" + THREAT_REPLY)
    r = cli("pack", "lint", str(path))
    assert r.returncode == 1, r.stdout
    line = line_of(path, "escalate_to: threat", "- id: threat-reply")
    assert f"error: {path}:{line}:5: replies[0].escalate_to: topic 'threat' gets no public reply" in r.stdout, r.stdout


def test_an_acknowledgement_whose_own_words_raise_its_topic_is_refused(tmp_path):
    # the defamation row allows an acknowledgement, but this one calls the post defamation itself
    path = broken(tmp_path, "we take what you've written seriously and want to understand what happened.",
                  "this is defamation and libel, and you are spreading lies.")
    r = cli("pack", "lint", str(path))
    assert r.returncode == 1, r.stdout
    line = line_of(path, "escalate_to: defamation", "- id: defamation")
    assert re.search(rf"^error: {re.escape(str(path))}:{line}:5: replies\[\d+\]\.escalate_to: reply 'defamation' is offered "
                     r"for defamation, but the rule base\.escalate\.defamation of that topic blocks it \(critical\) answering "
                     r"“.+” on \w+: the reply's own words hit it", r.stdout, re.M), r.stdout
    assert "1 error(s): the pack cannot be used." in r.stdout
