"""JSON-LD for web developers: the castgraph context, a flat form per graph and a framed tree.

Two shapes, both compacted with ``ontology/context.jsonld`` (published at ``CONTEXT_URL``):

- ``flat_document``: one node object per entity, sorted by ``id``, inside one ``@graph`` object
  per named graph (``{"id": "graph:000", "@graph": [...]}``), so the source graphs are kept.
- ``tree_document``: a view of the union of all graphs, framed with pyld: the root organization
  (CAST) with its units, their sub-units, posts, tenures and holders nested, and every statement
  the tree does not show in ``included`` (JSON-LD 1.1 ``@included``), so nothing is lost.

pyld shapes the documents (rdflib cannot frame); we only fix the order of keys and arrays, and
the case of language tags, so the bytes are deterministic. Nothing here touches the network:
pyld is given a document loader that serves only our own context and refuses every other URL,
and ``for_rdflib`` swaps the context URL for the local context before rdflib parses a document
(rdflib's JSON-LD parser would otherwise fetch it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from castgraph.errors import InputError
from castgraph.namespaces import ID, RDF, XSD
from castgraph.paths import CONTEXT_PATH

CONTEXT_URL = "https://w3id.org/castgraph/context.jsonld"
DEFAULT_ROOT = ID["cast"]

_RDF_LANGSTRING = RDF.langString
_MAX_SAFE_INTEGER = 2**53 - 1  # larger integers lose precision as JavaScript numbers
_CANONICAL_INTEGER = re.compile(r"^(0|-?[1-9][0-9]*)$")
_FIRST_KEYS = ("@context", "id", "type")
_LAST_KEYS = ("@graph", "included")
_VALUE_KEYS = ("@value", "@type", "@language", "@direction")


# ----------------------------------------------------------------------------------------------
# The context


@cache
def _context_text() -> str:
    try:
        return CONTEXT_PATH.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{CONTEXT_PATH}: JSON-LD context not found") from None


def context_document() -> dict[str, Any]:
    """The context file as a JSON object (``{"@context": {...}}``); a fresh copy each call."""
    return json.loads(_context_text())


def _term_definitions() -> dict[str, Any]:
    return context_document()["@context"]


@cache
def _language_terms() -> frozenset[str]:
    """Terms whose values are language maps (``"name": {"en": ..., "zh-Hans": ...}``)."""
    terms = set()
    for term, definition in _term_definitions().items():
        if isinstance(definition, dict):
            container = definition.get("@container", [])
            container = [container] if isinstance(container, str) else container
            if "@language" in container:
                terms.add(term)
    return frozenset(terms)


def document_loader():
    """A pyld document loader that serves our context and refuses every other URL."""
    from pyld.documentloader.frozen import FrozenDocumentLoader

    return FrozenDocumentLoader(documents={CONTEXT_URL: context_document()})


def _options(**extra: Any) -> dict[str, Any]:
    return {"documentLoader": document_loader(), "processingMode": "json-ld-1.1", **extra}


# ----------------------------------------------------------------------------------------------
# pyoxigraph quads <-> pyld's RDF dataset form (no text in between, so no escaping questions)


def _to_pyld_term(term) -> dict[str, str]:
    from pyoxigraph import BlankNode, Literal

    if isinstance(term, Literal):
        if term.language:
            return {
                "type": "literal",
                "value": term.value,
                "datatype": _RDF_LANGSTRING,
                "language": term.language,
            }
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    if isinstance(term, BlankNode):
        return {"type": "blank node", "value": f"_:{term.value}"}
    return {"type": "IRI", "value": term.value}


def _pyld_dataset(quads: Iterable) -> dict[str, list[dict]]:
    from pyoxigraph import DefaultGraph

    dataset: dict[str, list[dict]] = {"@default": []}
    for quad in quads:
        if isinstance(quad.graph_name, DefaultGraph):
            name = "@default"
        else:
            name = _to_pyld_term(quad.graph_name)["value"]
        dataset.setdefault(name, []).append(
            {
                "subject": _to_pyld_term(quad.subject),
                "predicate": _to_pyld_term(quad.predicate),
                "object": _to_pyld_term(quad.object),
            }
        )
    return dataset


def _expanded(quads: Iterable) -> list[dict]:
    """Expanded JSON-LD of the quads, with JSON numbers and booleans where that is lossless."""
    from pyld import jsonld

    expanded = jsonld.from_rdf(_pyld_dataset(quads), {"useNativeTypes": False})
    _native_values(expanded)
    return expanded


def _native_values(node: Any) -> None:
    """Turn canonical ``xsd:integer`` and ``xsd:boolean`` values into JSON numbers and booleans.

    pyld's own ``useNativeTypes`` also converts ``"007"`` and integers beyond 2**53 (which
    JavaScript cannot hold exactly, and which pyld writes back as ``xsd:double``), so a value
    becomes native only when converting it back gives the same literal.
    """
    if isinstance(node, list):
        for item in node:
            _native_values(item)
    elif isinstance(node, dict):
        if "@value" in node:
            value, datatype = node["@value"], node.get("@type")
            if datatype == XSD.integer and _CANONICAL_INTEGER.match(value):
                if abs(int(value)) <= _MAX_SAFE_INTEGER:
                    node["@value"] = int(value)
                    del node["@type"]
            elif datatype == XSD.boolean and value in ("true", "false"):
                node["@value"] = value == "true"
                del node["@type"]
            return
        for value in node.values():
            _native_values(value)


# ----------------------------------------------------------------------------------------------
# The two shapes


def flat_document(quads: Iterable, *, inline_context: bool = False) -> dict[str, Any]:
    """Compact flat JSON-LD: one object per entity sorted by id, one ``@graph`` per named graph."""
    from pyld import jsonld

    compacted = jsonld.compact(_expanded(quads), CONTEXT_URL, _options(graph=True))
    return _finish(compacted, inline_context)


def tree_document(
    quads: Iterable, *, root: str = DEFAULT_ROOT, inline_context: bool = False
) -> dict[str, Any]:
    """The union framed as a tree from ``root``; statements outside the tree go to ``included``.

    When the root is not in the data, the document is the flat union (``@graph``).
    """
    from pyld import jsonld
    from pyoxigraph import DefaultGraph, NamedNode, Quad

    union = sorted({Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads}, key=str)
    if not any(q.subject == NamedNode(root) for q in union):
        return flat_document(union, inline_context=inline_context)
    framed = jsonld.frame(
        _expanded(union),
        _frame(root),
        _options(embed="@never", omitDefault=True, omitGraph=True),
    )
    from castgraph.export.jsonld_read import to_quads_from_json

    shown = {(q.subject, q.predicate, q.object) for q in to_quads_from_json(framed)}
    rest = [q for q in union if (q.subject, q.predicate, q.object) not in shown]
    if rest:
        nodes = jsonld.compact(_expanded(rest), CONTEXT_URL, _options(graph=True))
        framed["included"] = nodes.get("@graph", [_without_context(nodes)])
    return _finish(framed, inline_context)


def _without_context(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k != "@context"}


def _frame(root: str) -> dict[str, Any]:
    """The JSON-LD frame of the tree.

    Every level is ``@explicit``: it shows the listed properties only (the rest of each node goes
    to ``included``). Nested nodes are embedded ``@always`` (pyld stops at cycles), and anything
    not listed is a plain reference, so the tree never wanders off through other links.
    Literal-valued properties are listed by compact IRI: a term with a language container would
    expand the wildcard ``{}`` to an empty language map, which pyld reads as "match nothing".
    """
    any_value: dict[str, Any] = {}
    names = {
        "skos:prefLabel": any_value,
        "skos:altLabel": any_value,
        "cast:acronym": any_value,
    }
    person = {"@embed": "@always", "@explicit": True, **names}
    concept = {"@embed": "@always", "@explicit": True, "skos:prefLabel": any_value}
    tenure = {
        "@embed": "@always",
        "@explicit": True,
        "org:member": {"@embed": "@never"},
        "cast:asOf": any_value,
        "schema:startDate": any_value,
        "schema:endDate": any_value,
        "cast:concurrent": any_value,
    }
    post = {
        "@embed": "@always",
        "@explicit": True,
        "rdfs:label": any_value,
        "role": concept,
        "heldBy": person,
        "@reverse": {"cast:post": tenure},
    }
    organization = {
        **names,
        "classification": {"@embed": "@never"},
        "schema:foundingDate": any_value,
        "org:purpose": any_value,
        "hasPost": post,
    }
    division = {"@embed": "@always", "@explicit": True, **organization}
    division["hasSubOrganization"] = dict(division)
    unit = {"@embed": "@always", "@explicit": True, **organization, "hasSubOrganization": division}
    return {
        "@context": CONTEXT_URL,
        "@id": root,
        "@explicit": True,
        **organization,
        "hasUnit": unit,
        "hasSubOrganization": unit,
    }


# ----------------------------------------------------------------------------------------------
# Deterministic layout


def _finish(document: dict[str, Any], inline_context: bool) -> dict[str, Any]:
    body = {k: v for k, v in document.items() if k != "@context"}
    context: Any = context_document()["@context"] if inline_context else CONTEXT_URL
    return {"@context": context, **_canonical(body)}


def _canonical(value: Any, term: str | None = None) -> Any:
    """Fixed key order, sorted arrays (except ``@list``), BCP 47 case for language tags."""
    if isinstance(value, list):
        items = [_canonical(v, term) for v in value]
        return items if term == "@list" else sorted(items, key=_sort_key)
    if not isinstance(value, dict):
        return value
    if term in _language_terms() and "@value" not in value:
        return {bcp47_case(k): _canonical(v, "@language") for k, v in sorted(value.items())}
    if "@value" in value:
        # "@type", not the alias "type": rdflib's JSON-LD parser drops an aliased datatype.
        value = {("@type" if k == "type" else k): v for k, v in value.items()}
        if "@language" in value:
            value["@language"] = bcp47_case(value["@language"])
        order = [k for k in _VALUE_KEYS if k in value] + sorted(set(value) - set(_VALUE_KEYS))
        return {k: value[k] for k in order}
    keys = (
        [k for k in _FIRST_KEYS if k in value]
        + sorted(k for k in value if k not in _FIRST_KEYS and k not in _LAST_KEYS)
        + [k for k in _LAST_KEYS if k in value]
    )
    return {k: _canonical(value[k], k) for k in keys}


def _sort_key(item: Any) -> tuple:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return (0, item["id"], "")
    return (1, "", json.dumps(item, ensure_ascii=False, sort_keys=True))


def bcp47_case(tag: str) -> str:
    """``zh-hans`` -> ``zh-Hans``: RDF stores (pyoxigraph) lower-case language tags; BCP 47's
    conventional case (script Title, region UPPER) is what users type as JSON keys."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def dumps(document: dict[str, Any]) -> bytes:
    """UTF-8 JSON, two-space indent, one trailing newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ----------------------------------------------------------------------------------------------
# Reading JSON-LD back, offline
