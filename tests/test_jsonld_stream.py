"""The streaming flat JSON-LD writer gives pyld's bytes, and the default export parses anywhere.

``castgraph.export.jsonld_stream.write_flat`` compacts against our context with its own code; pyld's
``flat_document`` (from_rdf + compact, then ``_canonical``) is the reference, byte for byte, on
the curated graph, on the fixture (its golden file) and on random datasets. Where pyld itself
is wrong, a named test says so and checks ours.
"""

from __future__ import annotations

import io
import json

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, parse
from rdflib.compare import isomorphic

from castgraph.export import jsonld, jsonld_read, jsonld_stream, jsonld_terms
from castgraph.export.formats import export_bytes
from conftest import REPO_DIR
from test_roundtrip import exact_literals, explain, fixture_dataset, normalized

GOLDEN = REPO_DIR / "tests" / "golden" / "castgraph.jsonld"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"


def ours(quads, inline_context: bool = False) -> bytes:
    buffer = io.BytesIO()
    jsonld_stream.write_flat(quads, buffer, inline_context=inline_context)
    return buffer.getvalue()


def pylds(quads, inline_context: bool = False) -> bytes:
    return jsonld.dumps(jsonld.flat_document(quads, inline_context=inline_context))


def sort_key(quad: Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def assert_same(quads, inline_context: bool = False) -> None:
    quads = sorted(set(quads), key=sort_key)
    expected = pylds(quads, inline_context)
    got = ours(quads, inline_context)
    assert got.decode().splitlines() == expected.decode().splitlines()
    assert got == expected


# ----------------------------------------------------------------------------------------------
# The curated graph and the fixture


@pytest.mark.parametrize("inline_context", [False, True])
def test_the_curated_graph_gives_pyld_bytes(dataset, inline_context):
    assert ours(dataset.quads, inline_context) == pylds(dataset.quads, inline_context)


def test_the_fixture_gives_the_golden_file():
    assert ours(fixture_dataset().quads, inline_context=True) == GOLDEN.read_bytes()
    assert export_bytes(fixture_dataset().quads, "jsonld") == GOLDEN.read_bytes()


def test_sorted_runs_spilled_to_disk_give_the_same_bytes(dataset, monkeypatch):
    whole = ours(dataset.quads)
    monkeypatch.setattr(jsonld_stream, "_SPILL_CHARS", 2000)
    assert ours(dataset.quads) == whole


def test_unsorted_quads_are_refused_by_the_writer_and_sorted_by_flat_bytes(dataset):
    shuffled = list(reversed(dataset.quads))
    with pytest.raises(jsonld_stream.UnsortedQuads):
        ours(shuffled)
    assert jsonld_stream.flat_bytes(shuffled) == ours(dataset.quads)


def test_no_quads_is_an_empty_graph_list():
    assert_same([])
    assert_same([], inline_context=True)


# ----------------------------------------------------------------------------------------------
# Random datasets against pyld

NAMESPACES = [
    "https://w3id.org/castgraph/id/",
    "https://w3id.org/castgraph/def#",
    "https://w3id.org/castgraph/concept/",
    "https://w3id.org/castgraph/graph/",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2004/02/skos/core#",
    "https://schema.org/",
    "http://www.w3.org/2001/XMLSchema#",
    "http://example.org/",
    "http://example.org/a/b#",
    "urn:x:",
]
LOCAL = st.text(alphabet="ab01-_./", max_size=4)
IRI = st.builds(lambda ns, local: ns + local, st.sampled_from(NAMESPACES), LOCAL)


def _context_iris() -> list[str]:
    context = jsonld_terms.context()
    return sorted({m["@id"] for m in context.mappings.values() if not m["@id"].startswith("@")})


PREDICATE = st.one_of(st.sampled_from(_context_iris()), IRI, st.just(RDF_TYPE)).map(NamedNode)
NODE = st.one_of(IRI.map(NamedNode), st.sampled_from(["b0", "b1", "x"]).map(BlankNode))
LANGUAGE = st.sampled_from(["en", "zh-Hans", "zh-hant-tw", "en-GB", "zh-Latn-pinyin", "fr"])
TEXT = st.text(
    alphabet=st.sampled_from(["a", "Z", '"', "\\", "\n", "\t", "\x01", "é", "中", "😀", " ", "/"]),
    max_size=5,
)
INTEGER = st.sampled_from(
    [
        "0",
        "1",
        "2",
        "-17",
        "007",
        "+5",
        "-0",
        "9007199254740991",
        "9007199254740992",
        "-9007199254740993",
        "123456789012345678901234567890",
    ]
)
TYPED = st.one_of(
    st.builds(lambda v: Literal(v, datatype=NamedNode(XSD + "integer")), INTEGER),
    st.builds(
        lambda v: Literal(v, datatype=NamedNode(XSD + "boolean")),
        st.sampled_from(["true", "false", "1", "TRUE"]),
    ),
    st.builds(
        lambda v, t: Literal(v, datatype=NamedNode(XSD + t)),
        st.sampled_from(["2020", "2020-01-02", "47.10", "1e3"]),
        st.sampled_from(["date", "gYear", "gYearMonth", "decimal", "double", "string", "token"]),
    ),
    st.builds(lambda v, t: Literal(v, datatype=NamedNode(t)), TEXT, IRI),
)
OBJECT = st.one_of(
    NODE,
    st.builds(lambda v, lang: Literal(v, language=lang), TEXT, LANGUAGE),
    st.builds(Literal, TEXT),
    TYPED,
)
GRAPH = st.one_of(
    st.just(DefaultGraph()),
    st.sampled_from(["000", "s02", "s02-x"]).map(
        lambda n: NamedNode("https://w3id.org/castgraph/graph/" + n)
    ),
    st.just(NamedNode("http://example.org/g")),
    st.just(BlankNode("g")),
)
SUBJECT = st.one_of(
    NODE,
    st.sampled_from(["000", "s02"]).map(
        lambda n: NamedNode("https://w3id.org/castgraph/graph/" + n)
    ),
    st.just(BlankNode("g")),
)
QUADS = st.lists(st.builds(Quad, SUBJECT, PREDICATE, OBJECT, GRAPH), max_size=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(QUADS, st.booleans())
def test_random_datasets_give_pyld_bytes(quads, inline_context):
    assert_same(quads, inline_context)


# ----------------------------------------------------------------------------------------------
# Where pyld is wrong


def test_a_json_literal_keeps_its_exact_text_where_pyld_rewrites_it():
    """pyld parses an ``rdf:JSON`` literal into ``@json`` and reads it back re-serialized
    (``{"a":2,"b":1}``): another literal. Ours stays the typed string it was."""
    literal = Literal('{"b": 1,  "a": 2}', datatype=NamedNode(RDF + "JSON"))
    quads = [Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), literal)]
    assert set(jsonld_read.to_quads(pylds(quads))) != set(quads)
    node = json.loads(ours(quads))["@graph"][0]
    assert node["http://example.org/p"] == {"@value": literal.value, "@type": "rdf:JSON"}
    assert set(jsonld_read.to_quads(ours(quads))) == set(quads)
    assert set(parse(ours(quads, inline_context=True), format=RdfFormat.JSON_LD)) == set(quads)


def test_an_rdf_list_stays_the_statements_it_is():
    """pyld folds rdf:first/rdf:rest chains into ``@list``; ours keeps the nodes (castgraph
    writes no lists). Both read back to the same statements."""
    s, head = NamedNode("http://example.org/s"), BlankNode("l1")
    quads = sorted(
        [
            Quad(s, NamedNode("http://example.org/p"), head),
            Quad(head, NamedNode(RDF + "first"), Literal("a")),
            Quad(head, NamedNode(RDF + "rest"), NamedNode(RDF + "nil")),
        ],
        key=sort_key,
    )
    assert "@list" in pylds(quads).decode()
    nodes = json.loads(ours(quads))["@graph"]
    assert nodes[0] == {"id": "_:l1", "rdf:first": "a", "rdf:rest": {"id": "rdf:nil"}}
    assert len(jsonld_read.to_quads(ours(quads))) == len(jsonld_read.to_quads(pylds(quads))) == 3


def test_an_iri_that_reads_as_a_compact_iri_is_refused_like_pyld_does():
    quad = Quad(NamedNode("cid:x"), NamedNode("http://example.org/p"), Literal("v"), DefaultGraph())
    with pytest.raises(ValueError, match="confused"):
        ours([quad])
    with pytest.raises(Exception, match="confused"):
        pylds([quad])


# ----------------------------------------------------------------------------------------------
# Part 7 of issue 11: the default export parses anywhere, offline


def test_the_default_export_is_read_offline_by_pyoxigraph_and_rdflib(dataset):
    data = export_bytes(dataset.quads, "jsonld")
    assert json.loads(data)["@context"] == jsonld.context_document()["@context"]

    by_pyoxigraph = set(parse(data, format=RdfFormat.JSON_LD))
    assert by_pyoxigraph == set(dataset.quads)

    with exact_literals():  # rdflib as it is, offline (tests block the network)
        by_rdflib = rdflib.Dataset()
        by_rdflib.parse(data=data, format="json-ld")  # no URL to fetch: the context is inline
        union = rdflib.Graph()
        for s, p, o, _g in by_rdflib.quads():
            union.add((s, p, o))
        turtle = rdflib.Graph().parse(data=export_bytes(dataset.quads, "turtle"), format="turtle")
        assert len(union) == len(turtle)
        assert isomorphic(normalized(union), normalized(turtle)), explain(
            normalized(turtle), normalized(union)
        )


def test_reference_context_writes_the_published_url(cli):
    from test_export import FROM_FIXTURE

    result = cli("export", *FROM_FIXTURE, "-f", "jsonld", "--reference-context")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["@context"] == jsonld.CONTEXT_URL
    default = cli("export", *FROM_FIXTURE, "-f", "jsonld")
    assert json.loads(default.stdout)["@context"] == jsonld.context_document()["@context"]
