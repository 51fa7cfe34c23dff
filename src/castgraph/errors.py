"""Errors that reach the user as one line and a documented exit code.

Exit codes (also in ``castgraph --help``):
0 success, 1 the check found a problem, 2 usage error, 3 bad input, 4 environment, 5 internal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_ENVIRONMENT = 4
EXIT_INTERNAL = 5


@dataclass(frozen=True, order=True)
class Location:
    """A place in a curated file: the path and the 1-based line (0 when the whole file is meant)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, RuntimeError, OSError):  # not below; a symlink loop; cwd gone
        return str(path)


class CastgraphError(Exception):
    """An error the user can fix; carries its exit code."""

    exit_code = EXIT_INTERNAL


class InputError(CastgraphError):
    """Bad input: a malformed file, an unknown name, a bad parameter value."""

    exit_code = EXIT_INPUT


class EnvironmentProblem(CastgraphError):
    """Something missing on the machine (a program, a port)."""

    exit_code = EXIT_ENVIRONMENT


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
