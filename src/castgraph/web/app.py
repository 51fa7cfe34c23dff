"""The routes of ``castgraph serve`` (starlette). Every answer that needs the dataset comes from a
query worker process (``castgraph.web.workers``); the event loop only parses requests, looks in
the answer cache and writes responses.

Linked data: ``/id/SLUG`` answers ``200`` with the representation the ``Accept`` header asks for
(HTML for a browser, Turtle, N-Triples or JSON-LD for a client) and a ``Content-Location``
naming that representation's own URL (``/id/SLUG.html``, ``.ttl``, ``.nt``, ``.jsonld``), plus
``Vary: Accept`` and ``Link: rel=alternate`` headers. One round trip, no 303.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from castgraph.limits import LIMITS, human_bytes
from castgraph.web.cache import AnswerCache
from castgraph.web.front import CACHE_MARK, Front, plain
from castgraph.web.pages import SLUG, STATIC_DIR, ServerLinks, render
from castgraph.web.sparql_protocol import (
    GRAPH_TYPES,
    NotAcceptable,
    negotiate,
    service_description,
    wants_html,
)
from castgraph.web.workers import PoolBusy, QueryTimedOut, WorkerDied, WorkerPool

PAGE_TIMEOUT = 30.0
SUFFIX_REPRESENTATIONS = {"html": "html", "ttl": "turtle", "nt": "ntriples", "jsonld": "jsonld"}
REPRESENTATION_SUFFIX = {v: k for k, v in SUFFIX_REPRESENTATIONS.items()}
ENTITY_TYPES = {"html": "text/html", **{k: v for k, v in GRAPH_TYPES.items() if k != "rdfxml"}}


@dataclass
class ServeConfig:
    dist_dir: Path = Path("dist")
    dataset_file: Path | None = None
    timeout: float = 10.0
    workers: int = 2
    max_result_bytes: int = 32 * 1024 * 1024
    max_body_bytes: int = 256 * 1024
    max_query_bytes: int = LIMITS.query_bytes
    memory_bytes: int = LIMITS.query_memory_bytes
    cors: bool = True
    cache_bytes: int = 256 * 1024 * 1024  # half for answers, half for whole responses
    library: list = field(default_factory=list)  # query definitions, read at start


class Server:
    def __init__(self, config: ServeConfig):
        self.config = config
        self.pool: WorkerPool | None = None
        self.cache = AnswerCache(config.cache_bytes // 2)
        self.links = ServerLinks()

    # -- running jobs ----------------------------------------------------------------------

    async def job(
        self, job: dict, *, cache_key: tuple | None = None, page: bool = False
    ) -> Response:
        """The answer of a worker; ``page``: our own page code (entity, docs, org chart,
        search), whose deadline is at least PAGE_TIMEOUT seconds whatever --timeout says."""
        if cache_key is not None:
            hit = self.cache.get(cache_key)
            if hit is not None:
                return self._response(*hit)
        assert self.pool is not None
        timeout = max(self.config.timeout, PAGE_TIMEOUT) if page else self.config.timeout
        try:
            reply = await self.pool.run(job, timeout=timeout, demote=not page)
        except QueryTimedOut:
            seconds = f"{timeout:g}"
            return plain(503, f"query stopped after {seconds} s (the server's --timeout)")
        except PoolBusy:
            return plain(503, "every query worker is busy; try again", **{"Retry-After": "1"})
        except WorkerDied:
            return plain(503, "the query's worker process died (out of memory?); narrow it")
        if reply.status == 200 and cache_key is not None:
            self.cache.put(cache_key, (reply.status, reply.media, reply.body))
        return self._response(reply.status, reply.media, reply.body)

    @staticmethod
    def _response(status: int, media: str, body: bytes) -> Response:
        headers = {"Content-Type": media}
        if status == 200:
            headers[CACHE_MARK.decode()] = "1"  # the front cache may keep it (and strips this)
        return Response(body, status, headers=headers)

    # -- /sparql ---------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        params = list(request.query_params.multi_items())
        if request.method == "POST":
            body = await self._body(request)
            if isinstance(body, Response):
                return body
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media == "application/x-www-form-urlencoded":
                try:
                    params += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
                except UnicodeDecodeError:
                    return plain(400, "the form is not UTF-8")
            elif media == "application/sparql-query":
                params.append(("query", body.decode("utf-8", errors="replace")))
            elif media == "application/sparql-update":
                return plain(400, "SPARQL Update refused: this endpoint is read-only")
            else:
                return plain(
                    415,
                    "POST application/sparql-query or application/x-www-form-urlencoded",
                )
        names = {k for k, _ in params}
        if "update" in names:
            return plain(400, "SPARQL Update refused: this endpoint is read-only")
        queries = [v for k, v in params if k == "query"]
        if not queries:
            if wants_html(request.headers.get("accept")):
                return RedirectResponse("/query", 303)
            return await self._service_description(request)
        if len(queries) > 1:
            return plain(400, "give one query parameter")
        text = queries[0]
        if len(text.encode("utf-8", "surrogatepass")) > self.config.max_query_bytes:
            return plain(413, f"query text larger than {human_bytes(self.config.max_query_bytes)}")
        default = tuple(v for k, v in params if k == "default-graph-uri")
        named = tuple(v for k, v in params if k == "named-graph-uri")
        fmt = next((v for k, v in params if k == "format"), None)
        accept = request.headers.get("accept")
        job = {
            "op": "sparql",
            "query": text,
            "accept": accept,
            "format": fmt,
            "default_graphs": list(default),
            "named_graphs": list(named),
        }
        key = ("sparql", text, accept, fmt, default, named)
        response = await self.job(job, cache_key=key)
        response.headers["Vary"] = "Accept"
        return response

    async def _body(self, request: Request) -> bytes | Response:
        cap = self.config.max_body_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > cap:
            return plain(413, f"request body larger than {human_bytes(cap)}")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                return plain(413, f"request body larger than {human_bytes(cap)}")
            chunks.append(chunk)
        return b"".join(chunks)

    async def _graph_names(self) -> list[str]:
        response = await self.job({"op": "graphs"}, cache_key=("graphs",), page=True)
        if response.status_code != 200:
            return []
        return json.loads(response.body)

    async def _service_description(self, request: Request) -> Response:
        endpoint = str(request.url.replace(query=""))
        data = service_description(endpoint, await self._graph_names())
        return Response(data, headers={"Content-Type": "text/turtle; charset=utf-8"})

    # -- /queries --------------------------------------------------------------------------

    async def queries(self, request: Request) -> Response:
        listing = [
            {
                "name": d.name,
                "summary": d.summary,
                "description": d.description,
                "tags": list(d.tags),
                "form": d.form,
                "url": f"/queries/{d.name}",
                "text": d.text,
                "parameters": [
                    {
                        "name": p.name,
                        "variable": p.variable,
                        "type": p.type_label,
                        "required": p.required and p.default is None,
                        "default": p.default,
                    }
                    for p in d.parameters
                ],
            }
            for d in self.config.library
        ]
        return JSONResponse(listing)

    async def library_query(self, request: Request) -> Response:
        name = request.path_params["name"]
        fmt = None
        stem, dot, suffix = name.rpartition(".")
        if dot and suffix in ("json", "xml", "csv", "tsv", "ttl", "nt", "jsonld"):
            name, fmt = stem, suffix
        params = dict(request.query_params.multi_items())
        fmt = params.pop("format", None) or fmt
        graph = params.pop("graph", None)  # reserved, as --graph of `castgraph query`
        accept = request.headers.get("accept")
        job = {
            "op": "library",
            "name": name,
            "params": params,
            "accept": accept,
            "format": fmt,
            "graph": graph,
        }
        key = ("library", name, tuple(sorted(params.items())), accept, fmt, graph)
        response = await self.job(job, cache_key=key)
        response.headers["Vary"] = "Accept"
        return response

    # -- /store (Graph Store Protocol, read-only) -------------------------------------------

    async def store(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return plain(405, "the graph store is read-only", Allow="GET, HEAD")
        params = request.query_params
        if ("graph" in params) == ("default" in params):
            return plain(400, "give ?default or ?graph=IRI")
        graph = params.get("graph")
        accept = request.headers.get("accept")
        fmt = params.get("format")
        job = {"op": "graph", "graph": graph, "accept": accept, "format": fmt}
        response = await self.job(job, cache_key=("graph", graph, accept, fmt))
        response.headers["Vary"] = "Accept"
        return response

    # -- /id --------------------------------------------------------------------------------

    async def entity(self, request: Request) -> Response:
        raw = request.path_params["slug"]
        stem, dot, suffix = raw.rpartition(".")
        if dot and suffix in SUFFIX_REPRESENTATIONS:
            slug, representation = stem, SUFFIX_REPRESENTATIONS[suffix]
        else:
            slug = raw
            accept = request.headers.get("accept")
            if wants_html(accept):
                representation = "html"
            else:
                try:
                    representation = negotiate(
                        accept, {k: v for k, v in ENTITY_TYPES.items() if k != "html"}
                    )
                except NotAcceptable:
                    offered = ", ".join(ENTITY_TYPES.values())
                    return plain(406, f"not acceptable: /id/ pages are available as {offered}")
        if not SLUG.fullmatch(slug):
            return plain(404, "not an entity IRI")
        job = {"op": "entity", "slug": slug, "representation": representation}
        response = await self.job(job, cache_key=("entity", slug, representation), page=True)
        if response.status_code == 200:
            own = f"/id/{slug}.{REPRESENTATION_SUFFIX[representation]}"
            response.headers["Content-Location"] = own
            response.headers["Vary"] = "Accept"
            response.headers["Link"] = ", ".join(
                f'</id/{slug}.{suffix}>; rel="alternate"; type="{ENTITY_TYPES[rep]}"'
                for suffix, rep in SUFFIX_REPRESENTATIONS.items()
                if rep != representation
            )
        return response

    async def context(self, request: Request) -> Response:
        """The project's JSON-LD context (what https://w3id.org/castgraph/context.jsonld is)."""
        from castgraph.paths import CONTEXT_PATH

        return Response(CONTEXT_PATH.read_bytes(), media_type="application/ld+json")

    async def status(self, request: Request) -> Response:
        assert self.pool is not None
        cache = {"entries": len(self.cache), "bytes": self.cache.size, "hits": self.cache.hits}
        return JSONResponse({"pool": self.pool.status(), "cache": cache})

    # -- pages -------------------------------------------------------------------------------

    async def search(self, request: Request) -> Response:
        q = request.query_params.get("q", "").strip()[:200]
        as_json = not wants_html(request.headers.get("accept")) or (
            request.query_params.get("format") == "json"
        )
        job = {"op": "search", "q": q, "json": as_json}
        return await self.job(job, cache_key=("search", q, as_json), page=True)

    async def docs(self, request: Request) -> Response:
        page = request.path_params.get("page") or "index.html"
        return await self.job({"op": "docs", "page": page}, cache_key=("docs", page), page=True)

    async def orgchart_frame(self, request: Request) -> Response:
        as_of = request.query_params.get("as_of", "").strip()[:20] or None
        lang = "zh" if request.query_params.get("lang") == "zh" else "en"
        job = {"op": "orgchart", "as_of": as_of, "lang": lang}
        return await self.job(job, cache_key=("orgchart", as_of, lang), page=True)

    def page(self, template: str, **context) -> Response:
        html = render(template, self.links, **context)
        return Response(html, headers={"Content-Type": "text/html; charset=utf-8"})

    async def home(self, request: Request) -> Response:
        return self.page("home.html", queries=self.config.library)

    async def query_page(self, request: Request) -> Response:
        return self.page(
            "query.html", queries=self.config.library, chosen=request.query_params.get("name")
        )

    async def orgchart(self, request: Request) -> Response:
        as_of = request.query_params.get("as_of", "").strip()[:20]
        lang = "zh" if request.query_params.get("lang") == "zh" else "en"
        return self.page("orgchart.html", as_of=as_of, lang=lang)


def create_app(config: ServeConfig) -> Starlette:
    server = Server(config)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        server.pool = WorkerPool(
            dist_dir=config.dist_dir,
            dataset_file=config.dataset_file,
            size=config.workers,
            timeout=config.timeout,
            max_bytes=config.max_result_bytes,
            memory_bytes=config.memory_bytes,
        )
        await server.pool.start()
        app.state.server = server
        try:
            yield
        finally:
            await server.pool.close()

    routes = [
        Route("/", server.home),
        Route("/sparql", server.sparql, methods=["GET", "POST"]),
        Route("/queries", server.queries),
        Route("/queries/{name}", server.library_query),
        Route("/store", server.store, methods=["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"]),
        Route("/id/{slug}", server.entity),
        Route("/search", server.search),
        Route("/def", lambda request: RedirectResponse("/def/", 301)),
        Route("/def/", server.docs),
        Route("/def/{page}", server.docs),
        Route("/query", server.query_page),
        Route("/context.jsonld", server.context),
        Route("/status", server.status),
        Route("/orgchart", server.orgchart),
        Route("/orgchart/chart", server.orgchart_frame),
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.server = server
    return Front(app, config.cors, config.cache_bytes // 2)
