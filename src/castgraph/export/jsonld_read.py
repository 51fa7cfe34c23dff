"""JSON-LD in: a document's quads, and a document rdflib may parse, without any network access.

pyld reads the document (``to_quads``) with the loader of ``castgraph.export.jsonld``, which
serves only our own context. rdflib fetches every ``@context`` URL it meets, so ``for_rdflib``
swaps our context URL for the context itself and refuses any other.
"""

from __future__ import annotations

import json
from typing import Any

from castgraph.errors import InputError
from castgraph.export.jsonld import CONTEXT_URL, _options, context_document
from castgraph.namespaces import XSD


def _from_pyld_term(term: dict[str, str]):
    from pyoxigraph import BlankNode, Literal, NamedNode

    kind = term["type"]
    if kind == "IRI":
        return NamedNode(term["value"])
    if kind == "blank node":
        return BlankNode(term["value"].removeprefix("_:"))
    if term.get("language"):
        return Literal(term["value"], language=term["language"])
    return Literal(term["value"], datatype=NamedNode(term.get("datatype") or XSD.string))


def _quads_from_pyld(dataset: dict[str, list[dict]]) -> list:
    from pyoxigraph import DefaultGraph, Quad

    quads = []
    for name, triples in dataset.items():
        graph = DefaultGraph() if name == "@default" else _from_pyld_term(_graph_term(name))
        for t in triples:
            quads.append(
                Quad(
                    _from_pyld_term(t["subject"]),
                    _from_pyld_term(t["predicate"]),
                    _from_pyld_term(t["object"]),
                    graph,
                )
            )
    return quads


def _graph_term(name: str) -> dict[str, str]:
    if name.startswith("_:"):
        return {"type": "blank node", "value": name}
    return {"type": "IRI", "value": name}


def to_quads_from_json(document: Any, base: str | None = None) -> list:
    """The quads of a parsed JSON-LD document; only our context may be referenced by URL.

    Relative IRIs resolve against ``base`` (the file's IRI; pyld would use its own
    http://example.org/base/ otherwise).
    """
    from pyld import jsonld

    try:
        dataset = jsonld.to_rdf(document, _options(**({"base": base} if base else {})))
    except jsonld.JsonLdError as error:
        raise InputError(f"JSON-LD: {_jsonld_message(error)}") from None
    except RecursionError:
        raise InputError("JSON-LD: nested too deeply") from None
    except (ValueError, TypeError, KeyError) as error:  # pyld lets a few of these escape
        raise InputError(f"JSON-LD: {error}") from None
    try:
        return _quads_from_pyld(dataset)
    except (ValueError, SyntaxError) as error:
        raise InputError(f"JSON-LD: {error}") from None


def to_quads(data: bytes, base: str | None = None) -> list:
    """Parse JSON-LD bytes into quads (named graphs kept), without any network access."""
    return to_quads_from_json(_load_json(data), base)


def _load_json(data: bytes | str) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as error:
        raise InputError(
            f"bad JSON: {error.msg} (line {error.lineno} column {error.colno})"
        ) from None
    except RecursionError:
        raise InputError("JSON-LD: nested too deeply") from None


def _jsonld_message(error: BaseException) -> str:
    """The innermost pyld error as one line: its message, its code and the URL involved."""
    while error.__cause__ is not None and hasattr(error.__cause__, "args"):
        error = error.__cause__
    message = str(error.args[0]) if error.args else type(error).__name__
    code = getattr(error, "code", None)
    details = getattr(error, "details", None)
    url = details.get("url") if isinstance(details, dict) else None
    return " ".join(
        part for part in (message.splitlines()[0], f"({code})" if code else "", url or "") if part
    )


def for_rdflib(data: bytes | str) -> str:
    """The document as JSON text with our context URL replaced by the context itself.

    rdflib's JSON-LD parser fetches every ``@context`` URL it meets and has no switch to stop
    it, so any other string context is refused here (design/safety.md rows 5-6).
    """
    document = _load_json(data)
    local = context_document()["@context"]

    def substitute(node: Any) -> Any:
        if isinstance(node, list):
            return [substitute(v) for v in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == "@context":
                out[key] = _substitute_context(value, local)
            else:
                out[key] = substitute(value)
        return out

    return json.dumps(substitute(document), ensure_ascii=False)


def _substitute_context(value: Any, local: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [_substitute_context(v, local) for v in value]
    if isinstance(value, str):
        if value == CONTEXT_URL:
            return local
        raise InputError(f"JSON-LD: refusing to load remote context {value!r}")
    if isinstance(value, dict) and "@import" in value:
        raise InputError("JSON-LD: refusing @import in a context")
    return value
