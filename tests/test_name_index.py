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
