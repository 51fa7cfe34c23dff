"""The parts of an entity page that follow relations: its place in the hierarchy (up to CAST
and one level down), the posts in an organization with their holders, the posts a person held,
and the figures about it. No web framework here (see ``castgraph.web.entity``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from castgraph.namespaces import CAST, DCT, ID, ORG, SDO, SKOS, VOCABULARY_GRAPH, shorten
from castgraph.web.catalog import Catalog, Source, Term, _is_iri, _value

ROOT = ID["cast"]
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
