"""Deterministic RDF text, written by pyoxigraph with one fixed prefix table.

Every writer takes statements that are already sorted (the build sorts once; a dataset read
from a file is sorted here, once) and streams them to a file or to bytes. Sorted input makes every
format byte-stable across runs and hash seeds, and the writers group consecutive statements
about one subject, so it also reads well.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from pyoxigraph import DefaultGraph, Quad, RdfFormat, Triple, parse, serialize

from castgraph.namespaces import PREFIXES

QUAD_FORMATS = {"trig": RdfFormat.TRIG, "nquads": RdfFormat.N_QUADS}
TRIPLE_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "rdfxml": RdfFormat.RDF_XML,
}
_PREFIX_ORDER = {f"@prefix {p}:".encode(): i for i, p in enumerate(PREFIXES)}


def quad_sort_key(quad: Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def triple_sort_key(triple: Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def union_triples(quads: Iterable[Quad]) -> list[Triple]:
    """The union of all graphs: each distinct triple once, sorted."""
    triples = {Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=triple_sort_key)


def to_bytes(quads: Iterable[Quad], fmt: str) -> bytes:
    """Serialize quads in any order to ``trig``/``nquads`` (graphs kept) or a triple format (union)."""
    quads = list(quads)
    if fmt in QUAD_FORMATS:
        items: Iterable = sorted(quads, key=quad_sort_key)
    elif fmt in TRIPLE_FORMATS:
        items = union_triples(quads)
    else:
        raise ValueError(f"unknown RDF format {fmt!r}")
    out = _BytesSink()
    write_sorted(items, fmt, out)
    return out.getvalue()


def write_sorted(items: Iterable[Quad] | Iterable[Triple], fmt: str, output: BinaryIO) -> None:
    """Stream sorted quads (quad formats) or sorted distinct triples (triple formats) to output."""
    rdf_format = QUAD_FORMATS.get(fmt) or TRIPLE_FORMATS.get(fmt)
    if rdf_format is None:
        raise ValueError(f"unknown RDF format {fmt!r}")
    prefixes = None if fmt in ("nquads", "ntriples") else dict(PREFIXES)
    target: BinaryIO = _PrefixOrdering(output) if fmt in ("trig", "turtle") else output
    serialize(items, target, format=rdf_format, prefixes=prefixes)
    if isinstance(target, _PrefixOrdering):
        target.close()


def turtle_bytes(triples: Iterable[Triple], prefixes: dict[str, str] | None = None) -> bytes:
    """Turtle of ``triples`` (in the order given) with the ``@prefix`` lines in the order of
    ``prefixes`` (default: the project's table), whatever pyoxigraph's hash-map order."""
    prefixes = dict(PREFIXES) if prefixes is None else prefixes
    out = _BytesSink()
    order = {f"@prefix {p}:".encode(): i for i, p in enumerate(prefixes)}
    target = _PrefixOrdering(out, order)
    serialize(triples, target, format=RdfFormat.TURTLE, prefixes=prefixes)
    target.close()
    return out.getvalue()


def reserialize(source: BinaryIO, source_format: RdfFormat, fmt: str, output: BinaryIO) -> None:
    """Parse sorted RDF (N-Quads or N-Triples we wrote) and write it in ``fmt``, streaming.

    The parse is lenient (IRIs not validated again, three times faster): ``source`` is a file
    this build wrote from terms it had checked, never a user's file."""
    items: Iterator = parse(source, format=source_format, lenient=True)
    if fmt in TRIPLE_FORMATS and source_format == RdfFormat.N_QUADS:
        raise ValueError("a triple format needs the union (write it from N-Triples)")
    if fmt in QUAD_FORMATS and source_format == RdfFormat.N_TRIPLES:
        items = (Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in items)
    write_sorted(items, fmt, output)


class HashingWriter:
    """A binary file wrapper that keeps the SHA-256 and size of what went through it."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()


class _BytesSink:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


class _PrefixOrdering:
    """Passes the writer's output through, with its ``@prefix`` block in our fixed order.

    pyoxigraph writes the prefix lines first, in hash-map order; the block is held back until
    the first other line arrives, sorted, and everything after it streams through unchanged.
    """

    def __init__(self, output: BinaryIO, order: dict[bytes, int] | None = None) -> None:
        self.output = output
        self.order = order if order is not None else _PREFIX_ORDER
        self.head = b""
        self.passing = False

    def write(self, data: bytes) -> int:
        if self.passing:
            return self.output.write(data) or len(data)
        self.head += bytes(data)
        lines = self.head.split(b"\n")
        complete = lines[:-1]
        prefix_count = 0
        for line in complete:
            if not line.startswith(b"@prefix "):
                break
            prefix_count += 1
        if prefix_count < len(complete):
            self._release(lines, prefix_count)
        return len(data)

    def _release(self, lines: list[bytes], prefix_count: int) -> None:
        head = lines[:prefix_count]
        head.sort(key=lambda line: self.order.get(b" ".join(line.split(b" ", 2)[:2]), 999))
        self.output.write(b"\n".join([*head, *lines[prefix_count:]]))
        self.head = b""
        self.passing = True

    def flush(self) -> None:
        if self.passing:
            self.output.flush()

    def close(self) -> None:
        if not self.passing:  # only prefixes (an empty graph), or nothing at all
            lines = self.head.split(b"\n")
            self._release(lines, sum(1 for line in lines if line.startswith(b"@prefix ")))
        self.output.flush()


def is_default_graph(quad: Quad) -> bool:
    return isinstance(quad.graph_name, DefaultGraph)
