"""The W3C SHACL test suite, core section, through the store engine (castgraph.check).

Each manifest entry names a data graph, a shapes graph and the expected sh:ValidationReport;
the engine must give the same conforms flag and the same set of (focus, path, component,
severity) results. The suite is vendored under tests/w3c-shacl/core/ (see its LICENSE.md).
Entries the engine does not pass are listed in EXCLUDED by name, each with its reason.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

from castgraph.check.shacl_paths import SH, ShapesError, ShapesGraph, path_sparql
from castgraph.check.store_shacl import validate_store

SUITE = Path(__file__).parent / "w3c-shacl" / "core"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
DATA_GRAPH = NamedNode("urn:x-castgraph:w3c-test-data")

# Entry name (folder/name) -> why the engine does not pass it.
EXCLUDED: dict[str, str] = {}


@cache
def quads_of(iri: str) -> tuple[Quad, ...]:
    """One parse per file, so blank nodes keep one identity across data and expected report."""
    path = Path(iri.removeprefix("file://"))
    graph = NamedNode(iri)
    triples = parse(path=str(path), format=RdfFormat.TURTLE, base_iri=iri)
    return tuple(Quad(t.subject, t.predicate, t.object, graph) for t in triples)


def manifests(iri: str) -> list[str]:
    graph = ShapesGraph(quads_of(iri))
    found = [iri]
    for include in graph.objects(NamedNode(iri), NamedNode(MF + "include")):
        found += manifests(include.value)
    return found


def entries() -> list[tuple[str, str, object]]:
    cases = []
    for manifest in manifests((SUITE / "manifest.ttl").resolve().as_uri()):
        graph = ShapesGraph(quads_of(manifest))
        for head in graph.objects(NamedNode(manifest), NamedNode(MF + "entries")):
            for entry in graph.items(head):
                name = entry.value.removeprefix(SUITE.resolve().as_uri() + "/")
                cases.append((name, manifest, entry))
    return cases


CASES = entries()


def expected_report(
    graph: ShapesGraph, entry
) -> tuple[bool, set[tuple[str, str, str, str]]] | None:
    """(conforms, results) from mf:result, or None when the entry expects a failure."""
    report = graph.one(entry, NamedNode(MF + "result"))
    if report == NamedNode(SHT + "Failure"):
        return None
    conforms = graph.one(report, NamedNode(SH + "conforms")).value == "true"
    results = set()
    for result in graph.objects(report, NamedNode(SH + "result")):
        path = graph.one(result, NamedNode(SH + "resultPath"))
        results.add(
            (
                str(graph.one(result, NamedNode(SH + "focusNode"))),
                path_sparql(graph, path) if path is not None else "",
                graph.one(result, NamedNode(SH + "sourceConstraintComponent")).value,
                graph.one(result, NamedNode(SH + "resultSeverity")).value,
            )
        )
    return conforms, results


def run_entry(manifest: str, entry):
    graph = ShapesGraph(quads_of(manifest))
    action = graph.one(entry, NamedNode(MF + "action"))
    data = graph.one(action, NamedNode(SHT + "dataGraph")).value
    shapes = graph.one(action, NamedNode(SHT + "shapesGraph")).value
    store = Store()
    store.extend(Quad(q.subject, q.predicate, q.object, DATA_GRAPH) for q in quads_of(data))
    return validate_store(store, quads_of(shapes), data_graphs=[DATA_GRAPH])


@pytest.mark.parametrize(("name", "manifest", "entry"), CASES, ids=[c[0] for c in CASES])
def test_w3c_core_entry(name, manifest, entry):
    if name in EXCLUDED:
        pytest.skip(EXCLUDED[name])
    expected = expected_report(ShapesGraph(quads_of(manifest)), entry)
    if expected is None:
        with pytest.raises(ShapesError):
            run_entry(manifest, entry)
        return
    results = run_entry(manifest, entry)
    got = {(r.focus, r.path, r.component, r.severity) for r in results}
    assert (not results, got) == expected


def test_suite_is_all_there_and_exclusions_are_named():
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names))
    assert len(names) == 98, f"{len(names)} core entries found, the suite at that commit has 98"
    assert set(EXCLUDED) <= set(names), "an exclusion names no entry of the suite"
