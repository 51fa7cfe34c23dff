"""Flat CSV tables of the graph for spreadsheets and dataframes: one row per entity.

``tables(quads)`` returns ``{file name: bytes}`` for ``organizations.csv``, ``units.csv``,
``posts.csv``, ``observations.csv`` and ``sources.csv``. Tables show the union of all graphs;
the ``sources`` column names the source documents (keys of ``data/sources.yaml``) whose graphs
state something about the entity. Ids are the slugs of ``data/`` (the local part of the
``https://w3id.org/castgraph/id/`` or ``.../concept/`` IRI); other IRIs are written in full.

Multi-valued cells join their values with ``;`` in sorted order. In ``posts.csv`` the holder
columns are parallel lists: the n-th entry of ``holder_names_en``, ``start``, ``end`` and
``as_of`` belongs to the n-th holder (an entry is empty when the source gives nothing; two
values for one tenure are joined with ``|``; a column with no value for any holder is empty).
Files are UTF-8 without BOM, with LF line ends.

Written with the standard ``csv`` module over an index of the quads rather than with SPARQL:
five fixed tables over one pass of the data need no query engine.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable

from castgraph.loaders import vocabulary as vocab
from castgraph.namespaces import (
    CAST,
    CONCEPT,
    DCT,
    FOAF,
    ID,
    ORG,
    PROV,
    QB,
    RDF,
    RDFS,
    REGISTRY_GRAPH,
    SDMX_MEASURE,
    SDO,
    SKOS,
    VOCABULARY_GRAPH,
    shorten,
)

ORGANIZATION_COLUMNS = (
    "id",
    "type",
    "name_en",
    "name_zh_hans",
    "acronyms",
    "kinds",
    "founded",
    "parent",
    "relation",
    "sources",
)
UNIT_COLUMNS = (
    "id",
    "name_en",
    "name_zh_hans",
    "acronyms",
    "kinds",
    "founded",
    "parent",
    "relation",
    "posts",
    "sources",
)
POST_COLUMNS = (
    "id",
    "name_en",
    "organization",
    "organization_name_en",
    "role",
    "role_name_en",
    "holders",
    "holder_names_en",
    "holder_names_zh_hans",
    "start",
    "end",
    "as_of",
    "sources",
)
OBSERVATION_COLUMNS = (
    "id",
    "about",
    "about_name_en",
    "measure",
    "measure_name_en",
    "value",
    "qualifier",
    "date",
    "sources",
    "source_titles",
)
SOURCE_COLUMNS = (
    "key",
    "title",
    "publisher",
    "kind",
    "grade",
    "speaks_for",
    "issued",
    "url",
    "graphs",
    "statements",
)

# Links that place an organization under another, strongest first, with their data/ names.
PARENT_RELATIONS = (
    (ORG.unitOf, "unit-of"),
    (ORG.subOrganizationOf, "sub-organization-of"),
    (ORG.memberOf, "member-of"),
    (CAST.ledBy, "led-by"),
    (CAST.guidedBy, "guided-by"),
    (CAST.supervisedBy, "supervised-by"),
)
ORGANIZATION_CLASSES = (ORG.FormalOrganization, ORG.OrganizationalCollaboration, ORG.Organization)
QUALIFIER_NAMES = {iri: name for name, iri in vocab.QUALIFIERS.items()}
SEPARATOR = ";"


class _Index:
    """Subject -> predicate -> values over the union, and the graphs each subject appears in."""

    def __init__(self, quads: Iterable) -> None:
        from pyoxigraph import DefaultGraph

        self.values: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        self.graphs: dict[str, set[str]] = defaultdict(set)
        self.graph_sizes: dict[str, int] = defaultdict(int)
        for q in quads:
            subject = q.subject.value
            self.values[subject][q.predicate.value].add(q.object)
            if not isinstance(q.graph_name, DefaultGraph):
                self.graphs[subject].add(q.graph_name.value)
                self.graph_sizes[q.graph_name.value] += 1
        self.source_of_graph = {}  # graph IRI -> source document IRI
        for subject, props in self.values.items():
            for doc in props.get(PROV.wasDerivedFrom, ()):
                if RDF.type in props and any(t.value == CAST.SourceGraph for t in props[RDF.type]):
                    self.source_of_graph[subject] = doc.value

    def of_type(self, *classes: str) -> list[str]:
        wanted = set(classes)
        return sorted(
            s
            for s, props in self.values.items()
            if {t.value for t in props.get(RDF.type, ())} & wanted
        )

    def types(self, subject: str) -> set[str]:
        return {t.value for t in self.values.get(subject, {}).get(RDF.type, ())}

    def objects(self, subject: str, predicate: str) -> list:
        return sorted(self.values.get(subject, {}).get(predicate, ()), key=_term_key)

    def texts(self, subject: str, predicate: str, language: str | None = None) -> list[str]:
        out = []
        for term in self.objects(subject, predicate):
            if not hasattr(term, "language"):
                continue
            if language is not None and (term.language or "").lower() != language:
                continue
            out.append(term.value)
        return sorted(out)

    def name(self, subject: str, language: str = "en") -> str:
        names = self.texts(subject, SKOS.prefLabel, language)
        return SEPARATOR.join(names)

    def source_key(self, graph: str) -> str | None:
        if graph in (REGISTRY_GRAPH, VOCABULARY_GRAPH):
            return None
        doc = self.source_of_graph.get(graph)
        if doc is not None:
            notations = self.texts(doc, SKOS.notation)
            if notations:
                return notations[0]
        return graph.rsplit("/", 1)[-1]

    def sources(self, subject: str) -> str:
        keys = {self.source_key(g) for g in self.graphs.get(subject, ())}
        return SEPARATOR.join(sorted(k for k in keys if k))


def _term_key(term) -> tuple[str, str]:
    return (type(term).__name__, str(term))


def slug(iri: str) -> str:
    """The data/ id for our entity and concept IRIs; other IRIs in full."""
    for base in (str(ID), str(CONCEPT)):
        if iri.startswith(base) and "/" not in iri[len(base) :]:
            return iri[len(base) :]
    return iri


def _join(values: Iterable[str]) -> str:
    return SEPARATOR.join(sorted(set(values)))


def _lexicals(index: _Index, subject: str, predicate: str) -> list[str]:
    return sorted({t.value for t in index.objects(subject, predicate)})


def _parents(index: _Index, subject: str) -> tuple[str, str]:
    pairs = [
        (slug(o.value), name)
        for predicate, name in PARENT_RELATIONS
        for o in index.objects(subject, predicate)
    ]
    return (SEPARATOR.join(p for p, _ in pairs), SEPARATOR.join(r for _, r in pairs))


def _short_types(index: _Index, subject: str) -> str:
    return _join(shorten(t).split(":", 1)[-1].strip("<>") for t in index.types(subject))


def organization_rows(index: _Index) -> list[list[str]]:
    rows = []
    for s in index.of_type(*ORGANIZATION_CLASSES):
        if ORG.OrganizationalUnit in index.types(s):
            continue  # listed in units.csv
        parent, relation = _parents(index, s)
        rows.append(
            [
                slug(s),
                _short_types(index, s),
                index.name(s, "en"),
                index.name(s, "zh-hans"),
                _join(index.texts(s, CAST.acronym)),
                _join(slug(o.value) for o in index.objects(s, ORG.classification)),
                _join(_lexicals(index, s, SDO.foundingDate)),
                parent,
                relation,
                index.sources(s),
            ]
        )
    return rows


def unit_rows(index: _Index) -> list[list[str]]:
    rows = []
    for s in index.of_type(ORG.OrganizationalUnit):
        parent, relation = _parents(index, s)
        rows.append(
            [
                slug(s),
                index.name(s, "en"),
                index.name(s, "zh-hans"),
                _join(index.texts(s, CAST.acronym)),
                _join(slug(o.value) for o in index.objects(s, ORG.classification)),
                _join(_lexicals(index, s, SDO.foundingDate)),
                parent,
                relation,
                _join(slug(o.value) for o in index.objects(s, ORG.hasPost)),
                index.sources(s),
            ]
        )
    return rows


def post_rows(index: _Index) -> list[list[str]]:
    tenures_of: dict[str, list[str]] = defaultdict(list)
    for tenure in index.of_type(CAST.Tenure):
        for post in index.objects(tenure, CAST.post):
            tenures_of[post.value].append(tenure)
    rows = []
    for s in index.of_type(ORG.Post):
        holdings: list[tuple[str, str]] = []  # (person, tenure or "")
        for tenure in tenures_of.get(s, []):
            for person in index.objects(tenure, ORG.member) or [None]:
                holdings.append((person.value if person else "", tenure))
        held = {p for p, _ in holdings}
        holdings += [(o.value, "") for o in index.objects(s, ORG.heldBy) if o.value not in held]
        holdings.sort()

        def each(values) -> str:
            values = list(values)
            return SEPARATOR.join(values) if any(values) else ""

        def dates(tenure: str, predicate: str) -> str:
            return "|".join(_lexicals(index, tenure, predicate)) if tenure else ""

        def person_name(person: str, language: str) -> str:
            names = index.texts(person, SKOS.prefLabel, language) or index.texts(
                person, FOAF.name, language
            )
            return "|".join(names)

        organizations = [o.value for o in index.objects(s, ORG.postIn)]
        roles = [o.value for o in index.objects(s, ORG.role)]
        rows.append(
            [
                slug(s),
                _join(index.texts(s, RDFS.label, "en")),
                _join(slug(o) for o in organizations),
                _join(index.name(o, "en") for o in organizations),
                _join(slug(r) for r in roles),
                _join(index.name(r, "en") for r in roles),
                each(slug(p) for p, _ in holdings),
                each(person_name(p, "en") for p, _ in holdings),
                each(person_name(p, "zh-hans") for p, _ in holdings),
                each(dates(t, SDO.startDate) for _, t in holdings),
                each(dates(t, SDO.endDate) for _, t in holdings),
                each(dates(t, CAST.asOf) for _, t in holdings),
                index.sources(s),
            ]
        )
    return rows


def observation_rows(index: _Index) -> list[list[str]]:
    rows = []
    for s in index.of_type(CAST.Figure, QB.Observation):
        about = [o.value for o in index.objects(s, CAST.about)]
        measures = [o.value for o in index.objects(s, CAST.measure)]
        docs = [o.value for o in index.objects(s, PROV.wasDerivedFrom)]
        keys = [k for d in docs for k in index.texts(d, SKOS.notation)] or [
            d.rsplit("/", 1)[-1] for d in docs
        ]
        rows.append(
            [
                slug(s),
                _join(slug(a) for a in about),
                _join(index.name(a, "en") for a in about),
                _join(slug(m) for m in measures),
                _join(index.name(m, "en") for m in measures),
                _join(_lexicals(index, s, SDMX_MEASURE.obsValue)),
                _join(
                    QUALIFIER_NAMES.get(o.value, o.value) for o in index.objects(s, CAST.qualifier)
                ),
                _join(d + _approximate(index, s) for d in _lexicals(index, s, DCT.date)),
                _join(keys),
                _join(t for d in docs for t in index.texts(d, DCT.title)),
            ]
        )
    return rows


def _approximate(index: _Index, subject: str) -> str:
    """``~`` (as in data/) when the node's one date is approximate; used only for nodes with a
    single date (figures, sources), where the flag cannot belong to another date."""
    return (
        "~" if any(o.value == "true" for o in index.objects(subject, CAST.approximateDate)) else ""
    )


def source_rows(index: _Index) -> list[list[str]]:
    graphs_of: dict[str, list[str]] = defaultdict(list)
    for graph, doc in sorted(index.source_of_graph.items()):
        graphs_of[doc].append(graph)
    rows = []
    for s in index.of_type(DCT.BibliographicResource):
        speaks_for = _lexicals(index, s, CAST.speaksFor)
        graphs = graphs_of.get(s, [])
        rows.append(
            [
                _join(index.texts(s, SKOS.notation)) or slug(s),
                _join(index.texts(s, DCT.title)),
                _join(o.value for o in index.objects(s, SDO.publisher)),
                _join(index.texts(s, CAST.sourceKind)),
                _join(index.texts(s, CAST.grade)),
                _join(d + _approximate(index, s) for d in speaks_for),
                _join(_lexicals(index, s, DCT.issued)),
                _join(o.value for o in index.objects(s, SDO.url)),
                _join(shorten(g).strip("<>") for g in graphs),
                str(sum(index.graph_sizes.get(g, 0) for g in graphs)),
            ]
        )
    return rows


def _csv(columns: tuple[str, ...], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(sorted(rows))
    return buffer.getvalue().encode("utf-8")


def tables(quads: Iterable) -> dict[str, bytes]:
    """Every table as ``{file name: CSV bytes}``."""
    index = _Index(quads)
    return {
        "organizations.csv": _csv(ORGANIZATION_COLUMNS, organization_rows(index)),
        "units.csv": _csv(UNIT_COLUMNS, unit_rows(index)),
        "posts.csv": _csv(POST_COLUMNS, post_rows(index)),
        "observations.csv": _csv(OBSERVATION_COLUMNS, observation_rows(index)),
        "sources.csv": _csv(SOURCE_COLUMNS, source_rows(index)),
    }
