"""Flat JSON-LD written one subject at a time: the same bytes as ``jsonld.flat_document``, linear.

Why our own compaction instead of pyld: pyld turns the whole dataset into one expanded document
(``from_rdf``), then compacts it as a whole (``compact``), holding several Python objects per
statement and re-walking nested structures; it is pure Python and grows faster than the data
(26 s at 20,000 organizations, 545 s at 150,000). Our input is sorted, our context is fixed and
small, and a flat document never nests nodes, so each node object can be compacted on its own.

How: ``jsonld_terms.Context`` reads ``ontology/context.jsonld`` (prefixes, terms, containers,
coercions) and ports pyld's term selection (inverse context, ``_select_term``, ``_compact_iri``,
``_compact_value``) for the kinds of values RDF gives (IRI or blank node, language-tagged,
typed, plain string, and the native numbers and booleans of ``jsonld._native_values``). The
choice depends only on (predicate, kind of value, datatype or language), so it is made once per
such combination and cached; CURIEs are made as pyld makes them (shortest, then least). Each
node's JSON is written by hand in ``json.dumps(indent=2)``'s layout, with the key and array
order of ``jsonld._canonical``. Nodes are sorted by compact id per graph in bounded memory
(sorted runs spilled to temporary files, then merged); each graph's body is spooled, and the
graph objects are written in id order at the end.

Where this differs from pyld on purpose (tests/test_jsonld_stream.py names each case), on
statements castgraph never makes: an ``rdf:JSON`` literal stays the typed string it is (pyld
parses it into ``@json`` and reads it back re-serialized, another literal); RDF lists
(``rdf:first``/``rdf:rest`` to ``rdf:nil``) stay plain nodes (pyld folds them into ``@list``).
"""

from __future__ import annotations

import heapq
import io
import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _enc  # json.dumps(s, ensure_ascii=False)
from operator import itemgetter
from typing import Any, BinaryIO

from pyoxigraph import DefaultGraph, Literal, NamedNode

from castgraph.export.jsonld import CONTEXT_URL, bcp47_case, context_document
from castgraph.export.jsonld_terms import Context
from castgraph.export.jsonld_terms import context as _terms

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_MAX_SAFE_INTEGER = 2**53 - 1
_CANONICAL_INTEGER = re.compile(r"^(0|-?[1-9][0-9]*)$")
_SPILL_CHARS = 32 * 1024 * 1024  # node text held in memory per graph before a sorted run spills


def _sort_key(value: str | tuple) -> tuple:
    """``jsonld._sort_key`` of a printed value: node references by id, the rest by JSON text."""
    if isinstance(value, str):
        return (1, value)
    if value[0][0] == '"id"':
        return (0, json.loads(value[0][1]))
    return (1, "{" + ", ".join(k + ": " + v for k, v in sorted(value)) + "}")


class _Node:
    """One subject's statements in one graph, as printed JSON pieces."""

    __slots__ = ("id", "props", "types")

    def __init__(self, compact_id: str) -> None:
        self.id = compact_id
        self.types: set[str] = set()
        self.props: dict[str, list] = {}  # key -> [language map?, array?, {value: None}]

    def add(self, ctx: Context, predicate: str, obj) -> None:
        if isinstance(obj, Literal):
            text, language = obj.value, obj.language
            datatype = None
            if language:
                slot = ctx.slot(predicate, "L", language, False)
            else:
                datatype = obj.datatype.value
                if datatype == _XSD_STRING:
                    datatype = None
                elif (
                    datatype == _XSD_INTEGER
                    and _CANONICAL_INTEGER.match(text)
                    and abs(int(text)) <= _MAX_SAFE_INTEGER
                ) or (datatype == _XSD_BOOLEAN and text in ("true", "false")):
                    datatype = ""  # a JSON number or boolean: printed as its lexical form
                slot = (
                    ctx.slot(predicate, "T", datatype, False)
                    if datatype
                    else ctx.slot(predicate, "P", None, False)
                )
            value: str | tuple = text if datatype == "" else _enc(text)
            if slot[3] == "object":
                pairs = [('"@value"', value)]
                if language:
                    pairs.append(('"@language"', _enc(bcp47_case(language))))
                elif datatype:
                    pairs.append(('"@type"', _enc(ctx.compact_vocab(datatype))))
                value = tuple(pairs)
        else:
            iri = _term_iri(obj)
            if predicate == _RDF_TYPE:
                self.types.add(_enc(ctx.compact_vocab(iri)))
                return
            slot = ctx.slot(predicate, "I", None, ctx.is_term_iri(iri))
            form = slot[3]
            if form == "vocab":
                value = _enc(ctx.compact_vocab(iri))
            elif form == "id":
                value = _enc(ctx.compact_id(iri))
            else:
                value = ((ctx.id_key, _enc(ctx.compact_id(iri))),)
        key, language_map, array, _form = slot
        entry = self.props.get(key)
        if entry is None:
            entry = self.props[key] = [language_map, array, {}]
        values = entry[2]
        if language_map:
            values = values.setdefault(obj.language or "@none", {})
        values[value] = None  # an ordered set: equal printed values are one value

    def text(self, ctx: Context, indent: str, close: bool = True) -> str:
        """The node object at ``indent``; without ``close``, open for a ``@graph`` member."""
        inner = indent + "  "
        members = [inner + '"id": ' + _enc(self.id)]
        if len(self.types) == 1 and not ctx.types_always_array:
            members.append(inner + '"type": ' + next(iter(self.types)))
        elif self.types:
            members.append(inner + '"type": ' + _array(sorted(self.types), inner))
        for key in sorted(self.props):
            language_map, array, values = self.props[key]
            if language_map:
                deeper = inner + "  "
                text = (
                    "{\n"
                    + ",\n".join(
                        deeper
                        + _enc(bcp47_case(lang))
                        + ": "
                        + _values(values[lang], deeper, array)
                        for lang in sorted(values)
                    )
                    + "\n"
                    + inner
                    + "}"
                )
            else:
                text = _values(values, inner, array)
            members.append(inner + _enc(key) + ": " + text)
        body = "{\n" + ",\n".join(members)
        return body + "\n" + indent + "}" if close else body


def _values(values: dict, indent: str, array: bool) -> str:
    if len(values) == 1 and not array:
        return _value(next(iter(values)), indent)
    return _array(sorted(values, key=_sort_key) if len(values) > 1 else list(values), indent)


def _array(items: list, indent: str) -> str:
    deeper = indent + "  "
    return "[\n" + ",\n".join(deeper + _value(v, deeper) for v in items) + "\n" + indent + "]"


def _value(value: str | tuple, indent: str) -> str:
    if isinstance(value, str):
        return value
    deeper = indent + "  "
    return "{\n" + ",\n".join(deeper + k + ": " + v for k, v in value) + "\n" + indent + "}"


class _Sorter:
    """(key, text) pairs in key order, in bounded memory: sorted runs spill to temporary files."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []
        self.size = 0
        self.runs: list = []

    def add(self, key: str, text: str) -> None:
        self.items.append((key, text))
        self.size += len(text)
        if self.size > _SPILL_CHARS:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _read_run)
        for key, text in sorted(self.items, key=itemgetter(0)):
            k, t = key.encode("utf-8"), text.encode("utf-8")
            run.write(b"%d %d\n" % (len(k), len(t)) + k + t)
        run.seek(0)
        self.runs.append(run)
        self.items, self.size = [], 0

    def __iter__(self) -> Iterator[tuple[str, str]]:
        if not self.runs:
            return iter(sorted(self.items, key=itemgetter(0)))
        self._spill()
        return heapq.merge(*(_read_run(run) for run in self.runs), key=itemgetter(0))


def _read_run(run) -> Iterator[tuple[str, str]]:
    with run:
        while header := run.readline():
            k, t = map(int, header.split())
            yield run.read(k).decode("utf-8"), run.read(t).decode("utf-8")


class UnsortedQuads(ValueError):
    """``write_flat`` was given quads out of (graph, subject) order."""


def flat_bytes(quads: Iterable, *, inline_context: bool = False) -> bytes:
    """The flat document's bytes; quads in any order (sorted here only when they are not)."""
    quads = quads if isinstance(quads, (list, tuple)) else list(quads)
    buffer = io.BytesIO()
    try:
        write_flat(quads, buffer, inline_context=inline_context)
    except UnsortedQuads:
        buffer = io.BytesIO()
        ordered = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject)))
        write_flat(ordered, buffer, inline_context=inline_context)
    return buffer.getvalue()


def write_flat(quads: Iterable, output: BinaryIO, *, inline_context: bool = False) -> None:
    """Write ``jsonld.dumps(jsonld.flat_document(quads))``'s bytes, one subject at a time.

    ``quads`` must come sorted by (graph, subject) text, as ``castgraph build`` sorts them
    (predicate and object order within a subject does not matter; duplicates are dropped).
    """
    ctx = _terms()
    graphs: dict[str, Any] = {}  # compact graph id -> its spooled @graph body
    default = _Sorter()  # default-graph nodes at the top level, open for a @graph member
    seen_graphs: set[str] = set()
    graph = subject = node = None
    sorter: _Sorter | None = None
    last_subject = ""

    def end_node() -> None:
        if node is not None:
            if sorter is None:
                default.add(node.id, node.text(ctx, "    ", close=False))
            else:
                sorter.add(node.id, "        " + node.text(ctx, "        "))

    def end_graph() -> None:
        if sorter is not None:
            spool = tempfile.SpooledTemporaryFile(max_size=1 << 20)  # noqa: SIM115 (closed when copied out)
            first = True
            for _key, text in sorter:
                spool.write(((",\n" if not first else "") + text).encode("utf-8"))
                first = False
            spool.seek(0)
            graphs[ctx.compact_id(_term_iri(graph))] = spool

    for quad in quads:
        g, s = quad.graph_name, quad.subject
        if g != graph or s != subject:
            end_node()
            if g != graph:
                end_graph()
                name = str(g)
                if name in seen_graphs:
                    raise UnsortedQuads(f"write_flat: quads not sorted by graph ({name} again)")
                seen_graphs.add(name)
                graph, last_subject = g, ""
                sorter = None if isinstance(g, DefaultGraph) else _Sorter()
            text = str(s)
            if text <= last_subject:
                raise UnsortedQuads(
                    f"write_flat: quads not sorted by subject ({text} after {last_subject})"
                )
            subject, last_subject = s, text
            node = _Node(ctx.compact_id(_term_iri(s)))
        node.add(ctx, quad.predicate.value, quad.object)
    end_node()
    end_graph()

    context = context_document()["@context"] if inline_context else CONTEXT_URL
    head = json.dumps(context, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    output.write(('{\n  "@context": ' + head + ',\n  "@graph": [').encode("utf-8"))
    items = heapq.merge(
        ((key, text, None) for key, text in default),
        ((key, None, graphs[key]) for key in sorted(graphs)),
        key=itemgetter(0),
    )
    first = True
    for key, text, spool in _pairs(items):
        if text is None:
            text = '{\n      "id": ' + _enc(key)
        parts = [("\n" if first else ",\n") + "    " + text]
        if spool is not None:
            parts.append(',\n      "@graph": [\n')
        output.write("".join(parts).encode("utf-8"))
        if spool is not None:
            with spool:
                while chunk := spool.read(1 << 20):
                    output.write(chunk)
            output.write(b"\n      ]")
        output.write(b"\n    }")
        first = False
    output.write(b"]\n}\n" if first else b"\n  ]\n}\n")


def _pairs(items: Iterable[tuple]) -> Iterator[tuple]:
    """Merge a default-graph node with the graph object of the same id."""
    held = None
    for item in items:
        if held is not None and held[0] == item[0]:
            held = (item[0], held[1] or item[1], held[2] or item[2])
            continue
        if held is not None:
            yield held
        held = item
    if held is not None:
        yield held


def _term_iri(term) -> str:
    """The id pyld gives a term: the IRI, or ``_:label`` for a blank node."""
    return term.value if isinstance(term, NamedNode) else "_:" + term.value
