"""Send the dataset to a remote triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

One request per named graph: ``PUT`` (``replace``: the remote graph becomes exactly ours) or
``POST`` (``merge``: our statements are added to what the remote graph holds), each body the
graph's statements as N-Triples. In ``replace`` mode the remote named graphs we do not have are
then deleted (``DELETE``), so the remote dataset becomes exactly ours. The default graph of the
local store (the union, an index) is never sent.

Every request is retried with exponential backoff on a 5xx answer or a connection error, a
bounded number of times; a graph that was sent is sent again in full by the next run (a PUT is
idempotent), so a run stopped half-way is finished by running it again.

Verification asks the remote SPARQL endpoint for the number of triples in each named graph and
compares with ours: ``replace`` expects the same graphs with the same counts, ``merge`` expects
each of our graphs to hold at least as many triples as ours.

Credentials never come from the command line: ``CASTGRAPH_PUSH_TOKEN`` (a bearer token),
``CASTGRAPH_PUSH_USER`` + ``CASTGRAPH_PUSH_PASSWORD`` (basic), or the user's ``~/.netrc``
(``NETRC`` names another file).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from castgraph.errors import EnvironmentProblem, InputError

TOKEN_VARIABLE = "CASTGRAPH_PUSH_TOKEN"
USER_VARIABLE = "CASTGRAPH_PUSH_USER"
PASSWORD_VARIABLE = "CASTGRAPH_PUSH_PASSWORD"
NTRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"


class Unreachable(EnvironmentProblem):
    """The server could not be reached (or kept failing) after every retry."""


@dataclass(frozen=True)
class GraphBody:
    iri: str
    triples: int
    body: bytes


@dataclass
class PushResult:
    sent: int = 0
    triples: int = 0
    deleted: list[str] = field(default_factory=list)
    diverging: list[tuple[str, int, int | None]] = field(default_factory=list)  # iri, ours, theirs
    seconds: float = 0.0

    @property
    def matches(self) -> bool:
        return not self.diverging


def query_url_for(store_url: str) -> str | None:
    """The SPARQL query endpoint that goes with a Graph Store endpoint, for the common servers."""
    parts = urlsplit(store_url)
    path = parts.path.rstrip("/")
    for suffix, query in (("/store", "/query"), ("/data", "/sparql"), ("/rdf-graphs/service", "")):
        if path.endswith(suffix):
            new_path = path[: -len(suffix)] + query
            if not query:
                new_path += "/sparql"
            return urlunsplit(parts._replace(path=new_path, query="", fragment=""))
    return None


def check_url(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url}: not an http(s) URL ({what})")
    if parts.username or parts.password:
        raise InputError(
            f"{what}: credentials in the URL are refused; set {TOKEN_VARIABLE}, "
            f"{USER_VARIABLE}/{PASSWORD_VARIABLE} or use ~/.netrc"
        )
    return url


def credentials(environ=os.environ):
    """An httpx auth (or headers) from the environment or netrc; never from the command line."""
    import httpx

    token = environ.get(TOKEN_VARIABLE)
    if token:
        return None, {"Authorization": f"Bearer {token}"}
    user = environ.get(USER_VARIABLE)
    if user:
        return httpx.BasicAuth(user, environ.get(PASSWORD_VARIABLE, "")), {}
    netrc_file = environ.get("NETRC") or os.path.expanduser("~/.netrc")
    if os.path.isfile(netrc_file):
        try:
            return httpx.NetRCAuth(netrc_file), {}
        except Exception as error:  # netrc.NetrcParseError, OSError
            raise InputError(f"{netrc_file}: cannot be read ({error})") from None
    return None, {}


def graph_bodies(dataset) -> Iterator[GraphBody]:
    """Each named graph of ``dataset`` as N-Triples, in graph order (the quads are sorted)."""
    from pyoxigraph import DefaultGraph, RdfFormat, serialize

    current: str | None = None
    triples: list = []
    for quad in dataset.quads():
        if isinstance(quad.graph_name, DefaultGraph):
            raise InputError(
                f"{dataset.origin}: has statements outside any named graph; push sends named "
                "graphs only (use a TriG or N-Quads file, or the build)"
            )
        graph = quad.graph_name.value
        if graph != current:
            if current is not None:
                yield GraphBody(
                    current, len(triples), serialize(triples, format=RdfFormat.N_TRIPLES)
                )
            current, triples = graph, []
        triples.append(quad.triple)
    if current is not None:
        yield GraphBody(current, len(triples), serialize(triples, format=RdfFormat.N_TRIPLES))


class Remote:
    """A Graph Store endpoint and its SPARQL endpoint, with bounded retries."""

    def __init__(
        self,
        store_url: str,
        query_url: str,
        *,
        retries: int = 4,
        backoff: float = 0.5,
        timeout: float = 60.0,
        environ=os.environ,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import httpx

        auth, headers = credentials(environ)
        self.store_url = store_url
        self.query_url = query_url
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.client = httpx.Client(
            auth=auth, headers=headers, timeout=timeout, trust_env=False, follow_redirects=False
        )

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, url: str, **kwargs):
        import httpx

        what = f"{method} {url}"
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as error:
                if last:
                    raise Unreachable(
                        f"{_host(url)}: cannot be reached after {attempt + 1} attempts "
                        f"({_one_line(error) or type(error).__name__})"
                    ) from None
            else:
                if response.status_code < 500 or last:
                    return self._checked(response, what)
            self.sleep(min(self.backoff * (2**attempt), 30.0))
        raise AssertionError("unreachable")

    def _checked(self, response, what: str):
        if response.status_code >= 500:
            raise Unreachable(
                f"{what}: the server kept failing ({response.status_code} "
                f"{_excerpt(response.text)}) after {self.retries + 1} attempts"
            )
        if response.status_code >= 400:
            raise EnvironmentProblem(
                f"{what}: refused with {response.status_code} {_excerpt(response.text)}"
            )
        return response

    def graph_url(self, graph: str) -> str:
        import httpx

        return str(httpx.URL(self.store_url, params={"graph": graph}))

    def put(self, graph: GraphBody, *, replace: bool) -> None:
        self.request(
            "PUT" if replace else "POST",
            self.graph_url(graph.iri),
            content=graph.body,
            headers={"Content-Type": NTRIPLES},
        )

    def delete(self, graph: str) -> None:
        self.request("DELETE", self.graph_url(graph))

    def counts(self) -> dict[str, int]:
        """Triples per named graph on the remote, by SPARQL."""
        response = self.request(
            "POST",
            self.query_url,
            data={
                "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            },
            headers={"Accept": RESULTS_JSON},
        )
        try:
            rows = response.json()["results"]["bindings"]
            return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
        except (ValueError, KeyError, TypeError):
            # Oxigraph answers a query it cancelled with 200 and an error text: never "verified"
            raise EnvironmentProblem(
                f"{self.query_url}: the answer to the count query is not SPARQL JSON results "
                f"({_excerpt(response.text)})"
            ) from None


def push_dataset(
    dataset,
    remote: Remote,
    *,
    replace: bool = True,
    progress: Callable[[str], None] | None = None,
    after_graph: Callable[[int], None] | None = None,
) -> PushResult:
    """Send every named graph of ``dataset``, drop remote extras (replace), then verify."""
    say = progress or (lambda text: None)
    started = time.perf_counter()
    result = PushResult()
    ours: dict[str, int] = {}
    total = len(dataset.named_graphs())
    step = max(1, total // 10)
    try:
        for index, graph in enumerate(graph_bodies(dataset), start=1):
            remote.put(graph, replace=replace)
            ours[graph.iri] = graph.triples
            result.sent += 1
            result.triples += graph.triples
            if index % step == 0 or index == total:
                say(f"push: {index}/{total} graphs sent ({result.triples} triples)")
            if after_graph is not None:
                after_graph(index)
        theirs = remote.counts()
    except Unreachable as error:
        raise Unreachable(
            f"push: {error}; {result.sent} of {total} graphs were sent: run the push again "
            "to finish"
        ) from None
    if replace:
        for extra in sorted(set(theirs) - set(ours)):
            remote.delete(extra)
            result.deleted.append(extra)
        if result.deleted:
            say(f"push: {len(result.deleted)} remote graphs we do not have deleted")
            theirs = remote.counts()
    for graph in sorted(set(ours) | (set(theirs) if replace else set())):
        mine, remote_count = ours.get(graph, 0), theirs.get(graph)
        same = remote_count == mine if replace else (remote_count or 0) >= mine
        if not same:
            result.diverging.append((graph, mine, remote_count))
    result.seconds = time.perf_counter() - started
    return result


def describe_divergence(result: PushResult, limit: int = 5) -> str:
    parts = [
        f"<{iri}> ours {mine}, remote {'none' if theirs is None else theirs}"
        for iri, mine, theirs in result.diverging[:limit]
    ]
    more = len(result.diverging) - limit
    tail = f", and {more} more" if more > 0 else ""
    return (
        f"push: verification failed: triple counts differ in {len(result.diverging)} graphs: "
        + "; ".join(parts)
        + tail
    )


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _excerpt(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
