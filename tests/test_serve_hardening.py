"""`castgraph serve` under hostile requests: refusals (every SERVICE / FROM / LOAD variant of the
CLI's egress tests, with a loopback canary that must see 0 requests), caps, the per-query
deadline that really stops the query, isolation of slow queries, no stack traces, the access
log, exit codes."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from serve_support import running_server, wait_for_idle_workers
from test_service_egress import VARIANTS, listener  # the CLI's canary and SERVICE variants

pytestmark = pytest.mark.server
__all__ = ["listener"]

# ~12,000 statements cubed: never finishes
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(built_dist):
    with running_server(
        built_dist, "--timeout", "2", "--workers", "2", "--max-answer-bytes", "200000"
    ) as served:
        yield served


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.base, timeout=30) as client:
        yield client


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.update(int(x) for x in text)
    return found


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
        (
            "SELECT * WHERE { OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } }",
            "SERVICE",
        ),
        ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD"),
        ("INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }", "Update"),
        ("DELETE WHERE { ?s ?p ?o }", "Update"),
        ("SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
        ("SELECT ?x WHERE { ?x ?y }", "expected"),
    ],
)
def test_refused_and_malformed_queries_are_400_with_a_message(client, query, words):
    for response in (
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
    ):
        assert response.status_code == 400, response.text
        assert words in response.text
        assert "Traceback" not in response.text
        assert len(response.text.splitlines()) == 1


def test_update_operation_is_refused(client):
    form = client.post("/sparql", data={"update": "CLEAR ALL"})
    direct = client.post(
        "/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert form.status_code == direct.status_code == 400
    assert "read-only" in form.text


def test_request_body_and_query_size_caps(client):
    big = client.post(
        "/sparql", content=b"#" * 300_000, headers={"Content-Type": "application/sparql-query"}
    )
    assert big.status_code == 413
    long_query = "ASK {} #" + "x" * 70_000
    response = client.post(
        "/sparql", content=long_query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert "larger than 64 KiB" in response.text


def test_result_size_cap(client):
    response = client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 413
    assert "result-size cap" in response.text


def test_timeout_answers_503_and_really_stops_the_query(server, client):
    wait_for_idle_workers(server.base)
    before = children(server.process.pid)
    started = time.monotonic()
    response = client.get("/sparql", params={"query": ENDLESS})
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "stopped after 2 s" in response.text
    assert 1.9 < elapsed < 4.5
    time.sleep(0.3)
    after = children(server.process.pid)
    gone = before - after
    assert len(gone) == 1  # the worker that ran it was killed ...
    for pid in gone:
        assert not Path(f"/proc/{pid}").exists()
    # ... and no process keeps burning CPU on it
    wait_for_idle_workers(server.base)
    ticks = {pid: cpu_ticks(pid) for pid in children(server.process.pid)}
    time.sleep(0.5)
    busy = [pid for pid in ticks if cpu_ticks(pid) - ticks[pid] > 20]
    assert busy == []
    # the next query succeeds at once
    ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o } # after"})
    assert ask.status_code == 200


def test_a_slow_query_does_not_block_others(server):
    wait_for_idle_workers(server.base)
    results = {}

    def slow():
        with httpx.Client(base_url=server.base, timeout=30) as c:
            results["slow"] = c.get("/sparql", params={"query": ENDLESS + " # isolation"})

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    latencies = []
    with httpx.Client(base_url=server.base, timeout=30) as c:
        for i in range(20):  # distinct texts: each one runs in a worker (no cached answer)
            started = time.monotonic()
            response = c.get("/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # {i}"})
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200
        entity = c.get("/id/hq-general-office.ttl")
        assert entity.status_code == 200
    thread.join()
    assert results["slow"].status_code == 503
    assert max(latencies) < 1.0


def test_no_stack_trace_and_an_access_log(server, client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT -1"})
    assert response.status_code == 400
    assert "Traceback" not in response.text
    time.sleep(0.2)
    assert any('"GET /sparql?query=' in line and " 400" in line for line in server.log)


def test_port_taken_is_one_line_and_exit_4(built_dist):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "castgraph",
                "serve",
                "--port",
                str(port),
                "--dist-dir",
                str(built_dist),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 4
    assert result.stderr.strip().splitlines() == [
        f"127.0.0.1:{port} is already in use: choose another --port"
    ]


def test_missing_dataset_is_exit_3(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "castgraph", "serve", "--port", "0", "--dist-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert "castgraph build" in result.stderr


def descendants(pid: int) -> set[int]:
    found = children(pid)
    for child in list(found):
        found |= descendants(child)
    return found


@pytest.mark.parametrize("processes", ["1", "2"])
def test_ctrl_c_stops_cleanly(built_dist, processes):
    with running_server(built_dist, "--processes", processes, "--workers", "1") as served:
        time.sleep(0.5)  # a second server process starts its workers too
        family = descendants(served.process.pid)
        assert len(family) >= 2 * int(processes) - 1
        for i in range(6):
            response = httpx.get(served.base + "/sparql", params={"query": f"ASK {{}} # {i}"})
            assert response.status_code == 200
        served.process.send_signal(2)
        assert served.process.wait(timeout=20) == 0
    time.sleep(0.2)
    assert [pid for pid in family if Path(f"/proc/{pid}").exists()] == []


# --- egress: the canary sees nothing --------------------------------------------------------


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


def test_an_entity_slug_cannot_inject_sparql(client, listener):
    url, requests = listener
    before = len(requests)
    hostile = f"x> ?p ?o }} SERVICE <{url}/sparql> {{ ?a ?b ?c }} #"
    for suffix in ("", ".ttl", ".jsonld"):
        response = client.get("/id/" + quote(hostile, safe="") + suffix)
        assert response.status_code == 404
    assert len(requests) == before


def test_saturation_is_503_with_retry_after(server):
    wait_for_idle_workers(server.base)
    answers = {}

    def endless(i):
        with httpx.Client(base_url=server.base, timeout=30) as c:
            answers[i] = c.get("/sparql", params={"query": f"{ENDLESS} # busy {i}"})

    threads = [threading.Thread(target=endless, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # both workers are taken
    with httpx.Client(base_url=server.base, timeout=30) as c:
        started = time.monotonic()
        response = c.get("/sparql", params={"query": "ASK { ?s ?p ?o } # waiting"})
        waited = time.monotonic() - started
    for thread in threads:
        thread.join()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert "busy" in response.text
    assert waited < 3.5  # no longer than its own deadline
    assert {a.status_code for a in answers.values()} == {503}
    wait_for_idle_workers(server.base)
