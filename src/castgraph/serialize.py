"""Deterministic RDF text from sorted quads, written by pyoxigraph with one fixed prefix table.

Sorting before writing makes every format byte-stable across runs and hash seeds; the writers
group consecutive statements about one subject, so sorted input also reads well.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import DefaultGraph, Quad, RdfFormat, Triple, serialize

from castgraph.build import quad_sort_key
from castgraph.namespaces import PREFIXES

QUAD_FORMATS = {"trig": RdfFormat.TRIG, "nquads": RdfFormat.N_QUADS}
TRIPLE_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "rdfxml": RdfFormat.RDF_XML,
}


def union_triples(quads: Iterable[Quad]) -> list[Triple]:
    """The union of all graphs: each distinct triple once, sorted."""
    triples = {Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def to_bytes(quads: Iterable[Quad], fmt: str) -> bytes:
    """Serialize to ``trig``/``nquads`` (graphs kept) or ``turtle``/``ntriples``/``rdfxml`` (union)."""
    quads = list(quads)
    if fmt in QUAD_FORMATS:
        ordered = sorted(quads, key=quad_sort_key)
        data = serialize(ordered, format=QUAD_FORMATS[fmt], prefixes=_prefixes(fmt))
    elif fmt in TRIPLE_FORMATS:
        data = serialize(union_triples(quads), format=TRIPLE_FORMATS[fmt], prefixes=_prefixes(fmt))
    else:
        raise ValueError(f"unknown RDF format {fmt!r}")
    assert data is not None
    return _ordered_prefix_block(data) if fmt in ("trig", "turtle") else data


def _ordered_prefix_block(data: bytes) -> bytes:
    """Put the ``@prefix`` lines in our fixed order (the writer emits them in hash-map order)."""
    lines = data.split(b"\n")
    head = [line for line in lines if line.startswith(b"@prefix ")]
    body = lines[len(head) :]
    order = {f"@prefix {p}:".encode(): i for i, p in enumerate(PREFIXES)}
    head.sort(
        key=lambda line: order.get(
            line.split(b" ", 2)[0] + b" " + line.split(b" ", 2)[1], len(order)
        )
    )
    return b"\n".join([*head, *body])


def _prefixes(fmt: str) -> dict[str, str] | None:
    return None if fmt in ("nquads", "ntriples") else dict(PREFIXES)


def is_default_graph(quad: Quad) -> bool:
    return isinstance(quad.graph_name, DefaultGraph)
