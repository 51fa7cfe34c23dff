"""What a failed command prints and returns, without click: one line on stderr, a documented code.

Shared by the click path (``_group``) and the quick path (``_quick``) of ``castgraph``.
"""

from __future__ import annotations

import sys

from castgraph.errors import EXIT_INPUT, EXIT_INTERNAL, CastgraphError


def failure_code(error: Exception, debug: bool) -> int:
    """Say ``error`` in one line and return its exit code (with ``debug``, re-raise the unknown)."""
    if isinstance(error, CastgraphError):
        _say(str(error))
        return error.exit_code
    if isinstance(error, OSError | RuntimeError) and "Corruption" in str(error) and not debug:
        # RocksDB found a damaged store file
        _say(
            f"the dataset's store is damaged ({' '.join(str(error).split())}): "
            "run `castgraph build` to rebuild it"
        )
        return EXIT_INPUT
    if debug:
        raise error
    _say(f"internal error: {type(error).__name__}: {error} (re-run with --debug)")
    return EXIT_INTERNAL


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
