"""HTML documentation of the castgraph ontology and of its SHACL shapes, from the Turtle files.

``render_docs()`` returns ``{file name: bytes}`` for ``index.html``, ``ontology.html`` and
``shapes.html``: every class, property, datatype and concept of ``ontology/castgraph.ttl`` with
its English and Chinese labels, its definition and the standard terms it extends (as links), and
every shape of ``ontology/shapes/`` with its targets, each constraint spelled out in words, its
message and its severity. The pages are rendered with our own Jinja2 templates
(``templates/docs/``), carry their CSS inline and load nothing from anywhere, and are
byte-identical from run to run (everything is sorted; blank-node shapes are ordered by what
they say, not by their random ids).

Written here rather than with pyLODE: pyLODE documents only the ontology (not SHACL shapes in
words), pulls in a large dependency tree, and its pages reference external assets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from castgraph.docs.common import Link, _anchor, _link, _parse, _text, _uri
from castgraph.docs.shapes import (
    _describe_shape,
    _read_shapes,
    _shapes_by_term,
)
from castgraph.namespaces import CAST, DCT, OWL, PREFIXES, RDF, RDFS, SKOS, shorten
from castgraph.paths import ONTOLOGY_PATH, SHAPES_DIR

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
VANN = "http://purl.org/vocab/vann/"


@dataclass(frozen=True)
class Term:
    anchor: str
    curie: str
    iri: str
    kind: str
    label_en: str
    label_zh: str
    definition: str
    extends: tuple[Link, ...] = ()
    domain: tuple[Link, ...] = ()
    range: tuple[Link, ...] = ()
    scheme: tuple[Link, ...] = ()
    checked_by: tuple[Link, ...] = ()


@dataclass
class Ontology:
    iri: str
    title_en: str
    title_zh: str
    description: str
    version: str
    license: str
    namespace: str
    prefix: str
    sections: list[tuple[str, str, list[Term]]] = field(default_factory=list)


def render_docs(
    ontology_path: Path = ONTOLOGY_PATH, shapes_dir: Path = SHAPES_DIR
) -> dict[str, bytes]:
    """The documentation pages as ``{file name: UTF-8 HTML}``."""
    ontology_graph = _parse(ontology_path)
    shapes = _read_shapes(shapes_dir)
    terms_checked = _shapes_by_term(shapes)
    ontology = _ontology(ontology_graph, terms_checked)
    own = {t.iri for _, _, terms in ontology.sections for t in terms}
    env = _environment()
    context = {
        "ontology": ontology,
        "shapes": [_describe_shape(g, node, path, own) for g, node, path in shapes],
        "prefixes": PREFIXES,
        "ontology_file": ontology_path.name,
        "shapes_dir": shapes_dir.name,
    }
    return {
        name: (env.get_template(name).render(**context).rstrip("\n") + "\n").encode("utf-8")
        for name in ("index.html", "ontology.html", "shapes.html")
    }


def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


# ----------------------------------------------------------------------------------------------
# The ontology


def _ontology(graph, checked_by: dict[str, list[Link]]) -> Ontology:
    import rdflib

    header = next(iter(sorted(graph.subjects(_uri(RDF.type), _uri(OWL.Ontology)))), None)
    ontology = Ontology(
        iri=str(header) if header is not None else "",
        title_en=_text(graph, header, DCT.title) if header is not None else "",
        title_zh=_text(graph, header, DCT.title, "zh-hans") if header is not None else "",
        description=_text(graph, header, DCT.description) if header is not None else "",
        version=_text(graph, header, OWL.versionInfo, None) if header is not None else "",
        license=str(next(iter(sorted(graph.objects(header, _uri(DCT.license)))), ""))
        if header is not None
        else "",
        namespace=_text(graph, header, VANN + "preferredNamespaceUri", None)
        if header is not None
        else str(CAST),
        prefix=_text(graph, header, VANN + "preferredNamespacePrefix", None)
        if header is not None
        else "cast",
    )
    sections = (
        ("classes", "Classes", OWL.Class),
        ("object-properties", "Object properties", OWL.ObjectProperty),
        ("datatype-properties", "Datatype properties", OWL.DatatypeProperty),
        ("datatypes", "Datatypes", RDFS.Datatype),
        ("concept-schemes", "Concept schemes", SKOS.ConceptScheme),
    )
    defined: set = set()
    for key, title, rdf_class in sections:
        subjects = sorted(
            s
            for s in graph.subjects(_uri(RDF.type), _uri(rdf_class))
            if isinstance(s, rdflib.URIRef)
        )
        defined.update(subjects)
        ontology.sections.append((key, title, [s for s in subjects]))
    # Named individuals: instances of our own classes (the value qualifiers).
    classes = {s for s in graph.subjects(_uri(RDF.type), _uri(OWL.Class))}
    individuals = sorted(
        s
        for c in classes
        for s in graph.subjects(_uri(RDF.type), c)
        if isinstance(s, rdflib.URIRef) and s not in defined
    )
    ontology.sections.append(("individuals", "Concepts and named values", individuals))

    own = {str(s) for _, _, subjects in ontology.sections for s in subjects}
    ontology.sections = [
        (key, title, [_term(graph, s, key, own, checked_by) for s in subjects])
        for key, title, subjects in ontology.sections
        if subjects
    ]
    return ontology


def _term(graph, subject, kind: str, own: set[str], checked_by: dict[str, list[Link]]) -> Term:
    iri = str(subject)

    def links(*predicates: str) -> tuple[Link, ...]:
        found = {str(o) for p in predicates for o in graph.objects(subject, _uri(p))}
        return tuple(_link(o, own) for o in sorted(found))

    label_en = _text(graph, subject, RDFS.label) or _text(graph, subject, SKOS.prefLabel)
    label_zh = _text(graph, subject, RDFS.label, "zh-hans") or _text(
        graph, subject, SKOS.prefLabel, "zh-hans"
    )
    extends = links(RDFS.subClassOf, RDFS.subPropertyOf)
    if kind == "individuals":
        extends = links(RDF.type)
    return Term(
        anchor=_anchor(iri),
        curie=shorten(iri).strip("<>"),
        iri=iri,
        kind=kind,
        label_en=label_en,
        label_zh=label_zh,
        definition=_text(graph, subject, SKOS.definition) or _text(graph, subject, RDFS.comment),
        extends=extends,
        domain=links(RDFS.domain),
        range=links(RDFS.range),
        scheme=links(SKOS.inScheme),
        checked_by=tuple(sorted(set(checked_by.get(iri, [])), key=lambda link: link.text)),
    )


def write_docs(out_dir: Path, pages: dict[str, bytes]) -> list[Path]:
    from castgraph.files import write_all_atomic

    outputs = {out_dir / name: data for name, data in pages.items()}
    write_all_atomic(outputs)
    return sorted(outputs)
