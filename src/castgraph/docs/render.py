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

from castgraph.errors import InputError, display_path
from castgraph.namespaces import CAST, DCT, OWL, PREFIXES, RDF, RDFS, SH, SKOS, shorten
from castgraph.paths import ONTOLOGY_PATH, SHAPES_DIR

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
VANN = "http://purl.org/vocab/vann/"
SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
NODE_KINDS = {
    SH.IRI: "an IRI",
    SH.Literal: "a literal",
    SH.BlankNode: "a blank node",
    SH.BlankNodeOrIRI: "an IRI or a blank node",
    SH.BlankNodeOrLiteral: "a blank node or a literal",
    SH.IRIOrLiteral: "an IRI or a literal",
}
# Keys of a shape that are not constraints (or are rendered on their own).
NON_CONSTRAINTS = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SKOS.definition,
    SH.path,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.property,
    SH.sparql,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.deactivated,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.flags,
    SH.ignoredProperties,
}


@dataclass(frozen=True)
class Link:
    text: str
    href: str


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


@dataclass(frozen=True)
class PropertyRule:
    path: str
    path_links: tuple[Link, ...]
    rules: tuple[str, ...]
    messages: tuple[str, ...]
    severity: str
    name: str = ""


@dataclass(frozen=True)
class Shape:
    anchor: str
    curie: str
    label: str
    file: str
    targets: tuple[str, ...]
    severity: str
    rules: tuple[str, ...]
    properties: tuple[PropertyRule, ...]
    sparql: tuple[tuple[str, str], ...]  # (message, query)
    messages: tuple[str, ...] = ()


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


def _parse(path: Path):
    import rdflib

    graph = rdflib.Graph(bind_namespaces="none")
    try:
        graph.parse(data=path.read_bytes(), format="turtle")
    except FileNotFoundError:
        raise InputError(f"{display_path(path)}: file not found") from None
    except Exception as error:  # rdflib raises several unrelated types for bad Turtle
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"{display_path(path)}: {first}") from None
    return graph


# ----------------------------------------------------------------------------------------------
# The ontology


def _text(graph, subject, predicate, language: str | None = "en") -> str:
    values = []
    for value in graph.objects(subject, _uri(predicate)):
        lang = (getattr(value, "language", None) or "").lower()
        if language is None or lang == language or (language == "en" and not lang):
            values.append(str(value))
    return sorted(values)[0] if values else ""


def _uri(iri: str):
    import rdflib

    return rdflib.URIRef(iri)


def _link(iri: str, own: set[str] | frozenset[str] = frozenset(), page: str = "") -> Link:
    curie = shorten(iri).strip("<>")
    if iri in own:
        return Link(curie, f"{page}#{_anchor(iri)}")
    return Link(curie, iri)


def _anchor(iri: str) -> str:
    return shorten(iri).strip("<>").replace(":", "-")


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


# ----------------------------------------------------------------------------------------------
# The shapes


def _read_shapes(shapes_dir: Path) -> list[tuple]:
    """(graph, shape node, file) for every node shape, ordered by file and name."""
    import rdflib

    found = []
    paths = sorted(shapes_dir.glob("*.ttl"))
    if not paths:
        raise InputError(f"{display_path(shapes_dir)}: no shapes (*.ttl) found")
    for path in paths:
        graph = _parse(path)
        nodes = set(graph.subjects(_uri(RDF.type), _uri(SH.NodeShape)))
        nodes |= {
            s
            for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
            for s in graph.subjects(_uri(p), None)
        }
        for node in sorted(n for n in nodes if isinstance(n, rdflib.URIRef)):
            found.append((graph, node, path))
    return found


def _shapes_by_term(shapes: list[tuple]) -> dict[str, list[Link]]:
    """Ontology term IRI -> links to the shapes that target or constrain it."""
    out: dict[str, list[Link]] = {}
    for graph, node, _ in shapes:
        link = Link(_local(node), f"shapes.html#{_anchor(str(node))}")
        terms = {str(o) for o in graph.objects(node, _uri(SH.targetClass))}
        for prop in graph.objects(node, _uri(SH.property)):
            terms |= {
                iri for _, iri in _path_terms(graph, next(graph.objects(prop, _uri(SH.path)), None))
            }
        for term in terms:
            out.setdefault(term, []).append(link)
    return out


def _local(node) -> str:
    return shorten(str(node)).strip("<>").split(":", 1)[-1]


def _describe_shape(graph, node, path: Path, own: set[str]) -> Shape:
    targets = []
    for predicate, words in (
        (SH.targetClass, "every instance of {}"),
        (SH.targetNode, "the node {}"),
        (SH.targetSubjectsOf, "every subject of {}"),
        (SH.targetObjectsOf, "every object of {}"),
    ):
        for value in sorted(graph.objects(node, _uri(predicate))):
            targets.append(words.format(_curie(value)))
    properties = [
        _describe_property(graph, prop, own) for prop in graph.objects(node, _uri(SH.property))
    ]
    properties.sort(key=lambda p: (p.path, p.rules, p.messages, p.name))
    sparql = []
    for constraint in graph.objects(node, _uri(SH.sparql)):
        message = "; ".join(_messages(graph, constraint))
        query = _text(graph, constraint, SH.select, None) or _text(graph, constraint, SH.ask, None)
        sparql.append((message, _dedent(query)))
    return Shape(
        anchor=_anchor(str(node)),
        curie=shorten(str(node)).strip("<>"),
        label=_text(graph, node, RDFS.label),
        file=f"{path.parent.name}/{path.name}",
        targets=tuple(targets),
        severity=_severity(graph, node),
        rules=tuple(_constraints(graph, node)),
        properties=tuple(properties),
        sparql=tuple(sorted(sparql)),
        messages=tuple(_messages(graph, node)),
    )


def _describe_property(graph, prop, own: set[str]) -> PropertyRule:
    import rdflib

    path_node = next(iter(graph.objects(prop, _uri(SH.path))), None)
    return PropertyRule(
        path=_path_text(graph, path_node),
        path_links=tuple(
            Link(text, f"ontology.html#{_anchor(iri)}" if iri in own else iri)
            for text, iri in _path_terms(graph, path_node)
        ),
        rules=tuple(_constraints(graph, prop)),
        messages=tuple(_messages(graph, prop)),
        severity=_severity(graph, prop),
        name=_local(prop) if isinstance(prop, rdflib.URIRef) else "",
    )


def _severity(graph, node) -> str:
    value = next(iter(sorted(graph.objects(node, _uri(SH.severity)))), None)
    if value is None:
        return "Violation"
    return SEVERITY_NAMES.get(str(value), _curie(value))


def _messages(graph, node) -> list[str]:
    return sorted(str(m) for m in graph.objects(node, _uri(SH.message)))


def _curie(term) -> str:
    import rdflib

    if isinstance(term, rdflib.Literal):
        if term.language:
            return f'"{term}"@{term.language}'
        if term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f'"{term}" ({_curie(term.datatype)})'
        return f'"{term}"'
    if isinstance(term, rdflib.BNode):
        return "(an unnamed shape)"
    return shorten(str(term)).strip("<>")


def _list(graph, head) -> list:
    from rdflib.collection import Collection

    return list(Collection(graph, head))


def _path_text(graph, path) -> str:
    import rdflib

    if path is None:
        return "(no path)"
    if isinstance(path, rdflib.URIRef):
        return _curie(path)
    if (path, _uri(RDF.first), None) in graph:
        return " / ".join(_path_text(graph, p) for p in _list(graph, path))
    for predicate, render in (
        (SH.alternativePath, lambda items: " | ".join(items)),
        (SH.inversePath, lambda items: "^" + items[0]),
        (SH.zeroOrMorePath, lambda items: items[0] + "*"),
        (SH.oneOrMorePath, lambda items: items[0] + "+"),
        (SH.zeroOrOnePath, lambda items: items[0] + "?"),
    ):
        inner = next(iter(graph.objects(path, _uri(predicate))), None)
        if inner is not None:
            if predicate == SH.alternativePath:
                return "(" + render([_path_text(graph, p) for p in _list(graph, inner)]) + ")"
            return render([_path_text(graph, inner)])
    return "(complex path)"


def _path_terms(graph, path) -> list[tuple[str, str]]:
    """(CURIE, IRI) of every property a path mentions, in order."""
    import rdflib

    if path is None:
        return []
    if isinstance(path, rdflib.URIRef):
        return [(_curie(path), str(path))]
    out = []
    if (path, _uri(RDF.first), None) in graph:
        for p in _list(graph, path):
            out += _path_terms(graph, p)
        return out
    for _, inner in graph.predicate_objects(path):
        if (inner, _uri(RDF.first), None) in graph:
            for p in _list(graph, inner):
                out += _path_terms(graph, p)
        else:
            out += _path_terms(graph, inner)
    return out


def _count_words(low: int | None, high: int | None) -> str:
    def values(n: int) -> str:
        return "one value" if n == 1 else f"{n} values"

    if low and high is not None:
        return f"exactly {values(low)}" if low == high else f"between {low} and {high} values"
    if low:
        return f"at least {values(low)} (required)" if low == 1 else f"at least {values(low)}"
    if high is not None:
        return "no value" if high == 0 else f"at most {values(high)}"
    return ""


def _integer(graph, node, predicate) -> int | None:
    value = next(iter(graph.objects(node, _uri(predicate))), None)
    return int(value) if value is not None else None


def _constraints(graph, node) -> list[str]:
    """Every constraint of a shape (node or property) as a sentence fragment."""
    rules = []
    count = _count_words(_integer(graph, node, SH.minCount), _integer(graph, node, SH.maxCount))
    if count:
        rules.append(count)
    qualified = next(iter(graph.objects(node, _uri(SH.qualifiedValueShape))), None)
    if qualified is not None:
        inner = " and ".join(_as_predicate(r) for r in _constraints(graph, qualified))
        low = _integer(graph, node, SH.qualifiedMinCount)
        high = _integer(graph, node, SH.qualifiedMaxCount)
        count = _count_words(low, high).replace(" (required)", "")
        rules.append(f"{count} that {inner}" if inner else count)
    for predicate, value in sorted(graph.predicate_objects(node)):
        key = str(predicate)
        if key in NON_CONSTRAINTS or key in (SH.minCount, SH.maxCount, SH.qualifiedValueShape):
            continue
        rules.append(_constraint(graph, key, value))
    return [r for r in rules if r]


def _constraint(graph, key: str, value) -> str:
    simple = {
        SH.datatype: "each value is a literal of type {}",
        SH["class"]: "each value is an instance of {}",
        SH.hasValue: "one of the values is {}",
        SH.lessThan: "each value is less than every value of {}",
        SH.lessThanOrEquals: "each value is less than or equal to every value of {}",
        SH.equals: "the values are the same as those of {}",
        SH.disjoint: "no value is also a value of {}",
        SH.minLength: "each value has at least {} characters",
        SH.maxLength: "each value has at most {} characters",
        SH.minInclusive: "each value is at least {}",
        SH.maxInclusive: "each value is at most {}",
        SH.minExclusive: "each value is greater than {}",
        SH.maxExclusive: "each value is less than {}",
        SH.pattern: "each value matches the regular expression {}",
        SH.node: "each value conforms to the shape {}",
    }
    if key in simple:
        return simple[key].format(_curie(value))
    if key == SH.nodeKind:
        return f"each value is {NODE_KINDS.get(str(value), _curie(value))}"
    if key == SH["in"]:
        return "each value is one of " + ", ".join(_curie(v) for v in _list(graph, value))
    if key == SH.languageIn:
        tags = ", ".join(str(v) for v in _list(graph, value))
        return f"each value has a language tag in: {tags} (or a sub-tag of one)"
    if key == SH.uniqueLang:
        return "no two values share a language tag" if str(value) == "true" else ""
    if key == SH.closed:
        return "no properties other than those listed" if str(value) == "true" else ""
    if key in (SH["or"], SH["and"], SH.xone):
        alternatives = sorted(
            " and ".join(_as_predicate(r) for r in _constraints(graph, member))
            or f"conforms to {_curie(member)}"
            for member in _list(graph, value)
        )
        joiner = {SH["or"]: " or ", SH["and"]: "; and ", SH.xone: " or else "}[key]
        lead = "exactly one of: " if key == SH.xone else ""
        return f"each value {lead}" + joiner.join(alternatives)
    if key == SH["not"]:
        inner = " and ".join(_as_predicate(r) for r in _constraints(graph, value))
        return f"no value {inner or 'conforms to ' + _curie(value)}"
    return f"{_curie(_uri(key))} {_curie(value)}"


def _as_predicate(rule: str) -> str:
    """'each value is an IRI' -> 'is an IRI', for constraints nested in sh:or or a qualified shape."""
    return rule.removeprefix("each value ")


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).strip("\n")


def write_docs(out_dir: Path, pages: dict[str, bytes]) -> list[Path]:
    from castgraph.files import write_all_atomic

    outputs = {out_dir / name: data for name, data in pages.items()}
    write_all_atomic(outputs)
    return sorted(outputs)
