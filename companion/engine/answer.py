"""The answer to one check request: the body of POST /v1/check, which `postguard check --json` prints too."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from companion.engine.check import CheckRequest, Report, check

if TYPE_CHECKING:
    from companion.pack.compiled import CompiledPack


@dataclass
class Answer:
    report: Report
    pack: dict[str, Any]      # {id, revision} of the pack that checked it
    elapsed_ms: float

    def to_dict(self) -> dict[str, Any]:
        return {**self.report.to_dict(), "pack": self.pack, "elapsed_ms": self.elapsed_ms}


def answer(pack: CompiledPack, req: CheckRequest) -> Answer:
    """Check `req` against a compiled pack and say which pack answered and how long the check took."""
    started = time.perf_counter()
    report = check(pack, req)
    return Answer(report, {"id": pack.id, "revision": pack.revision},
                  round((time.perf_counter() - started) * 1000, 3))
