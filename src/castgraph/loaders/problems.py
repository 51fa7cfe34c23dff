"""Problems found in the curated data: where (file and line) and what, collected over a whole
run and raised together as one ``DataErrors`` (exit 3), one ``file:line: message`` line each."""

from __future__ import annotations

from dataclasses import dataclass, field

from castgraph.errors import InputError


@dataclass(frozen=True, order=True)
class Location:
    """A place in a curated file: the path and the 1-based line (0 when the whole file is meant)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, order=True)
class DataProblem:
    location: Location
    message: str
    # A whole file could not be read: cross-reference checks would only report its echoes.
    blocking: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class DataErrors(InputError):
    """All problems found in the curated data in one run, each as ``file:line: message``."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
