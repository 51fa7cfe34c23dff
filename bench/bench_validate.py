"""Validate at scale: the store engine (castgraph.check) against pyshacl on synthetic data.

Synthetic data of N organizations comes from bench_build.synthetic_data (names in English and
Chinese, a kind, a founding date, a membership of CAST each). For each engine a fresh process
builds the dataset, loads it the way that engine needs it, and then times validation alone:

- store: the quads in a pyoxigraph Store (named graphs + the ontology in its own graph), then
  ``validate_store`` with the project's shapes;
- pyshacl: the union graph parsed by rdflib with the ontology mixed in, then ``pyshacl.validate``
  exactly as castgraph.validate calls it (inference none, advanced=False).

Peak MiB is the peak resident size of that process (so it includes the built dataset). pyshacl
runs only up to --pyshacl-max organizations. Where both run, the result sets are compared.

Run: python bench/bench_validate.py [--pyshacl-max N] [N ...] (default 2000 20000).
"""

from __future__ import annotations

import argparse
import multiprocessing
import queue as queue_module
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_build import synthetic_data

ONTOLOGY_GRAPH = "urn:x-castgraph:ontology"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def built_quads(data: Path):
    from castgraph.build.mint import build
    from castgraph.loaders import load_all

    return build(load_all(data)).quads


def run_store(data: Path) -> dict:
    from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

    from castgraph.check.store_shacl import validate_store
    from castgraph.paths import ONTOLOGY_PATH, SHAPES_DIR

    quads = built_quads(data)
    start = time.perf_counter()
    store = Store()
    store.bulk_extend(quads)
    graph = NamedNode(ONTOLOGY_GRAPH)
    ontology = parse(path=str(ONTOLOGY_PATH), format=RdfFormat.TURTLE)
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, graph) for t in ontology)
    shapes = [
        t
        for p in sorted(SHAPES_DIR.glob("*.ttl"))
        for t in parse(path=str(p), format=RdfFormat.TURTLE)
    ]
    loaded, cpu = time.perf_counter(), time.process_time()
    results = validate_store(store, shapes)
    done, cpu = time.perf_counter(), time.process_time() - cpu
    keys = {(r.focus, r.path, r.component, r.severity) for r in results}
    return {
        "quads": len(quads),
        "load": loaded - start,
        "validate": done - loaded,
        "cpu": cpu,
        "keys": keys,
    }


def run_pyshacl(data: Path) -> dict:
    from castgraph.check import pyshacl_reference
    from castgraph.dataset.writer import to_bytes

    quads = built_quads(data)
    start = time.perf_counter()
    graph = pyshacl_reference.data_graph(to_bytes(quads, "ntriples"))
    shapes = pyshacl_reference.shapes_graph()
    loaded, cpu = time.perf_counter(), time.process_time()
    report = pyshacl_reference.validate(graph, shapes)
    done, cpu = time.perf_counter(), time.process_time() - cpu
    keys = pyshacl_reference.report_keys(report)  # in the store engine's spelling, to compare
    return {
        "quads": len(quads),
        "load": loaded - start,
        "validate": done - loaded,
        "cpu": cpu,
        "keys": keys,
    }


def child(engine: str, data: str, queue) -> None:
    figures = (run_store if engine == "store" else run_pyshacl)(Path(data))
    figures["peak_mib"] = peak_mib()
    queue.put(figures)


def measure(engine: str, data: Path, timeout: float | None = None) -> dict | None:
    """One engine in a fresh process, so each peak RSS is that engine's alone.

    None when the process has not finished within ``timeout`` seconds (it is then stopped).
    """
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=child, args=(engine, str(data), queue))
    process.start()
    try:
        figures = queue.get(timeout=timeout)
    except queue_module.Empty:
        process.kill()
        process.join()
        return None
    process.join()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 20000])
    parser.add_argument("--pyshacl-max", type=int, default=20000, help="largest N for pyshacl")
    parser.add_argument(
        "--pyshacl-timeout", type=float, default=600, help="stop pyshacl after this many seconds"
    )
    args = parser.parse_args()
    print(
        f"{'N orgs':>8} {'quads':>9} {'engine':>8} {'load s':>8} {'validate s':>11} "
        f"{'cpu s':>8} {'peak MiB':>9} {'results':>8} {'pyshacl/store':>14}",
        flush=True,
    )
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            synthetic_data(data, size)
            store = measure("store", data)
            rows = [("store", store)]
            if size <= args.pyshacl_max:
                rows.append(("pyshacl", measure("pyshacl", data, args.pyshacl_timeout)))
        for engine, figures in rows:
            if figures is None:
                print(
                    f"{size:>8} {'':>9} {engine:>8} did not finish in {args.pyshacl_timeout:.0f} s"
                )
                continue
            ratio = figures["validate"] / store["validate"]
            print(
                f"{size:>8} {figures['quads']:>9} {engine:>8} {figures['load']:>8.2f} "
                f"{figures['validate']:>11.2f} {figures['cpu']:>8.2f} {figures['peak_mib']:>9.0f} "
                f"{len(figures['keys']):>8} {ratio:>13.1f}x",
                flush=True,
            )
        if len(rows) == 2 and rows[1][1] is not None:
            same = rows[0][1]["keys"] == rows[1][1]["keys"]
            print(f"{'':>8} same (focus, path, component, severity) results: {same}", flush=True)


if __name__ == "__main__":
    main()
