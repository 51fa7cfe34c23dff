"""The embedded query engine: the built dataset in an in-memory pyoxigraph Store.

Queries see the union of the source graphs by default (``union=True``); ``graph=`` restricts
them to one source's graph. rdflib is kept off this path: pyoxigraph loads and queries the
full-size graph an order of magnitude faster.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse

from castgraph.errors import InputError, display_path
from castgraph.namespaces import PREFIXES

FORMATS_BY_SUFFIX = {
    ".trig": RdfFormat.TRIG,
    ".nq": RdfFormat.N_QUADS,
    ".nquads": RdfFormat.N_QUADS,
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
}


def store_from_quads(quads: Iterable[Quad], *, union_default: bool = False) -> Store:
    """An in-memory store of the quads.

    With ``union_default`` the default graph also holds the union of the named graphs, each
    triple once: pyoxigraph's union default graph is a multiset (a statement made by three
    sources matches three times), which would inflate COUNTs in user queries. Stores used to
    check the dataset itself keep the default graph empty, as built.
    """
    store = Store()
    quads = list(quads)
    store.bulk_extend(quads)
    if union_default:
        default = DefaultGraph()
        store.bulk_extend({Quad(q.subject, q.predicate, q.object, default) for q in quads})
    return store


def has_union_default(store: Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, DefaultGraph())), None) is not None


def read_quads(path: Path) -> list[Quad]:
    """Parse a dataset file (TriG, N-Quads, Turtle, N-Triples); syntax errors become InputError."""
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(f"{display_path(path)}: unknown dataset format (expected one of: {known})")
    try:
        with path.open("rb") as handle:
            return list(parse(handle, format=fmt))
    except FileNotFoundError:
        raise InputError(
            f"{display_path(path)}: file not found (run `castgraph build` first)"
        ) from None
    except SyntaxError as error:
        raise InputError(f"{display_path(path)}:{_syntax_position(error)} {error}") from None


def _syntax_position(error: SyntaxError) -> str:
    line = getattr(error, "lineno", None)
    return f"{line}:" if line else ""


def load_store(path: Path, *, union_default: bool = False) -> Store:
    return store_from_quads(read_quads(path), union_default=union_default)


def select(
    store: Store, query: str, *, union: bool = True, graph: str | None = None, substitutions=None
):
    """Run a SELECT or ASK with the project prefixes available; returns pyoxigraph results."""
    kwargs = {}
    if graph:
        kwargs["default_graph"] = NamedNode(graph)
    elif union and not has_union_default(store):
        kwargs["use_default_graph_as_union"] = True
    return store.query(query, prefixes=dict(PREFIXES), substitutions=substitutions, **kwargs)
