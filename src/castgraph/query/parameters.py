"""Query parameters after the grlc convention: what a ``?_name_type`` variable takes, and how a
given value becomes the RDF term bound to it (pyoxigraph substitutions, never text pasted)."""

from __future__ import annotations

import re
from collections import namedtuple

from castgraph.errors import EXIT_USAGE, CastgraphError, InputError
from castgraph.namespaces import PREFIXES, XSD, expand_iri

TYPE_CHECKING = False  # typing itself is not imported on a query's way in (2 ms)

if TYPE_CHECKING:
    from castgraph.query.library import QueryDefinition


class ParameterUsageError(CastgraphError):
    """A parameter is missing or unknown: a usage error (exit 2), like a missing option."""

    exit_code = EXIT_USAGE


_XSD_TYPES = {  # grlc type suffix -> XSD local name (grlc accepts any XSD datatype name)
    name.lower(): name
    for name in (
        "string",
        "integer",
        "decimal",
        "double",
        "float",
        "boolean",
        "date",
        "dateTime",
        "time",
        "gYear",
        "gYearMonth",
        "int",
        "long",
        "nonNegativeInteger",
        "positiveInteger",
        "anyURI",
    )
}
_CHECKS = {  # patterns compiled on first use (re's cache): not at every start-up
    "integer": (r"[+-]?\d+", "an integer"),
    "int": (r"[+-]?\d+", "an integer"),
    "long": (r"[+-]?\d+", "an integer"),
    "nonNegativeInteger": (r"\+?\d+", "a non-negative integer"),
    "positiveInteger": (r"\+?0*[1-9]\d*", "a positive integer"),
    "decimal": (r"[+-]?(\d+(\.\d*)?|\.\d+)", "a decimal number"),
    "double": (r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN", "a number"),
    "float": (r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN", "a number"),
    "boolean": (r"true|false|1|0", "true or false"),
    "date": (r"-?\d{4,}-\d{2}-\d{2}", "a date (YYYY-MM-DD)"),
    "gYear": (r"-?\d{4,}", "a year (YYYY)"),
    "gYearMonth": (r"-?\d{4,}-\d{2}", "a year and month (YYYY-MM)"),
    "dateTime": (
        r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?",
        "a date and time (YYYY-MM-DDThh:mm:ss)",
    ),
}


class Parameter(
    namedtuple(
        "Parameter",
        "variable name kind datatype lang required default",
        defaults=("", "", True, None),
    )
):
    """One ``?_name_type`` variable of a query, read the grlc way.

    ``variable``: the SPARQL variable without "?", e.g. "_date_date"; ``name``: what the user
    types (--param date=...); ``kind``: "literal", "iri", "number", "typed" or "lang";
    ``datatype``: the full IRI, for kind "typed"; ``lang``: for kind "lang"; ``required``;
    ``default``: a string or None. (A named tuple, not a dataclass: see ``castgraph.limits``.)
    """

    __slots__ = ()

    @classmethod
    def from_variable(cls, variable: str, default: str | None = None) -> Parameter | None:
        """The parameter a variable stands for, or None when it is an ordinary variable."""
        match = re.fullmatch(r"(_{1,2})([^_]+)(?:_([A-Za-z0-9]+))?(?:_([A-Za-z0-9]+))?", variable)
        if not match:
            return None
        underscores, name, type_code, user = match.groups()
        required = underscores == "_"
        kind, datatype, lang = "literal", "", ""
        if type_code in ("iri", "number"):
            kind = type_code
        elif type_code in (None, "literal", "string") and not user:
            kind = "literal"
        elif user and type_code in PREFIXES:  # ?_name_prefix_datatype
            kind, datatype = "typed", PREFIXES[type_code] + user
        elif type_code and type_code.lower() in _XSD_TYPES:
            kind, datatype = "typed", XSD[_XSD_TYPES[type_code.lower()]]
        elif type_code and len(type_code) == 2:
            kind, lang = "lang", type_code
        return cls(variable, name, kind, datatype, lang, required, default)

    @property
    def type_label(self) -> str:
        if self.kind == "iri":
            return "IRI"
        if self.kind == "typed":
            return _curie(self.datatype)
        if self.kind == "lang":
            return f"text@{self.lang}"
        return self.kind if self.kind == "number" else "text"

    def describe(self) -> str:
        """``name: type = default`` (or ``(required)``), for listings."""
        if self.default is not None:
            shown = _curie(self.default) if self.kind == "iri" else self.default
            return f"{self.name} ({self.type_label}) = {shown}"
        return f"{self.name} ({self.type_label}, {'required' if self.required else 'optional'})"

    def term(self, value: str, query: str):
        """The pyoxigraph term for ``value``; InputError when the value does not fit the type."""
        from pyoxigraph import Literal, NamedNode

        def bad(expected: str) -> InputError:
            return InputError(
                f"{query}: parameter {self.name}: {value!r} is not {expected} (?{self.variable})"
            )

        if self.kind == "iri":
            iri = expand_iri(value)
            if iri is None:
                raise bad("an IRI (give a full IRI, a CURIE such as cid:cast, or a cid: slug)")
            try:
                return NamedNode(iri)
            except ValueError:
                raise bad("a valid IRI") from None
        if self.kind == "number":
            for datatype in ("integer", "decimal", "double"):
                if re.fullmatch(_CHECKS[datatype][0], value):
                    return Literal(value, datatype=NamedNode(XSD[datatype]))
            raise bad("a number")
        if self.kind == "lang":
            return Literal(value, language=self.lang)
        if self.kind == "typed":
            xsd = str(XSD)
            local = self.datatype[len(xsd) :] if self.datatype.startswith(xsd) else ""
            check = _CHECKS.get(local)
            if check and not re.fullmatch(check[0], value):
                raise bad(check[1])
            if local == "date":
                from datetime import date  # only here: a cold query without it starts sooner

                try:
                    date.fromisoformat(value.lstrip("-"))
                except ValueError:
                    raise bad("a date that exists (YYYY-MM-DD)") from None
            if local == "gYearMonth" and not 1 <= int(value[-2:]) <= 12:
                raise bad(check[1])
            return Literal(value, datatype=NamedNode(self.datatype))
        return Literal(value)


def _curie(iri: str) -> str:
    from castgraph.namespaces import shorten

    short = shorten(iri)
    return short if not short.startswith("<") else iri


def bind(definition: QueryDefinition, given: dict[str, str]) -> dict:
    """pyoxigraph substitutions for the given values and the defaults; checks names and types."""
    from pyoxigraph import Variable

    known = {p.name for p in definition.parameters}
    for name in given:
        if name not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise ParameterUsageError(
                f"{definition.name}: unknown parameter {name!r} (the query's parameters: {listed})"
            )
    substitutions = {}
    for parameter in definition.parameters:
        value = given.get(parameter.name, parameter.default)
        if value is None:
            if parameter.required:
                raise ParameterUsageError(
                    f"{definition.name}: missing parameter {parameter.name!r} "
                    f"(?{parameter.variable}, {parameter.type_label}); "
                    f"give it with --param {parameter.name}=VALUE"
                )
            continue
        substitutions[Variable(parameter.variable)] = parameter.term(value, definition.name)
    return substitutions
