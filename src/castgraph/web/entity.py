"""Everything an entity page shows, gathered from the store: statements per source graph.

No web framework here: the server (``castgraph serve``) and the static site generator
(``castgraph site``) both call :func:`gather` and render its :class:`Entity` with
``castgraph.web.pages.render_entity_page``.

The store's named graphs are the source documents; the registry graph says, for each, its key,
title, grade and the date the source speaks for (``cast:speaksFor``). A statement made by two
sources is one row with two sources; two sources that give different values for a property that
holds one value (a founding date, an English name) are shown side by side as a disagreement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from castgraph.namespaces import CAST, DCT, FOAF, ID, ORG, RDF, SDO, SKOS, shorten
from castgraph.web.catalog import (
    Catalog,
    Source,
    Term,
    _is_iri,
    catalog_for,
    check_iri,
)
from castgraph.web.entity_facts import (
    Figure,
    Holder,
    PostRow,
    _ancestors,
    _children,
    _figures,
    _held,
    _posts,
)

# Properties that hold one value per entity (per language for names): two sources giving two
# values disagree. Everything else may hold several values (purposes, units, classifications).
SINGLE_VALUED = frozenset(
    {
        SDO.foundingDate,
        SDO.dissolutionDate,
        SDO.startDate,
        SDO.endDate,
        SDO.deathDate,
        SKOS.prefLabel,
        FOAF.name,
        CAST.acronym,
        FOAF.homepage,
        DCT.date,
    }
)
LANGUAGE_KEYED = frozenset({SKOS.prefLabel, FOAF.name, CAST.acronym})
_HIDDEN_KEYS = ("Key", "Precision")  # cast:*DateKey / *Precision: machine helpers of a date


@dataclass
class Statement:
    predicate: str
    predicate_label: str
    term: Term
    sources: list[Source] = field(default_factory=list)


@dataclass
class Disagreement:
    predicate_label: str
    lang: str
    values: list[Statement]  # one per distinct value, each with its sources


@dataclass
class IncomingGroup:
    """Statements ``?s P <this>`` of one property: the first subjects, and how many in all."""

    predicate: str
    predicate_label: str
    count: int
    shown: list[Statement]


INCOMING_SHOWN = 30


@dataclass
class Entity:
    iri: str
    slug: str
    exists: bool
    name_en: str = ""
    name_zh: str = ""
    names: list[Statement] = field(default_factory=list)  # every name with its sources
    kinds: list[Term] = field(default_factory=list)  # rdf:type and org:classification
    up: list[tuple[str, Term]] = field(default_factory=list)  # (relation, parent) to the root
    down: list[tuple[str, Term]] = field(default_factory=list)  # (relation, child), one level
    statements: list[Statement] = field(default_factory=list)
    incoming: list[Statement] = field(default_factory=list)  # ?s ?p <this>; term is the subject
    incoming_groups: list[IncomingGroup] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    posts: list[PostRow] = field(default_factory=list)  # posts in this organization
    held: list[tuple[Term, Holder]] = field(default_factory=list)  # (post, tenure) of a person
    figures: list[Figure] = field(default_factory=list)
    related: list[Term] = field(default_factory=list)  # every other entity it links to

    @property
    def title(self) -> str:
        return self.name_en or self.name_zh or self.slug


def gather(dataset, iri: str) -> Entity:
    """Everything the page of ``iri`` shows; ``exists`` is False when no statement mentions it."""
    check_iri(iri)
    catalog = catalog_for(dataset)
    slug = iri.removeprefix(ID[""])
    entity = Entity(iri=iri, slug=slug, exists=False)
    out_rows = list(
        catalog.select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} ORDER BY ?p ?o")
    )
    in_rows = list(
        catalog.select(f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} }} ORDER BY ?p ?s")
    )
    if not out_rows and not in_rows:
        return entity
    entity.exists = True
    mentioned = {iri}
    mentioned.update(r["p"].value for r in out_rows)
    mentioned.update(r["o"].value for r in out_rows if _is_iri(r["o"]))
    mentioned.update(r["s"].value for r in in_rows if _is_iri(r["s"]))
    catalog.labels(mentioned)
    entity.name_en, entity.name_zh = catalog.labels([iri])[iri]

    entity.statements = _statements(catalog, [(r["p"], r["o"], r["g"]) for r in out_rows])
    entity.incoming = _statements(catalog, [(r["p"], r["s"], r["g"]) for r in in_rows])
    entity.names = [
        s for s in entity.statements if s.predicate in (SKOS.prefLabel, SKOS.altLabel, FOAF.name)
    ]
    entity.kinds = _dedupe(
        s.term for s in entity.statements if s.predicate in (RDF.type, ORG.classification)
    )
    entity.disagreements = _disagreements(entity.statements)
    entity.up = _ancestors(catalog, iri)
    entity.down = _children(catalog, iri)
    entity.posts = _posts(catalog, iri)
    entity.held = _held(catalog, iri)
    entity.figures = _figures(catalog, iri)
    entity.incoming_groups = _group_incoming(entity.incoming)
    related = [s.term for s in entity.statements if _is_entity(s.term)]
    related += [s.term for g in entity.incoming_groups for s in g.shown if _is_entity(s.term)]
    related += [t for _, t in entity.up]
    related += [p.post for p in entity.posts] + [h.person for p in entity.posts for h in p.holders]
    related += [post for post, _ in entity.held]
    entity.related = sorted(
        (t for t in _dedupe(related) if t.value != iri), key=lambda t: t.label.lower()
    )
    return entity


def _is_entity(term: Term) -> bool:
    return term.is_iri and term.value.startswith(ID[""])


def _dedupe(terms) -> list[Term]:
    seen: dict[tuple, Term] = {}
    for term in terms:
        seen.setdefault(term.key, term)
    return list(seen.values())


def _statements(catalog: Catalog, rows) -> list[Statement]:
    """One Statement per (predicate, value), with every source that makes it, in source order."""
    grouped: dict[tuple, Statement] = {}
    for predicate, node, graph in rows:
        if predicate.value.startswith(CAST[""]) and predicate.value.endswith(_HIDDEN_KEYS):
            continue
        term = catalog.term(node)
        key = (predicate.value, term.key)
        statement = grouped.get(key)
        if statement is None:
            statement = grouped[key] = Statement(
                predicate.value, shorten(predicate.value), term, []
            )
        source = catalog.source(graph.value)
        if source not in statement.sources:
            statement.sources.append(source)
    for statement in grouped.values():
        statement.sources.sort(key=lambda s: (s.key == "curation", s.key))
    return sorted(grouped.values(), key=lambda s: (s.predicate_label, s.term.label.lower()))


def _group_incoming(statements: list[Statement]) -> list[IncomingGroup]:
    groups: dict[str, IncomingGroup] = {}
    for statement in statements:
        group = groups.get(statement.predicate)
        if group is None:
            group = groups[statement.predicate] = IncomingGroup(
                statement.predicate, statement.predicate_label, 0, []
            )
        group.count += 1
        if len(group.shown) < INCOMING_SHOWN:
            group.shown.append(statement)
    return sorted(groups.values(), key=lambda g: g.predicate_label)


def _disagreements(statements: list[Statement]) -> list[Disagreement]:
    groups: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    for statement in statements:
        if statement.predicate in SINGLE_VALUED:
            lang = statement.term.lang.lower() if statement.predicate in LANGUAGE_KEYED else ""
            groups[(statement.predicate, lang)].append(statement)
    found = []
    for (predicate, lang), values in sorted(groups.items()):
        graphs = {s.graph for v in values for s in v.sources}
        if len(values) > 1 and len(graphs) > 1 and not _compatible_dates(predicate, values):
            found.append(Disagreement(shorten(predicate), lang, values))
    return found


_DATES = frozenset(
    {SDO.foundingDate, SDO.dissolutionDate, SDO.startDate, SDO.endDate, SDO.deathDate}
)


def _compatible_dates(predicate: str, values: list[Statement]) -> bool:
    """Partial dates where each contains the others (1958-09 and 1958-09-23) do not disagree:
    the same rule as the where-sources-differ query."""
    if predicate not in _DATES:
        return False
    dates = [v.term.value for v in values]
    return all(a.startswith(b) or b.startswith(a) for a in dates for b in dates)


def entity_rdf(dataset, iri: str, fmt: str) -> bytes:
    """The entity's statements (as subject and as object, over the union) in ``fmt``:
    ``turtle`` and ``ntriples`` (sorted, project prefixes), or ``jsonld``: compact JSON-LD with
    the project's context (``https://w3id.org/castgraph/context.jsonld``), as
    ``castgraph export`` writes it."""
    from pyoxigraph import DefaultGraph, Quad, RdfFormat, serialize

    check_iri(iri)
    result = dataset.query(
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} "
        f"WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
    )
    triples = sorted(result, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if fmt == "jsonld":
        from castgraph.export.jsonld import dumps, flat_document

        quads = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]
        return dumps(flat_document(quads)) if quads else b""
    if fmt == "turtle":  # the @prefix lines in the project's order, not a hash map's
        from castgraph.dataset.writer import turtle_bytes

        return turtle_bytes(triples)
    return serialize(triples, format=RdfFormat.N_TRIPLES)
