"""The dataset's description of itself (VoID + DCAT), in its own graph ``graph:dataset``.

Title, licence, the release's version and date (from data/releases.yaml, never the clock), the
number of distinct triples of the whole dataset and of each named graph, each graph a
``void:subset``. Counts include this graph's own statements (the number of statements does not
depend on the numbers stated, so the counts are exact). Distributions and their checksums
cannot be part of the files they describe: ``castgraph site`` adds them in its ``void.ttl``.
"""

from __future__ import annotations

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


def _n(iri: str) -> str:
    return str(NamedNode(iri))


def _int(value: int) -> str:
    return str(Literal(str(value), datatype=NamedNode(XSD.integer)))


def describe(
    triples_per_graph: dict[str, int], distinct_triples: int, release: Release | None
) -> list[tuple[str, str, str]]:
    """The triples of ``graph:dataset`` (N-Triples terms) for a dataset of the given size.

    ``triples_per_graph`` maps each graph (in N-Triples syntax) to its number of triples,
    ``distinct_triples`` is the size of the union. None of these triples is in another graph
    (their subjects are the dataset and its graphs, described nowhere else), so the union grows
    by exactly their number.
    """
    d = _n(DATASET)
    own: list[tuple[str, str, str]] = []

    def add(subject: str, predicate: str, obj: str) -> None:
        own.append((subject, _n(predicate), obj))

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
    g = _n(DATASET_GRAPH)
    graphs = sorted({*triples_per_graph, g})
    for graph in graphs:
        add(d, VOID.subset, graph)
    # one count statement per graph and one for the whole: their number is known now
    counts = {**triples_per_graph, g: len(own) + len(graphs) + 1}
    for graph in graphs:
        add(graph, VOID.triples, _int(counts[graph]))
    add(d, VOID.triples, _int(distinct_triples + len(own) + 1))  # + this statement
    assert len(own) == counts[g]
    return own
