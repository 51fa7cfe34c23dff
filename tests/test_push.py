"""`castgraph push` against a real Oxigraph server (PyPI `oxigraph`) on loopback.

The server is started, killed in the middle of a push and started again on the same store: the
interrupted push fails with one clear line (exit 4) and running it again converges (exit 0).
"""

from __future__ import annotations

import time

import httpx
import pytest

from oxigraph_support import Server

pytestmark = pytest.mark.server


@pytest.fixture
def server(tmp_path):
    server = Server(tmp_path / "oxigraph")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def local_counts(built_dist) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in (built_dist / "castgraph.nq").read_text(encoding="utf-8").splitlines():
        graph = line.rsplit(" ", 2)[-2][1:-1]
        counts[graph] = counts.get(graph, 0) + 1
    return counts


def test_push_replaces_remote_graphs_and_verifies(cli, server, built_dist, local_counts):
    # a graph we do not have, and one of ours with a stray statement: both must go
    stray = "<https://example.org/s> <https://example.org/p> <https://example.org/o> "
    body = (stray + "<https://example.org/other-graph> .\n").encode()
    body += (stray + "<https://w3id.org/castgraph/graph/registry> .\n").encode()
    httpx.post(
        f"{server.base}/store", content=body, headers={"Content-Type": "application/n-quads"}
    ).raise_for_status()

    started = time.perf_counter()
    result = cli("push", f"{server.base}/store", "--dist-dir", built_dist)
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert "verified (triple counts match)" in result.stdout
    assert f"{len(local_counts)}/{len(local_counts)} graphs sent" in result.stderr
    assert server.counts() == local_counts
    assert seconds < 5, f"push took {seconds:.1f} s (target 5 s)"
    # the remote dataset is ours, statement for statement (read back as N-Quads)
    from pyoxigraph import RdfFormat, parse

    dump = httpx.get(f"{server.base}/store", headers={"Accept": "application/n-quads"}, timeout=30)
    dump.raise_for_status()
    remote = {str(q) for q in parse(dump.content, format=RdfFormat.N_QUADS)}
    local = {str(q) for q in parse(path=str(built_dist / "castgraph.nq"), format=RdfFormat.N_QUADS)}
    assert remote == local
    # the remote answers a query the way the local store does
    heads = server.sparql(
        """PREFIX org: <http://www.w3.org/ns/org#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?name WHERE { GRAPH ?g {
          ?post org:postIn <https://w3id.org/castgraph/id/hq-international-affairs> ;
                org:heldBy/foaf:name ?name } } ORDER BY ?name"""
    )
    assert "Zhang Jiansheng" in {b["name"]["value"] for b in heads}


def test_merge_keeps_remote_statements(cli, server, built_dist, local_counts):
    stray = (
        "<https://example.org/s> <https://example.org/p> <https://example.org/o> "
        "<https://w3id.org/castgraph/graph/registry> .\n"
    )
    httpx.post(
        f"{server.base}/store",
        content=stray.encode(),
        headers={"Content-Type": "application/n-quads"},
    ).raise_for_status()
    result = cli("push", f"{server.base}/store", "--merge", "--dist-dir", built_dist)
    assert result.exit_code == 0, result.stderr
    registry = "https://w3id.org/castgraph/graph/registry"
    assert server.counts()[registry] == local_counts[registry] + 1


def test_divergence_names_the_graph(server, built_dist):
    """A remote that loses statements after the upload is caught by the count check (exit 1)."""
    from castgraph.dataset.store import open_dataset
    from castgraph.publish.push import Remote, describe_divergence, push_dataset

    class Lossy(Remote):  # a real remote that loses a graph's statements after the upload
        def counts(self):
            httpx.delete(
                self.graph_url("https://w3id.org/castgraph/graph/registry")
            ).raise_for_status()
            return super().counts()

    remote = Lossy(f"{server.base}/store", f"{server.base}/query", retries=0)
    result = push_dataset(open_dataset(built_dist), remote)
    remote.close()
    assert not result.matches
    message = describe_divergence(result)
    assert "1 graphs" in message
    assert "<https://w3id.org/castgraph/graph/registry>" in message
    assert "remote none" in message
    assert "\n" not in message


def test_server_going_away_mid_push_then_rerun_converges(cli, server, built_dist, local_counts):
    from castgraph.dataset.store import open_dataset
    from castgraph.errors import EXIT_ENVIRONMENT
    from castgraph.publish.push import Remote, Unreachable, push_dataset

    remote = Remote(f"{server.base}/store", f"{server.base}/query", retries=2, backoff=0.05)

    def kill_after(index: int) -> None:
        if index == 40:
            server.stop()

    with pytest.raises(Unreachable) as caught:
        push_dataset(open_dataset(built_dist), remote, after_graph=kill_after)
    remote.close()
    message = str(caught.value)
    assert caught.value.exit_code == EXIT_ENVIRONMENT
    assert "cannot be reached after 3 attempts" in message
    assert f"40 of {len(local_counts)} graphs were sent" in message
    assert "run the push again" in message
    assert "\n" not in message

    # the same through the command: one line, exit 4, quickly (no retries asked for)
    result = cli("push", f"{server.base}/store", "--dist-dir", built_dist, "--retries", "0")
    assert result.exit_code == 4
    assert result.stderr.strip().splitlines()[-1].startswith("push: http://127.0.0.1:")

    server.start()  # the same store folder: it holds the graphs sent before the crash
    assert 0 < len(server.counts()) < len(local_counts)
    result = cli("push", f"{server.base}/store", "--dist-dir", built_dist)
    assert result.exit_code == 0, result.stderr
    assert server.counts() == local_counts


def test_connection_retries_reach_a_server_that_starts_late(tmp_path, built_dist, local_counts):
    """Connection refused at first; the retries (bounded backoff) find the server once it is up."""
    import threading

    from castgraph.dataset.store import open_dataset
    from castgraph.publish.push import Remote, push_dataset

    late = Server(tmp_path / "late")
    starter = threading.Timer(0.3, late.start)
    starter.start()
    try:
        remote = Remote(f"{late.base}/store", f"{late.base}/query", retries=6, backoff=0.1)
        result = push_dataset(open_dataset(built_dist), remote)
        remote.close()
        assert result.matches
        assert late.counts() == local_counts
    finally:
        starter.join()
        late.stop()


def test_credentials_never_on_the_command_line(cli, built_dist, tmp_path, monkeypatch):
    result = cli("push", "http://user:secret@127.0.0.1:9/store", "--dist-dir", built_dist)
    assert result.exit_code == 3
    assert "credentials in the URL are refused" in result.stderr
    assert "secret" not in result.stderr
    result = cli("push", "http://127.0.0.1:9/elsewhere", "--dist-dir", built_dist)
    assert result.exit_code == 2
    assert "--query-url" in result.stderr

    from castgraph.publish.push import credentials

    auth, headers = credentials({"CASTGRAPH_PUSH_TOKEN": "t0k"})
    assert headers == {"Authorization": "Bearer t0k"}
    auth, headers = credentials({"CASTGRAPH_PUSH_USER": "u", "CASTGRAPH_PUSH_PASSWORD": "p"})
    assert type(auth).__name__ == "BasicAuth"
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login u password p\n")
    netrc.chmod(0o600)
    auth, headers = credentials({"NETRC": str(netrc)})
    assert type(auth).__name__ == "NetRCAuth"


def test_statements_outside_named_graphs_are_refused(cli, tmp_path):
    data = tmp_path / "plain.ttl"
    data.write_text("<https://example.org/s> <https://example.org/p> 1 .\n", encoding="utf-8")
    result = cli("push", "http://127.0.0.1:9/store", "--dataset", data, "--retries", "0")
    assert result.exit_code == 3
    assert "has statements outside any named graph" in result.stderr


def test_5xx_answers_are_retried_then_the_push_completes(server, built_dist, local_counts):
    """A real proxy in front of the real server answers 503 to every third request at first."""
    import http.server
    import threading

    from castgraph.dataset.store import open_dataset
    from castgraph.publish.push import Remote, push_dataset

    seen = {"requests": 0, "refused": 0}
    upstream = httpx.Client(timeout=30)  # one client: making one per request costs ~0.1 s

    class Flaky(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _relay(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            seen["requests"] += 1
            if seen["requests"] % 3 == 1 and seen["refused"] < 20:
                seen["refused"] += 1
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers = {
                k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")
            }
            answer = upstream.request(
                self.command, server.base + self.path, content=body, headers=headers
            )
            self.send_response(answer.status_code)
            self.send_header("Content-Type", answer.headers.get("content-type", "text/plain"))
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PUT = do_DELETE = _relay

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{proxy.server_address[1]}"
    try:
        remote = Remote(f"{base}/store", f"{base}/query", retries=2, backoff=0.01)
        result = push_dataset(open_dataset(built_dist), remote)
        remote.close()
    finally:
        proxy.shutdown()
        proxy.server_close()
        upstream.close()
    assert seen["refused"] == 20
    assert result.matches
    assert server.counts() == local_counts
