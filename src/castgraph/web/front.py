"""The ASGI middleware in front of the routes of ``castgraph serve``: security headers, CORS
for GET, the cache of whole answers, and no stack trace to a client."""

from __future__ import annotations

import contextlib
import sys

from starlette.responses import Response

from castgraph.web.cache import AnswerCache

TEXT = "text/plain; charset=utf-8"
# Our own pages load only our own files; the org chart (inline script and style, with its own
# policy in a meta tag) and the ontology documentation (inline style) are framed by ours only.
CSP = b"default-src 'self'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'"
CSP_INLINE = (
    b"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    b"frame-ancestors 'self'; base-uri 'none'"
)


def plain(status: int, message: str, **headers) -> Response:
    """A one-line text answer (every error of the server is one)."""
    return Response(message.rstrip("\n") + "\n", status, media_type=TEXT, headers=headers or None)


CACHE_MARK = b"x-castgraph-cacheable"


class Front:
    """ASGI middleware in front of the routes.

    * CORS for GET without credentials, ``X-Content-Type-Options``;
    * a cache of whole GET answers by path, query string and Accept: an answer the routes
      marked cacheable (a worker's 200) is sent again without routing or parsing (the dataset
      is read-only while the server runs);
    * no stack trace to a client: an exception is one line in the log and a short 500.
    """

    def __init__(self, app, cors: bool, cache_bytes: int):
        self.app = app
        self.cors = cors
        self.cache = AnswerCache(cache_bytes)

    def _extra(self, method: str) -> list[tuple[bytes, bytes]]:
        extra = [(b"x-content-type-options", b"nosniff")]
        if self.cors and method in ("GET", "HEAD"):
            extra.append((b"access-control-allow-origin", b"*"))
        return extra

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        key = None
        if method == "GET":
            accept = b""
            for name, value in scope["headers"]:
                if name == b"accept":
                    accept = value
                    break
            key = (scope["path"], scope["query_string"], accept)
            hit = self.cache.get(key)
            if hit is not None:
                status, headers, body = hit
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        started = False
        keep: list | None = None

        async def sending(message):
            nonlocal started, keep
            if message["type"] == "http.response.start":
                started = True
                original = message.get("headers", [])
                headers = [h for h in original if h[0] != CACHE_MARK] + self._extra(method)
                if any(k == b"content-type" and v.startswith(b"text/html") for k, v in original):
                    inline = scope["path"].startswith(("/orgchart/chart", "/def"))
                    headers.append((b"content-security-policy", CSP_INLINE if inline else CSP))
                marked = any(name == CACHE_MARK for name, _ in original)
                if key is not None and message["status"] == 200 and marked:
                    keep = [message["status"], headers, []]
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and keep is not None:
                keep[2].append(message.get("body", b""))
                if not message.get("more_body", False):
                    self.cache.put(key, (keep[0], keep[1], b"".join(keep[2])))
                    keep = None
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:  # one line in the log, a short message to the client
            print(
                f"castgraph serve: internal error: {type(error).__name__}: {error}",
                file=sys.stderr,
            )
            if not started:
                with contextlib.suppress(Exception):
                    await plain(500, "internal error")(scope, receive, send)
