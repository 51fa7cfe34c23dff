"""The dataset's description of itself (VoID + DCAT), in its own graph ``graph:dataset``.

Title, licence, the release's version and date (from data/releases.yaml, never the clock), the
number of distinct triples of the whole dataset and of each named graph, each graph a
``void:subset``. Counts include this graph's own statements (the number of statements does not
depend on the numbers stated, so the counts are exact). Distributions and their checksums
cannot be part of the files they describe: ``castgraph site`` adds them in its ``void.ttl``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode

from castgraph.loaders.records import Release
from castgraph.namespaces import (
    DATASET,
    DATASET_GRAPH,
    DCAT,
    DCT,
    ID,
    LICENSE,
    OWL,
    RDF,
    VOID,
    XSD,
)

TITLE_EN = "castgraph: a knowledge graph of the China Association for Science and Technology"
TITLE_ZH = "中国科学技术协会知识图谱 (castgraph)"
DESCRIPTION = (
    "An open, sourced RDF knowledge graph of the China Association for Science and Technology "
    "(CAST): its organization, headquarters units, posts and their holders over time, member "
    "societies, provincial and city associations, international memberships and reported "
    "figures, each statement in the named graph of the source document it comes from."
)

Statement = tuple[str, str, str, str]


def _n(iri: str) -> str:
    return str(NamedNode(iri))


def _int(value: int) -> str:
    return str(Literal(str(value), datatype=NamedNode(XSD.integer)))


def describe(statements: Iterable[Statement], release: Release | None) -> set[Statement]:
    """The statements of ``graph:dataset`` for a dataset made of ``statements``."""
    statements = list(statements)
    g, d = _n(DATASET_GRAPH), _n(DATASET)
    own: set[Statement] = set()

    def add(subject: str, predicate: str, obj: str) -> None:
        own.add((g, subject, _n(predicate), obj))

    add(d, RDF.type, _n(VOID.Dataset))
    add(d, RDF.type, _n(DCAT.Dataset))
    add(d, DCT.title, str(Literal(TITLE_EN, language="en")))
    add(d, DCT.title, str(Literal(TITLE_ZH, language="zh-Hans")))
    add(d, DCT.description, str(Literal(DESCRIPTION, language="en")))
    add(d, DCT.license, _n(LICENSE))
    add(d, VOID.uriSpace, str(Literal(ID[""])))
    if release is not None:
        add(d, OWL.versionInfo, str(Literal(release.version)))
        add(d, DCAT.version, str(Literal(release.version)))
        add(d, DCT.issued, str(Literal(release.date, datatype=NamedNode(XSD.date))))
    per_graph = Counter(graph for graph, *_ in statements)
    graphs = sorted(set(per_graph) | {g})
    for graph in graphs:
        add(d, VOID.subset, graph)
    # one count statement per graph and one for the whole: their number is known now
    own_count = len(own) + len(graphs) + 1
    per_graph[g] = own_count
    for graph in graphs:
        add(graph, VOID.triples, _int(per_graph[graph]))
    union = {s[1:] for s in statements}
    before = len(union)
    union.update(s[1:] for s in own)
    add(d, VOID.triples, _int(len(union) + 1))  # + this statement
    assert len(union) == before + len(own) - 1
    assert len(own) == own_count
    return own
