"""The closed list of rule kinds. Adding a kind = one module here + its entry in KINDS + tests.

Each kind's `compile(raw_rule, pack_data, vocab)` returns a Rule whose `run(ctx)` gives findings;
`vocab` (language/vocabulary.py) holds the classes and cues its token patterns refer to.
The confidential-term list and the platform limits are kinds too, compiled from their own pack
sections rather than from `rules:`.
"""

from companion.engine.kinds import combination, disclosure, pattern, phrases, second_opinion

KINDS = {
    "combination": combination.compile,
    "phrases": phrases.compile,
    "pattern": lambda raw, pack, vocab=None: pattern.compile(raw, pack),   # no token patterns
    "disclosure": disclosure.compile,
    "second_opinion": second_opinion.compile,
}
