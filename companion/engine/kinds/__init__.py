"""The closed list of rule kinds that a pack's `rules:` may use (`kind:`).

Each kind's `compile(raw_rule, pack_data, vocab)` returns a Rule (kinds/base.py) whose `run(ctx)` gives
findings and whose `explain_miss(ctx)` says why it gave none; `pack_data` is the validated pack as
written, `vocab` (language/vocabulary.py) the classes and cues its token patterns refer to. The
confidential-term list (confidential.py) and the platform limits (platform_limit.py) are Rules too,
compiled from their own pack sections rather than from `rules:`.

Adding a kind takes a module here, its entry in KINDS, its keys in policy_packs/schema.json, its
checks in pack/validate.py and tests: docs/architecture.md, "Adding a rule kind", step by step.
"""

from __future__ import annotations

from typing import Any, Callable

from companion.engine.kinds import combination, disclosure, follows, pattern, phrases, second_opinion
from companion.engine.kinds.base import Rule
from companion.engine.language.vocabulary import Vocabulary

Compile = Callable[[dict[str, Any], dict[str, Any], Vocabulary], Rule]

KINDS: dict[str, Compile] = {
    "combination": combination.compile,
    "phrases": phrases.compile,
    "pattern": pattern.compile,
    "disclosure": disclosure.compile,
    "second_opinion": second_opinion.compile,
    "follows": follows.compile,
}
