"""Policy packs: load (with file:line errors), validate, compile for the engine."""
