"""Pack errors that point into the pack file: path:line:column, the key, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackProblem:
    file: str
    line: int          # 1-based; 0 when unknown
    column: int        # 1-based; 0 when unknown
    key: str           # dotted path, e.g. rules[3].severity
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class PackError(Exception):
    """A pack that cannot be used; `problems` says where and why."""

    def __init__(self, problems: list[PackProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
