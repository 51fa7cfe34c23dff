"""A real Oxigraph server (the `oxigraph` package) stands in for a remote triple store.

The built dataset is uploaded over the SPARQL 1.1 Graph Store protocol as N-Quads and read back
through the server's own SPARQL endpoint: an engine and parser the project does not embed must
see the same quads, the same named graphs and the same answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from oxigraph_support import Server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("oxigraph-store"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_upload_and_read_back_through_a_real_server(server, built_dist):
    nquads = (built_dist / "castgraph.nq").read_bytes()
    local_quads = [line for line in nquads.decode("utf-8").splitlines() if line.strip()]
    upload = httpx.post(
        f"{server.base}/store",
        content=nquads,
        headers={"Content-Type": "application/n-quads"},
        timeout=60,
    )
    assert upload.status_code in (200, 201, 204), upload.text

    count = server.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(count[0]["n"]["value"]) == len(local_quads)

    graphs = server.sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    local_graphs = sorted({line.rsplit(" ", 2)[-2] for line in local_quads})
    assert sorted(f"<{b['g']['value']}>" for b in graphs) == local_graphs

    in_default = server.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(in_default[0]["n"]["value"]) == 0  # every triple lies in a named graph

    heads = server.sparql(
        """PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?name WHERE { GRAPH <https://w3id.org/castgraph/graph/004> {
          ?post org:postIn <https://w3id.org/castgraph/id/hq-international-affairs> ;
                org:role <https://w3id.org/castgraph/concept/director-general> ; org:heldBy/foaf:name ?name } }""",
    )
    assert [b["name"]["value"] for b in heads] == ["Zhang Jiansheng"]
