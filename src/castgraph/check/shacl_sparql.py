"""SHACL-SPARQL constraints (sh:sparql with sh:select) compiled into one query for all focus nodes.

pyshacl pre-binds $this and runs the SELECT once per focus node (once per organization for the
hierarchy-cycle check). Here the SELECT becomes a sub-query with $this left free, joined with
the pattern that binds the shape's focus nodes: one query, whatever the number of focus nodes.
A sub-query is evaluated as written, so GROUP BY, HAVING and aggregates in the constraint keep
their meaning; only the constraint's own PREFIX/BASE lines move to the front of the query.
"""

from __future__ import annotations

import re

from pyoxigraph import BlankNode, NamedNode

from castgraph.check.shacl_paths import ShapesError, ShapesGraph, Term, sh

_DECLARATION = re.compile(r"^\s*(PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE)


def prefix_declarations(shapes: ShapesGraph, constraint: Term) -> list[str]:
    """PREFIX lines from the sh:declare entries that the constraint's sh:prefixes point to."""
    lines = set()
    for holder in shapes.objects(constraint, sh("prefixes")):
        for declaration in shapes.objects(holder, sh("declare")):
            prefix = shapes.one(declaration, sh("prefix"))
            namespace = shapes.one(declaration, sh("namespace"))
            if prefix is None or namespace is None:
                raise ShapesError(f"sh:declare without sh:prefix or sh:namespace at {holder}")
            lines.add(f"PREFIX {prefix.value}: <{namespace.value}>")
    return sorted(lines)


def compile_sparql_constraint(
    shapes: ShapesGraph, shape: Term, path: str, constraint: Term, focus: str
) -> str:
    """The query that returns one row (?this, ?value, ?path, ?message) per violation."""
    select = shapes.one(constraint, sh("select"))
    if select is None:
        raise ShapesError(f"SPARQL constraint {constraint} has no sh:select")
    text = select.value
    head = prefix_declarations(shapes, constraint)
    while match := _DECLARATION.match(text):
        head.append(match.group(1))
        text = text[match.end() :]
    if re.search(r"\$shapesGraph\b", text):
        raise ShapesError(f"{constraint}: $shapesGraph is not supported (the shapes are not data)")
    if re.search(r"\$currentShape\b", text):
        if isinstance(shape, BlankNode):
            raise ShapesError(f"{constraint}: $currentShape needs a shape with an IRI")
        text = re.sub(r"\$currentShape\b", str(shape), text)
    if re.search(r"\$PATH\b", text):
        if not path:
            raise ShapesError(f"{constraint}: $PATH in a constraint of a node shape")
        text = re.sub(r"\$PATH\b", lambda _: path, text)
    return (
        "\n".join(head)
        + f"\nSELECT DISTINCT ?this ?value ?path ?message WHERE {{ {focus} {{ {text} }} }}"
    )


def substitute_message(message: str, row: dict[str, Term]) -> str:
    """Fill {?var} and {$var} in a SPARQL constraint's message with the row's bindings."""

    def value(match: re.Match) -> str:
        term = row.get(match.group(1))
        if term is None:
            return match.group(0)
        return term.value if not isinstance(term, NamedNode) else str(term)

    return re.sub(r"\{[?$](\w+)\}", value, message)
