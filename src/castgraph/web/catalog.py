"""Per-dataset lookups every entity page needs: the sources (from the registry graph) and the
labels of IRIs, cached (the store is read-only); the terms and sources pages show.

No web framework here (see ``castgraph.web.entity``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from castgraph.namespaces import CAST, DCT, FOAF, GRAPH, RDFS, REGISTRY_GRAPH, SDO, SKOS, shorten


@dataclass(frozen=True)
class Source:
    graph: str
    key: str
    title: str
    date: str = ""  # the date the source speaks for (as the registry gives it)
    grade: str = ""
    url: str = ""

    @property
    def label(self) -> str:
        return f"{self.key} ({self.date})" if self.date else self.key


@dataclass(frozen=True)
class Term:
    """An object or subject of a statement, ready to show."""

    value: str  # IRI or lexical form
    is_iri: bool
    label: str  # what to show (a name, a CURIE, or the literal)
    lang: str = ""
    datatype: str = ""

    @property
    def key(self) -> tuple:
        return (self.value, self.lang, self.datatype, self.is_iri)


class Catalog:
    """Per-dataset lookups shared by every page: sources and labels (cached; the store is read-only)."""

    def __init__(self, dataset):
        self.dataset = dataset
        self._sources: dict[str, Source] | None = None
        self._labels: dict[str, tuple[str, str]] = {}

    def select(self, text: str):
        return self.dataset.query(text)

    @property
    def sources(self) -> dict[str, Source]:
        if self._sources is None:
            found: dict[str, Source] = {}
            rows = self.select(
                f"""SELECT ?g ?key ?title ?date ?grade ?url WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{
                  ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc .
                  ?doc <{SKOS.notation}> ?key .
                  OPTIONAL {{ ?doc <{DCT.title}> ?title }}
                  OPTIONAL {{ ?doc <{CAST.speaksFor}> ?date }}
                  OPTIONAL {{ ?doc <{CAST.grade}> ?grade }}
                  OPTIONAL {{ ?doc <{SDO.url}> ?url }} }} }}"""
            )
            for row in rows:
                graph = row["g"].value
                found[graph] = Source(
                    graph=graph,
                    key=row["key"].value,
                    title=_value(row["title"]),
                    date=_value(row["date"]),
                    grade=_value(row["grade"]),
                    url=_value(row["url"]),
                )
            self._sources = found
        return self._sources

    def source(self, graph: str) -> Source:
        known = self.sources.get(graph)
        if known is not None:
            return known
        key = graph.removeprefix(GRAPH[""])
        titles = {
            "curation": "the curators' inferences and notes",
            "vocabulary": "the controlled vocabularies",
            "registry": "the registry of sources",
        }
        return Source(graph=graph, key=key, title=titles.get(key, key))

    def preload(self) -> None:
        """Every label of the dataset in one query (a worker does this once, at start)."""
        found: dict[str, dict[str, str]] = defaultdict(dict)
        rows = self.select(
            f"SELECT ?x ?l WHERE {{ ?x <{SKOS.prefLabel}>|<{FOAF.name}>|<{RDFS.label}> ?l "
            "FILTER(isIRI(?x)) }"
        )
        for row in rows:
            _keep_best(found[row["x"].value], row["l"])
        for iri, best in found.items():
            self._labels[iri] = (best.get("en") or best.get("other", ""), best.get("zh", ""))

    def labels(self, iris) -> dict[str, tuple[str, str]]:
        """``{iri: (english, chinese)}`` for every IRI (names, labels), cached."""
        wanted = [i for i in dict.fromkeys(iris) if i not in self._labels]
        for start in range(0, len(wanted), 400):
            chunk = wanted[start : start + 400]
            values = " ".join(f"<{iri}>" for iri in chunk)
            found: dict[str, dict[str, str]] = defaultdict(dict)
            rows = self.select(
                f"""SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }}
                ?x <{SKOS.prefLabel}>|<{FOAF.name}>|<{RDFS.label}> ?l }}"""
            )
            for row in rows:
                _keep_best(found[row["x"].value], row["l"])
            for iri in chunk:
                best = found.get(iri, {})
                self._labels[iri] = (best.get("en") or best.get("other", ""), best.get("zh", ""))
        return {iri: self._labels[iri] for iri in iris}

    def term(self, node) -> Term:
        from pyoxigraph import Literal, NamedNode

        if isinstance(node, NamedNode):
            en, zh = self.labels([node.value])[node.value]
            return Term(node.value, True, en or zh or shorten(node.value))
        if isinstance(node, Literal):
            datatype = node.datatype.value if node.datatype is not None else ""
            return Term(node.value, False, node.value, node.language or "", datatype)
        return Term(str(node), False, str(node))


def _keep_best(best: dict[str, str], label) -> None:
    """Keep, per slot (en, zh, other), the smallest label: deterministic whatever the order."""
    lang = (getattr(label, "language", None) or "").lower()
    chinese = lang in ("zh", "zh-cn") or lang.startswith("zh-hans")
    slot = "zh" if chinese else "en" if lang in ("en", "") else "other"
    if slot not in best or label.value < best[slot]:
        best[slot] = label.value


def catalog_for(dataset) -> Catalog:
    """The dataset's catalog, made once and kept on the dataset object."""
    catalog = getattr(dataset, "_castgraph_catalog", None)
    if catalog is None:
        catalog = Catalog(dataset)
        dataset._castgraph_catalog = catalog
    return catalog


def _value(node) -> str:
    return node.value if node is not None else ""


_SAFE_IRI = re.compile(r"[^\x00-\x20<>\"{}|^`\\]+")


def check_iri(iri: str) -> str:
    """``iri`` if it can stand between ``<`` and ``>`` in a query; ValueError otherwise (the
    IRI is written into the page's SPARQL, so nothing may close the ``<...>``)."""
    if not _SAFE_IRI.fullmatch(iri):
        raise ValueError(f"not an IRI: {iri!r}")
    return iri


def _is_iri(node) -> bool:
    from pyoxigraph import NamedNode

    return isinstance(node, NamedNode)
