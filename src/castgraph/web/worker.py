"""A query worker: a process of its own that opens the dataset read-only and answers jobs.

``castgraph serve`` keeps a few of these warm (``castgraph.web.workers``) so that queries never
run on the server's event loop and a runaway query can be stopped for real: the server kills the
worker (SIGKILL) at the deadline and starts another. A worker has no network (a network
namespace of its own where the kernel allows it, as ``castgraph query``'s child has) and an
address-space cap.

Protocol on stdin/stdout: a job is a 4-byte big-endian length and that many bytes of JSON; an
answer is one JSON header line ``{"status": 200, "type": "...", "length": N}`` and N bytes of
body. Every answer the worker can give is one of these; an error body is a one-line message,
never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import struct
import sys
from collections import OrderedDict
from pathlib import Path

from castgraph.namespaces import PREFIXES
from castgraph.web.sparql_protocol import (
    DatasetSpec,
    NotAcceptable,
    content_type,
    negotiate,
    offered_for,
)

READY = b"castgraph-worker-ready\n"


class TooLarge(Exception):
    pass


class Problem(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = " ".join(message.split())


class CappedWriter:
    """A file-like sink that refuses to grow past ``cap`` bytes (the result-size cap)."""

    def __init__(self, cap: int):
        self.cap = cap
        self.parts: list[bytes] = []
        self.size = 0
        self.over = False

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.cap:
            self.over = True
            raise TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


_EGRESS_WORDS = ("service", "from", "load")


def cannot_leave(text: str) -> bool:
    """True when ``text`` cannot hold SERVICE, FROM or LOAD at all: none of the three words
    occurs anywhere in it (compared after NFKC and Unicode case folding, more widely than any
    SPARQL parser matches keywords) and it has no \\u escape that could spell one. Such a text
    skips the rdflib parse of ``castgraph.guard.sparql`` (~2 ms) and goes to the engine after
    the guard's size and nesting checks: an update is a syntax error for ``Store.query``, and
    every other text takes the full guard."""
    import unicodedata

    from castgraph.errors import CastgraphError
    from castgraph.guard.nesting import check

    folded = unicodedata.normalize("NFKC", text).casefold()
    if "\\u" in folded or "\x00" in text or any(word in folded for word in _EGRESS_WORDS):
        return False
    try:
        check(text, "sparql", where="query")
    except CastgraphError as error:
        raise Problem(400, str(error)) from None
    return True


def _page_jobs():
    from castgraph.web import page_jobs as jobs

    return {
        "entity": lambda d, j: jobs.entity(d, j["slug"], j["representation"]),
        "search": lambda d, j: jobs.search(d, j["q"], bool(j.get("json"))),
        "docs": lambda d, j: jobs.docs(j["page"]),
        "orgchart": lambda d, j: jobs.orgchart(d, j.get("as_of"), j.get("lang", "en")),
        "graphs": lambda d, j: jobs.graphs(d),
    }


PAGE_JOBS = _page_jobs()


class Worker:
    def __init__(self, dataset, max_bytes: int):
        self.dataset = dataset
        self.max_bytes = max_bytes
        self._forms: OrderedDict[str, str] = OrderedDict()
        self._graphs = {g.value for g in dataset.named_graphs()}

    # -- jobs ------------------------------------------------------------------------------

    def handle(self, job: dict) -> tuple[int, str, bytes]:
        try:
            op = job.get("op")
            if op == "sparql":
                return self._sparql(job)
            if op == "library":
                return self._library(job)
            if op == "graph":
                return self._graph(job)
            if op in PAGE_JOBS:
                return PAGE_JOBS[op](self.dataset, job)
            if op == "ping":
                return 200, "text/plain", b"pong"
            raise Problem(400, f"unknown job {op!r}")
        except Problem as problem:
            return problem.status, "text/plain; charset=utf-8", problem.message.encode() + b"\n"
        except NotAcceptable as error:
            return 406, "text/plain; charset=utf-8", str(error).encode() + b"\n"
        except MemoryError:
            return 503, "text/plain; charset=utf-8", b"query stopped: it needed too much memory\n"
        except RecursionError:
            return 400, "text/plain; charset=utf-8", b"query stopped: it recursed too deeply\n"
        except Exception as error:  # never a traceback to a client: one line, logged by the server
            message = f"internal error: {type(error).__name__}"
            print(f"castgraph worker: {type(error).__name__}: {error}", file=sys.stderr)
            return 500, "text/plain; charset=utf-8", message.encode() + b"\n"

    def _form(self, text: str) -> str:
        form = self._forms.get(text)
        if form is not None:
            self._forms.move_to_end(text)
            return form
        from castgraph.errors import CastgraphError
        from castgraph.guard.sparql import classify

        try:
            form = classify(text, "query").form
        except CastgraphError as error:
            raise Problem(400, str(error)) from None
        self._forms[text] = form
        if len(self._forms) > 2048:
            self._forms.popitem(last=False)
        return form

    def _sparql(self, job: dict) -> tuple[int, str, bytes]:
        text = job["query"]
        form = None if cannot_leave(text) else self._form(text)
        key = None
        if form is not None:
            key = negotiate(job.get("accept"), offered_for(form), job.get("format"))
        spec = DatasetSpec(
            tuple(job.get("default_graphs") or ()), tuple(job.get("named_graphs") or ())
        )
        kwargs: dict = {}
        if spec.given:
            from pyoxigraph import NamedNode

            for iri in spec.default_graphs + spec.named_graphs:
                if iri not in self._graphs:
                    raise Problem(
                        400, f"no such graph in the dataset: <{iri}> (nothing is fetched)"
                    )
            kwargs["default_graph"] = [NamedNode(g) for g in spec.default_graphs]
            kwargs["named_graphs"] = [NamedNode(g) for g in spec.named_graphs]
        try:
            result = self.dataset.store.query(text, prefixes=dict(PREFIXES), **kwargs)
        except SyntaxError as error:
            from castgraph.query.library import syntax_message

            if form is None:
                self._form(text)  # the guard's own message: "SPARQL Update (...) refused", ...
            raise Problem(400, f"query:{syntax_message(error)}") from None
        if form is None:  # the fast path: the form is the result's
            from pyoxigraph import QueryBoolean, QuerySolutions

            if isinstance(result, QueryBoolean):
                form = "ASK"
            else:
                form = "SELECT" if isinstance(result, QuerySolutions) else "CONSTRUCT"
            key = negotiate(job.get("accept"), offered_for(form), job.get("format"))
        return self._answer(result, form, key)

    def _library(self, job: dict) -> tuple[int, str, bytes]:
        from castgraph.errors import CastgraphError
        from castgraph.query import library

        try:
            definition = library.by_name(job["name"])
        except CastgraphError as error:
            raise Problem(404, str(error)) from None
        key = negotiate(job.get("accept"), offered_for(definition.form), job.get("format"))
        try:
            graph = job.get("graph")  # one source's graph, as `castgraph query --graph`
            graph = library.graph_iri(graph, self.dataset.store) if graph else None
            result = library.run(
                self.dataset.store,
                definition,
                job.get("params") or {},
                graph=graph,
                name_index=self.dataset.name_index,
            )
        except CastgraphError as error:
            raise Problem(400, str(error).replace("--param ", "the URL parameter ")) from None
        return self._answer(result, definition.form, key)

    def _graph(self, job: dict) -> tuple[int, str, bytes]:
        graph = job.get("graph")
        if graph is not None and graph not in self._graphs:
            raise Problem(404, f"no such graph: <{graph}>")
        key = negotiate(job.get("accept"), offered_for("CONSTRUCT"), job.get("format"))
        kwargs = {}
        if graph is not None:
            from pyoxigraph import NamedNode

            kwargs["default_graph"] = NamedNode(graph)
        result = self.dataset.store.query("CONSTRUCT WHERE { ?s ?p ?o }", **kwargs)
        return self._answer(result, "CONSTRUCT", key)

    # -- answers ---------------------------------------------------------------------------

    def _answer(self, result, form: str, key: str) -> tuple[int, str, bytes]:
        from pyoxigraph import (
            QueryBoolean,
            QueryResultsFormat,
            QuerySolutions,
            RdfFormat,
            serialize,
        )

        media = offered_for(form)[key]
        sink = CappedWriter(self.max_bytes)
        try:
            if isinstance(result, QueryBoolean | QuerySolutions):
                fmt = {
                    "json": QueryResultsFormat.JSON,
                    "xml": QueryResultsFormat.XML,
                    "csv": QueryResultsFormat.CSV,
                    "tsv": QueryResultsFormat.TSV,
                }[key]
                if isinstance(result, QueryBoolean) and key in ("csv", "tsv"):
                    sink.write(b"true\n" if bool(result) else b"false\n")
                else:
                    result.serialize(sink, format=fmt)
            else:
                fmt = {
                    "turtle": RdfFormat.TURTLE,
                    "ntriples": RdfFormat.N_TRIPLES,
                    "jsonld": RdfFormat.JSON_LD,
                    "rdfxml": RdfFormat.RDF_XML,
                }[key]
                prefixes = dict(PREFIXES) if key in ("turtle", "rdfxml") else None
                serialize(result, sink, format=fmt, prefixes=prefixes)
        except Exception as error:
            if sink.over:
                from castgraph.limits import human_bytes

                raise Problem(
                    413,
                    f"answer larger than {human_bytes(self.max_bytes)} (the result-size cap); "
                    "narrow the query, e.g. with LIMIT",
                ) from None
            if isinstance(error, OSError | RuntimeError | ValueError):
                raise Problem(400, f"query failed: {error}") from None
            raise
        return 200, content_type(media), sink.getvalue()


# ---------------------------------------------------------------------------------------------


def _read_job(stream) -> dict | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (length,) = struct.unpack(">I", head)
    return json.loads(stream.read(length).decode("utf-8"))


def _write_answer(stream, status: int, media: str, body: bytes) -> None:
    header = json.dumps({"status": status, "type": media, "length": len(body)}).encode()
    stream.write(header + b"\n" + body)
    stream.flush()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="castgraph-worker")
    parser.add_argument("--dist-dir", type=Path, required=True)
    parser.add_argument("--dataset", type=Path)
    parser.add_argument("--max-bytes", type=int, required=True)
    parser.add_argument("--memory-bytes", type=int, default=0)
    args = parser.parse_args(argv)

    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    from castgraph.dataset.store import open_dataset
    from castgraph.guard.deadline import _leave_network

    dataset = open_dataset(args.dist_dir, args.dataset)
    _leave_network()
    if args.memory_bytes:
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (args.memory_bytes, args.memory_bytes))
    worker = Worker(dataset, args.max_bytes)
    worker._form("ASK {}")  # warm the guard's parser before the first real job
    from castgraph.web.entity import catalog_for

    catalog = catalog_for(dataset)
    _ = catalog.sources  # and the registry and the labels every page needs
    catalog.preload()
    from castgraph.web.pages import environment

    for template in ("entity.html", "search.html"):
        environment().get_template(template)  # jinja2's import and compile, once
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(READY)
    stdout.flush()
    while True:
        job = _read_job(stdin)
        if job is None:
            return 0
        status, media, body = worker.handle(job)
        _write_answer(stdout, status, media, body)


if __name__ == "__main__":
    sys.exit(main())
