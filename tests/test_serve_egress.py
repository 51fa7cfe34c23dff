"""The endpoint never reaches the network: every SERVICE / FROM / LOAD variant of the CLI's egress
tests, sent to `castgraph serve`, is refused with 400 and a real HTTP listener on 127.0.0.1,
named in the query, sees 0 requests."""

from __future__ import annotations

import httpx
import pytest

from serve_support import running_server
from test_service_egress import VARIANTS, listener  # the same canary and the same variants

pytestmark = pytest.mark.server
__all__ = ["listener"]


@pytest.fixture(scope="module")
def client(built_dist):
    with running_server(built_dist) as served, httpx.Client(base_url=served.base) as client:
        yield client


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_variant_is_refused_without_a_request(name, client, listener):
    url, requests = listener
    text = VARIANTS[name].replace("{url}", url)
    before = len(requests)
    for response in (
        client.get("/sparql", params={"query": text}),
        client.post("/sparql", data={"query": text}),
        client.post("/sparql", content=text, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 400, (name, response.text)
        assert "REMOTE" not in response.text
        assert "refused" in response.text or "expected" in response.text, response.text
    assert len(requests) == before, requests[before:]


def test_dataset_parameters_never_fetch(client, listener):
    url, requests = listener
    before = len(requests)
    for parameter in ("default-graph-uri", "named-graph-uri"):
        response = client.get(
            "/sparql", params={"query": "ASK { ?s ?p ?o }", parameter: f"{url}/data.ttl"}
        )
        assert response.status_code == 400
        assert "nothing is fetched" in response.text
    assert client.get("/store", params={"graph": f"{url}/data.ttl"}).status_code == 404
    assert len(requests) == before
