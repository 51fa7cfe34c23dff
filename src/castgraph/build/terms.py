"""The terms a build mints statements from, and the sink that collects them.

Statements are N-Triples text lines ``"graph subject predicate object"``: sorting them sorts the
dataset the way every writer wants it (see ``Statement``). Term constructors are
cached: at the scale of the full CAST system a build makes the same few thousand terms millions
of times, and pyoxigraph validates every IRI it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pyoxigraph import Literal, NamedNode

from castgraph.dates import PartialDate
from castgraph.namespaces import CAST, CONCEPT, GRAPH, ID, RDF, SOURCE, XSD

_XSD_INTEGER = NamedNode(XSD.integer)
_XSD_DECIMAL = NamedNode(XSD.decimal)
_XSD_DATE = NamedNode(XSD.date)
_XSD_BOOLEAN = NamedNode(XSD.boolean)
_TYPE = NamedNode(RDF.type)


# Term constructors are cached: a build creates the same few thousand terms millions of times
# at the scale of the full CAST system, and pyoxigraph validates every IRI it is given.
@cache
def iri(value: str) -> NamedNode:
    return NamedNode(value)


@cache
def _text(node: NamedNode) -> str:
    return str(node)


@cache
def _predicate_text(predicate: str) -> str:
    return _text(iri(predicate))


@cache
def _graph_text(key: str) -> str:
    return _text(graph_node(key))


def entity(slug: str) -> NamedNode:
    return iri(ID[slug])


def concept(slug: str) -> NamedNode:
    return iri(CONCEPT[slug])


def source_node(key: str) -> NamedNode:
    return iri(SOURCE[key.lower()])


def graph_node(key: str) -> NamedNode:
    return iri(GRAPH[key.lower()])


def en(text: str) -> Literal:
    return Literal(text, language="en")


def integer(value: int) -> Literal:
    return Literal(str(value), datatype=_XSD_INTEGER)


def number(lexical: str) -> Literal:
    return Literal(lexical, datatype=_XSD_DECIMAL if "." in lexical else _XSD_INTEGER)


Statement = str
"""``"<graph> subject predicate object"``, each term in N-Triples syntax, separated by one space.

Sorting these strings sorts the dataset by graph, subject, predicate, object, exactly as sorting
the four terms as a tuple would: no IRI or blank node label contains a space, and a complete term
is never followed inside another term by a character below the space. Strings sort about twice
as fast as tuples, and a set of them costs less memory."""


class Sink:
    """Collects statements; a statement listed with several sources goes into each source's graph."""

    def __init__(self) -> None:
        self.statements: set[Statement] = set()

    def add(
        self, subject: NamedNode, predicate: str, obj: NamedNode | Literal, keys: Iterable[str]
    ) -> None:
        # The hot loop of a build (2.3 million calls at 150,000 organizations): one cached
        # lookup per term text.
        triple = f"{subject} {_predicate_text(predicate)} {obj}"
        for key in keys:
            self.statements.add(f"{_graph_text(key)} {triple}")

    def add_in(
        self, graph: str, subject: NamedNode, predicate: str, obj: NamedNode | Literal
    ) -> None:
        self.statements.add(f"{_text(iri(graph))} {subject} {_text(iri(predicate))} {obj}")

    def date(
        self,
        subject: NamedNode,
        props: tuple[str, str, str],
        date: PartialDate,
        keys: Iterable[str],
    ) -> None:
        """A date as given (typed by precision), its ``xsd:date`` key and its precision code."""
        display, key, precision = props
        keys = tuple(keys)
        self.add(subject, display, Literal(date.lexical, datatype=NamedNode(date.datatype)), keys)
        self.add(subject, key, Literal(date.key, datatype=_XSD_DATE), keys)
        self.add(subject, precision, integer(date.precision), keys)
        if date.approximate:
            self.add(subject, CAST.approximateDate, Literal("true", datatype=_XSD_BOOLEAN), keys)
