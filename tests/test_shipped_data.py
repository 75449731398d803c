"""The packs, schema and thesaurus the companion ships (companion/data) are the files IT reads and edits in
policy_packs/, through links: one file each, so an edit in either place is the same edit. An in-place editor
that replaces a link with a copy (`sed -i` does) leaves two files that drift apart; this says which."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINKED = {
    "base-policy.yaml": "policy_packs/base/base-policy.yaml",
    "topic-words.yaml": "policy_packs/base/topic-words.yaml",
    "example-pack.yaml": "policy_packs/example/nimbusco.yaml",
    "pack.schema.json": "policy_packs/schema.json",
}


@pytest.mark.parametrize("name", sorted(LINKED))
def test_the_shipped_file_is_the_policy_packs_file(name):
    shipped, source = ROOT / "companion" / "data" / name, ROOT / LINKED[name]
    assert shipped.is_symlink(), f"{shipped} is a copy, not a link to {source}: edit {source} and link it again"
    assert shipped.resolve() == source.resolve()
