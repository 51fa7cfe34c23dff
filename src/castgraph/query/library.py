"""The SPARQL query library in ``queries/``: find it, read its grlc/BASIL headers, bind parameters.

A library query is one ``.rq`` file whose name is its question in kebab-case. It starts with
``#+`` comment lines holding YAML (the grlc/BASIL decorators ``summary``, ``description``, ``tags``,
``defaults``), then ordinary SPARQL with its own PREFIX lines, so the same file runs in grlc,
Oxigraph, Fuseki or rdflib. Parameters are variables named after the grlc convention:

    ?_name          required plain literal           ?__name   optional (left unbound if not given)
    ?_name_iri      an IRI (also a CURIE or a cid: slug on our command line)
    ?_name_integer  an xsd:integer; likewise _decimal, _date, _gYear, _boolean, ... (any XSD type)
    ?_name_en       a literal in language ``en`` (any two-letter tag)

How values are bound: as RDF terms through pyoxigraph's ``substitutions=`` (SEP-0007), never by
pasting text into the query, so a value holding quotes or braces stays one literal. Substitution
replaces the variable everywhere in the top-level query (also inside UNION, OPTIONAL, MINUS and
EXISTS), which is the semantics a parameter needs. pyoxigraph only accepts variables that the
SELECT clause projects, so every library SELECT projects its parameters (the answer then also
records the values it was computed for); the tests hold every library query to this. A VALUES
block would not do: bottom-up evaluation hides it from FILTERs inside UNION branches.

Nothing heavy is imported at module level: listing queries needs no RDF library at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from castgraph.errors import EXIT_USAGE, CastgraphError, InputError, display_path
from castgraph.namespaces import PREFIXES, XSD, expand_iri
from castgraph.paths import QUERIES_DIR

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ParameterUsageError(CastgraphError):
    """A parameter is missing or unknown: a usage error (exit 2), like a missing option."""

    exit_code = EXIT_USAGE


# ---------------------------------------------------------------------------------------------
# A small SPARQL lexer. pyoxigraph exposes no parsed query (no algebra) to Python, and rdflib's
# parser costs ~0.2 s to import, too much for a command that should answer in well under 0.3 s.
# The lexer only needs to tell comments, strings and IRIs apart from keywords and variables.

_TOKEN_PATTERN = r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<variable>[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.\-]*:[^\s{}()\[\];,]*|:[^\s{}()\[\];,]*|[A-Za-z][A-Za-z0-9_]*)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<space>\s+)
  | (?P<other>.)
    """


@cache
def _token() -> re.Pattern:
    """Compiled on first use: the Unicode ranges make it the slowest import of the CLI."""
    return re.compile(_TOKEN_PATTERN, re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Lexed:
    """What the lexer learns about a query text."""

    form: str  # SELECT, CONSTRUCT, DESCRIBE, ASK, an update keyword, or "" when unknown
    variables: tuple[str, ...]  # every variable name (without ? or $), in order of appearance
    keywords: frozenset[str]  # every bare keyword, upper-cased
    top_level_order_by: bool  # ORDER BY outside any { } group


def lex(text: str) -> Lexed:
    form = ""
    variables: list[str] = []
    keywords: set[str] = set()
    depth = 0
    previous = ""
    order_by = False
    for match in _token().finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind == "variable":
            name = value[1:]
            if name not in variables:
                variables.append(name)
        elif kind == "word" and ":" not in value:
            word = value.upper()
            keywords.add(word)
            if (
                not form
                and word not in ("BASE", "PREFIX")
                and (word in QUERY_FORMS or word in UPDATE_KEYWORDS)
            ):
                form = word
            if word == "BY" and previous == "ORDER" and depth == 0:
                order_by = True
            previous = word
            continue
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        if kind not in ("space", "comment"):
            previous = ""
    return Lexed(form, tuple(variables), frozenset(keywords), order_by)


# ---------------------------------------------------------------------------------------------
# Parameters

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
_CHECKS = {
    "integer": (re.compile(r"[+-]?\d+"), "an integer"),
    "int": (re.compile(r"[+-]?\d+"), "an integer"),
    "long": (re.compile(r"[+-]?\d+"), "an integer"),
    "nonNegativeInteger": (re.compile(r"\+?\d+"), "a non-negative integer"),
    "positiveInteger": (re.compile(r"\+?0*[1-9]\d*"), "a positive integer"),
    "decimal": (re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"), "a decimal number"),
    "double": (re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN"), "a number"),
    "float": (re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN"), "a number"),
    "boolean": (re.compile(r"true|false|1|0"), "true or false"),
    "date": (re.compile(r"-?\d{4,}-\d{2}-\d{2}"), "a date (YYYY-MM-DD)"),
    "gYear": (re.compile(r"-?\d{4,}"), "a year (YYYY)"),
    "gYearMonth": (re.compile(r"-?\d{4,}-\d{2}"), "a year and month (YYYY-MM)"),
    "dateTime": (
        re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"),
        "a date and time (YYYY-MM-DDThh:mm:ss)",
    ),
}


@dataclass(frozen=True)
class Parameter:
    """One ``?_name_type`` variable of a query, read the grlc way."""

    variable: str  # the SPARQL variable without "?", e.g. "_date_date"
    name: str  # what the user types: --param date=...
    kind: str  # "literal", "iri", "number", "typed" or "lang"
    datatype: str = ""  # full IRI, for kind "typed"
    lang: str = ""  # for kind "lang"
    required: bool = True
    default: str | None = None

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
                if _CHECKS[datatype][0].fullmatch(value):
                    return Literal(value, datatype=NamedNode(XSD[datatype]))
            raise bad("a number")
        if self.kind == "lang":
            return Literal(value, language=self.lang)
        if self.kind == "typed":
            xsd = str(XSD)
            local = self.datatype[len(xsd) :] if self.datatype.startswith(xsd) else ""
            check = _CHECKS.get(local)
            if check and not check[0].fullmatch(value):
                raise bad(check[1])
            if local == "date":
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


# ---------------------------------------------------------------------------------------------
# Query definitions


@dataclass(frozen=True)
class QueryDefinition:
    """One query: its name, its text and what its ``#+`` header says."""

    name: str
    text: str
    path: Path | None = None
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    header: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def lexed(self) -> Lexed:
        return lex(self.text)

    @property
    def form(self) -> str:
        return self.lexed.form

    @property
    def ordered(self) -> bool:
        """True when the query orders its answer (ORDER BY at the top level)."""
        return self.lexed.top_level_order_by

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def parse_header(text: str, where: str = "query") -> dict:
    """The YAML of the leading ``#+`` lines (grlc decorators); {} when there are none."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    if not lines:
        return {}
    import yaml

    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(f"{where}:{line} bad #+ header: {problem}") from None
    if header is None:
        return {}
    if not isinstance(header, dict):
        raise InputError(f"{where}: bad #+ header: expected `key: value` lines")
    return header


def _defaults(header: dict, where: str) -> dict[str, str]:
    raw = header.get("defaults") or []
    if isinstance(raw, dict):  # tolerate a mapping as well as grlc's list of one-key mappings
        raw = [raw]
    if not isinstance(raw, list):
        raise InputError(f"{where}: bad #+ defaults: expected a list of `- name: value`")
    defaults: dict[str, str] = {}
    for item in raw:
        if not isinstance(item, dict):
            raise InputError(f"{where}: bad #+ defaults entry {item!r}: expected `- name: value`")
        for key, value in item.items():
            defaults[str(key)] = _yaml_scalar(value)
    return defaults


def _yaml_scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):  # YAML reads 2007-06-01 as a date
        return value.isoformat()
    return str(value)


def definition_from_text(text: str, name: str, path: Path | None = None) -> QueryDefinition:
    where = display_path(path) if path is not None else name
    header = parse_header(text, where)
    defaults = _defaults(header, where)
    parameters: list[Parameter] = []
    for variable in lex(text).variables:
        parameter = Parameter.from_variable(variable)
        if parameter is None or any(p.name == parameter.name for p in parameters):
            continue
        parameters.append(
            Parameter(**{**parameter.__dict__, "default": defaults.get(parameter.name)})
        )
    unknown = sorted(set(defaults) - {p.name for p in parameters})
    if unknown:
        raise InputError(f"{where}: #+ defaults names no parameter of the query: {unknown[0]}")
    tags = header.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    return QueryDefinition(
        name=name,
        text=text,
        path=path,
        summary=str(header.get("summary", "") or "").strip(),
        description=" ".join(str(header.get("description", "") or "").split()),
        tags=tuple(str(t) for t in tags),
        parameters=tuple(parameters),
        header=header,
    )


def load_file(path: Path) -> QueryDefinition:
    from castgraph.guard.inputs import read_input  # hardening: regular files only, size cap

    try:
        text = read_input(path, kind="query").decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{display_path(path)}: not UTF-8 text ({error.reason})") from None
    return definition_from_text(text, path.stem, path)


def query_files(directory: Path = QUERIES_DIR) -> list[Path]:
    """The library's query files (not the checks in ``checks/``), sorted by name."""
    return sorted(directory.glob("*.rq")) if directory.is_dir() else []


def check_files(directory: Path = QUERIES_DIR) -> list[Path]:
    checks = directory / "checks"
    return sorted(checks.glob("*-violation.rq")) if checks.is_dir() else []


def library(directory: Path = QUERIES_DIR) -> list[QueryDefinition]:
    return [load_file(path) for path in query_files(directory)]


def markdown_table(definitions: list[QueryDefinition]) -> str:
    """The library as a Markdown table (name, summary, parameters), as docs/queries.md shows it."""

    def escape(text: str) -> str:
        return " ".join(text.replace("|", "\\|").split())

    lines = ["| query | what it answers | parameters (default) |", "|---|---|---|"]
    for d in definitions:
        params = "<br>".join(f"`{escape(p.describe())}`" for p in d.parameters) or "–"
        lines.append(f"| `{d.name}` | {escape(d.summary)} | {params} |")
    return "\n".join(lines) + "\n"


def by_name(name: str, directory: Path = QUERIES_DIR) -> QueryDefinition:
    """The library query called ``name`` (with or without ``.rq``); close matches when unknown."""
    stem = name[:-3] if name.endswith(".rq") else name
    path = directory / f"{stem}.rq"
    if _SLUG.fullmatch(stem) and path.is_file():
        return load_file(path)
    import difflib

    names = [p.stem for p in query_files(directory)]
    close = difflib.get_close_matches(stem, names, n=3, cutoff=0.7)
    close += [n for n in names if stem and stem in n and n not in close][: 3 - len(close)]
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `castgraph query list`"
    raise InputError(f"{name}: no such query in {display_path(directory)}{hint}")


# ---------------------------------------------------------------------------------------------
# Binding and running


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


def guard(definition: QueryDefinition) -> None:
    """Refuse what a read-only, offline query command must not run: updates, SERVICE, FROM.

    Decided by a real parse (castgraph.guard.sparql: rdflib's SPARQL grammar after size and
    nesting pre-checks), not by the lexer above, which only serves listings and rendering.
    """
    from castgraph.guard.sparql import classify  # hardening: was a lexer-based check

    if _is_library_file(definition.path):
        return  # the package's own queries: tests/test_guards_unit.py passes each through classify
    where = display_path(definition.path) if definition.path is not None else definition.name
    classify(definition.text, where)


def _is_library_file(path: Path | None) -> bool:
    """A query file of the installed library (not a user's file that merely looks like one)."""
    if path is None:
        return False
    try:
        return path.resolve().parent == QUERIES_DIR.resolve()
    except OSError:
        return False


def graph_iri(value: str, store) -> str:
    """The named graph ``value`` means (a source key, a CURIE or an IRI); it must be in ``store``."""
    from pyoxigraph import NamedNode

    from castgraph.namespaces import GRAPH

    text = value.strip()
    if "://" in text or text.startswith("<"):
        iri = text.strip("<>")
    elif ":" in text:
        iri = expand_iri(text) or text
    else:
        iri = GRAPH[text.lower()]
    try:
        node = NamedNode(iri)
    except ValueError:
        node = None
    if node is None or not store.contains_named_graph(node):
        from castgraph.namespaces import shorten

        known = sorted(shorten(g.value) for g in store.named_graphs())
        raise InputError(
            f"--graph {value}: no such graph in the dataset (known: {', '.join(known)})"
        )
    return iri


def syntax_message(error: SyntaxError) -> str:
    """pyoxigraph's ``error at L:C: expected ...`` as ``L:C: message`` on one line."""
    text = str(error)
    match = re.match(r"error at (\d+):(\d+): (.*)", text, re.DOTALL)
    if not match:
        return " ".join(text.split())
    line, column, message = match.groups()
    if "Prefix not found" in message:
        message = "unknown prefix (declare it with PREFIX)"
    else:
        message = " ".join(message.split())
        if len(message) > 160:
            message = message[:157] + "..."
    return f"{line}:{column}: {message}"


def run(
    store,
    definition: QueryDefinition,
    given: dict[str, str] | None = None,
    *,
    graph: str | None = None,
):
    """Run a query over the union of the named graphs, or one source's ``graph``.

    With ``graph``, the default graph is that graph plus graph:vocabulary (the concept labels
    every source's statements point to), and GRAPH patterns see that graph, graph:registry
    (where each graph's source is described) and graph:curation (the editors' notes): a library
    query then answers from that one source.
    """
    from castgraph.dataset.engine import select

    guard(definition)
    substitutions = bind(definition, given or {})
    where = display_path(definition.path) if definition.path is not None else definition.name
    try:
        if graph is None:
            return select(store, definition.text, substitutions=substitutions or None)
        from pyoxigraph import NamedNode

        from castgraph.namespaces import GRAPH, REGISTRY_GRAPH, VOCABULARY_GRAPH

        return store.query(
            definition.text,
            prefixes=dict(PREFIXES),
            substitutions=substitutions or None,
            default_graph=[NamedNode(g) for g in dict.fromkeys((graph, VOCABULARY_GRAPH))],
            named_graphs=[
                NamedNode(g) for g in dict.fromkeys((graph, REGISTRY_GRAPH, GRAPH["curation"]))
            ],
        )
    except SyntaxError as error:
        raise InputError(f"{where}:{syntax_message(error)}") from None
    except RuntimeError as error:
        if "SELECT projection" in str(error):
            missing = re.search(r"\?(\w+)", str(error))
            variable = missing.group(1) if missing else "the parameter"
            raise InputError(
                f"{where}: parameter ?{variable} must be in the SELECT clause: parameters are "
                "bound by substitution, which pyoxigraph allows only for projected variables"
            ) from None
        raise


def rdflib_run(dataset, definition: QueryDefinition, given: dict[str, str] | None = None):
    """The same query through rdflib (for the cross-engine tests and the benchmark).

    ``dataset`` is an ``rdflib.Dataset(default_union=True)``. Parameters go in as rdflib terms
    through ``initBindings``, which rdflib evaluates as pre-bound for the whole query.
    """
    import rdflib
    from pyoxigraph import Literal, NamedNode

    guard(definition)
    bindings = {}
    for variable, term in bind(definition, given or {}).items():
        if isinstance(term, NamedNode):
            bindings[variable.value] = rdflib.URIRef(term.value)
        elif isinstance(term, Literal):
            if term.language:
                bindings[variable.value] = rdflib.Literal(term.value, lang=term.language)
            else:
                bindings[variable.value] = rdflib.Literal(
                    term.value, datatype=rdflib.URIRef(term.datatype.value)
                )
    return dataset.query(definition.text, initNs=dict(PREFIXES), initBindings=bindings)
