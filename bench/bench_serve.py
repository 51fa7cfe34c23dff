"""How fast `castgraph serve` answers, against the Oxigraph server on the same N-Quads, in one run.

A bounded Python load generator (asyncio, one keep-alive HTTP/1.1 connection per client, a fixed
number of clients for a fixed time; nothing else is sent) on loopback measures:

1. entity pages  - GET /id/SLUG with Accept: text/html, over 64 entities;
2. library query - GET /queries/leaders-of-cast (SPARQL JSON);
3. SPARQL ASK    - the same ASK text at /sparql on castgraph and on `oxigraph serve-read-only`
                   (union default graph), and a variant whose text differs on every request
                   (a trailing comment) so that no cached answer can serve it;
4. beside a long query - (1), (2) and (3) again while one query that never ends by itself runs
   for up to 60 s (castgraph started with --timeout 70).

Prints requests per second, p50, p99, max, errors, and the ratios against Oxigraph and the
targets of issue 13 (>= 1,000 req/s and p99 < 50 ms on entity pages and a simple library query;
>= 40 % of Oxigraph's req/s on the same SPARQL; p99 < 100 ms beside the long query).

Run: .venv/bin/python bench/bench_serve.py [--duration 30] [--connections 8] [--dist-dir dist]
     [--processes N] [--long 60] [--json]
The load generator shares the CPUs with both servers: on a small machine it is part of what is
measured, for both servers alike.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ASK = "ASK { <https://w3id.org/castgraph/id/cast> ?p ?o }"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RESULTS_JSON = "application/sparql-results+json"


@dataclass
class Outcome:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def row(self) -> str:
        return (
            f"{self.name:<44} {self.rps:>8.0f} {self.percentile(50):>8.1f} "
            f"{self.percentile(99):>8.1f} {max(self.latencies, default=0) * 1000:>8.1f} "
            f"{self.errors:>6}"
        )

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "requests": len(self.latencies),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 2),
            "p99_ms": round(self.percentile(99), 2),
            "max_ms": round(max(self.latencies, default=0) * 1000, 2),
            "errors": self.errors,
            "statuses": self.statuses,
        }


# --- the load generator ------------------------------------------------------------------------


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _client(host, port, requests, deadline, outcome: Outcome) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            request = next(requests)
            started = time.perf_counter()
            try:
                writer.write(request)
                status = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                outcome.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            outcome.latencies.append(time.perf_counter() - started)
            outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
            if status != 200:
                outcome.errors += 1
    finally:
        writer.close()


def load(name, base: str, paths, *, accept: str, seconds: float, connections: int) -> Outcome:
    """``connections`` clients send GET requests for ``paths`` (cycled) for ``seconds``."""
    match = re.match(r"http://([^:/]+):(\d+)", base)
    host, port = match.group(1), int(match.group(2))

    def request(path: str) -> bytes:
        return (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: {accept}\r\n"
            "User-Agent: castgraph-bench\r\n\r\n"
        ).encode()

    if callable(paths):
        counter = itertools.count()
        requests = (request(paths(i)) for i in counter)
    else:
        requests = itertools.cycle([request(p) for p in paths])
    outcome = Outcome(name, seconds)

    async def main():
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(
            *(_client(host, port, requests, deadline, outcome) for _ in range(connections))
        )
        outcome.seconds = time.perf_counter() - started

    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    asyncio.run(main())
    return outcome


# --- the servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def start_castgraph(
    dist: Path, log: Path, timeout: float, processes: int
) -> tuple[subprocess.Popen, str]:
    script = Path(sys.executable).with_name("castgraph")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "castgraph"]
    process = subprocess.Popen(
        [
            *command,
            "serve",
            "--port",
            "0",
            "--dist-dir",
            str(dist),
            "--timeout",
            str(timeout),
            "--processes",
            str(processes),
        ],
        stdout=subprocess.PIPE,
        stderr=log.open("wb"),
        text=True,
    )
    line = process.stdout.readline()
    match = re.search(r"listening on (http://\S+?)/? ", line)
    if match is None:
        process.kill()
        raise RuntimeError(f"castgraph serve did not start: {line!r} (see {log})")
    base = match.group(1)
    wait_http(base + "/status")
    return process, base


def start_oxigraph(nquads: Path, work: Path) -> tuple[subprocess.Popen, str] | None:
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.is_file():
        print("oxigraph server not installed (PyPI `oxigraph`): no baseline", file=sys.stderr)
        return None
    location = work / "oxigraph"
    subprocess.run(
        [str(binary), "load", "--location", str(location), "--file", str(nquads)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            str(binary),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/query?query=" + quote("ASK {}"))
    return process, base


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def entity_paths(nquads: Path, count: int = 64) -> list[str]:
    kinds = (
        b"<http://www.w3.org/ns/org#FormalOrganization>",
        b"<http://www.w3.org/ns/org#OrganizationalUnit>",
        b"<http://xmlns.com/foaf/0.1/Person>",
    )
    slugs: set[str] = set()
    with nquads.open("rb") as handle:
        for line in handle:
            if b"22-rdf-syntax-ns#type> " in line and any(k in line for k in kinds):
                subject = line.split(b" ", 1)[0].decode()
                slugs.add(subject.rsplit("/", 1)[-1].rstrip(">"))
    return [f"/id/{slug}" for slug in sorted(slugs)[:count]]


# --- the run ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--dist-dir", type=Path, help="a built dist/ (default: build one)")
    parser.add_argument("--long", type=float, default=60.0, help="seconds of the long query")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--processes",
        type=int,
        default=max(1, os.cpu_count() or 1),
        help="castgraph serve --processes (default: the number of CPUs)",
    )
    args = parser.parse_args()
    seconds, connections = args.duration, args.connections

    with tempfile.TemporaryDirectory(prefix="castgraph-bench-serve-") as tmp:
        work = Path(tmp)
        dist = args.dist_dir
        if dist is None:
            dist = work / "dist"
            script = Path(sys.executable).with_name("castgraph")
            subprocess.run(
                [str(script), "build", "--out", str(dist), "--no-validate"],
                check=True,
                capture_output=True,
            )
        nquads = dist / "castgraph.nq"
        castgraph, base = start_castgraph(
            dist, work / "access.log", timeout=args.long + 10, processes=args.processes
        )
        oxigraph = start_oxigraph(nquads, work)
        results: list[Outcome] = []
        try:
            entities = entity_paths(nquads)
            library = ["/queries/leaders-of-cast"]
            ask_path = "/sparql?query=" + quote(ASK)

            def ask_unique(i: int) -> str:
                return "/sparql?query=" + quote(f"{ASK} # {i}")

            # every path once, in order, before measuring: caches and workers warm
            import httpx

            every = [(p, "text/html") for p in entities]
            every += [(p, RESULTS_JSON) for p in [*library, ask_path]]
            for path, accept in every * (2 * args.processes):  # new connections: every process
                status = httpx.get(base + path, headers={"Accept": accept}, timeout=60)
                status.raise_for_status()

            def run(name, target, paths, accept):
                outcome = load(
                    name, target, paths, accept=accept, seconds=seconds, connections=connections
                )
                results.append(outcome)
                return outcome

            run("castgraph entity page (HTML)", base, entities, "text/html")
            run("castgraph library query", base, library, RESULTS_JSON)
            run("castgraph SPARQL ASK (same text)", base, [ask_path], RESULTS_JSON)
            if oxigraph:
                run(
                    "oxigraph SPARQL ASK (same text)",
                    oxigraph[1],
                    ["/query?query=" + quote(ASK)],
                    RESULTS_JSON,
                )
            run("castgraph SPARQL ASK (new text each time)", base, ask_unique, RESULTS_JSON)
            if oxigraph:
                run(
                    "oxigraph SPARQL ASK (new text each time)",
                    oxigraph[1],
                    lambda i: "/query?query=" + quote(f"{ASK} # {i}"),
                    RESULTS_JSON,
                )

            # a long query beside the load
            long_status: dict = {}

            def long_query():
                started = time.monotonic()
                with contextlib.suppress(httpx.TransportError):
                    response = httpx.get(
                        base + "/sparql", params={"query": ENDLESS}, timeout=args.long + 30
                    )
                    long_status["status"] = response.status_code
                long_status["seconds"] = time.monotonic() - started

            thread = threading.Thread(target=long_query, daemon=True)
            thread.start()
            time.sleep(0.5)
            beside = min(seconds, max(1.0, args.long - 5) / 3)
            for name, paths, accept in (
                ("beside long query: entity page", entities, "text/html"),
                ("beside long query: library query", library, RESULTS_JSON),
                ("beside long query: ASK (new text)", ask_unique, RESULTS_JSON),
            ):
                outcome = load(
                    name, base, paths, accept=accept, seconds=beside, connections=connections
                )
                results.append(outcome)
            long_running = thread.is_alive()
        finally:
            stop(castgraph)
            if oxigraph:
                stop(oxigraph[0])

    by_name = {o.name: o for o in results}
    print(
        f"{connections} connections, {seconds:g} s per measurement, loopback, "
        f"castgraph serve --processes {args.processes}, {os.cpu_count()} CPUs; "
        "the load generator shares the CPUs with the servers"
    )
    print(f"{'':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
    for outcome in results:
        print(outcome.row())
    checks = []
    for name in ("castgraph entity page (HTML)", "castgraph library query"):
        o = by_name[name]
        checks.append(
            (
                f"{name}: >= 1000 req/s, p99 < 50 ms, 0 errors",
                o.rps >= 1000 and o.percentile(99) < 50 and o.errors == 0,
            )
        )
    for kind in ("same text", "new text each time"):
        ours = by_name.get(f"castgraph SPARQL ASK ({kind})")
        theirs = by_name.get(f"oxigraph SPARQL ASK ({kind})")
        if ours and theirs and theirs.rps:
            ratio = ours.rps / theirs.rps
            checks.append(
                (f"ASK ({kind}): castgraph/oxigraph = {ratio:.0%} (target >= 40 %)", ratio >= 0.4)
            )
    for name, o in by_name.items():
        if name.startswith("beside"):
            checks.append(
                (
                    f"{name}: p99 {o.percentile(99):.1f} ms < 100 ms",
                    o.percentile(99) < 100 and o.errors == 0,
                )
            )
    print(
        f"long query: still running at the end of the load: {long_running} "
        f"(then the server was stopped under it: {long_status.get('status')} after "
        f"{long_status.get('seconds', 0):.1f} s)"
    )
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {text}")
    if args.json:
        print(
            json.dumps(
                {
                    "results": [o.as_dict() for o in results],
                    "checks": [{"check": t, "ok": ok} for t, ok in checks],
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
