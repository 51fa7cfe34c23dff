"""Records -> RDF quads: one named graph per source document, plus a registry and a vocabulary graph.

This is the only module that mints triples. It uses pyoxigraph terms (not rdflib) so that the
build stays fast at the scale of the full CAST system. The result is sorted and free of blank
nodes, so every serialization of it is byte-stable.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from castgraph.build.inferences import latest_ends
from castgraph.build.registry import describe_sources, describe_vocabulary
from castgraph.build.terms import (
    _XSD_BOOLEAN,
    _XSD_DATE,
    _XSD_DECIMAL,
    Sink,
    Statement,
    concept,
    en,
    entity,
    integer,
    number,
    source_node,
)
from castgraph.dates import PartialDate, parse_date
from castgraph.loaders import vocabulary as vocab
from castgraph.loaders.records import Records, Source
from castgraph.namespaces import (
    CAST,
    DATASET_GRAPH,
    DCT,
    FOAF,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SDMX_MEASURE,
    SDO,
    SKOS,
    TIME,
    VCARD,
    WD,
)


@dataclass(frozen=True)
class BuiltDataset:
    """The built graph: sorted, duplicate-free statements, their union, and the sources.

    Statements are kept as N-Triples text (``terms.Statement``) rather than as pyoxigraph
    ``Quad`` objects: at the scale of the full CAST system a Python object per quad costs
    gigabytes, and text is what the N-Quads writer and the store's bulk loader take anyway.
    ``union`` holds each distinct triple of all graphs once, sorted (``"subject predicate
    object"``): the default graph of the store and the Turtle file.
    """

    statements: list[Statement]
    union: list[str]
    sources: tuple[Source, ...]

    def nquads_lines(self) -> Iterator[str]:
        for line in self.statements:
            graph, triple = line.split(" ", 1)
            yield f"{triple} {graph} .\n"

    def nquads(self) -> bytes:
        return "".join(self.nquads_lines()).encode("utf-8")

    def union_lines(self) -> Iterator[str]:
        for triple in self.union:
            yield f"{triple} .\n"

    @cached_property
    def quads(self) -> tuple[Quad, ...]:
        """The statements as pyoxigraph quads, in the same order (for tests and small graphs)."""
        return tuple(parse(self.nquads(), format=RdfFormat.N_QUADS))


def triples_per_graph(statements: list[Statement]) -> dict[str, int]:
    """Graph (N-Triples) -> its number of statements, for sorted statements, without a full pass:
    each graph is one block of the sorted list, found by bisection."""
    counts: dict[str, int] = {}
    start = 0
    while start < len(statements):
        graph = statements[start].split(" ", 1)[0]
        end = bisect_left(statements, graph + "!", start)  # "!" sorts right after the space
        counts[graph] = end - start
        start = end
    return counts


def _contains(ordered: list[str], item: str) -> bool:
    at = bisect_left(ordered, item)
    return at < len(ordered) and ordered[at] == item


def _union(statements: list[Statement]) -> list[str]:
    """The distinct triples of sorted statements, sorted. Each graph's block is already sorted,
    so the sort only merges those runs (timsort finds them)."""
    triples = [line.split(" ", 1)[1] for line in statements]
    triples.sort()
    return [triple for triple, _ in groupby(triples)]


def build(records: Records, *, workers: int | None = None) -> BuiltDataset:
    """Turn checked records into the dataset. Pure: no I/O.

    A large build mints on every core (``build.parallel``: forked workers, each a share of the
    records); ``workers`` fixes their number (1: all in this process).
    """
    from castgraph.build.parallel import mint_sorted

    statements = mint_sorted(records, _mint, workers)
    from castgraph.build.description import describe

    union = _union(statements)
    release = records.releases[0] if records.releases else None
    own = describe(triples_per_graph(statements), len(union), release)
    graph = str(NamedNode(DATASET_GRAPH))
    own_triples = sorted(f"{s} {p} {o}" for s, p, o in own)
    if len(set(own_triples)) != len(own) or any(_contains(union, t) for t in own_triples):
        raise AssertionError("graph:dataset repeats a triple: its counts would be wrong")
    statements.extend(f"{graph} {triple}" for triple in own_triples)
    statements.sort()  # two sorted runs: a merge
    union.extend(own_triples)
    union.sort()
    return BuiltDataset(statements=statements, union=union, sources=records.sources)


def _mint(sink: Sink, records: Records, share, first: bool) -> None:
    """Mint the statements of ``share(records.X)`` for every kind of record into ``sink``; the
    records' shares are disjoint across workers, and only the ``first`` adds what is minted once
    (the registry, the vocabulary, the curation graph's inferences)."""
    if first:
        describe_sources(records, sink)
        describe_vocabulary(records, sink)
    labels_en = _english_labels(records)
    role_labels = {c.id: c.label_en for c in records.concepts}

    for org in share(records.organizations):
        node = entity(org.id)
        sink.add(node, RDF.type, NamedNode(vocab.ORGANIZATION_TYPES[org.type]), (org.source,))
        for kind in org.kinds:
            sink.add(node, ORG.classification, concept(kind), (org.source,))
        _note(sink, node, org.note, (org.source,))
    for person in share(records.persons):
        sink.add(entity(person.id), RDF.type, NamedNode(FOAF.Person), (person.source,))
        _note(sink, entity(person.id), person.note, (person.source,))
    for work in share(records.works):
        sink.add(entity(work.id), RDF.type, NamedNode(vocab.WORK_TYPES[work.type]), (work.source,))
        _note(sink, entity(work.id), work.note, (work.source,))

    persons = {p.id for p in records.persons}
    for name in share(records.names):
        literal = Literal(name.name, language=name.lang)
        sink.add(entity(name.id), vocab.NAME_TYPES[name.type], literal, (name.source,))
        if name.id in persons and name.type == "preferred":
            sink.add(entity(name.id), FOAF.name, literal, (name.source,))

    for fact in share(records.facts):
        _fact(sink, fact.id, fact.property, fact.value, (fact.source,))

    for rel in share(records.relations):
        predicate, inverse = vocab.RELATIONS[rel.relation]
        sink.add(entity(rel.subject), predicate, entity(rel.object), (rel.source,))
        if inverse:
            sink.add(entity(rel.object), inverse, entity(rel.subject), (rel.source,))

    for m in share(records.memberships):
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
    for post in share(records.posts):
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

    for tenure in share(records.tenures):
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

    for term in share(records.terms):
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
    for tenure_id, latest in latest_ends(records, labels_en).items() if first else ():
        node = entity(tenure_id)
        sink.add(node, CAST.endsBy, Literal(latest.key, datatype=_XSD_DATE), (CURATION,))
        sink.add(node, CAST.endsByReason, en(latest.reason), (CURATION,))

    measure_labels = {c.id: c.label_en for c in records.concepts if c.scheme == "measure"}
    for obs in share(records.observations):
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

    for event in share(records.events):
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


def _note(sink: Sink, node: NamedNode, note: str, keys: Iterable[str]) -> None:
    """An editor's note is our words, not the source's: it goes into the curation graph."""
    if note:
        sink.add(node, SKOS.editorialNote, en(note), (CURATION,))


def _derived(sink: Sink, node: NamedNode, keys: tuple[str, ...]) -> None:
    """Node-level provenance for n-ary nodes, inside each source's own graph."""
    for key in keys:
        sink.add(node, PROV.wasDerivedFrom, source_node(key), (key,))


def _during(
    sink: Sink,
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


def _fact(sink: Sink, subject_id: str, prop: str, value: str, keys: tuple[str, ...]) -> None:
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
