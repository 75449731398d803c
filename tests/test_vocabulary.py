"""The extension and the companion speak the same words: platforms, surfaces, severities, finding
categories, the size limits, the default port and the hello proof.

The JavaScript side is read by running node on extension/vocabulary.js (and the hello proof's code in
extension/background/hello-proof.js), so the test sees the values the extension really uses; the
Python side is the companion's own constants. Any disagreement fails here, before a draft meets it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from companion import auth, config
from companion.api import routes, validation
from companion.engine import findings

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "extension"

# Prints the vocabulary module's exports and a hello proof computed by the extension's own code.
SCRIPT = """
const v = await import(process.argv[1] + '/vocabulary.js');
const { helloProof } = await import(process.argv[1] + '/background/hello-proof.js');
const proof = await helloProof('token-\u00e9', 'n0nce_-abcdefghijklmnop', 7399);
console.log(JSON.stringify({ ...v, proof }));
"""


@pytest.fixture(scope="module")
def js() -> dict:
    node = shutil.which("node")
    assert node, "node is needed to read extension/vocabulary.js (./scripts/test installs the JavaScript tools)"
    out = subprocess.run([node, "--input-type=module", "-e", SCRIPT, EXTENSION.as_uri()],
                         capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def test_platforms_surfaces_severities_categories(js):
    assert js["PLATFORMS"] == list(findings.PLATFORMS)
    assert js["SURFACES"] == list(findings.SURFACES)
    assert js["SEVERITIES"] == list(findings.SEVERITIES)  # least to most severe on both sides
    assert list(js["CATEGORY_LABEL"]) == list(findings.CATEGORIES)


def test_every_platform_and_surface_has_a_name(js):
    assert set(js["PLATFORM_LABEL"]) == set(findings.PLATFORMS)
    assert set(js["SURFACE_LABEL"]) == set(findings.SURFACES)
    assert all(isinstance(v, str) and v for v in [*js["PLATFORM_LABEL"].values(), *js["SURFACE_LABEL"].values()])


def test_limits(js):
    limits = js["LIMITS"]
    assert limits["text"] == validation.MAX_TEXT == routes.CHECK_FIELDS["text"][2]
    assert limits["account"] == routes.CHECK_FIELDS["account"][2]
    # the extension sends less of the post being answered than the companion would take
    assert 0 < limits["replyingTo"] <= routes.CHECK_FIELDS["replying_to"][2]


def test_default_port(js):
    assert js["DEFAULT_PORT"] == config.DEFAULT_PORT


def test_hello_context_and_proof(js):
    assert js["HELLO_CONTEXT"].encode() == auth.HELLO_CONTEXT
    # the whole message (context, host, port, nonce) and its encoding: the proofs must be equal
    assert js["proof"] == auth.hello_proof("token-\u00e9", "n0nce_-abcdefghijklmnop", 7399)


class _Options(HTMLParser):
    def __init__(self, select_id: str):
        super().__init__()
        self.select_id, self.inside, self.current = select_id, False, None
        self.options: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self.inside = a.get("id") == self.select_id
        elif tag == "option" and self.inside:
            self.current = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False

    def handle_data(self, data):
        if self.current is not None:
            self.options.append((self.current, data.strip()))
            self.current = None


def test_side_panel_platform_filter_lists_the_platforms(js):
    parser = _Options("platform")
    parser.feed((EXTENSION / "sidepanel" / "index.html").read_text(encoding="utf-8"))
    listed = [(v, name) for v, name in parser.options if v]
    assert listed == [(p, js["PLATFORM_LABEL"][p]) for p in js["PLATFORMS"]]


def test_no_platform_names_written_out_elsewhere_in_the_extension():
    """The names live in vocabulary.js; a second copy in a script is how they drifted before."""
    pattern = re.compile(r"\{\s*x:\s*'X',\s*facebook:")
    copies = [p.relative_to(EXTENSION).as_posix() for p in EXTENSION.rglob("*.js")
              if not {"node_modules", "dist"} & set(p.parts) and pattern.search(p.read_text(encoding="utf-8"))]
    assert copies == ["vocabulary.js"]
