"""Records -> RDF quads: one named graph per source document, plus a registry and a vocabulary graph.

This is the only module that mints triples. It uses pyoxigraph terms (not rdflib) so that the
build stays fast at the scale of the full CAST system. The result is sorted and free of blank
nodes, so every serialization of it is byte-stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from castgraph.build.inferences import latest_ends
from castgraph.dates import PartialDate, parse_date
from castgraph.loaders import vocabulary as vocab
from castgraph.loaders.records import Records, Source
from castgraph.namespaces import (
    CAST,
    CONCEPT,
    DATASET_GRAPH,
    DCT,
    FOAF,
    GRAPH,
    ID,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    REGISTRY_GRAPH,
    SCHEME,
    SDMX_MEASURE,
    SDO,
    SKOS,
    SOURCE,
    TIME,
    VCARD,
    VOCABULARY_GRAPH,
    WD,
    XSD,
)

_XSD_INTEGER = NamedNode(XSD.integer)
_XSD_DECIMAL = NamedNode(XSD.decimal)
_XSD_DATE = NamedNode(XSD.date)
_XSD_BOOLEAN = NamedNode(XSD.boolean)
_TYPE = NamedNode(RDF.type)


# Term constructors are cached: a build creates the same few thousand terms millions of times
# at the scale of the full CAST system, and pyoxigraph validates every IRI it is given.
@cache
def iri(value: str) -> NamedNode:
    return NamedNode(value)


@cache
def _text(node: NamedNode) -> str:
    return str(node)


def entity(slug: str) -> NamedNode:
    return iri(ID[slug])


def concept(slug: str) -> NamedNode:
    return iri(CONCEPT[slug])


def source_node(key: str) -> NamedNode:
    return iri(SOURCE[key.lower()])


def graph_node(key: str) -> NamedNode:
    return iri(GRAPH[key.lower()])


def en(text: str) -> Literal:
    return Literal(text, language="en")


def integer(value: int) -> Literal:
    return Literal(str(value), datatype=_XSD_INTEGER)


def number(lexical: str) -> Literal:
    return Literal(lexical, datatype=_XSD_DECIMAL if "." in lexical else _XSD_INTEGER)


Statement = tuple[str, str, str, str]
"""(graph, subject, predicate, object), each in N-Triples syntax: sorting these tuples sorts the
dataset the way every writer wants it (graph, then subject), and joining them is N-Quads."""


@dataclass(frozen=True)
class BuiltDataset:
    """The built graph: sorted, duplicate-free statements, and the sources they came from.

    Statements are kept as N-Triples text rather than as pyoxigraph ``Quad`` objects: at the
    scale of the full CAST system a Python object per quad costs gigabytes, and the text is
    what the N-Quads writer and the store's bulk loader take anyway.
    """

    statements: tuple[Statement, ...]
    sources: tuple[Source, ...]

    def nquads_lines(self) -> Iterator[str]:
        for graph, subject, predicate, obj in self.statements:
            yield f"{subject} {predicate} {obj} {graph} .\n"

    def nquads(self) -> bytes:
        return "".join(self.nquads_lines()).encode("utf-8")

    @cached_property
    def quads(self) -> tuple[Quad, ...]:
        """The statements as pyoxigraph quads, in the same order (for tests and small graphs)."""
        return tuple(parse(self.nquads(), format=RdfFormat.N_QUADS))

    def graphs(self) -> list[str]:
        return sorted({graph[1:-1] for graph, *_ in self.statements})


class _Sink:
    """Collects statements; a statement listed with several sources goes into each source's graph."""

    def __init__(self) -> None:
        self.statements: set[Statement] = set()

    def add(
        self, subject: NamedNode, predicate: str, obj: NamedNode | Literal, keys: Iterable[str]
    ) -> None:
        s, p, o = str(subject), _text(iri(predicate)), str(obj)
        for key in keys:
            self.statements.add((_text(graph_node(key)), s, p, o))

    def add_in(
        self, graph: str, subject: NamedNode, predicate: str, obj: NamedNode | Literal
    ) -> None:
        self.statements.add((_text(iri(graph)), str(subject), _text(iri(predicate)), str(obj)))

    def date(
        self,
        subject: NamedNode,
        props: tuple[str, str, str],
        date: PartialDate,
        keys: Iterable[str],
    ) -> None:
        """A date as given (typed by precision), its ``xsd:date`` key and its precision code."""
        display, key, precision = props
        keys = tuple(keys)
        self.add(subject, display, Literal(date.lexical, datatype=NamedNode(date.datatype)), keys)
        self.add(subject, key, Literal(date.key, datatype=_XSD_DATE), keys)
        self.add(subject, precision, integer(date.precision), keys)
        if date.approximate:
            self.add(subject, CAST.approximateDate, Literal("true", datatype=_XSD_BOOLEAN), keys)


def build(records: Records) -> BuiltDataset:
    """Turn checked records into the dataset. Pure: no I/O."""
    sink = _Sink()
    _registry(records, sink)
    _vocabulary(records, sink)
    labels_en = _english_labels(records)
    role_labels = {c.id: c.label_en for c in records.concepts}

    for org in records.organizations:
        node = entity(org.id)
        sink.add(node, RDF.type, NamedNode(vocab.ORGANIZATION_TYPES[org.type]), (org.source,))
        for kind in org.kinds:
            sink.add(node, ORG.classification, concept(kind), (org.source,))
        _note(sink, node, org.note, (org.source,))
    for person in records.persons:
        sink.add(entity(person.id), RDF.type, NamedNode(FOAF.Person), (person.source,))
        _note(sink, entity(person.id), person.note, (person.source,))
    for work in records.works:
        sink.add(entity(work.id), RDF.type, NamedNode(vocab.WORK_TYPES[work.type]), (work.source,))
        _note(sink, entity(work.id), work.note, (work.source,))

    persons = {p.id for p in records.persons}
    for name in records.names:
        literal = Literal(name.name, language=name.lang)
        sink.add(entity(name.id), vocab.NAME_TYPES[name.type], literal, (name.source,))
        if name.id in persons and name.type == "preferred":
            sink.add(entity(name.id), FOAF.name, literal, (name.source,))

    for fact in records.facts:
        _fact(sink, fact.id, fact.property, fact.value, (fact.source,))

    for rel in records.relations:
        predicate, inverse = vocab.RELATIONS[rel.relation]
        sink.add(entity(rel.subject), predicate, entity(rel.object), (rel.source,))
        if inverse:
            sink.add(entity(rel.object), inverse, entity(rel.subject), (rel.source,))

    for m in records.memberships:
        node = entity(m.id)
        sink.add(node, RDF.type, NamedNode(ORG.Membership), (m.source,))
        sink.add(node, ORG.member, entity(m.member), (m.source,))
        sink.add(node, ORG.organization, entity(m.organization), (m.source,))
        sink.add(node, ORG.role, concept(m.role), (m.source,))
        sink.add(entity(m.member), ORG.memberOf, entity(m.organization), (m.source,))
        sink.add(entity(m.member), ORG.hasMembership, node, (m.source,))
        _during(sink, node, m.start, m.end, (m.source,))
        _derived(sink, node, (m.source,))
        _note(sink, node, m.note, (m.source,))

    post_org = {p.id: p for p in records.posts}
    for post in records.posts:
        node = entity(post.id)
        sink.add(node, RDF.type, NamedNode(ORG.Post), (post.source,))
        sink.add(node, ORG.postIn, entity(post.organization), (post.source,))
        sink.add(entity(post.organization), ORG.hasPost, node, (post.source,))
        sink.add(node, ORG.role, concept(post.role), (post.source,))
        where = labels_en.get(post.organization, post.organization)
        sink.add(
            node,
            RDFS.label,
            en(f"{role_labels.get(post.role, post.role)}, {where}"),
            (post.source,),
        )
        _note(sink, node, post.note, (post.source,))

    for tenure in records.tenures:
        node = entity(tenure.id)
        post = post_org[tenure.post]
        person = entity(tenure.person)
        sink.add(node, RDF.type, NamedNode(ORG.Membership), (tenure.source,))
        sink.add(node, RDF.type, NamedNode(CAST.Tenure), (tenure.source,))
        sink.add(node, ORG.member, person, (tenure.source,))
        sink.add(node, ORG.organization, entity(post.organization), (tenure.source,))
        sink.add(node, ORG.role, concept(post.role), (tenure.source,))
        sink.add(node, CAST.post, entity(post.id), (tenure.source,))
        sink.add(entity(post.id), ORG.heldBy, person, (tenure.source,))
        sink.add(person, ORG.holds, entity(post.id), (tenure.source,))
        sink.add(person, ORG.hasMembership, node, (tenure.source,))
        _during(sink, node, tenure.start, tenure.end, (tenure.source,))
        if tenure.as_of:
            sink.date(
                node, (CAST.asOf, CAST.asOfKey, CAST.asOfPrecision), tenure.as_of, (tenure.source,)
            )
        if tenure.concurrent:
            sink.add(
                node, CAST.concurrent, Literal("true", datatype=_XSD_BOOLEAN), (tenure.source,)
            )
        if tenure.term:
            sink.add(node, CAST.term, entity(tenure.term), (tenure.source,))
        who = labels_en.get(tenure.person, tenure.person)
        what = f"{role_labels.get(post.role, post.role)}, {labels_en.get(post.organization, post.organization)}"
        sink.add(node, RDFS.label, en(f"{who} as {what}"), (tenure.source,))
        _derived(sink, node, (tenure.source,))
        _note(sink, node, tenure.note, (tenure.source,))

    for term in records.terms:
        node = entity(term.id)
        keys = (term.source,)
        sink.add(node, RDF.type, NamedNode(CAST.Term), keys)
        sink.add(node, CAST.termOf, entity(term.body), keys)
        sink.add(node, SDO.position, integer(term.ordinal), keys)
        if term.congress:
            sink.add(node, CAST.openedBy, entity(term.congress), keys)
        body = labels_en.get(term.body, term.body)
        sink.add(node, RDFS.label, en(f"term {term.ordinal} of {body}"), keys)
        _note(sink, node, term.note, keys)
    for tenure_id, latest in latest_ends(records, labels_en).items():
        node = entity(tenure_id)
        sink.add(node, CAST.endsBy, Literal(latest.key, datatype=_XSD_DATE), (CURATION,))
        sink.add(node, CAST.endsByReason, en(latest.reason), (CURATION,))

    measure_labels = {c.id: c.label_en for c in records.concepts if c.scheme == "measure"}
    for obs in records.observations:
        node = entity(obs.id)
        sink.add(node, RDF.type, NamedNode(vocab.OBSERVATION_CLASS), (obs.source,))
        sink.add(node, RDF.type, NamedNode(QB.Observation), (obs.source,))
        sink.add(node, CAST.about, entity(obs.about), (obs.source,))
        sink.add(node, CAST.measure, concept(obs.measure), (obs.source,))
        sink.add(node, SDMX_MEASURE.obsValue, number(obs.value), (obs.source,))
        sink.add(node, CAST.qualifier, NamedNode(vocab.QUALIFIERS[obs.qualifier]), (obs.source,))
        if obs.date:
            sink.date(node, (DCT.date, CAST.dateKey, CAST.datePrecision), obs.date, (obs.source,))
        when = f", {obs.date}" if obs.date else ""
        label = f"{measure_labels.get(obs.measure, obs.measure)}: {obs.value} ({'; '.join((obs.source,))}{when})"
        sink.add(node, RDFS.label, en(label), (obs.source,))
        _derived(sink, node, (obs.source,))
        _note(sink, node, obs.note, (obs.source,))

    for event in records.events:
        node = entity(event.id)
        sink.add(node, RDF.type, NamedNode(vocab.EVENT_TYPES[event.type]), (event.source,))
        for org in event.original:
            sink.add(node, ORG.originalOrganization, entity(org), (event.source,))
            sink.add(entity(org), ORG.changedBy, node, (event.source,))
        for org in event.resulting:
            sink.add(node, ORG.resultingOrganization, entity(org), (event.source,))
            sink.add(entity(org), ORG.resultedFrom, node, (event.source,))
        if event.date:
            sink.date(node, vocab.DATE_FACTS["date"], event.date, (event.source,))
        if event.place:
            sink.add(node, SDO.location, en(event.place), (event.source,))
        _derived(sink, node, (event.source,))
        _note(sink, node, event.note, (event.source,))

    from castgraph.build.description import describe

    release = records.releases[0] if records.releases else None
    sink.statements |= describe(sink.statements, release)
    return BuiltDataset(statements=tuple(sorted(sink.statements)), sources=records.sources)


CURATION = "curation"  # the source key of the curators' own graph (data/sources.yaml)


def _english_labels(records: Records) -> dict[str, str]:
    labels: dict[str, str] = {}
    for name in records.names:
        if name.type == "preferred" and name.lang == "en":
            labels.setdefault(name.id, name.name)
    for name in records.names:  # fall back to a Chinese name where no English one exists
        if name.type == "preferred":
            labels.setdefault(name.id, name.name)
    return labels


def _note(sink: _Sink, node: NamedNode, note: str, keys: Iterable[str]) -> None:
    """An editor's note is our words, not the source's: it goes into the curation graph."""
    if note:
        sink.add(node, SKOS.editorialNote, en(note), (CURATION,))


def _derived(sink: _Sink, node: NamedNode, keys: tuple[str, ...]) -> None:
    """Node-level provenance for n-ary nodes, inside each source's own graph."""
    for key in keys:
        sink.add(node, PROV.wasDerivedFrom, source_node(key), (key,))


def _during(
    sink: _Sink,
    node: NamedNode,
    start: PartialDate | None,
    end: PartialDate | None,
    keys: tuple[str, ...],
) -> None:
    """org:memberDuring as an OWL-Time interval with minted IRIs, plus sortable keys."""
    if not start and not end:
        return
    interval = NamedNode(node.value + "-during")
    sink.add(node, ORG.memberDuring, interval, keys)
    sink.add(interval, RDF.type, NamedNode(TIME.ProperInterval), keys)
    for date, edge, suffix, props in (
        (
            start,
            TIME.hasBeginning,
            "-beginning",
            (SDO.startDate, CAST.startDate, CAST.startPrecision),
        ),
        (end, TIME.hasEnd, "-end", (SDO.endDate, CAST.endDate, CAST.endPrecision)),
    ):
        if not date:
            continue
        instant = NamedNode(node.value + suffix)
        sink.add(interval, edge, instant, keys)
        sink.add(instant, RDF.type, NamedNode(TIME.Instant), keys)
        in_xsd = {9: TIME.inXSDgYear, 10: TIME.inXSDgYearMonth, 11: TIME.inXSDDate}[date.precision]
        sink.add(instant, in_xsd, Literal(date.lexical, datatype=NamedNode(date.datatype)), keys)
        sink.date(node, props, date, keys)


def _fact(sink: _Sink, subject_id: str, prop: str, value: str, keys: tuple[str, ...]) -> None:
    node = entity(subject_id)
    if prop in vocab.DATE_FACTS:
        sink.date(node, vocab.DATE_FACTS[prop], parse_date(value), keys)
    elif prop in vocab.TEXT_FACTS:
        sink.add(node, vocab.TEXT_FACTS[prop], en(value), keys)
    elif prop in vocab.PLAIN_FACTS:
        sink.add(node, vocab.PLAIN_FACTS[prop], Literal(value), keys)
    elif prop in vocab.ADDRESS_FACTS:
        address = entity(f"{subject_id}-address")
        sink.add(node, ORG.siteAddress, address, keys)
        sink.add(address, RDF.type, NamedNode(VCARD.Address), keys)
        sink.add(address, vocab.ADDRESS_FACTS[prop], Literal(value), keys)
    elif prop in vocab.COORDINATE_FACTS:
        sink.add(node, vocab.COORDINATE_FACTS[prop], Literal(value, datatype=_XSD_DECIMAL), keys)
    elif prop in vocab.TELEPHONE_FACTS:
        digits = value.strip().lstrip("+").replace(" ", "-")
        sink.add(node, vocab.TELEPHONE_FACTS[prop], NamedNode(f"tel:+{digits}"), keys)
    elif prop in vocab.IDENTIFIER_FACTS:
        sink.add(
            node,
            ORG.identifier,
            Literal(value, datatype=NamedNode(vocab.IDENTIFIER_FACTS[prop])),
            keys,
        )
        if prop == "ror":  # the ROR id is also the record's IRI, linked as Wikidata's are
            sink.add(node, OWL.sameAs, NamedNode(f"https://ror.org/{value}"), keys)
    elif prop == "email":
        sink.add(node, VCARD.hasEmail, NamedNode(f"mailto:{value}"), keys)
    elif prop == "website":
        url = value if "://" in value else f"http://{value}"
        if url.count("/") == 2:
            url += "/"
        sink.add(node, FOAF.homepage, NamedNode(url), keys)
    elif prop == "wikidata":
        sink.add(node, OWL.sameAs, NamedNode(WD[value]), keys)
    elif prop in vocab.CONCEPT_FACTS:
        sink.add(node, vocab.CONCEPT_FACTS[prop], concept(value), keys)
    else:  # the loader rejects unknown properties; reaching here is a programming error
        raise AssertionError(f"no RDF mapping for fact property {prop!r}")


def _registry(records: Records, sink: _Sink) -> None:
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


def _vocabulary(records: Records, sink: _Sink) -> None:
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
