"""``castgraph site``: the graph as a static website, for any static web host or a file:// URL.

Layout (every href relative, nothing fetched from another host):

- ``index.html``: the home page (release, downloads with SHA-256, links);
- ``id/SLUG/index.html``: one page per entity, rendered by the server's own templates
  (``castgraph.web.pages.render_entity_page``) with :class:`SiteLinks`; ``id/SLUG.ttl`` and
  ``id/SLUG.jsonld`` beside it;
- ``def/``: the ontology documentation (``castgraph docs``); ``orgchart/``: the org chart
  (``castgraph viz -f html``); ``search/``: a page with a JSON index of every name (English,
  Chinese, acronyms, people) and a small inline script; ``static/``: the pages' stylesheet;
- ``dumps/``: TriG, N-Quads, Turtle, JSON-LD and CSV tables, with ``SHA256SUMS``;
- ``void.ttl``: the dataset's description (VoID + DCAT) with its distributions and checksums.

Entity pages are written one at a time as they are rendered (memory does not grow with the
number of entities). The whole site is written into a staging folder and swapped in at the end
(``castgraph.dataset.dist.DistWriter``): a failed run leaves the previous site as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from castgraph.namespaces import CAST, FOAF, ID, RDFS, SKOS

OWNED = frozenset(
    {
        "index.html",
        "id",
        "def",
        "orgchart",
        "search",
        "static",
        "dumps",
        "void.ttl",
        "context.jsonld",
        ".nojekyll",
    }
)
MINOR_PREFIXES = ("tenure-", "obs-", "post-", "membership-")
_RANK_PROPERTY = {"prefLabel": 0, "name": 0, "acronym": 1, "altLabel": 2, "formerName": 3}
_NAMES = f"""SELECT DISTINCT ?x ?name ?p WHERE {{
  VALUES ?p {{ <{SKOS.prefLabel}> <{SKOS.altLabel}> <{FOAF.name}> <{CAST.acronym}> <{RDFS.label}>
              <{CAST.formerName}> }}
  ?x ?p ?name . FILTER(isLiteral(?name) && STRSTARTS(STR(?x), "{ID[""]}"))
}}"""
_SUBJECTS = "SELECT DISTINCT ?x WHERE { ?x ?p ?o }"
_OBJECTS = "SELECT DISTINCT ?x WHERE { ?s ?p ?x FILTER(isIRI(?x)) }"


_SAFE_SLUG = re.compile(r"[A-Za-z0-9_~-]+")


def site_slug(iri: str) -> str | None:
    """The slug of an entity that gets a page: letters, digits, ``_~-`` only, so that a page
    path can never leave ``id/`` (``..``) nor collide with a ``SLUG.ttl`` file (a dot)."""
    from castgraph.web.pages import slug_of

    slug = slug_of(iri)
    return slug if slug is not None and _SAFE_SLUG.fullmatch(slug) else None


@dataclass(frozen=True)
class SiteLinks:
    """Relative hrefs for a page ``depth`` folders below the site root.

    Same methods as ``castgraph.web.pages.StaticLinks``; alternates sit beside the entity's
    folder as ``id/SLUG.ttl`` and ``id/SLUG.jsonld`` (no N-Triples file).
    """

    root: str = "../../"
    sparql: str | None = None  # a SPARQL endpoint URL, when one is given

    def entity(self, iri: str) -> str | None:
        slug = site_slug(iri)
        return f"{self.root}id/{slug}/index.html" if slug else None

    def alternate(self, iri: str, suffix: str) -> str | None:
        slug = site_slug(iri)
        return f"{self.root}id/{slug}.{suffix}" if slug and suffix in ("ttl", "jsonld") else None

    def asset(self, name: str) -> str:
        return f"{self.root}static/{name}"

    def page(self, name: str) -> str | None:
        if name == "home":
            return f"{self.root}index.html"
        if name in ("def", "orgchart", "search"):
            return f"{self.root}{name}/index.html"
        if name == "sparql":
            return self.sparql
        return None


@dataclass
class SiteReport:
    entities: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0


def build_site(
    dataset,
    out_dir: Path,
    *,
    sparql_endpoint: str | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> SiteReport:
    """Write the whole site of ``dataset`` to ``out_dir`` (all or nothing)."""
    import time

    from castgraph.dataset.dist import DistWriter

    say = progress or (lambda text: None)
    started = time.perf_counter()
    report = SiteReport()
    with DistWriter(out_dir, OWNED, durable=False) as staging:
        root = staging.staging
        assert root is not None
        writer = _Writer(root, report)
        writer.write(".nojekyll", b"")  # GitHub Pages: serve folders as they are
        from castgraph.paths import CONTEXT_PATH

        writer.write("context.jsonld", CONTEXT_PATH.read_bytes())  # the entities' JSON-LD context
        for name, data in _static_assets().items():
            writer.write(f"static/{name}", data)
        report.entities = _entity_pages(dataset, writer, sparql_endpoint, say, jobs)
        writer.write("search/index.html", _search_page(dataset, sparql_endpoint))
        _docs(writer)
        writer.write("orgchart/index.html", _orgchart(dataset, sparql_endpoint))
        from castgraph.publish.site_files import write_dumps, write_void

        downloads = write_dumps(dataset, writer)
        write_void(dataset, writer, downloads, sparql_endpoint)
        release = _release(dataset)
        writer.write(
            "index.html",
            _render(
                "site_home.html",
                SiteLinks(root="", sparql=sparql_endpoint),
                release=release,
                downloads=downloads,
                entities=report.entities,
                sparql=sparql_endpoint,
            ),
        )
        staging.commit()
    report.seconds = time.perf_counter() - started
    return report


class _Writer:
    def __init__(self, root: Path, report: SiteReport) -> None:
        self.root = root
        self.report = report

    def write(self, relative: str, data: bytes | str) -> Path:
        if isinstance(data, str):
            data = data.encode("utf-8")
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.report.files += 1
        self.report.bytes += len(data)
        return path


def _static_assets() -> dict[str, bytes]:
    from castgraph.web.pages import static_assets

    return static_assets()


def entity_iris(dataset) -> list[str]:
    """Every entity IRI (``id/SLUG``) the dataset mentions as a subject or an object, sorted."""
    found = {row["x"].value for query in (_SUBJECTS, _OBJECTS) for row in dataset.query(query)}
    return sorted(iri for iri in found if site_slug(iri) is not None)


def entity_rdf(dataset, iri: str) -> tuple[bytes, bytes]:
    """The entity's statements (as subject and as object) as Turtle and as compact JSON-LD: the
    same statements as the server's ``/id/SLUG.ttl`` and ``.jsonld``, one query for both. The
    Turtle's prefix lines are in a fixed order; the JSON-LD's context is the site's own copy
    (``../context.jsonld``), so that reading it fetches nothing from another host."""
    from pyoxigraph import DefaultGraph, Quad

    from castgraph.export.jsonld import CONTEXT_URL
    from castgraph.export.jsonld_stream import flat_bytes
    from castgraph.namespaces import PREFIXES
    from castgraph.publish.site_files import turtle

    result = dataset.query(
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} "
        f"WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
    )
    triples = sorted(result, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    quads = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]
    jsonld = flat_bytes(quads).replace(
        f'"@context": "{CONTEXT_URL}"'.encode(), f'"@context": "{SITE_CONTEXT}"'.encode(), 1
    )
    return turtle(triples, dict(PREFIXES)), jsonld


SITE_CONTEXT = "../context.jsonld"  # from id/SLUG.jsonld to the site's copy of the context


def _entity_pages(dataset, writer: _Writer, sparql: str | None, say, jobs: int = 1) -> int:
    """Every entity's page and RDF, by ``jobs`` forked processes (each writes its own files)."""
    import multiprocessing

    from castgraph.web.entity import catalog_for

    iris = entity_iris(dataset)
    chunks = [iris[i : i + _CHUNK] for i in range(0, len(iris), _CHUNK)]
    catalog_for(dataset).preload()  # every label once, before the workers fork (they share it)
    _WORK.update(dataset=dataset, root=writer.root, links=SiteLinks(root="../../", sparql=sparql))
    count = 0
    try:
        if jobs > 1 and len(chunks) > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            with context.Pool(min(jobs, len(chunks))) as pool:
                results = pool.imap(_render_chunk, chunks)
                count = _collect(results, writer.report, len(iris), say)
        else:
            count = _collect(map(_render_chunk, chunks), writer.report, len(iris), say)
    finally:
        _WORK.clear()
    return count


_CHUNK = 250
_WORK: dict = {}  # what the forked workers inherit: the dataset, the staging root, the links


def _collect(results, report: SiteReport, total: int, say) -> int:
    count = done = 0
    for pages, files, size, seen in results:
        count += pages
        done += seen
        report.files += files
        report.bytes += size
        if total > 2 * _CHUNK:
            say(f"site: {done}/{total} entities")
    return count


def _render_chunk(iris: list[str]) -> tuple[int, int, int, int]:
    """Render and write the pages of ``iris``; (pages, files, bytes, entities seen)."""
    from castgraph.web.pages import render_entity_page

    dataset, root, links = _WORK["dataset"], _WORK["root"], _WORK["links"]
    chunk = SiteReport()
    writer = _Writer(root, chunk)
    for iri in iris:
        slug = site_slug(iri)
        try:
            page = render_entity_page(dataset, iri, links)
        except KeyError:
            continue
        turtle, jsonld = entity_rdf(dataset, iri)
        writer.write(f"id/{slug}/index.html", _final(page))
        writer.write(f"id/{slug}.ttl", turtle)
        writer.write(f"id/{slug}.jsonld", jsonld)
        chunk.entities += 1
    return chunk.entities, chunk.files, chunk.bytes, len(iris)


def search_index(dataset) -> dict:
    """Every name of every entity for the client-side search: ``{"e": [[slug, en, zh]],
    "n": [[name, entity index, property rank]]}``, sorted."""
    from castgraph.web.entity import catalog_for

    rows = sorted(
        {
            (
                row["x"].value.removeprefix(ID[""]),
                row["name"].value,
                _RANK_PROPERTY.get(row["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1], 4),
            )
            for row in dataset.query(_NAMES)
            if site_slug(row["x"].value) is not None
        }
    )
    slugs = sorted({slug for slug, _, _ in rows})
    labels = catalog_for(dataset).labels([ID[slug] for slug in slugs])
    position = {slug: i for i, slug in enumerate(slugs)}
    entities = [[slug, *labels[ID[slug]]] for slug in slugs]
    names = [[name, position[slug], rank] for slug, name, rank in rows]
    return {"e": entities, "n": names, "minor": list(MINOR_PREFIXES)}


def _search_page(dataset, sparql: str | None) -> str:
    index = json.dumps(search_index(dataset), ensure_ascii=False, separators=(",", ":"))
    index = index.replace("</", "<\\/")  # never closes the script element
    return _render("site_search.html", SiteLinks(root="../", sparql=sparql), index=index)


def _docs(writer: _Writer) -> None:
    from castgraph.docs.render import render_docs

    for name, data in render_docs().items():
        writer.write(f"def/{name}", data)


def _orgchart(dataset, sparql: str | None) -> bytes | str:
    from castgraph.viz import render as render_viz
    from castgraph.viz.structure import ROOT, load_structure
    from castgraph.viz.tree import build_tree

    kinds = ("units", "predecessors")
    structure = load_structure(dataset.store, root=ROOT, kinds=kinds)
    try:
        tree, _ = build_tree(structure, ROOT, kinds=kinds, as_of=None)
    except (KeyError, ValueError):
        return _render(
            "site_message.html",
            SiteLinks(root="../", sparql=sparql),
            heading="Org chart",
            message="This dataset has no organization chart: CAST is not one of its organizations.",
        )
    title = f"{tree.node.label('en')}: every headquarters list"
    return render_viz("html", tree, "en", title)


def _release(dataset) -> dict:
    from castgraph.namespaces import DATASET, DATASET_GRAPH, DCT, OWL, VOID

    found = {"version": "", "date": "", "triples": ""}
    rows = dataset.query(
        f"""SELECT ?v ?d ?n WHERE {{ GRAPH <{DATASET_GRAPH}> {{
          OPTIONAL {{ <{DATASET}> <{OWL.versionInfo}> ?v }} OPTIONAL {{ <{DATASET}> <{DCT.issued}> ?d }}
          OPTIONAL {{ <{DATASET}> <{VOID.triples}> ?n }} }} }} LIMIT 1"""
    )
    for row in rows:
        for key, var in (("version", "v"), ("date", "d"), ("triples", "n")):
            if row[var] is not None:
                found[key] = row[var].value
    return found


_ENV = None


def _render(template: str, links, **context) -> str:
    global _ENV
    if _ENV is None:
        import jinja2

        from castgraph.web.pages import TEMPLATES_DIR

        _ENV = jinja2.Environment(
            loader=jinja2.ChoiceLoader(
                [
                    jinja2.FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
                    jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                ]
            ),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
    return _final(_ENV.get_template(template).render(links=links, **context))


def _final(page: str) -> str:
    return page.rstrip("\n") + "\n"
