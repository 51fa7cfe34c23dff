"""The SHACL shapes of ``ontology/shapes/`` described in words for ``shapes.html``: targets,
each constraint spelled out, messages and severities, in a stable order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from castgraph.docs.common import Link, _anchor, _parse, _text, _uri
from castgraph.errors import InputError, display_path
from castgraph.namespaces import RDF, RDFS, SH, SKOS, shorten

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
