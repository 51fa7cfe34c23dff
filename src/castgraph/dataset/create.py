"""Built statements -> dist/: the text files, the store and its manifest, all or nothing.

The order is fixed by what each step needs: the N-Quads and union N-Triples files (the build's
sorted statements and union, joined) are written by a thread while pyoxigraph's bulk loader
reads them into the store behind it (``streaming``; never from Python objects); once the store
is loaded, the TriG and Turtle files are re-serialized from them as streams (``text_files``)
while the store is compacted; then the check and the summary run on it. Nothing is sorted
here: the build sorted once."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from castgraph import __version__
from castgraph.build.mint import BuiltDataset
from castgraph.dataset.dist import DistWriter
from castgraph.dataset.name_index import NAME_INDEX_FILE
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
from castgraph.dataset.streaming import Following, Progress, write_files
from castgraph.dataset.text_files import TextFiles

SUMMARY_FILE = "summary.json"
OWNED = frozenset(
    {
        DATASET_FILE,
        NQUADS_FILE,
        TURTLE_FILE,
        NAME_INDEX_FILE,
        SUMMARY_FILE,
        STORE_DIR,
        MANIFEST_FILE,
    }
)
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
    """Write ``out_dir`` from ``built``; ``check(dataset)`` returns a report with ``conforms``.

    ``built`` is handed over: once its statements are written, its lists are emptied, so that
    the store's loader has the memory they held.
    """
    from castgraph.build.summary import Counted, summarize

    with DistWriter(out_dir, OWNED) as staging:
        nquads, union = staging.path(NQUADS_FILE), staging.path(_UNION_FILE)
        counted = Counted.of(built)
        store = Store(str(staging.path(STORE_DIR)))
        report = None
        # A thread writes the N-Quads and union files while the store's bulk loader reads them
        # behind it (``streaming``), so the load starts at once. The load is one load of both
        # files: the N-Quads lines go to their graphs, the union's triple lines (N-Quads without
        # a graph) to the default graph, which queries, the check and the summary read: each
        # triple once (the engine's union of the named graphs answers a pattern once for each
        # graph that holds it, oxigraph#1919, so counts would change).
        progress = Progress(2)
        with ThreadPoolExecutor(max_workers=2) as threads:
            # Each list is emptied as soon as its file is written: the loader, already running,
            # needs the memory they held.
            outputs = [
                (nquads, _then_clear(built.nquads_lines(), built.statements)),
                (union, _then_clear(built.union_lines(), built.union)),
            ]
            written = threads.submit(write_files, outputs, progress)
            loaded = threads.submit(_bulk_load, store, Following([nquads, union], progress))
            build_id = written.result()
            loaded.result()
            # The TriG and Turtle files and the name index are written on the other core (a
            # child process, for a large dataset) from the finished files while the store is
            # compacted, which keeps one core busy: during the load, which keeps both busy, they
            # would only slow it.
            texts = TextFiles(
                nquads,
                union,
                staging.path(DATASET_FILE),
                staging.path(TURTLE_FILE),
                staging.path(NAME_INDEX_FILE),
                build_id,
            )
            with texts:
                # The bulk loader leaves the store in many overlapping files; compacting them
                # once makes every later query two to three times faster at 150,000
                # organizations (heads-of-departments 0.45 -> 0.17 s). It comes before the
                # check, which then costs 20 CPU s instead of 36: compacting beside the check
                # was slower in all.
                store.optimize()
                dataset = Dataset(
                    store=store,
                    origin=str(out_dir),
                    union_default=True,
                    default_is_union=True,  # the default graph's union is made from the named graphs
                    sorted_nquads=nquads,
                    sorted_union=union,
                )
                if check is not None:
                    report = check(dataset)
                    if not report.conforms:
                        raise NotConforming(report)
                summary = summarize(dataset, counted)
        trig_hash, turtle_hash = texts.hashes["trig"], texts.hashes["turtle"]

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
            "nquads": file_record(nquads, build_id),
            "names": file_record(staging.path(NAME_INDEX_FILE), texts.hashes["names"]),
            "turtle": file_record(staging.path(TURTLE_FILE), turtle_hash),
        }
        staging.path(MANIFEST_FILE).write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        staging.commit()
    return Created(summary=summary, report=report)


def _then_clear(lines: Iterator[str], source: list) -> Iterator[str]:
    """``lines``, then ``source`` (the list they are made from) emptied."""
    yield from lines
    source.clear()


def _bulk_load(store: Store, source: Following) -> None:
    """Lenient: the IRIs are not validated a second time (the build made every line from checked
    terms); parsing is three times faster, 8 of 48 CPU s at 150,000 organizations."""
    with source:
        store.bulk_load(input=source, format=RdfFormat.N_QUADS, lenient=True)
