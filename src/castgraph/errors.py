"""Errors that reach the user as one line and a documented exit code.

Exit codes (also in ``castgraph --help``):
0 success, 1 the check found a problem, 2 usage error, 3 bad input, 4 environment, 5 internal.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_ENVIRONMENT = 4
EXIT_INTERNAL = 5


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
