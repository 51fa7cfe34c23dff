"""Standard SPARQL clients against `castgraph serve`: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest

from serve_support import running_server

pytestmark = pytest.mark.server

CAST = "https://w3id.org/castgraph/id/cast"


@pytest.fixture(scope="module")
def server(built_dist):
    with running_server(built_dist) as served:
        yield served


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_ask_construct(server, method):
    from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

    sparql = SPARQLWrapper(server.base + "/sparql")
    if method == "POST":
        sparql.setMethod(POST)
    sparql.setQuery(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT ?name WHERE {{ <{CAST}> skos:prefLabel ?name }}"
    )
    sparql.setReturnFormat(JSON)
    names = {b["name"]["value"] for b in sparql.queryAndConvert()["results"]["bindings"]}
    assert "中国科学技术协会" in names

    sparql.setReturnFormat(XML)
    document = sparql.queryAndConvert()  # an xml.dom document
    assert "中国科学技术协会" in document.toxml()

    sparql.setQuery(f"ASK {{ <{CAST}> ?p ?o }}")
    sparql.setReturnFormat(JSON)
    assert sparql.queryAndConvert()["boolean"] is True

    sparql.setQuery(f"CONSTRUCT {{ <{CAST}> ?p ?o }} WHERE {{ <{CAST}> ?p ?o }}")
    sparql.setReturnFormat(TURTLE)
    data = sparql.queryAndConvert()
    assert b"China Association for Science and Technology" in data


def test_sparqlwrapper_refused_query_raises_a_client_error(server):
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sparql = SPARQLWrapper(server.base + "/sparql")
    sparql.setQuery("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    sparql.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        sparql.queryAndConvert()


def test_rdflib_sparqlstore(server):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.base + "/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(
        graph.query(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            f"SELECT ?name WHERE {{ <{CAST}> skos:prefLabel ?name }}"
        )
    )
    assert "中国科学技术协会" in {str(row[0]) for row in rows}
    cast = rdflib.URIRef(CAST)
    assert (cast, None, None) in graph  # triples() through the endpoint
    labels = list(graph.objects(cast, rdflib.URIRef("https://w3id.org/castgraph/def#acronym")))
    assert rdflib.Literal("CAST", lang="en") in labels
    assert len(store) > 10_000  # COUNT through the endpoint
