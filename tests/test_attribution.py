"""Attribution: a statement sits in a source's graph only if that source states all of it.

Rows name one source each, so nothing a source does not state reaches its graph: the discipline
groups of the January 2018 society list (S01) stay in S01's graph, editors' notes are ours and
sit in the curation graph, and a relation says no more than its source.
"""

from __future__ import annotations

import pytest

from castgraph.dataset.engine import select


@pytest.fixture(scope="module")
def rows(store):
    def run(query: str) -> list[dict[str, str | None]]:
        solutions = select(store, query, union=False)
        names = [v.value for v in solutions.variables]
        return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in solutions]

    return run


def test_discipline_groups_of_societies_are_only_in_the_2018_list(rows):
    graphs = rows("""
        SELECT DISTINCT ?g WHERE {
          GRAPH graph:vocabulary { ?group skos:inScheme scheme:discipline-group }
          GRAPH ?g { ?society org:classification ?group } }""")
    assert {r["g"].rsplit("/", 1)[-1] for r in graphs} == {"s01"}


def test_the_2012_2022_review_does_not_class_the_architectural_society(rows):
    """003 names the Architectural Society of China (中国建筑学会, S01's B-42); it gives no group."""
    stated = rows("""SELECT ?p WHERE { GRAPH graph:003 { cid:society-b42 ?p ?o } }""")
    assert stated, "003's graph says something about the society"
    found = rows("""
        SELECT ?kind WHERE { GRAPH graph:003 { cid:society-b42 org:classification ?kind } }""")
    assert found == []


def test_editors_notes_are_in_the_curation_graph_only(rows):
    found = rows("""
        SELECT DISTINCT ?g WHERE { GRAPH ?g { ?node skos:editorialNote ?note } }""")
    assert [r["g"].rsplit("/", 1)[-1] for r in found] == ["curation"]


def test_a_note_about_march_2024_is_not_in_the_encyclopedia_graph(rows):
    found = rows("""
        SELECT ?note WHERE { GRAPH graph:002 { cid:membership-cast-cppcc ?p ?note .
                             FILTER(isLiteral(?note)) } }""")
    assert all("2024" not in r["note"] for r in found)


def test_the_executive_secretariat_is_not_one_of_the_2007_departments(rows):
    units = rows("""
        SELECT ?unit WHERE { GRAPH graph:004 { ?unit org:unitOf cid:cast } } ORDER BY ?unit""")
    slugs = [r["unit"].rsplit("/", 1)[-1] for r in units]
    assert "cast-executive-secretariat" not in slugs
    assert len(slugs) == 8  # seven departments and the office of the 2007 page
    mentioned = rows("""
        SELECT ?p WHERE { GRAPH graph:004 { cid:cast-executive-secretariat ?p cid:cast } }""")
    assert [r["p"] for r in mentioned] == ["http://www.w3.org/ns/org#linkedTo"]


def test_science_and_technology_review_is_what_002_calls_it(rows):
    found = rows("""
        SELECT ?p WHERE { GRAPH graph:002 { cid:science-and-technology-review ?p cid:cast } }""")
    assert [r["p"] for r in found] == ["https://w3id.org/castgraph/def#officialJournalOf"]


def test_a_tenure_told_by_two_sources_keeps_each_sources_part(rows):
    """S10 (Xinhua, May 2006) gives the election; S03 (the 2006 site) shows her in the post."""
    found = rows("""
        SELECT ?g ?start ?asOf WHERE { GRAPH ?g {
          cid:tenure-deng-nan-first-secretary a cast:Tenure .
          OPTIONAL { cid:tenure-deng-nan-first-secretary schema:startDate ?start }
          OPTIONAL { cid:tenure-deng-nan-first-secretary cast:asOf ?asOf } } } ORDER BY ?g""")
    by_graph = {r["g"].rsplit("/", 1)[-1]: (r["start"], r["asOf"]) for r in found}
    assert by_graph == {"s03": (None, "2006"), "s10": ("2006-05", None)}
