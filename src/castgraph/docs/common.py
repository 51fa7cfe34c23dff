"""What the ontology and shapes pages share: links to terms, and reading literals of a graph."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from castgraph.errors import InputError, display_path
from castgraph.namespaces import shorten


@dataclass(frozen=True)
class Link:
    text: str
    href: str


def _text(graph, subject, predicate, language: str | None = "en") -> str:
    values = []
    for value in graph.objects(subject, _uri(predicate)):
        lang = (getattr(value, "language", None) or "").lower()
        if language is None or lang == language or (language == "en" and not lang):
            values.append(str(value))
    return sorted(values)[0] if values else ""


def _uri(iri: str):
    import rdflib

    return rdflib.URIRef(iri)


def _link(iri: str, own: set[str] | frozenset[str] = frozenset(), page: str = "") -> Link:
    curie = shorten(iri).strip("<>")
    if iri in own:
        return Link(curie, f"{page}#{_anchor(iri)}")
    return Link(curie, iri)


def _anchor(iri: str) -> str:
    return shorten(iri).strip("<>").replace(":", "-")


def _parse(path: Path):
    import rdflib

    graph = rdflib.Graph(bind_namespaces="none")
    try:
        graph.parse(data=path.read_bytes(), format="turtle")
    except FileNotFoundError:
        raise InputError(f"{display_path(path)}: file not found") from None
    except Exception as error:  # rdflib raises several unrelated types for bad Turtle
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"{display_path(path)}: {first}") from None
    return graph
