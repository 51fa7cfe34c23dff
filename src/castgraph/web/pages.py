"""HTML pages from jinja2 templates, with hrefs decided by a ``links`` object.

``render_entity_page(dataset, iri, links)`` is the one entry point the server and the static site
generator share. ``links`` says how every href is written:

* :class:`ServerLinks` - absolute server paths (``/id/SLUG``, ``/static/castgraph.css``);
* :class:`StaticLinks` - relative paths for a folder of files (``../../id/SLUG/index.html``),
  with no search or query page (a static host cannot run them).

Any object with the same methods works. Nothing here imports a web framework.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from castgraph.namespaces import ID

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
ALTERNATES = (
    ("ttl", "text/turtle"),
    ("nt", "application/n-triples"),
    ("jsonld", "application/ld+json"),
)


SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")


def slug_of(iri: str) -> str | None:
    """The slug of an entity IRI (``https://w3id.org/castgraph/id/SLUG``), else None."""
    if not iri.startswith(ID[""]):
        return None
    slug = iri[len(ID[""]) :]
    return slug if SLUG.fullmatch(slug) else None


@dataclass(frozen=True)
class ServerLinks:
    """Hrefs for ``castgraph serve``: entity pages at ``/id/SLUG``."""

    prefix: str = ""  # a path prefix when the server is mounted below the root

    def entity(self, iri: str) -> str | None:
        slug = slug_of(iri)
        return f"{self.prefix}/id/{slug}" if slug else None

    def alternate(self, iri: str, suffix: str) -> str | None:
        slug = slug_of(iri)
        return f"{self.prefix}/id/{slug}.{suffix}" if slug else None

    def asset(self, name: str) -> str:
        return f"{self.prefix}/static/{name}"

    def page(self, name: str) -> str | None:
        """``home``, ``search``, ``query``, ``def``, ``orgchart``, ``sparql``."""
        return f"{self.prefix}/" if name == "home" else f"{self.prefix}/{name}"


@dataclass(frozen=True)
class StaticLinks:
    """Hrefs for a static site: entity pages at ``id/SLUG/index.html`` below the site root.

    ``root`` is the way from the page being written back to the site root (``../../`` from
    ``id/SLUG/index.html``); assets live in ``static/``; alternates are ``index.ttl``,
    ``index.nt`` and ``index.jsonld`` beside each page.
    """

    root: str = "../../"
    pages: tuple[str, ...] = ("home", "def", "orgchart")

    def entity(self, iri: str) -> str | None:
        slug = slug_of(iri)
        return f"{self.root}id/{slug}/index.html" if slug else None

    def alternate(self, iri: str, suffix: str) -> str | None:
        slug = slug_of(iri)
        return f"{self.root}id/{slug}/index.{suffix}" if slug else None

    def asset(self, name: str) -> str:
        return f"{self.root}static/{name}"

    def page(self, name: str) -> str | None:
        if name not in self.pages:
            return None
        return f"{self.root}index.html" if name == "home" else f"{self.root}{name}/index.html"


@lru_cache(maxsize=1)
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


def render(template: str, links, **context) -> str:
    return environment().get_template(template).render(links=links, **context)


def static_assets() -> dict[str, bytes]:
    """The files a page's ``links.asset(name)`` points to: ``{name: bytes}`` (for a static site)."""
    return {p.name: p.read_bytes() for p in sorted(STATIC_DIR.iterdir()) if p.is_file()}


def render_entity_page(dataset, iri: str, links=None) -> str:
    """The HTML page of one entity (``dataset``: a castgraph ``Dataset``); raises KeyError when
    the dataset says nothing about ``iri``."""
    from castgraph.web.entity import gather

    try:
        entity = gather(dataset, iri)
    except ValueError:
        raise KeyError(iri) from None
    if not entity.exists:
        raise KeyError(iri)
    links = links if links is not None else ServerLinks()
    return render("entity.html", links, entity=entity, alternates=ALTERNATES)
