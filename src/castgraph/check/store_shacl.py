"""SHACL Core on a pyoxigraph Store: each (shape, constraint) compiled into one SPARQL query.

pyshacl walks the focus nodes one at a time in Python; at 150,000 organizations that takes over
15 minutes. Here every constraint of a shape becomes one query over *all* its focus nodes at once,
and the store's engine does the work. Shapes nested in sh:node, sh:not, sh:and, sh:or, sh:xone
and sh:qualifiedValueShape are checked the same way, against the set of value nodes as focus
nodes; combining the answers (which values conform to how many member shapes) is set arithmetic
in Python, so the number of queries depends on the shapes, never on the data.

The data graph is the union of the store's named graphs (``data_graphs=None``) or of the listed
graphs. pyoxigraph's union default graph is a multiset (a triple in three graphs matches three
times), so every query uses DISTINCT or COUNT(DISTINCT ...).

Known deviations, all documented in docs/validation-engines.md: pyoxigraph stores numeric literals
in canonical form (``"01"^^xsd:integer`` is kept as ``"1"``, ``"5"^^xsd:int`` as an xsd:integer),
so sh:datatype on derived integer types and sh:in / sh:hasValue on non-canonical numerals see the
canonical term; sh:sparql constraints that use ``$shapesGraph`` are refused.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import count

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple

from castgraph.check.shacl_components import (
    SIMPLE,
    broken_by,
    conformance,
    ill_typed,
    simple_queries,
    values,
)
from castgraph.check.shacl_paths import (
    RDF,
    RDFS,
    SH,
    ShapesError,
    ShapesGraph,
    Term,
    path_sparql,
    sh,
)
from castgraph.check.shacl_sparql import compile_sparql_constraint, substitute_message

VIOLATION = SH + "Violation"
LOGICAL = ("node", "not", "and", "or", "xone")
WORKERS = min(8, os.cpu_count() or 2)  # one query per core; the store is read-only
MAX_NESTING = 16  # shapes referring to themselves (recursive shapes) are undefined in SHACL Core


@dataclass(frozen=True, order=True)
class ShaclResult:
    """One validation result, every term in N-Triples form so results compare as strings.

    ``source_shape`` is the shape's IRI, or "" when the shape is a blank node (as the nested
    property shapes ``sh:property [ ... ]`` usually are); ``targeted_shape`` is the IRI of the
    shape whose target selected the focus node (not compared: it names a report's line).
    """

    focus: str
    path: str
    component: str
    severity: str
    source_shape: str
    value: str
    message: str
    targeted_shape: str = field(default="", compare=False)


@dataclass(frozen=True)
class _Shape:
    node: Term
    path: str  # SPARQL property path, "" for a node shape
    severity: str
    message: str

    @property
    def name(self) -> str:
        return "" if isinstance(self.node, BlankNode) else self.node.value


def validate_store(
    store: Store,
    shapes: Store | Iterable[Quad | Triple],
    *,
    data_graphs: list[NamedNode] | None = None,
) -> list[ShaclResult]:
    """Validate the data graph of ``store`` against ``shapes``; results sorted, each once.

    The data graph is the union of all named graphs of ``store`` (``data_graphs=None``) or of the
    listed graphs. ``shapes`` is a Store or quads/triples (any graph). Raises ShapesError for a
    shapes graph this engine cannot or may not run (broken lists, recursion, SERVICE, ...).
    """
    return sorted(set(_Validator(store, ShapesGraph(shapes), data_graphs).run()))


class _Validator:
    def __init__(self, store: Store, shapes: ShapesGraph, data_graphs: list[NamedNode] | None):
        self.store = store
        self.shapes = shapes
        self.dataset = (
            {"use_default_graph_as_union": True}
            if data_graphs is None
            else {"default_graph": list(data_graphs)}
        )
        self.fresh = count()
        self.cache: dict[str, list[dict[str, str]]] = {}

    # -- queries ---------------------------------------------------------------------------------

    def select(self, query: str, *, shared: bool = False) -> list[dict[str, str]]:
        """Rows of N-Triples strings, the form results are compared in.

        ``shared`` rows are kept for the rest of the run: sibling constraints often need the
        same ones (the value pairs of one path, the focus nodes of one shape).
        """
        if query in self.cache:
            return self.cache[query]
        names, solutions = self.solutions(query)
        rows = [
            {n: str(t) for n, t in zip(names, s, strict=True) if t is not None} for s in solutions
        ]
        if shared:
            self.cache[query] = rows
        return rows

    def select_terms(self, query: str) -> list[dict[str, Term]]:
        """Rows of terms."""
        names, solutions = self.solutions(query)
        return [{n: t for n, t in zip(names, s, strict=True) if t is not None} for s in solutions]

    def solutions(self, query: str):
        """Never a query that could reach another server."""
        if re.search(r"\bSERVICE\b", query, re.IGNORECASE):
            raise ShapesError("a compiled SHACL query may not contain SERVICE")
        solutions = self.store.query(query, **self.dataset)
        return [v.value for v in solutions.variables], solutions

    def pairs(self, shape: _Shape, focus: str) -> list[tuple[str, str]]:
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {values(shape.path, focus)} }}"
        rows = self.select(query, shared=True)
        return [(r["this"], r["value"]) for r in rows]

    # -- shapes -----------------------------------------------------------------------------------

    def run(self) -> Iterable[ShaclResult]:
        # The engine evaluates a query without the interpreter lock: the parts of the targeted
        # shapes (each property shape, each constraint) run in a thread per core.
        tasks = []
        for node in self.targeted_shapes():
            spelled = self.literal_targets(node)
            for part in self.parts(self.shape(node), self.targets(node), 0):
                tasks.append((node, spelled, part))
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            found = list(pool.map(lambda task: list(task[2]()), tasks))
        for (node, spelled, _), rows in zip(tasks, found, strict=True):
            for focus_node, value, path, component, source in rows:
                for original in spelled.get(focus_node, [focus_node]):
                    yield ShaclResult(
                        original,
                        path,
                        component,
                        source.severity,
                        source.name,
                        original if value == focus_node else value,
                        source.message,
                        node.value if isinstance(node, NamedNode) else "",
                    )

    def literal_targets(self, node: Term) -> dict[str, list[str]]:
        """Literal sh:targetNode values as the query returns them -> as the shapes spell them.

        The query engine hands literals back in canonical form ("4.0"^^xsd:decimal as "4"), but
        a result names the focus node as written.
        """
        spelled: dict[str, list[str]] = {}
        for target in self.shapes.objects(node, sh("targetNode")):
            if isinstance(target, Literal):
                rows = self.select(f"SELECT ?x WHERE {{ BIND({target} AS ?x) }}")
                spelled.setdefault(rows[0]["x"], []).append(str(target))
        return spelled

    def targeted_shapes(self) -> list[Term]:
        found = set()
        for key in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
            found.update(self.shapes.subjects(sh(key)))
        classes = set(self.shapes.subjects(NamedNode(RDF + "type"), NamedNode(RDFS + "Class")))
        for kind in ("NodeShape", "PropertyShape"):
            typed = self.shapes.subjects(NamedNode(RDF + "type"), sh(kind))
            found.update(classes.intersection(typed))
        return sorted((n for n in found if not self.shapes.is_true(n, sh("deactivated"))), key=str)

    def shape(self, node: Term) -> _Shape:
        path = self.shapes.one(node, sh("path"))
        severity = self.shapes.one(node, sh("severity"))
        messages = self.shapes.objects(node, sh("message"))
        return _Shape(
            node=node,
            path=path_sparql(self.shapes, path) if path is not None else "",
            severity=severity.value if isinstance(severity, NamedNode) else VIOLATION,
            message=messages[0].value if messages else "",
        )

    def targets(self, node: Term) -> str:
        """A group pattern binding ?this to each focus node of a shape, once."""
        parts = []
        type_of = f"<{RDF}type>/<{RDFS}subClassOf>*"
        classes = self.shapes.objects(node, sh("targetClass"))
        if node in self.shapes.subjects(NamedNode(RDF + "type"), NamedNode(RDFS + "Class")):
            classes.append(node)
        parts += [f"?this {type_of} {c} ." for c in classes]
        nodes = self.shapes.objects(node, sh("targetNode"))
        if nodes:
            parts.append("VALUES ?this { " + " ".join(map(str, nodes)) + " }")
        parts += [f"?this {p} [] ." for p in self.shapes.objects(node, sh("targetSubjectsOf"))]
        parts += [f"[] {p} ?this ." for p in self.shapes.objects(node, sh("targetObjectsOf"))]
        union = " UNION ".join(f"{{ {p} }}" for p in parts) or "FILTER(false)"
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def value_nodes_as_focus(self, shape: _Shape, focus: str) -> str:
        """The value nodes of ``shape`` as the focus nodes of a nested shape (bound to ?this)."""
        if not shape.path:
            return focus
        outer = f"?f{next(self.fresh)}"
        return (
            f"{{ SELECT DISTINCT ?this WHERE {{ {{ SELECT (?this AS {outer}) WHERE {{ {focus} }} }}"
            f" {outer} {shape.path} ?this . }} }}"
        )

    def failing(self, node: Term, focus: str, depth: int) -> set[str]:
        """The focus nodes that do not conform to the shape ``node`` (any result, any severity)."""
        if self.shapes.is_true(node, sh("deactivated")):
            return set()
        return {v[0] for v in self.violations(self.shape(node), focus, depth + 1)}

    # -- constraints ------------------------------------------------------------------------------

    def violations(self, shape: _Shape, focus: str, depth: int):
        """(focus, value, path, component IRI, shape that reports it) for each problem."""
        for part in self.parts(shape, focus, depth):
            yield from part()

    def parts(self, shape: _Shape, focus: str, depth: int) -> list[Callable[[], Iterable]]:
        """The independent parts of checking ``shape``: one per property shape and constraint."""
        if depth > MAX_NESTING:
            raise ShapesError(
                f"shapes nested deeper than {MAX_NESTING} (recursive?) at {shape.node}"
            )
        node = shape.node
        parts: list[Callable[[], Iterable]] = []
        for prop in self.shapes.objects(node, sh("property")):
            if not self.shapes.is_true(prop, sh("deactivated")):
                inner = self.shape(prop)
                parts.append(
                    partial(self.violations, inner, self.value_nodes_as_focus(shape, focus), depth)
                )
        for name, parameter in self.constraints(node):
            parts.append(partial(self.constraint, name, parameter, shape, focus, depth))
        return parts

    def constraint(self, name: str, parameter: Term, shape: _Shape, focus: str, depth: int):
        component = SH + name[0].upper() + name[1:] + "ConstraintComponent"
        if name in ("qualifiedMinCount", "qualifiedMaxCount"):
            component = SH + "QualifiedMinCountConstraintComponent"
            if name == "qualifiedMaxCount":
                component = SH + "QualifiedMaxCountConstraintComponent"
        if name == "sparql":
            yield from self.sparql(shape, parameter, focus)
            return
        for this, value, path in self.check(name, parameter, shape, focus, depth):
            yield this, value, path, component, shape

    def constraints(self, node: Term) -> list[tuple[str, Term]]:
        names = (*SIMPLE, *LOGICAL, "qualifiedMinCount", "qualifiedMaxCount", "sparql")
        return [(n, v) for n in names for v in self.shapes.objects(node, sh(n))]

    def check(self, name: str, parameter: Term, shape: _Shape, focus: str, depth: int):
        """Yield (focus, value, path) rows for one constraint of a shape."""
        if name in LOGICAL:
            yield from self.logical(name, parameter, shape, focus, depth)
            return
        if name in ("qualifiedMinCount", "qualifiedMaxCount"):
            yield from self.qualified(name, parameter, shape, focus, depth)
            return
        for query in simple_queries(name, parameter, self.shapes, shape.node, shape.path, focus):
            if query.rows == "lexical":
                rows = self.select_terms(query.text)
                bad = {v for v in {r["value"] for r in rows} if ill_typed(v)}
                yield from (
                    (str(r["this"]), str(r["value"]), shape.path) for r in rows if r["value"] in bad
                )
            elif query.rows == "closed":
                yield from ((r["this"], r["o"], r["p"]) for r in self.select(query.text))
            else:
                for r in self.select(query.text):
                    yield r["this"], r.get("value", ""), shape.path

    def logical(self, name: str, parameter: Term, shape: _Shape, focus: str, depth: int):
        members = self.shapes.items(parameter) if name in ("and", "or", "xone") else [parameter]
        conforms = [conformance(self.shapes, m) for m in members]
        if None not in conforms:
            broken = broken_by(name, conforms)
            where = values(shape.path, focus)
            for r in self.select(
                f"SELECT DISTINCT ?this ?value WHERE {{ {where} FILTER({broken}) }}"
            ):
                yield r["this"], r["value"], shape.path
            return
        # Members with paths or shapes of their own: check each against all the value nodes.
        inner_focus = self.value_nodes_as_focus(shape, focus)
        failing = [self.failing(m, inner_focus, depth) for m in members]
        for this, value in self.pairs(shape, focus):
            conforming = sum(value not in f for f in failing)
            broken = {
                "node": conforming == 0,
                "not": conforming == 1,
                "and": conforming < len(members),
                "or": conforming == 0,
                "xone": conforming != 1,
            }[name]
            if broken:
                yield this, value, shape.path

    def qualified(self, name: str, parameter: Term, shape: _Shape, focus: str, depth: int):
        qualified = self.shapes.one(shape.node, sh("qualifiedValueShape"))
        if qualified is None:
            return
        limit = int(parameter.value)
        disjoint = self.shapes.is_true(shape.node, sh("qualifiedValueShapesDisjoint"))
        conforms = conformance(self.shapes, qualified)
        if conforms is not None and not disjoint and shape.path:
            yield from self.qualified_inline(name, limit, conforms, shape, focus)
            return
        inner_focus = self.value_nodes_as_focus(shape, focus)
        failing = self.failing(qualified, inner_focus, depth)
        siblings: list[set[str]] = []
        if disjoint:
            for parent in self.shapes.subjects(sh("property"), shape.node):
                for prop in self.shapes.objects(parent, sh("property")):
                    other = self.shapes.one(prop, sh("qualifiedValueShape"))
                    if prop != shape.node and other is not None and other != qualified:
                        siblings.append(self.failing(other, inner_focus, depth))
        counts: Counter[str] = Counter()
        for this, value in self.pairs(shape, focus):
            if value not in failing and all(value in s for s in siblings):
                counts[this] += 1
        foci = [r["this"] for r in self.select(f"SELECT ?this WHERE {{ {focus} }}", shared=True)]
        for this in foci:
            if counts[this] < limit if name == "qualifiedMinCount" else counts[this] > limit:
                yield this, "", shape.path

    def qualified_inline(self, name: str, limit: int, conforms: str, shape: _Shape, focus: str):
        """Qualified counts in SPARQL, for a qualified shape that fits in a FILTER."""
        qualified = f"?this {shape.path} ?value . FILTER({conforms})"
        if name == "qualifiedMinCount" and limit <= 1:
            if limit == 0:
                return
            # MINUS as for sh:minCount 1 (shacl_components): ?this is all the sides share.
            absent = "MINUS" if shape.path else "FILTER NOT EXISTS"
            query = f"SELECT DISTINCT ?this WHERE {{ {focus} {absent} {{ {qualified} }} }}"
        else:
            op = "<" if name == "qualifiedMinCount" else ">"
            query = (
                f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {qualified} }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {limit})"
            )
        for r in self.select(query):
            yield r["this"], "", shape.path

    def sparql(self, shape: _Shape, constraint: Term, focus: str):
        if self.shapes.is_true(constraint, sh("deactivated")):
            return
        query = compile_sparql_constraint(self.shapes, shape.node, shape.path, constraint, focus)
        messages = self.shapes.objects(constraint, sh("message"))
        source = _Shape(
            shape.node, shape.path, shape.severity, messages[0].value if messages else shape.message
        )
        component = SH + "SPARQLConstraintComponent"
        for row in self.select_terms(query):
            this = str(row["this"])
            value = str(row["value"]) if "value" in row else ("" if shape.path else this)
            path = row.get("path")
            path = str(path) if isinstance(path, NamedNode) else shape.path
            message = row.get("message")
            text = message.value if isinstance(message, Literal) else source.message
            reported = _Shape(shape.node, shape.path, shape.severity, substitute_message(text, row))
            yield this, value, path, component, reported
