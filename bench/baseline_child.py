"""The baseline processes of bench_scale.py: what the same work costs with rdflib, pyshacl or
pyoxigraph alone, each run as its own child process on the built N-Quads.

    python bench/baseline_child.py oxigraph-load DIST
    python bench/baseline_child.py rdflib-parse DIST
    python bench/baseline_child.py pyshacl DIST
    python bench/baseline_child.py rdflib-query DIST NAME[:KEY=VALUE] ...
    python bench/baseline_child.py rdflib-turtle DIST OUT

Each prints one JSON object per line as it goes ({"phase": ..., "seconds": ...}), flushed, so
the parent still learns the finished phases of a child it had to stop at its timeout.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

START = time.perf_counter()


def phase(name: str, since: float, **extra) -> float:
    now = time.perf_counter()
    print(json.dumps({"phase": name, "seconds": now - since, **extra}), flush=True)
    return now


def rdflib_dataset(nquads: Path, *, union: bool = False):
    import rdflib

    dataset = rdflib.Dataset(default_union=union)
    dataset.parse(nquads, format="nquads")
    return dataset


def union_graph(dataset):
    """The union of all named graphs as one rdflib Graph (what SHACL and Turtle see)."""
    import rdflib

    graph = rdflib.Graph(bind_namespaces="none")
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def oxigraph_load(dist: Path) -> None:
    from pyoxigraph import RdfFormat, Store

    t = phase("import", START)
    store = Store()
    store.bulk_load(path=str(dist / "castgraph.nq"), format=RdfFormat.N_QUADS)
    phase("bulk_load", t, quads=len(store))


def rdflib_parse(dist: Path) -> None:
    t = phase("import", START)
    dataset = rdflib_dataset(dist / "castgraph.nq")
    phase("parse", t, quads=len(dataset))


def pyshacl_validate(dist: Path) -> None:
    """The union graph against ontology/shapes/*.ttl, as src/castgraph/validate.py runs pyshacl."""
    from castgraph.check import pyshacl_reference
    from castgraph.paths import ONTOLOGY_PATH

    t = phase("import", START)
    graph = union_graph(rdflib_dataset(dist / "castgraph.nq"))
    t = phase("parse", t, triples=len(graph))
    graph.parse(ONTOLOGY_PATH, format="turtle")
    report = pyshacl_reference.validate(graph, pyshacl_reference.shapes_graph())
    severities = {key[3] for key in pyshacl_reference.report_keys(report)}
    phase("validate", t, conforms="http://www.w3.org/ns/shacl#Violation" not in severities)


def rdflib_query(dist: Path, specs: list[str]) -> None:
    """Parse once, then run each library query (its parameters bound as castgraph binds them)."""
    from castgraph.query import library as queries

    t = phase("import", START)
    dataset = rdflib_dataset(dist / "castgraph.nq", union=True)
    t = phase("parse", t, quads=len(dataset))
    for spec in specs:
        name, _, given = spec.partition(":")
        params = dict(item.split("=", 1) for item in given.split(",") if item)
        result = queries.rdflib_run(dataset, queries.by_name(name), params)
        text = result.serialize(format="csv")
        t = phase(f"query:{name}", t, rows=max(0, text.count(b"\n") - 1))


def rdflib_turtle(dist: Path, out: Path) -> None:
    t = phase("import", START)
    graph = union_graph(rdflib_dataset(dist / "castgraph.nq"))
    t = phase("parse", t, triples=len(graph))
    graph.serialize(out, format="turtle")
    phase("serialize", t, bytes=out.stat().st_size)


def main(argv: list[str]) -> None:
    kind, dist, *rest = argv
    dist = Path(dist)
    if kind == "oxigraph-load":
        oxigraph_load(dist)
    elif kind == "rdflib-parse":
        rdflib_parse(dist)
    elif kind == "pyshacl":
        pyshacl_validate(dist)
    elif kind == "rdflib-query":
        rdflib_query(dist, rest)
    elif kind == "rdflib-turtle":
        rdflib_turtle(dist, Path(rest[0]))
    else:
        raise SystemExit(f"unknown baseline {kind!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
