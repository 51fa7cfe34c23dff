"""Reading a SHACL shapes graph: terms, RDF lists and property paths as SPARQL text.

The shapes live in a pyoxigraph ``Store`` (any graph of it). Paths are turned into SPARQL 1.1
property-path syntax with full IRIs, which serves twice: inside the compiled queries and as the
``path`` of a result, so pyshacl's report paths can be rendered by the same code.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

Term = NamedNode | BlankNode | Literal


def sh(name: str) -> NamedNode:
    return NamedNode(SH + name)


class ShapesGraph:
    """Read-only access to a shapes graph, whatever graph of the store each triple sits in."""

    def __init__(self, shapes: Store | Iterable[Quad | Triple]):
        if isinstance(shapes, Store):
            self.store = shapes
        else:
            self.store = Store()
            # A Triple has no graph: put it in the default graph of the private store.
            self.store.extend(
                item if isinstance(item, Quad) else Quad(item.subject, item.predicate, item.object)
                for item in shapes
            )

    def objects(self, subject: Term, predicate: NamedNode) -> list[Term]:
        """Distinct objects, in a fixed order (the same triple may sit in several graphs)."""
        found = {q.object for q in self.store.quads_for_pattern(subject, predicate, None, None)}
        return sorted(found, key=str)

    def subjects(self, predicate: NamedNode, obj: Term | None = None) -> list[Term]:
        found = {q.subject for q in self.store.quads_for_pattern(None, predicate, obj, None)}
        return sorted(found, key=str)

    def one(self, subject: Term, predicate: NamedNode) -> Term | None:
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def is_true(self, subject: Term, predicate: NamedNode) -> bool:
        value = self.one(subject, predicate)
        return isinstance(value, Literal) and value.value in ("true", "1")

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list; a cycle or a broken list is an error in the shapes."""
        members: list[Term] = []
        seen = set()
        nil = NamedNode(RDF + "nil")
        while head != nil:
            if head in seen:
                raise ValueError(f"cyclic RDF list in the shapes graph at {head}")
            seen.add(head)
            first = self.one(head, NamedNode(RDF + "first"))
            rest = self.one(head, NamedNode(RDF + "rest"))
            if first is None or rest is None:
                raise ValueError(f"broken RDF list in the shapes graph at {head}")
            members.append(first)
            head = rest
        return members


def path_sparql(shapes: ShapesGraph, node: Term, *, top: bool = True) -> str:
    """``node`` (an IRI or a SHACL path structure) as a SPARQL property path."""
    if isinstance(node, NamedNode):
        return str(node)
    if isinstance(node, Literal):
        raise ValueError(f"a literal is not a path: {node}")

    def inner(child: Term) -> str:
        return path_sparql(shapes, child, top=False)

    def group(text: str) -> str:
        return text if top else f"({text})"

    if shapes.one(node, NamedNode(RDF + "first")) is not None:
        members = shapes.items(node)
        if len(members) < 2:
            raise ValueError(f"a sequence path needs two members at least: {node}")
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
    raise ValueError(f"not a SHACL path: {node}")


def predicate_of(path: Term) -> NamedNode | None:
    """The IRI when the path is a plain predicate (what sh:closed allows)."""
    return path if isinstance(path, NamedNode) else None
