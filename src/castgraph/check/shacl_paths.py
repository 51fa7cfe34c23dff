"""Reading a SHACL shapes graph: terms, RDF lists and property paths as SPARQL text.

The shapes live in a pyoxigraph ``Store`` (any graph of it). Paths are turned into SPARQL 1.1
property-path syntax with full IRIs, which serves twice: inside the compiled queries and as the
``path`` of a result, so pyshacl's report paths can be rendered by the same code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

Term = NamedNode | BlankNode | Literal


class ShapesError(ValueError):
    """The shapes graph asks for something this engine cannot or may not do."""


def sh(name: str) -> NamedNode:
    return NamedNode(SH + name)


class ShapesGraph:
    """Read-only access to a shapes graph, whatever graph of the store each triple sits in.

    The triples are indexed in Python rather than loaded into a Store: pyoxigraph's store keeps
    literals in canonical form ("1"^^xsd:boolean comes back as "true"), and SHACL parameters are
    compared as terms. Shapes graphs are small, so the index costs nothing that matters.
    """

    def __init__(self, shapes: Store | Iterable[Quad | Triple]):
        self._objects: dict[tuple[Term, NamedNode], set[Term]] = defaultdict(set)
        self._subjects: dict[tuple[NamedNode, Term | None], set[Term]] = defaultdict(set)
        self._predicates: dict[Term, set[NamedNode]] = defaultdict(set)
        for item in shapes:
            self._objects[item.subject, item.predicate].add(item.object)
            self._subjects[item.predicate, item.object].add(item.subject)
            self._subjects[item.predicate, None].add(item.subject)
            self._predicates[item.subject].add(item.predicate)

    def objects(self, subject: Term, predicate: NamedNode) -> list[Term]:
        """Distinct objects, in a fixed order (the same triple may sit in several graphs)."""
        return sorted(self._objects.get((subject, predicate), ()), key=str)

    def predicates(self, subject: Term) -> set[NamedNode]:
        return self._predicates.get(subject, set())

    def subjects(self, predicate: NamedNode, obj: Term | None = None) -> list[Term]:
        return sorted(self._subjects.get((predicate, obj), ()), key=str)

    def one(self, subject: Term, predicate: NamedNode) -> Term | None:
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def is_true(self, subject: Term, predicate: NamedNode) -> bool:
        # Only the literal true switches a parameter on: the W3C test uniqueLang-002 checks that
        # "1"^^xsd:boolean, although the same boolean value, leaves sh:uniqueLang off.
        value = self.one(subject, predicate)
        return isinstance(value, Literal) and value.value == "true"

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list; a cycle or a broken list is an error in the shapes."""
        members: list[Term] = []
        seen = set()
        nil = NamedNode(RDF + "nil")
        while head != nil:
            if head in seen:
                raise ShapesError(f"cyclic RDF list in the shapes graph at {head}")
            seen.add(head)
            first = self.one(head, NamedNode(RDF + "first"))
            rest = self.one(head, NamedNode(RDF + "rest"))
            if first is None or rest is None:
                raise ShapesError(f"broken RDF list in the shapes graph at {head}")
            members.append(first)
            head = rest
        return members


def path_sparql(shapes: ShapesGraph, node: Term, *, top: bool = True) -> str:
    """``node`` (an IRI or a SHACL path structure) as a SPARQL property path."""
    if isinstance(node, NamedNode):
        return str(node)
    if isinstance(node, Literal):
        raise ShapesError(f"a literal is not a path: {node}")

    def inner(child: Term) -> str:
        return path_sparql(shapes, child, top=False)

    def group(text: str) -> str:
        return text if top else f"({text})"

    if shapes.one(node, NamedNode(RDF + "first")) is not None:
        members = shapes.items(node)
        if len(members) < 2:
            raise ShapesError(f"a sequence path needs two members at least: {node}")
        return group("/".join(inner(m) for m in members))
    for key, template in (
        ("inversePath", "^{}"),
        ("zeroOrMorePath", "{}*"),
        ("oneOrMorePath", "{}+"),
        ("zeroOrOnePath", "{}?"),
    ):
        target = shapes.one(node, sh(key))
        if target is not None:
            # A unary operator binds tighter than / and |: anything but an IRI goes in brackets.
            operand = (
                str(target) if isinstance(target, NamedNode) else f"({path_sparql(shapes, target)})"
            )
            return template.format(operand)
    alternatives = shapes.one(node, sh("alternativePath"))
    if alternatives is not None:
        return group("|".join(inner(m) for m in shapes.items(alternatives)))
    raise ShapesError(f"not a SHACL path: {node}")


def predicate_of(path: Term) -> NamedNode | None:
    """The IRI when the path is a plain predicate (what sh:closed allows)."""
    return path if isinstance(path, NamedNode) else None
