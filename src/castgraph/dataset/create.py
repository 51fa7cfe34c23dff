"""Built statements -> dist/: the text files, the store and its manifest, all or nothing.

The order is fixed by what each step needs: the N-Quads file first (the build's sorted
statements, joined), the store bulk-loaded from it by pyoxigraph (never from Python objects),
the check on the store, then the union in the store's default graph, the summary by SPARQL,
and the TriG and Turtle files re-serialized from the sorted N-Quads and union N-Triples as
streams. Nothing is sorted here: the build sorted once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, RdfFormat, Store

from castgraph import __version__
from castgraph.build.mint import BuiltDataset
from castgraph.dataset.dist import DistWriter
from castgraph.dataset.store import (
    DATASET_FILE,
    MANIFEST_FILE,
    NQUADS_FILE,
    STORE_DIR,
    STORE_FORMAT,
    TURTLE_FILE,
    Dataset,
    file_record,
)
from castgraph.dataset.writer import HashingWriter, reserialize

SUMMARY_FILE = "summary.json"
OWNED = frozenset({DATASET_FILE, NQUADS_FILE, TURTLE_FILE, SUMMARY_FILE, STORE_DIR, MANIFEST_FILE})
_UNION_FILE = ".union.nt"


class NotConforming(Exception):
    """The check found violations; carries the report, and nothing was written."""

    def __init__(self, report) -> None:
        super().__init__("the dataset does not conform")
        self.report = report


@dataclass(frozen=True)
class Created:
    summary: object
    report: object | None


def create_dataset(
    built: BuiltDataset,
    out_dir: Path,
    *,
    check: Callable[[Dataset], object] | None = None,
) -> Created:
    """Write ``out_dir`` from ``built``; ``check(dataset)`` returns a report with ``conforms``."""
    from castgraph.build.summary import summarize

    with DistWriter(out_dir, OWNED) as staging:
        nquads = staging.path(NQUADS_FILE)
        with nquads.open("wb") as handle:
            nquads_hash = HashingWriter(handle)
            _write_lines(nquads_hash, built.nquads_lines())

        # pyoxigraph's bulk loader runs without the GIL: the store loads the named graphs while
        # Python sorts and writes the union, and loads the union while the TriG and Turtle
        # files are written. Two cores, two jobs at a time.
        store = Store(str(staging.path(STORE_DIR)))
        union = staging.path(_UNION_FILE)
        with (
            _Background(store.bulk_load, path=str(nquads), format=RdfFormat.N_QUADS),
            union.open("wb") as handle,
        ):
            _write_lines(handle, _union_lines(built))
        dataset = Dataset(
            store=store,
            origin=str(out_dir),
            union_default=False,
            default_is_union=True,  # the union goes in below, made from the named graphs only
            sorted_nquads=nquads,
            sorted_union=union,
        )
        report = None
        if check is not None:
            report = check(dataset)
            if not report.conforms:
                raise NotConforming(report)
        with _Background(
            store.bulk_load, path=str(union), format=RdfFormat.N_TRIPLES, to_graph=DefaultGraph()
        ):
            trig_hash = _reserialize(nquads, RdfFormat.N_QUADS, "trig", staging.path(DATASET_FILE))
            turtle_hash = _reserialize(
                union, RdfFormat.N_TRIPLES, "turtle", staging.path(TURTLE_FILE)
            )
        dataset.union_default = True
        summary = summarize(dataset)

        staging.path(SUMMARY_FILE).write_bytes(summary.as_json().encode("utf-8"))
        store.flush()
        del dataset, store  # close the store before its folder moves
        union.unlink()
        manifest = {
            "format": STORE_FORMAT,
            "castgraph": __version__,
            "default_graph": "the union of the named graphs, each triple once",
            "quads": summary.quads,
            "triples": summary.triples,
            "trig": file_record(staging.path(DATASET_FILE), trig_hash),
            "nquads": file_record(nquads, nquads_hash.sha256.hexdigest()),
            "turtle": file_record(staging.path(TURTLE_FILE), turtle_hash),
        }
        staging.path(MANIFEST_FILE).write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        staging.commit()
    return Created(summary=summary, report=report)


class _Background:
    """``with _Background(function, **options):`` runs the function in a thread during the block.

    Leaving the block waits for it (also when the block failed, so nothing writes into a staging
    folder being removed) and re-raises what the function raised.
    """

    def __init__(self, function: Callable[..., object], **options) -> None:
        self._error: BaseException | None = None

        def target() -> None:
            try:
                function(**options)
            except BaseException as error:  # handed to the caller of join()
                self._error = error

        self._thread = threading.Thread(target=target, daemon=True)
        self._thread.start()

    def __enter__(self) -> _Background:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self._thread.join()
        if kind is None and self._error is not None:
            raise self._error


def _union_lines(built: BuiltDataset):
    """The distinct triples of all graphs, sorted, as N-Triples lines."""
    for subject, predicate, obj in sorted({s[1:] for s in built.statements}):
        yield f"{subject} {predicate} {obj} .\n"


def _write_lines(handle, lines, batch: int = 4096) -> None:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= batch:
            handle.write("".join(chunk).encode("utf-8"))
            chunk.clear()
    if chunk:
        handle.write("".join(chunk).encode("utf-8"))


def _reserialize(source: Path, source_format: RdfFormat, fmt: str, target: Path) -> str:
    with source.open("rb") as inp, target.open("wb") as out:
        hashing = HashingWriter(out)
        reserialize(inp, source_format, fmt, hashing)
    return hashing.sha256.hexdigest()
