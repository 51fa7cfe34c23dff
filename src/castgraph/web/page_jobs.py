"""The page jobs a query worker runs: entity pages and their RDF, search, the ontology
documentation, the org chart, the list of graphs. Each returns ``(status, media type, body)``.

They run in the worker processes (``castgraph.web.worker``), never on the server's event loop;
the server caches their answers (the dataset is read-only while it serves).
"""

from __future__ import annotations

import json
import unicodedata

from castgraph.namespaces import CAST, FOAF, ID, RDFS, SKOS
from castgraph.web.pages import ServerLinks, render

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
RDF_TYPES = {
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json; charset=utf-8",
}


def entity(dataset, slug: str, representation: str) -> tuple[int, str, bytes]:
    from castgraph.web.entity import entity_rdf
    from castgraph.web.pages import slug_of

    iri = ID[slug]
    if slug_of(iri) is None:  # only [A-Za-z0-9._~-]: nothing can leave the <...> of a query
        return 404, TEXT, b"not an entity IRI\n"
    if representation == "html":
        from castgraph.web.pages import render_entity_page

        try:
            page = render_entity_page(dataset, iri, ServerLinks())
        except KeyError:
            return 404, TEXT, f"nothing is known about <{iri}>\n".encode()
        return 200, HTML, page.encode("utf-8")
    data = entity_rdf(dataset, iri, representation)
    if not data.strip() or data.strip() in (b"[]", b"{}"):
        return 404, TEXT, f"nothing is known about <{iri}>\n".encode()
    return 200, RDF_TYPES[representation], data


# ---------------------------------------------------------------------------------------------
# Search: every name of every entity (any language), acronyms and people's names, in memory.

_NAMES = f"""SELECT DISTINCT ?x ?name ?p WHERE {{
  VALUES ?p {{ <{SKOS.prefLabel}> <{SKOS.altLabel}> <{FOAF.name}> <{CAST.acronym}> <{RDFS.label}>
              <{CAST.formerName}> }}
  ?x ?p ?name . FILTER(isLiteral(?name) && STRSTARTS(STR(?x), "{ID[""]}"))
}}"""
_index: list[tuple[str, str, str, str]] | None = None  # (folded name, name, iri, property)
_RANK_PROPERTY = {"prefLabel": 0, "name": 0, "acronym": 1, "altLabel": 2, "formerName": 3}


def fold(text: str) -> str:
    """Case- and width-insensitive form for matching (NFKC, casefold, spaces squeezed)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _names(dataset) -> list[tuple[str, str, str, str]]:
    global _index
    if _index is None:
        rows = []
        for row in dataset.query(_NAMES):
            prop = row["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            rows.append((fold(row["name"].value), row["name"].value, row["x"].value, prop))
        _index = rows
    return _index


def search_hits(dataset, q: str, limit: int = 50) -> list[dict]:
    """Entities whose names contain ``q``: exact names first, then prefixes, then the rest;
    organizations and people before posts, tenures and figures."""
    from castgraph.web.entity import catalog_for

    needle = fold(q)
    if not needle:
        return []
    best: dict[str, tuple] = {}
    for folded, name, iri, prop in _names(dataset):
        if needle not in folded:
            continue
        slug = iri.removeprefix(ID[""])
        minor = slug.startswith(("tenure-", "obs-", "post-", "membership-"))
        rank = (
            0 if folded == needle else 1 if folded.startswith(needle) else 2,
            minor,
            _RANK_PROPERTY.get(prop, 4),
            len(folded),
            slug,
        )
        if iri not in best or rank < best[iri][0]:
            best[iri] = (rank, name, prop)
    ordered = sorted(best.items(), key=lambda item: item[1][0])[:limit]
    labels = catalog_for(dataset).labels([iri for iri, _ in ordered])
    hits = []
    for iri, (_, name, prop) in ordered:
        en, zh = labels[iri]
        hits.append(
            {
                "iri": iri,
                "href": ServerLinks().entity(iri),
                "name_en": en,
                "name_zh": zh,
                "matched": name,
                "property": prop,
            }
        )
    return hits


def search(dataset, q: str, as_json: bool) -> tuple[int, str, bytes]:
    hits = search_hits(dataset, q)
    if as_json:
        body = json.dumps({"q": q, "hits": hits}, ensure_ascii=False, indent=1)
        return 200, "application/json", body.encode("utf-8")
    page = render("search.html", ServerLinks(), q=q, hits=hits)
    return 200, HTML, page.encode("utf-8")


# ---------------------------------------------------------------------------------------------


def docs(name: str) -> tuple[int, str, bytes]:
    from castgraph.docs.render import render_docs

    pages = render_docs()
    page = pages.get(name)
    if page is None:
        return 404, TEXT, b"no such page of the ontology documentation\n"
    return 200, HTML, page


def orgchart(dataset, as_of: str | None, lang: str) -> tuple[int, str, bytes]:
    """The org chart exactly as ``castgraph viz -f html`` draws it (units and predecessors)."""
    from castgraph.viz import render as render_viz
    from castgraph.viz.structure import ROOT, load_structure
    from castgraph.viz.tree import build_tree

    kinds = ("units", "predecessors")
    structure = load_structure(dataset.store, root=ROOT, kinds=kinds)
    try:
        tree, snapshot = build_tree(structure, ROOT, kinds=kinds, as_of=as_of or None)
    except ValueError as error:
        return 400, TEXT, f"as_of: {error}\n".encode()
    name = tree.node.label(lang)
    if snapshot and snapshot in structure.sources:
        source = structure.sources[snapshot]
        title = f"{name}: headquarters as source {source.key} ({source.date[:4]}) describes it"
    else:
        title = f"{name}: every headquarters list" if snapshot is None else name
    return 200, HTML, render_viz("html", tree, lang, title)


def graphs(dataset) -> tuple[int, str, bytes]:
    names = [g.value for g in dataset.named_graphs()]
    return 200, "application/json", json.dumps(names).encode()
