"""`castgraph serve` as SPARQL clients see it: SPARQLWrapper and rdflib's SPARQLStore, and httpx
for the SPARQL 1.1 Protocol, the query library, the read-only Graph Store Protocol and
linked-data content negotiation."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest

from serve_support import running_server

pytestmark = pytest.mark.server

CAST = "https://w3id.org/castgraph/id/cast"
ASK = "ASK { <https://w3id.org/castgraph/id/cast> ?p ?o }"
SELECT = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?name WHERE { <https://w3id.org/castgraph/id/cast> skos:prefLabel ?name } ORDER BY ?name"
)


@pytest.fixture(scope="module")
def server(built_dist):
    with running_server(built_dist, "--timeout", "3", "--workers", "2") as served:
        yield served


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.base, timeout=30) as client:
        yield client


# --- SPARQL 1.1 Protocol --------------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_answer(client):
    get = client.get("/sparql", params={"query": SELECT})
    form = client.post("/sparql", data={"query": SELECT})
    direct = client.post(
        "/sparql", content=SELECT, headers={"Content-Type": "application/sparql-query"}
    )
    assert get.status_code == form.status_code == direct.status_code == 200
    assert get.headers["content-type"].startswith("application/sparql-results+json")
    assert get.json() == form.json() == direct.json()
    names = {b["name"]["value"] for b in get.json()["results"]["bindings"]}
    assert "China Association for Science and Technology" in names
    assert "中国科学技术协会" in names


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_select_results_by_accept(client, accept, media):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert response.headers["vary"] == "Accept"
    assert "中国科学技术协会" in response.text


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
    ],
)
def test_construct_by_accept(client, accept, media):
    query = f"CONSTRUCT {{ <{CAST}> ?p ?o }} WHERE {{ <{CAST}> ?p ?o }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    import rdflib

    graph = rdflib.Graph().parse(
        data=response.text,
        format={"text/turtle": "turtle", "application/n-triples": "nt"}.get(media, "json-ld"),
    )
    assert (rdflib.URIRef(CAST), None, None) in graph


def test_unsupported_accept_is_406_listing_the_types(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_format_parameter_overrides_accept(client):
    response = client.get("/sparql", params={"query": SELECT, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")


def test_default_and_named_graph_uri(client):
    graph = "https://w3id.org/castgraph/graph/000"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    one = client.get("/sparql", params={"query": count, "default-graph-uri": graph})
    union = client.get("/sparql", params={"query": count})
    n_one = int(one.json()["results"]["bindings"][0]["n"]["value"])
    n_union = int(union.json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < n_one < n_union
    named = client.get(
        "/sparql",
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": graph,
        },
    )
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [graph]
    unknown = client.get(
        "/sparql", params={"query": count, "default-graph-uri": "http://example.org/elsewhere"}
    )
    assert unknown.status_code == 400
    assert "no such graph" in unknown.text


def test_service_description_without_a_query(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "sd:Service" in response.text
    assert "sd:UnionDefaultGraph" in response.text
    assert "graph/registry" in response.text


def test_ask_and_cors_for_get(client):
    for _ in range(2):  # the second answer comes from the front cache
        response = client.get("/sparql", params={"query": ASK}, headers={"Origin": "http://x.test"})
        assert response.json()["boolean"] is True
        assert "x-castgraph-cacheable" not in response.headers
        assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


# --- the query library ----------------------------------------------------------------------


def test_queries_listing_has_headers_and_parameters(client):
    listing = {q["name"]: q for q in client.get("/queries").json()}
    who = listing["who-held-which-post-at-a-date"]
    assert who["summary"]
    assert [p["name"] for p in who["parameters"]] == ["date"]
    assert who["url"] == "/queries/who-held-which-post-at-a-date"


def test_library_query_binds_parameters_like_the_cli(client, cli, built_dist):
    response = client.get(
        "/queries/who-held-which-post-at-a-date",
        params={"date": "1985-01-01"},
        headers={"Accept": "text/csv"},
    )
    assert response.status_code == 200
    served = list(csv.reader(io.StringIO(response.text)))
    result = cli(
        "query",
        "who-held-which-post-at-a-date",
        "--param",
        "date=1985-01-01",
        "-f",
        "csv",
        "--dist-dir",
        str(built_dist),
    )
    assert served == list(csv.reader(io.StringIO(result.stdout)))
    assert any("Zhou Peiyuan" in row for row in served)


def test_library_query_errors(client):
    assert client.get("/queries/no-such-query").status_code == 404
    bad = client.get("/queries/who-held-which-post-at-a-date", params={"date": "1985-13-45"})
    assert bad.status_code == 400
    assert "date" in bad.text
    unknown = client.get("/queries/leaders-of-cast", params={"colour": "red"})
    assert unknown.status_code == 400
    assert "unknown parameter" in unknown.text


def test_library_query_from_one_source_graph(client, cli, built_dist):
    response = client.get("/queries/leaders-of-cast.csv", params={"graph": "s15"})
    assert response.status_code == 200
    result = cli(
        "query", "leaders-of-cast", "--graph", "s15", "-f", "csv", "--dist-dir", str(built_dist)
    )
    assert response.text.splitlines() == result.stdout.splitlines()
    assert len(response.text.splitlines()) < len(
        client.get("/queries/leaders-of-cast.csv").text.splitlines()
    )
    unknown = client.get("/queries/leaders-of-cast", params={"graph": "nope"})
    assert unknown.status_code == 400
    assert "no such graph" in unknown.text


def test_library_query_suffix(client):
    response = client.get("/queries/leaders-of-cast.tsv")
    assert response.headers["content-type"].startswith("text/tab-separated-values")


# --- Graph Store Protocol, read-only ---------------------------------------------------------


def test_graph_store_get(client):
    one = client.get(
        "/store",
        params={"graph": "https://w3id.org/castgraph/graph/000"},
        headers={"Accept": "application/n-triples"},
    )
    assert one.status_code == 200
    assert one.headers["content-type"].startswith("application/n-triples")
    assert f"<{CAST}>" in one.text
    default = client.get("/store?default", headers={"Accept": "text/turtle"})
    assert default.status_code == 200
    assert len(default.text) > len(one.text)
    assert client.get("/store", params={"graph": "http://example.org/x"}).status_code == 404
    assert client.put("/store?default", content=b"").status_code == 405
    assert client.delete("/store?default").status_code == 405


# --- linked data -------------------------------------------------------------------------------


def test_entity_negotiation_and_suffixes(client):
    html = client.get("/id/cast", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert html.headers["content-location"] == "/id/cast.html"
    assert "中国科学技术协会" in html.text
    turtle = client.get("/id/cast", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-location"] == "/id/cast.ttl"
    assert turtle.headers["vary"] == "Accept"
    for suffix, media in (
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("jsonld", "application/ld+json"),
        ("html", "text/html"),
    ):
        response = client.get(f"/id/cast.{suffix}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
    data = json.loads(client.get("/id/cast.jsonld").text)
    assert data["@context"] == "https://w3id.org/castgraph/context.jsonld"
    assert any(node.get("id") == "cid:cast" for node in data["@graph"])
    context = client.get("/context.jsonld")
    assert context.status_code == 200
    assert "@context" in context.json()
    assert client.get("/id/no-such-entity").status_code == 404
    assert client.get("/id/cast", headers={"Accept": "image/png"}).status_code == 406


def test_search_names_in_any_language_acronyms_and_people(client):
    def first(q):
        hits = client.get("/search", params={"q": q}, headers={"Accept": "application/json"})
        return [h["iri"] for h in hits.json()["hits"]]

    assert first("CAST")[0] == CAST
    assert first("中国科学技术协会")[0] == CAST
    assert first("china association for science")[0] == CAST
    assert "https://w3id.org/castgraph/id/person-huai-jinpeng" in first("huai jinpeng")
    assert "https://w3id.org/castgraph/id/person-huai-jinpeng" in first("怀进鹏")


def test_def_and_orgchart_pages(client):
    assert client.get("/def", follow_redirects=True).status_code == 200
    ontology = client.get("/def/ontology.html")
    assert ontology.status_code == 200
    assert "acronym" in ontology.text
    chart = client.get("/orgchart/chart", params={"as_of": "2008"})
    assert chart.status_code == 200
    assert "<!DOCTYPE html>" in chart.text
    assert client.get("/orgchart").status_code == 200
    query = client.get("/query")
    assert query.status_code == 200
    assert "default-src 'self'" in query.headers["content-security-policy"]
    assert client.get("/").status_code == 200


# --- standard clients ----------------------------------------------------------------------


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
