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

from castgraph.namespaces import (
    CAST,
    DCT,
    FOAF,
    GRAPH,
    ID,
    ORG,
    RDF,
    RDFS,
    REGISTRY_GRAPH,
    SDO,
    SKOS,
    VOCABULARY_GRAPH,
    shorten,
)

ROOT = ID["cast"]
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
# Relations that place an entity in the hierarchy, child -> parent, in order of preference.
UP_RELATIONS = (ORG.unitOf, ORG.subOrganizationOf, ORG.postIn, CAST.post, CAST.guidedBy)
MEMBER_LABEL = "member of"
RELATION_WORDS = {
    ORG.unitOf: "unit of",
    ORG.subOrganizationOf: "sub-organization of",
    ORG.postIn: "post in",
    CAST.post: "tenure of",
    CAST.guidedBy: "guided by",
}
_HIDDEN_KEYS = ("Key", "Precision")  # cast:*DateKey / *Precision: machine helpers of a date


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
class Holder:
    person: Term
    start: str = ""
    end: str = ""
    sources: list[Source] = field(default_factory=list)


@dataclass
class PostRow:
    post: Term
    holders: list[Holder] = field(default_factory=list)


@dataclass
class Figure:
    measure: str
    value: str
    qualifier: str
    date: str
    source: Source | None


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


# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------


def gather(dataset, iri: str) -> Entity:
    """Everything the page of ``iri`` shows; ``exists`` is False when no statement mentions it."""
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


def _is_iri(node) -> bool:
    from pyoxigraph import NamedNode

    return isinstance(node, NamedNode)


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
        if len(values) > 1 and len(graphs) > 1:
            found.append(Disagreement(shorten(predicate), lang, values))
    return found


def _parents(catalog: Catalog, iri: str) -> list[tuple[str, str]]:
    values = " ".join(f"<{r}>" for r in UP_RELATIONS)
    rows = catalog.select(
        f"""SELECT DISTINCT ?rel ?parent WHERE {{
          {{ VALUES ?rel {{ {values} }} <{iri}> ?rel ?parent }}
          UNION
          {{ ?m a <{ORG.Membership}> ; <{ORG.member}> <{iri}> ; <{ORG.organization}> ?parent .
             FILTER NOT EXISTS {{ ?m a <{CAST.Tenure}> }} BIND(<{ORG.memberOf}> AS ?rel) }}
        }}"""
    )
    order = {r: i for i, r in enumerate((*UP_RELATIONS, ORG.memberOf))}
    found = [(r["rel"].value, r["parent"].value) for r in rows if _is_iri(r["parent"])]
    return sorted(found, key=lambda x: (x[1] != ROOT, order.get(x[0], 99), x[1]))


def _ancestors(catalog: Catalog, iri: str) -> list[tuple[str, Term]]:
    """The chain of parents up to CAST (or as far as it goes), nearest first."""
    chain: list[tuple[str, Term]] = []
    seen = {iri}
    current = iri
    for _ in range(12):
        if current == ROOT:
            break
        parents = [(rel, p) for rel, p in _parents(catalog, current) if p not in seen]
        if not parents:
            break
        relation, parent = parents[0]
        seen.add(parent)
        chain.append((RELATION_WORDS.get(relation, MEMBER_LABEL), _named(catalog, parent)))
        current = parent
    return chain


def _named(catalog: Catalog, iri: str) -> Term:
    en, zh = catalog.labels([iri])[iri]
    return Term(iri, True, en or zh or shorten(iri))


def _children(catalog: Catalog, iri: str) -> list[tuple[str, Term]]:
    values = " ".join(f"<{r}>" for r in (ORG.unitOf, ORG.subOrganizationOf, CAST.guidedBy))
    rows = catalog.select(
        f"""SELECT DISTINCT ?rel ?child WHERE {{
          {{ VALUES ?rel {{ {values} }} ?child ?rel <{iri}> }}
          UNION
          {{ ?m a <{ORG.Membership}> ; <{ORG.organization}> <{iri}> ; <{ORG.member}> ?child .
             FILTER NOT EXISTS {{ ?m a <{CAST.Tenure}> }} BIND(<{ORG.memberOf}> AS ?rel) }}
        }}"""
    )
    found = [(r["rel"].value, r["child"].value) for r in rows if _is_iri(r["child"])]
    catalog.labels([c for _, c in found])
    children = [
        (RELATION_WORDS.get(rel, MEMBER_LABEL).replace(" of", "").replace("post in", "post"), c)
        for rel, c in found
    ]
    terms = [(word, _named(catalog, child)) for word, child in children]
    return sorted(terms, key=lambda x: (x[0], x[1].label.lower()))


_TENURES = """SELECT ?post ?person ?start ?end ?g WHERE {
  %s
  GRAPH ?g { ?t <%s> ?post ; <%s> ?person .
    OPTIONAL { ?t <%s> ?start } OPTIONAL { ?t <%s> ?end } }
}"""


def _tenure_rows(catalog: Catalog, pattern: str):
    return catalog.select(_TENURES % (pattern, CAST.post, ORG.member, SDO.startDate, SDO.endDate))


def _posts(catalog: Catalog, iri: str) -> list[PostRow]:
    posts: dict[str, PostRow] = {}
    for row in catalog.select(f"SELECT DISTINCT ?post WHERE {{ ?post <{ORG.postIn}> <{iri}> }}"):
        posts[row["post"].value] = PostRow(_named(catalog, row["post"].value))
    if not posts:
        return []
    values = " ".join(f"<{p}>" for p in posts)
    holders: dict[tuple[str, str], Holder] = {}
    for row in _tenure_rows(catalog, f"VALUES ?post {{ {values} }}"):
        _add_holder(catalog, holders, row, posts)
    for row in catalog.select(
        f"SELECT ?post ?person ?g WHERE {{ VALUES ?post {{ {values} }} "
        f"GRAPH ?g {{ ?post <{ORG.heldBy}> ?person }} }}"
    ):
        _add_holder(catalog, holders, row, posts)
    for (post, _), holder in sorted(holders.items(), key=lambda x: (x[1].start or "~", x[0])):
        posts[post].holders.append(holder)
    return sorted(posts.values(), key=lambda p: p.post.label.lower())


def _add_holder(catalog: Catalog, holders, row, posts) -> None:
    post, person = row["post"].value, row["person"].value
    key = (post, person)
    holder = holders.get(key)
    if holder is None:
        holder = holders[key] = Holder(_named(catalog, person))
    start = _value(row["start"])  # None when the query does not bind it
    end = _value(row["end"])
    holder.start = holder.start or start
    holder.end = holder.end or end
    source = catalog.source(row["g"].value)
    if source not in holder.sources:
        holder.sources.append(source)


def _held(catalog: Catalog, iri: str) -> list[tuple[Term, Holder]]:
    found: dict[str, Holder] = {}
    posts: dict[str, Term] = {}
    # the person's IRI in the pattern itself: a BIND is not pushed into the graph pattern, and
    # every page would scan every tenure (quadratic over a site of all entities)
    rows = catalog.select(
        f"""SELECT ?post ?start ?end ?g WHERE {{ GRAPH ?g {{
          ?t <{ORG.member}> <{iri}> ; <{CAST.post}> ?post .
          OPTIONAL {{ ?t <{SDO.startDate}> ?start }} OPTIONAL {{ ?t <{SDO.endDate}> ?end }} }}
        }}"""
    )
    for row in rows:
        post = row["post"].value
        posts.setdefault(post, _named(catalog, post))
        holder = found.setdefault(post, Holder(_named(catalog, iri)))
        holder.start = holder.start or _value(row["start"])
        holder.end = holder.end or _value(row["end"])
        source = catalog.source(row["g"].value)
        if source not in holder.sources:
            holder.sources.append(source)
    rows = [(posts[p], h) for p, h in found.items()]
    return sorted(rows, key=lambda x: (x[1].start or "~", x[0].label.lower()))


_QUALIFIERS = {"Exact": "", "MoreThan": "more than", "About": "about", "Nearly": "nearly"}


def _figures(catalog: Catalog, iri: str) -> list[Figure]:
    rows = catalog.select(
        f"""SELECT ?measure ?m ?value ?q ?date ?g WHERE {{
          GRAPH ?g {{ ?f <{CAST.about}> <{iri}> ; <{CAST.measure}> ?m ;
                       <http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?value .
            OPTIONAL {{ ?f <{CAST.qualifier}> ?q }} OPTIONAL {{ ?f <{DCT.date}> ?date }} }}
          OPTIONAL {{ GRAPH <{VOCABULARY_GRAPH}> {{ ?m <{SKOS.prefLabel}> ?measure
                      FILTER(langMatches(lang(?measure), "en")) }} }}
        }}"""
    )
    figures = []
    for row in rows:
        qualifier = _value(row["q"]).rsplit("#", 1)[-1]
        figures.append(
            Figure(
                measure=_value(row["measure"]) or shorten(row["m"].value),
                value=row["value"].value,
                qualifier=_QUALIFIERS.get(qualifier, qualifier),
                date=_value(row["date"]),
                source=catalog.source(row["g"].value),
            )
        )
    return sorted(figures, key=lambda f: (f.measure, f.date, f.source.key if f.source else ""))


def entity_rdf(dataset, iri: str, fmt: str) -> bytes:
    """The entity's statements (as subject and as object, over the union) in ``fmt``:
    ``turtle``, ``ntriples`` or ``jsonld``."""
    from pyoxigraph import RdfFormat, serialize

    from castgraph.namespaces import PREFIXES

    result = dataset.query(
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} "
        f"WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
    )
    triples = sorted(result, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    rdf_format = {
        "turtle": RdfFormat.TURTLE,
        "ntriples": RdfFormat.N_TRIPLES,
        "jsonld": RdfFormat.JSON_LD,
    }[fmt]
    prefixes = dict(PREFIXES) if fmt == "turtle" else None
    return serialize(triples, format=rdf_format, prefixes=prefixes)
