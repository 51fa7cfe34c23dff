"""A real Oxigraph server (the `oxigraph` package) stands in for a remote triple store.

The built dataset is uploaded over the SPARQL 1.1 Graph Store protocol as N-Quads and read back
through the server's own SPARQL endpoint: an engine and parser the project does not embed must
see the same quads, the same named graphs and the same answers.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    binary = OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server (PyPI package `oxigraph`) is not installed")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-store")
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"oxigraph server did not start: {process.stderr.read()!r}"
                    ) from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def sparql(base: str, query: str) -> list[dict]:
    response = httpx.post(
        f"{base}/query",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["results"]["bindings"]


def test_upload_and_read_back_through_a_real_server(server, built_dist):
    nquads = (built_dist / "castgraph.nq").read_bytes()
    local_quads = [line for line in nquads.decode("utf-8").splitlines() if line.strip()]
    upload = httpx.post(
        f"{server}/store",
        content=nquads,
        headers={"Content-Type": "application/n-quads"},
        timeout=60,
    )
    assert upload.status_code in (200, 201, 204), upload.text

    count = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(count[0]["n"]["value"]) == len(local_quads)

    graphs = sparql(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    local_graphs = sorted({line.rsplit(" ", 2)[-2] for line in local_quads})
    assert sorted(f"<{b['g']['value']}>" for b in graphs) == local_graphs

    in_default = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(in_default[0]["n"]["value"]) == 0  # every triple lies in a named graph

    heads = sparql(
        server,
        """PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?name WHERE { GRAPH <https://w3id.org/castgraph/graph/004> {
          ?post org:postIn <https://w3id.org/castgraph/id/hq-international-affairs> ;
                org:role <https://w3id.org/castgraph/concept/director-general> ; org:heldBy/foaf:name ?name } }""",
    )
    assert [b["name"]["value"] for b in heads] == ["Zhang Jiansheng"]
