"""SPARQL over a store with the project prefixes: the union of the source graphs by default.

``union=True`` queries see every source graph at once: the store's default graph when it holds
the materialized union (as every store castgraph writes does), else pyoxigraph's union default
graph. ``graph=`` restricts a query to one source's graph.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Store

from castgraph.namespaces import PREFIXES


def has_union_default(store: Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, DefaultGraph())), None) is not None


def load_store(path: Path) -> Store:
    """A dataset file in a temporary store, union in the default graph (tests, benchmarks)."""
    from castgraph.dataset.store import load_file

    return load_file(path).store


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
