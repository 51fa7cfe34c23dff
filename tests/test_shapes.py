"""Every SHACL shape has a passing and a failing example; failing ones list what they expect.

A fixture's `# expect: SEVERITY FOCUS SHAPE` lines are the exact set of results it must give
(severity, focus node as a CURIE, shape that produced the result). Passing fixtures give none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from castgraph.check.validate import validate_quads as validate
from castgraph.namespaces import shorten
from castgraph.paths import ONTOLOGY_PATH, SHAPES_DIR

FIXTURES = Path(__file__).parent / "shapes"
CASES = sorted(FIXTURES.rglob("*.ttl"))


def results_of(path: Path, tmp_path: Path) -> set[tuple[str, str, str]]:
    triples = parse(path.read_bytes(), format=RdfFormat.TURTLE)
    graph = NamedNode("https://w3id.org/castgraph/graph/test")
    quads = [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    # The ontology beside the data, as a built dataset carries the terms it points to.
    ontology = NamedNode("https://w3id.org/castgraph/graph/test-ontology")
    quads += [
        Quad(t.subject, t.predicate, t.object, ontology)
        for t in parse(ONTOLOGY_PATH.read_bytes(), format=RdfFormat.TURTLE)
    ]
    report = validate(quads, checks_dir=tmp_path / "no-checks")
    return {(r.severity, shorten(r.focus), r.shape) for r in report.results}


def expected_of(path: Path) -> set[tuple[str, str, str]]:
    expected = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            severity, focus, shape = line.removeprefix("# expect:").split()
            expected.add((severity, focus, shape))
    return expected


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_shape_fixture_gives_exactly_its_expected_results(case, tmp_path):
    expected = expected_of(case)
    if case.name.startswith("pass-"):
        assert expected == set(), "a passing fixture expects nothing"
    else:
        assert expected, f"{case.name}: a failing fixture must say what it expects (# expect: ...)"
    assert results_of(case, tmp_path) == expected


def test_every_shape_has_a_passing_and_a_failing_example():
    shape_files = sorted(p.stem for p in SHAPES_DIR.glob("*.ttl"))
    for name in shape_files:
        cases = [p.name for p in (FIXTURES / name).glob("*.ttl")]
        assert any(c.startswith("pass-") for c in cases), (
            f"shapes/{name}.ttl has no passing example"
        )
        assert any(c.startswith("fail-") for c in cases), (
            f"shapes/{name}.ttl has no failing example"
        )


def test_every_node_shape_is_exercised_by_a_failing_example():
    import rdflib

    shapes = rdflib.Graph()
    for path in SHAPES_DIR.glob("*.ttl"):
        shapes.parse(path)
    node_shapes = {
        shorten(str(s))
        for s in shapes.subjects(
            rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")
        )
    }
    exercised = {shape.split("-")[0] for case in CASES for _, _, shape in expected_of(case)}
    assert node_shapes <= exercised, f"no failing example for {sorted(node_shapes - exercised)}"


def test_real_graph_conforms(dataset, tmp_path):
    report = validate(dataset.quads)
    violations = [r for r in report.results if r.severity == "Violation"]
    assert violations == []
    assert report.conforms
