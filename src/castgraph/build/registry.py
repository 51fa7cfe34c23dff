"""The two graphs of our own that describe the others: the registry (each source document and
the graph of what it states, with its grade and date) and the vocabulary (concept schemes)."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from castgraph.build.terms import (
    _XSD_BOOLEAN,
    _XSD_DATE,
    Sink,
    concept,
    en,
    graph_node,
    integer,
    source_node,
)
from castgraph.loaders import vocabulary as vocab
from castgraph.loaders.records import Records
from castgraph.namespaces import (
    CAST,
    DATASET_GRAPH,
    DCT,
    ORG,
    PROV,
    RDF,
    RDFS,
    REGISTRY_GRAPH,
    SCHEME,
    SDO,
    SKOS,
    VOCABULARY_GRAPH,
)


def describe_sources(records: Records, sink: Sink) -> None:
    """Describe every source document and the named graph built from it."""
    registry = REGISTRY_GRAPH
    sink.add_in(registry, NamedNode(registry), RDF.type, NamedNode(CAST.SourceGraph))
    sink.add_in(registry, NamedNode(registry), RDFS.label, en("castgraph source registry"))
    sink.add_in(
        registry,
        NamedNode(registry),
        DCT.description,
        en("Describes every source document and the named graph built from it."),
    )
    vocabulary = NamedNode(VOCABULARY_GRAPH)
    sink.add_in(registry, vocabulary, RDF.type, NamedNode(CAST.SourceGraph))
    sink.add_in(registry, vocabulary, RDFS.label, en("castgraph controlled vocabularies"))
    sink.add_in(
        registry,
        vocabulary,
        DCT.description,
        en(
            "Concept schemes curated by the castgraph project: kinds of organization, roles, measures and discipline groups."
        ),
    )
    sink.add_in(registry, vocabulary, PROV.wasDerivedFrom, source_node("curation"))
    described = NamedNode(DATASET_GRAPH)
    sink.add_in(registry, described, RDF.type, NamedNode(CAST.SourceGraph))
    sink.add_in(registry, described, RDFS.label, en("castgraph dataset description"))
    sink.add_in(registry, described, PROV.wasDerivedFrom, source_node("curation"))
    sink.add_in(
        registry,
        described,
        DCT.description,
        en(
            "Our description of the dataset (VoID and DCAT): title, licence, release version and date, triples per named graph."
        ),
    )
    for source in records.sources:
        doc = source_node(source.key)
        graph = graph_node(source.key)
        sink.add_in(registry, doc, RDF.type, NamedNode(PROV.Entity))
        sink.add_in(registry, doc, RDF.type, NamedNode(DCT.BibliographicResource))
        sink.add_in(registry, doc, SKOS.notation, Literal(source.key))
        sink.add_in(registry, doc, DCT.title, en(source.title))
        sink.add_in(registry, doc, RDFS.label, en(f"[{source.key}] {source.title}"))
        sink.add_in(registry, doc, CAST.sourceKind, Literal(source.kind))
        sink.add_in(registry, doc, CAST.grade, Literal(source.grade))
        if source.publisher:
            sink.add_in(registry, doc, SDO.publisher, en(source.publisher))
        if source.note:
            sink.add_in(registry, doc, DCT.description, en(source.note))
        if source.url:
            sink.add_in(registry, doc, SDO.url, Literal(source.url))
        if source.copy_url:
            sink.add_in(registry, doc, CAST.publicCopy, Literal(source.copy_url))
        if source.issued:
            sink.add_in(
                registry,
                doc,
                DCT.issued,
                Literal(source.issued.lexical, datatype=NamedNode(source.issued.datatype)),
            )
        if source.speaks_for:
            date = source.speaks_for
            sink.add_in(
                registry,
                doc,
                CAST.speaksFor,
                Literal(date.lexical, datatype=NamedNode(date.datatype)),
            )
            sink.add_in(registry, doc, CAST.speaksForKey, Literal(date.key, datatype=_XSD_DATE))
            sink.add_in(registry, doc, CAST.speaksForPrecision, integer(date.precision))
            if date.approximate:
                sink.add_in(
                    registry, doc, CAST.approximateDate, Literal("true", datatype=_XSD_BOOLEAN)
                )
        sink.add_in(registry, graph, RDF.type, NamedNode(CAST.SourceGraph))
        sink.add_in(registry, graph, PROV.wasDerivedFrom, doc)
        sink.add_in(registry, graph, DCT.source, doc)
        sink.add_in(registry, graph, RDFS.label, en(f"statements of source {source.key}"))


def describe_vocabulary(records: Records, sink: Sink) -> None:
    graph = VOCABULARY_GRAPH
    # The value qualifiers figures point to, typed here too so the dataset checks on its own
    # (the ontology defines them in full).
    for slug, qualifier in vocab.QUALIFIERS.items():
        node = NamedNode(qualifier)
        sink.add_in(graph, node, RDF.type, NamedNode(CAST.ValueQualifier))
        sink.add_in(graph, node, SKOS.inScheme, NamedNode(CAST.ValueQualifiers))
        sink.add_in(graph, node, SKOS.prefLabel, en(slug.replace("-", " ")))
    for scheme in sorted({c.scheme for c in records.concepts}):
        node = NamedNode(SCHEME[scheme])
        sink.add_in(graph, node, RDF.type, NamedNode(SKOS.ConceptScheme))
        sink.add_in(graph, node, SKOS.prefLabel, en(scheme.replace("-", " ")))
    for c in records.concepts:
        node = concept(c.id)
        sink.add_in(graph, node, RDF.type, NamedNode(SKOS.Concept))
        if c.scheme == "role":
            sink.add_in(graph, node, RDF.type, NamedNode(ORG.Role))
        sink.add_in(graph, node, SKOS.inScheme, NamedNode(SCHEME[c.scheme]))
        sink.add_in(graph, node, SKOS.prefLabel, en(c.label_en))
        if c.label_zh_hans:
            sink.add_in(graph, node, SKOS.prefLabel, Literal(c.label_zh_hans, language="zh-Hans"))
        if c.definition:
            sink.add_in(graph, node, SKOS.definition, en(c.definition))
        if c.broader:
            sink.add_in(graph, node, SKOS.broader, concept(c.broader))
