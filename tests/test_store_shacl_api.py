"""The store engine's contract: which graphs it reads, what a result holds, what it refuses."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, parse

from castgraph.check.shacl_paths import SH, ShapesError
from castgraph.check.store_shacl import ShaclResult, validate_store
from castgraph.paths import SHAPES_DIR

PREFIXES = """
@prefix cast: <https://w3id.org/castgraph/def#> .
@prefix cid: <https://w3id.org/castgraph/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
"""
GRAPHS = [NamedNode(f"https://w3id.org/castgraph/graph/{n:03d}") for n in range(3)]


def triples(text: str):
    return list(parse((PREFIXES + text).encode(), format=RdfFormat.TURTLE))


def store_with(text: str, graphs=GRAPHS) -> Store:
    store = Store()
    for graph in graphs:
        store.extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples(text))
    return store


class CountingStore:
    """A store that counts the queries run on it (pyoxigraph's Store cannot be patched)."""

    def __init__(self, store: Store):
        self.store, self.queries = store, 0

    def query(self, *args, **kwargs):
        self.queries += 1
        return self.store.query(*args, **kwargs)


ONE_LABEL = triples("""
ex:Shape a sh:NodeShape ; sh:targetClass org:FormalOrganization ;
    sh:property [ sh:path skos:prefLabel ; sh:maxCount 1 ; sh:message "one name" ] .
""")


def test_a_triple_in_three_graphs_counts_once():
    # pyoxigraph's union default graph would match the label three times.
    store = store_with('cid:a a org:FormalOrganization ; skos:prefLabel "A"@en .')
    assert validate_store(store, ONE_LABEL) == []


def test_result_fields_in_n_triples_form_and_blank_shape_unnamed():
    store = store_with('cid:a a org:FormalOrganization ; skos:prefLabel "A"@en , "Ä"@de .')
    assert validate_store(store, ONE_LABEL) == [
        ShaclResult(
            focus="<https://w3id.org/castgraph/id/a>",
            path="<http://www.w3.org/2004/02/skos/core#prefLabel>",
            component=SH + "MaxCountConstraintComponent",
            severity=SH + "Violation",
            source_shape="",
            value="",
            message="one name",
        )
    ]


def test_data_graphs_limit_what_is_validated():
    store = store_with('cid:a a org:FormalOrganization ; skos:prefLabel "A"@en .')
    # A second English name, but only in a graph outside the validated ones.
    other = NamedNode("https://w3id.org/castgraph/graph/other")
    label = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    a = NamedNode("https://w3id.org/castgraph/id/a")
    store.add(Quad(a, label, Literal("B", language="en"), other))
    assert validate_store(store, ONE_LABEL, data_graphs=GRAPHS) == []
    foci = {r.focus for r in validate_store(store, ONE_LABEL)}
    assert foci == {"<https://w3id.org/castgraph/id/a>"}


def test_a_constraint_with_service_is_refused_before_it_runs():
    shapes = triples('''
ex:Shape a sh:NodeShape ; sh:targetClass org:FormalOrganization ;
    sh:sparql [ sh:select """SELECT $this WHERE { SERVICE <http://127.0.0.1:9/> { $this ?p ?o } }""" ] .
''')
    counting = CountingStore(store_with("cid:a a org:FormalOrganization ."))
    with pytest.raises(ShapesError, match="SERVICE"):
        validate_store(counting, shapes)
    assert counting.queries == 0


def test_the_hierarchy_cycle_check_is_one_query_whatever_the_number_of_organizations():
    shapes = list(parse(path=str(SHAPES_DIR / "organization.ttl"), format=RdfFormat.TURTLE))

    def queries_for(count: int) -> tuple[int, set[str]]:
        lines = [
            f'cid:o{i} a org:FormalOrganization ; skos:prefLabel "O{i}"@en , "组{i}"@zh ; '
            f"org:subOrganizationOf cid:o{(i + 1) % count} ."
            for i in range(count)
        ]
        counting = CountingStore(store_with("\n".join(lines), graphs=GRAPHS[:1]))
        results = validate_store(counting, shapes)
        return counting.queries, {r.focus for r in results if "SPARQL" in r.component}

    few, cycle_of_3 = queries_for(3)
    many, cycle_of_300 = queries_for(300)
    assert few == many
    assert len(cycle_of_3) == 3
    assert len(cycle_of_300) == 300


def test_qualified_counts_in_sparql_agree_with_pyshacl():
    """sh:qualifiedValueShape over a one-value shape is counted in SPARQL (min, max, > 1)."""
    import pyshacl
    import rdflib

    shapes_text = (
        PREFIXES
        + """
ex:Shape a sh:NodeShape ; sh:targetClass org:FormalOrganization ;
    sh:property [ sh:path skos:prefLabel ; sh:qualifiedValueShape [ sh:languageIn ( "en" ) ] ;
                  sh:qualifiedMinCount 2 ; sh:qualifiedMaxCount 2 ] ,
                [ sh:path skos:prefLabel ; sh:qualifiedValueShape [ sh:datatype xsd:string ] ;
                  sh:qualifiedMaxCount 0 ] .
"""
    )
    data_text = (
        PREFIXES
        + """
cid:none a org:FormalOrganization .
cid:one a org:FormalOrganization ; skos:prefLabel "A"@en , "甲"@zh .
cid:two a org:FormalOrganization ; skos:prefLabel "A"@en , "B"@en-GB .
cid:three a org:FormalOrganization ; skos:prefLabel "A"@en , "B"@en , "C"@en , "plain" .
"""
    )
    shapes_text = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + shapes_text
    store = Store()
    store.extend(
        Quad(t.subject, t.predicate, t.object, GRAPHS[0])
        for t in parse(data_text.encode(), format=RdfFormat.TURTLE)
    )
    shapes = list(parse(shapes_text.encode(), format=RdfFormat.TURTLE))
    ours = {(r.focus, r.component.removeprefix(SH)) for r in validate_store(store, shapes)}
    _, report, _ = pyshacl.validate(
        rdflib.Graph().parse(data=data_text, format="turtle"),
        shacl_graph=rdflib.Graph().parse(data=shapes_text, format="turtle"),
        inference="none",
    )
    sh_ = rdflib.Namespace(SH)
    reference = {
        (
            f"<{report.value(r, sh_.focusNode)}>",
            report.value(r, sh_.sourceConstraintComponent).removeprefix(SH),
        )
        for r in report.subjects(rdflib.RDF.type, sh_.ValidationResult)
    }
    assert ours == reference
    cid = "<https://w3id.org/castgraph/id/{}>".format
    assert ours == {
        (cid("none"), "QualifiedMinCountConstraintComponent"),
        (cid("one"), "QualifiedMinCountConstraintComponent"),
        (cid("three"), "QualifiedMaxCountConstraintComponent"),
    }
