"""No query reaches the network: every SERVICE / FROM / LOAD variant is refused (exit 3) and a
real HTTP listener on 127.0.0.1, named as the endpoint, sees 0 requests.

The listener answers every request with a SPARQL result holding one row, so a leak would also
show in the answer. The refusal is decided in the command's own process, before the query
process (which has no network where the kernel allows it) is started.
"""

from __future__ import annotations

import http.server
import threading

import pytest

from conftest import invoke


@pytest.fixture(scope="module")
def listener():
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            requests.append(f"{self.command} {self.path}")
            body = (
                b'{"head":{"vars":["x"]},"results":{"bindings":'
                b'[{"x":{"type":"literal","value":"REMOTE"}}]}}'
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("egress") / "tiny.nt"
    path.write_text(
        '<http://e/s> <http://e/p> "none" .\n'
        '<http://e/s> <http://e/p> "A\\" , " .\n'  # what the escaped-quote variants match
        '<http://e/s> <http://e/p> " , \\"x" .\n'
        '<http://e/s> <http://e/p> "A\' , " .\n'
        '<http://e/s> <http://e/p> " , \'x" .\n',
        encoding="utf-8",
    )
    return path


S = "SERVICE <{url}/sparql> { ?x ?y ?z }"
VARIANTS = {
    "issue 12 bypass": 'SELECT ?x WHERE { OPTIONAL { ?q cid:p"a b" } SERVICE <{url}/sparql> {?x ?y ?z} FILTER(?x != "none") }',
    "plain": "SELECT * WHERE { " + S + " }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{url}/s> { ?x ?y ?z } }",
    "lower case": "select * where { service <{url}/s> { ?x ?y ?z } }",
    "unicode escape": r"SELECT * WHERE { \u0053ERVICE <{url}/s> { ?x ?y ?z } }",
    "in OPTIONAL": "SELECT * WHERE { ?s ?p ?o OPTIONAL { " + S + " } }",
    "in a subquery": "SELECT * WHERE { { SELECT ?x WHERE { " + S + " } } }",
    "in EXISTS": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { " + S + " } }",
    "in NOT EXISTS": "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { " + S + " } }",
    "in BIND(EXISTS)": "SELECT * WHERE { ?s ?p ?o BIND(EXISTS { " + S + " } AS ?b) }",
    "in MINUS": "SELECT * WHERE { ?s ?p ?o MINUS { " + S + " } }",
    "in UNION": "SELECT * WHERE { { ?s ?p ?o } UNION { " + S + " } }",
    "in GRAPH": "SELECT * WHERE { GRAPH ?g { " + S + " } }",
    "nested groups": "SELECT * WHERE { { { { { " + S + " } } } } }",
    "endpoint variable with VALUES": "SELECT * WHERE { VALUES ?e { <{url}/s> } SERVICE ?e { ?x ?y ?z } }",
    "endpoint prefixed name": "PREFIX e: <{url}/> SELECT * WHERE { SERVICE e:sparql { ?x ?y ?z } }",
    "comment before the IRI": "SELECT * WHERE { SERVICE # }\n <{url}/s> { ?x ?y ?z } }",
    "string with a brace before": 'SELECT * WHERE { ?s ?p "}" . ' + S + " }",
    "ASK": "ASK { " + S + " }",
    "CONSTRUCT": "CONSTRUCT { ?x ?y ?z } WHERE { " + S + " }",
    "DESCRIBE": "DESCRIBE ?x WHERE { " + S + " }",
    "FROM": "SELECT * FROM <{url}/data.ttl> WHERE { ?s ?p ?o }",
    "FROM NAMED": "SELECT * FROM NAMED <{url}/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "LOAD": "LOAD <{url}/data.ttl>",
    "LOAD into a graph": "LOAD SILENT <{url}/data.ttl> INTO GRAPH <http://e/g>",
    "update with SERVICE": "INSERT { ?x ?y ?z } WHERE { " + S + " }",
    # rdflib expands \\u escapes before parsing, pyoxigraph only inside strings: an escaped
    # quote ends a string for rdflib only, hiding SERVICE inside a string (found in this work)
    "escaped double quotes hide SERVICE from rdflib": (
        'SELECT * WHERE { ?s ?p "A\\u0022 , " . ' + S + ' . ?s ?p " , \\u0022x" }'
    ),
    "long escaped double quotes": (
        'SELECT * WHERE { ?s ?p "A\\U00000022 , " . ' + S + ' . ?s ?p " , \\U00000022x" }'
    ),
    "escaped single quotes": (
        "SELECT * WHERE { ?s ?p 'A\\u0027 , ' . " + S + " . ?s ?p ' , \\u0027x' }"
    ),
}


@pytest.mark.parametrize("how", ["-e", "--file", "stdin"])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_variant_is_refused_without_a_request(name, how, listener, tiny, tmp_path):
    url, requests = listener
    text = VARIANTS[name].replace("{url}", url)
    before = len(requests)
    if how == "-e":
        result = invoke("query", "-e", text, "--dataset", tiny)
    elif how == "--file":
        path = tmp_path / "q.rq"
        path.write_text(text, encoding="utf-8")
        result = invoke("query", "--file", path, "--dataset", tiny)
    else:
        result = invoke("query", "--file", "-", "--dataset", tiny, input=text)
    assert result.exit_code == 3, (result.exit_code, result.stdout, result.stderr)
    assert "REMOTE" not in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "refused" in result.stderr or "expected" in result.stderr, result.stderr
    assert len(requests) == before, requests[before:]


def test_the_listener_really_answers(listener):
    """The canary works: a direct request is seen (so 0 above means 0)."""
    import urllib.request

    url, requests = listener
    before = len(requests)
    with urllib.request.urlopen(f"{url}/sparql", timeout=5) as response:
        assert b"REMOTE" in response.read()
    assert len(requests) == before + 1
