"""The second half of `castgraph query`, without click: open the dataset, run the query in a
process killed at its deadline, write the answer.

The click command (``cli/query.py``) and the quick path (``cli/_quick.py``) both end here, so a
query answers the same bytes, messages and exit codes whichever way it came in.
"""

from __future__ import annotations

import sys
from pathlib import Path


def answer(
    definition,
    params: dict[str, str],
    *,
    fmt: str | None,
    output: Path | None,
    graph: str | None,
    dataset: Path | None,
    timeout: float | None,
    dist_dir: Path,
) -> None:
    """Run a checked ``definition`` with bound-checked ``params`` and emit its answer."""
    from castgraph.dataset.store import open_dataset
    from castgraph.guard.deadline import run_with_deadline  # hardening: killable query process
    from castgraph.limits import LIMITS
    from castgraph.query import library as queries
    from castgraph.query.results import SUFFIXES, render

    built = open_dataset(dist_dir, dataset, notice=_say)
    store = built.store
    graph_iri = queries.graph_iri(graph, store) if graph else None
    if fmt is None:
        if output is not None:
            fmt = SUFFIXES.get(output.suffix.lower(), "csv")
        else:
            fmt = "table" if sys.stdout.isatty() else "csv"
    width = _terminal_width() if fmt == "table" and output is None else None

    def compute() -> bytes:
        result = queries.run(
            store, definition, params, graph=graph_iri, name_index=built.name_index
        )
        return render(result, fmt, width=width)

    seconds = timeout if timeout is not None else LIMITS.query_timeout_s
    data = run_with_deadline(compute, timeout=seconds, memory_bytes=LIMITS.query_memory_bytes)
    emit(data, output)


def emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from castgraph.files import write_atomic

    write_atomic(output, data)
    _say(f"wrote {output}")


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _terminal_width() -> int | None:
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns
