"""Term selection against castgraph's JSON-LD context: pyld's compaction choices, ported.

``jsonld_stream`` writes flat JSON-LD without pyld (see there why). For that it needs, for each
predicate and kind of value, the term pyld would pick and the form the value would take, and
for each IRI the compact IRI pyld would write. ``Context`` reads ``ontology/context.jsonld``
(prefixes, terms with ``@id``/``@reverse``, ``@type`` coercion, ``@container``, ``@language``;
anything else is refused, so a new feature of the context cannot be silently mis-compacted) and
ports pyld's inverse context, ``_select_term``, ``_compact_iri`` and ``_compact_value`` for the
values RDF gives: no ``@index``, ``@list``, ``@graph`` or ``@direction``, no default language,
no ``@vocab`` and no ``@base``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from json.encoder import encode_basestring as _enc
from typing import Any

from castgraph.export.jsonld import context_document

_GEN_DELIM_END = re.compile(r".*[:/\?#\[\]@]$")
_KEYWORDS = frozenset(
    [
        "@base",
        "@container",
        "@context",
        "@default",
        "@direction",
        "@embed",
        "@explicit",
        "@first",
        "@graph",
        "@id",
        "@import",
        "@included",
        "@index",
        "@json",
        "@language",
        "@list",
        "@nest",
        "@none",
        "@omitDefault",
        "@propagate",
        "@protected",
        "@preserve",
        "@requireAll",
        "@reverse",
        "@set",
        "@type",
        "@value",
        "@version",
        "@vocab",
    ]
)
_SUPPORTED = {"@id", "@type", "@container", "@reverse", "@language"}


class Context:
    """Our context, processed, with pyld's compaction choices for it."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.mappings: dict[str, dict[str, Any]] = {}
        for term, value in context.items():
            if term.startswith("@"):
                continue
            self.mappings[term] = self._define(term, value, context)
        self.inverse = self._inverse()
        # The terms that can stand before a colon in a compact IRI, by their IRI (the base). A
        # term that is no prefix can only be used through a CURIE-named term (``a:b``): without
        # any, only prefix terms count, and their bases end in a URI gen-delim, so an IRI looks
        # up its own prefixes that end at one of those characters instead of testing every term.
        curie_terms = any(":" in term for term in self.mappings)
        self._bases: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for term, mapping in self.mappings.items():
            base = mapping["@id"]
            if ":" not in term and base and (mapping["_prefix"] or curie_terms):
                self._bases.setdefault(base, []).append((term, mapping))
        ends = sorted({base[-1] for base in self._bases})
        self._base_end = re.compile("[" + re.escape("".join(ends)) + "]") if ends else None
        self.id_key = _enc(self.compact_iri("@id"))
        self.type_key = self.compact_iri("@type")
        if (
            self.type_key != "type"
            or self.id_key != '"id"'
            or self.compact_iri("@value") != "@value"
        ):
            raise ValueError("context.jsonld: jsonld._canonical expects the aliases id and type")
        self.types_always_array = "@set" in self.mappings.get("type", {}).get("@container", [])

    def _expand(self, value: str, context: dict[str, Any]) -> str:
        if value in _KEYWORDS:
            return value
        prefix, colon, suffix = value.partition(":")
        if colon and not suffix.startswith("//") and prefix in context and prefix != value:
            return self._expand(context[prefix], context) + suffix
        return value

    def _define(self, term: str, value: Any, context: dict[str, Any]) -> dict[str, Any]:
        if isinstance(value, str):
            iri = self._expand(value, context)
            prefix = (":" not in term) and (iri.startswith("_:") or bool(_GEN_DELIM_END.match(iri)))
            return {"@id": iri, "reverse": False, "_prefix": prefix}
        if set(value) - _SUPPORTED:
            raise ValueError(
                f"context.jsonld: {term}: {sorted(set(value) - _SUPPORTED)} unsupported"
            )
        mapping: dict[str, Any] = {"reverse": "@reverse" in value, "_prefix": False}
        mapping["@id"] = self._expand(value.get("@reverse", value.get("@id", term)), context)
        if "@type" in value:
            mapping["@type"] = self._expand(value["@type"], context)
        if "@container" in value:
            container = value["@container"]
            mapping["@container"] = [container] if isinstance(container, str) else list(container)
        if "@language" in value:
            mapping["@language"] = value["@language"]
        return mapping

    def _inverse(self) -> dict[str, dict[str, dict[str, dict[str, str]]]]:
        """pyld's ``_get_inverse_context`` for a context without a default language."""
        inverse: dict[str, Any] = {}
        for term, mapping in sorted(self.mappings.items(), key=lambda kv: (len(kv[0]), kv[0])):
            container = "".join(sorted(mapping.get("@container", ["@none"])))
            entry = inverse.setdefault(mapping["@id"], {}).setdefault(
                container, {"@language": {}, "@type": {}, "@any": {}}
            )
            entry["@any"].setdefault("@none", term)
            if mapping["reverse"]:
                entry["@type"].setdefault("@reverse", term)
            elif mapping.get("@type") == "@none":
                entry["@type"].setdefault("@none", term)
                entry["@language"].setdefault("@none", term)
            elif "@type" in mapping:
                entry["@type"].setdefault(mapping["@type"], term)
            elif "@language" in mapping:
                entry["@language"].setdefault(mapping["@language"] or "@null", term)
            else:
                entry["@language"].setdefault("@none", term)
                entry["@type"].setdefault("@none", term)
        return inverse

    def _select_term(self, iri, value, containers, type_or_language, preferred) -> str | None:
        if preferred in ("@id", "@reverse") and isinstance(value, dict) and "@id" in value:
            prefs = ["@reverse"] if preferred == "@reverse" else []
            term = self.compact_vocab(value["@id"])
            if term in self.mappings and self.mappings[term]["@id"] == value["@id"]:
                prefs += ["@vocab", "@id"]
            else:
                prefs += ["@id", "@vocab"]
        else:
            prefs = [preferred]
        prefs.append("@none")
        container_map = self.inverse[iri]
        for container in containers:
            if container in container_map:
                choices = container_map[container][type_or_language]
                for pref in prefs:
                    if pref in choices:
                        return choices[pref]
        return None

    def compact_iri(self, iri: str, value: dict | None = None, vocab: bool = False) -> str:
        """pyld's ``_compact_iri`` for values without @index, @list, @graph or @direction."""
        if iri in _KEYWORDS:
            alias = self.inverse.get(iri, {}).get("@none", {}).get("@type", {}).get("@none")
            if alias:
                return alias
            vocab = True
        if vocab and iri in self.inverse:
            containers: list[str] = []
            is_value = isinstance(value, dict) and "@value" in value
            if isinstance(value, dict) and not is_value:
                containers += ["@id", "@id@set", "@type", "@set@type"]
            kind, preferred = "@language", "@null"
            if is_value:
                if "@language" in value:
                    containers += ["@language", "@language@set"]
                    preferred = value["@language"]
                elif "@type" in value:
                    kind, preferred = "@type", value["@type"]
            else:
                kind, preferred = "@type", "@id"
            containers += ["@set", "@none"]
            if isinstance(value, dict):
                containers += ["@index", "@index@set"]
            if is_value and len(value) == 1:
                containers += ["@language", "@language@set"]
            term = self._select_term(iri, value, containers, kind, preferred)
            if term is not None:
                return term
        candidate = None
        for end in self._base_end.finditer(iri) if self._base_end is not None else ():
            length = end.end()
            if length >= len(iri):
                break
            for term, mapping in self._bases.get(iri[:length], ()):
                curie = term + ":" + iri[length:]
                usable = (mapping["_prefix"] and curie not in self.mappings) or (
                    value is None and self.mappings.get(curie, {}).get("@id") == iri
                )
                if usable and (
                    candidate is None or (len(curie), curie) < (len(candidate), candidate)
                ):
                    candidate = curie
        if candidate is not None:
            return candidate
        head, colon, _ = iri.partition(":")  # a prefix term has no colon: it can only be `head`
        if colon and self.mappings.get(head, {}).get("_prefix"):
            raise ValueError(f"IRI {iri!r} could be confused with a compact IRI ({head}:)")
        return iri

    @lru_cache(maxsize=1 << 18)  # noqa: B019 (one context per process, kept for its lifetime)
    def compact_vocab(self, iri: str) -> str:
        return self.compact_iri(iri, None, vocab=True)

    @lru_cache(maxsize=1 << 18)  # noqa: B019
    def compact_id(self, iri: str) -> str:
        return self.compact_iri(iri, None, vocab=False)

    @cache  # noqa: B019 (predicates x kinds of value: a few hundred)
    def slot(self, predicate: str, kind: str, extra: str | None, term_object: bool) -> tuple:
        """(key, language map?, always an array?, how values print) for one kind of value.

        ``kind`` is "I" (IRI or blank node; ``term_object``: it compacts to a term), "L"
        (language ``extra``), "T" (datatype ``extra``) or "P" (plain string, native number or
        boolean: a value object with ``@value`` only).
        """
        if kind == "I":
            value: dict[str, Any] = {"@id": "_:x"}
            if term_object:  # any IRI that is a term's own IRI gives the same preference
                iris = (i for i in self.inverse if i not in _KEYWORDS and self.is_term_iri(i))
                value = {"@id": next(iris)}
        elif kind == "L":
            value = {"@value": "", "@language": extra}
        elif kind == "T":
            value = {"@value": "", "@type": extra}
        else:
            value = {"@value": ""}
        key = self.compact_iri(predicate, value, vocab=True)
        mapping = self.mappings.get(key, {})
        container = mapping.get("@container", [])
        coerce = mapping.get("@type")
        if "@language" in container:
            return (key, True, "@set" in container, "bare")
        if kind == "I":
            form = "id" if coerce == "@id" else "vocab" if coerce == "@vocab" else "ref"
        elif coerce == "@none":
            form = "object"  # pyld keeps even a plain value as {"@value": ...} here
        elif (kind == "T" and extra == coerce) or (
            kind == "L" and extra == mapping.get("@language")
        ):
            form = "bare"
        else:
            form = "bare" if kind == "P" else "object"
        return (key, False, "@set" in container, form)

    @lru_cache(maxsize=1 << 18)  # noqa: B019
    def is_term_iri(self, iri: str) -> bool:
        term = self.compact_vocab(iri)
        return term in self.mappings and self.mappings[term]["@id"] == iri


@cache
def context() -> Context:
    """Our context, processed once per process."""
    return Context(context_document()["@context"])
