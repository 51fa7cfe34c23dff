"""The build's name index narrows search-by-name and never changes its answer.

The index is a superset by construction: every entity with a name containing the text. The
query's own FILTER decides; these tests hold the narrowed answer equal to the plain one, and the
index to the names the query reads.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from castgraph.dataset import name_index
from castgraph.dataset.store import open_dataset
from castgraph.namespaces import expand_iri
from castgraph.query import library
from castgraph.query.results import render


@pytest.fixture(scope="module")
def built(built_dist):
    return open_dataset(built_dist)


@pytest.fixture(scope="module")
def names(built) -> list[str]:
    rows = built.query(
        "SELECT DISTINCT ?name WHERE { VALUES ?p { skos:prefLabel foaf:name } ?x ?p ?name } "
        "ORDER BY ?name"
    )
    return [row["name"].value for row in rows]


def _answers(built, text: str) -> tuple[bytes, bytes]:
    definition = library.by_name("search-by-name")
    narrowed = library.run(built.store, definition, {"name": text}, name_index=built.name_index)
    plain = library.run(built.store, definition, {"name": text})
    return render(narrowed, "csv"), render(plain, "csv")


@pytest.mark.parametrize(
    "text",
    ["popularization", "POPULARIZATION", "科学技术协会", "cast", "w3id", "castgraph/id", "-", "İ"],
)
def test_a_narrowed_search_answers_as_the_plain_one(built, text):
    narrowed, plain = _answers(built, text)
    assert narrowed == plain


def test_the_index_narrows_a_rare_text_to_its_entities(built):
    found = name_index.entities(*built.name_index, "popularization")
    assert found
    assert len(found) < 50
    assert "https://w3id.org/castgraph/id/cast" not in found  # only names are searched, not IRIs
    assert name_index.entities(*built.name_index, "castgraph/id") == []


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_part_of_any_name_answers_as_the_plain_search(built, names, data):
    name = data.draw(st.sampled_from(names))
    start = data.draw(st.integers(0, max(0, len(name) - 4)))
    end = data.draw(st.integers(min(start + 4, len(name)), len(name)))  # short ones match most
    text = data.draw(st.sampled_from([name[start:end], name[start:end].upper(), name]))
    narrowed, plain = _answers(built, text)
    assert narrowed == plain


def test_the_index_holds_every_property_the_query_searches():
    text = library.by_name("search-by-name").text
    values = re.search(r"VALUES \(\?property \?name_type\) \{(.*?)\}", text, re.S).group(1)
    searched = {expand_iri(curie) for curie in re.findall(r"\(([\w]+:[\w]+) ", values)}
    assert searched == set(name_index.NAME_PROPERTIES)


def test_the_index_holds_every_name_of_the_graph(built):
    lines = built.name_index[0].read_text(encoding="utf-8").splitlines()[1:]
    indexed = {tuple(line.split("\t")) for line in lines}
    rows = built.query(
        "SELECT DISTINCT ?x ?name WHERE { VALUES ?p { skos:prefLabel skos:altLabel cast:acronym "
        "cast:formerName foaf:name } ?x ?p ?name FILTER(isLiteral(?name)) }"
    )
    expected = {(row["name"].value.lower(), row["x"].value) for row in rows}
    assert expected
    assert expected == indexed


@pytest.mark.parametrize("text", ["", "a\tb", "line\nbreak"])
def test_a_text_the_index_cannot_hold_is_not_narrowed(built, text):
    assert name_index.entities(*built.name_index, text) is None


def test_an_index_of_another_build_is_not_used(built):
    path, _ = built.name_index
    assert name_index.entities(path, "f" * 64, "popularization") is None
    assert name_index.entities(path.with_name("missing.tsv"), built.name_index[1], "cast") is None


def test_too_many_entities_are_not_narrowed(built):
    assert name_index.entities(*built.name_index, "a", at_most=10) is None
    assert len(name_index.entities(*built.name_index, "a")) > 10


_NAME = sorted(name_index.NAME_PROPERTIES)
_OTHER = ["http://www.w3.org/2000/01/rdf-schema#comment", "https://w3id.org/castgraph/def#note"]
_tricky_text = st.lists(
    st.sampled_from(["a", "Z", " ", '"', "\\", "\n", "\t", "\r", "<", ">", "中", "İ"])
    | st.sampled_from([f' <{p}> "' for p in _NAME]),  # a name property inside a literal
    max_size=12,
).map("".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    statements=st.lists(
        st.tuples(
            st.integers(0, 5),
            st.sampled_from(_NAME + _OTHER),
            st.one_of(_tricky_text, st.integers(0, 3)),  # a literal, or an IRI object
        ),
        max_size=30,
    )
)
def test_the_index_file_holds_exactly_the_names_of_the_union(tmp_path, statements):
    """Written from the union's bytes, the index has a line for each name statement (a name
    property with a literal), in the union's order, with the name unescaped and lower-cased;
    a name property in a literal, or with an IRI object, adds nothing."""
    from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

    triples = sorted(
        {
            Triple(
                NamedNode(f"https://w3id.org/castgraph/id/e{s}"),
                NamedNode(p),
                Literal(o) if isinstance(o, str) else NamedNode(f"https://example.org/{o}"),
            )
            for s, p, o in statements
        },
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    union = tmp_path / "union.nt"
    union.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES) or b"")
    index = tmp_path / "names.tsv"
    with index.open("wb") as out:
        name_index.write(union, out, "0" * 64)
    unsafe = str.maketrans({"\t": "\0", "\n": "\0", "\r": "\0"})
    expected = [
        f"{t.object.value.lower().translate(unsafe)}\t{t.subject.value}\n"
        for t in triples
        if t.predicate.value in name_index.NAME_PROPERTIES and isinstance(t.object, Literal)
    ]
    header, *lines = index.read_bytes().decode().split("\n")
    assert header == f"{name_index.FORMAT.decode()}{'0' * 64}"
    assert [f"{line}\n" for line in lines[:-1]] == expected
    assert lines[-1] == ""
