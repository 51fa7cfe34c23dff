"""The ``castgraph`` command: a click group whose commands live one per module in this package.

Commands are found by module name and imported only when run (or when ``--help`` lists them),
and command modules import nothing heavy at module level, so ``castgraph --help`` stays fast.

Exit codes: 0 success; 1 the check found a problem (validation failed, diff found changes);
2 usage error; 3 bad input (file:line: message); 4 environment problem; 5 internal error.
"""

from __future__ import annotations

import os
import sys


def run(argv: list[str]) -> int:
    """Run the command line ``argv`` and return its exit code (errors as one line on stderr).

    ``castgraph query NAME`` with nothing but formats, parameters and a dist folder takes the
    quick path (``_quick``), which answers without loading click (a third of a cold query on
    the curated graph); every other command line goes through click.
    """
    from castgraph.cli._quick import quick_query

    code = quick_query(argv)
    if code is not None:
        return code
    from castgraph.cli._group import run_click

    return run_click(argv)


def __getattr__(name: str):
    if name == "cli":  # the click group, for the docs and the tests
        from castgraph.cli._group import cli

        return cli
    raise AttributeError(name)


def main() -> None:
    try:
        code = run(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        # A closed pipe (castgraph export | head) is not an error; silence the flush at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    if code == 130:
        # Ctrl-C: leave now. Freeing a large build's millions of objects at interpreter exit
        # takes seconds, and a worker thread may still be inside the store; every output is
        # written atomically, so nothing is left half-done (the lock goes with the process).
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
