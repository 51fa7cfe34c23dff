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
from functools import cached_property
from pathlib import Path

from castgraph.errors import InputError, display_path
from castgraph.namespaces import PREFIXES, expand_iri
from castgraph.paths import QUERIES_DIR
from castgraph.query.header import defaults_in, parse_header, simple_block
from castgraph.query.lexer import Lexed, lex
from castgraph.query.parameters import Parameter, bind

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# ---------------------------------------------------------------------------------------------
# Query definitions


class QueryDefinition:
    """One query: its name, its text and what its ``#+`` header says.

    The header is read when something asks for it (a summary, a parameter's default): running a
    library query that has no parameters then never loads the YAML parser, a third of a cold
    ``castgraph query``'s start-up. ``definition_from_text`` checks the header at once.
    """

    def __init__(self, name: str, text: str, path: Path | None = None) -> None:
        self.name = name
        self.text = text
        self.path = path

    def __repr__(self) -> str:
        return f"QueryDefinition(name={self.name!r}, path={self.path!r})"

    @property
    def where(self) -> str:
        return display_path(self.path) if self.path is not None else self.name

    @cached_property
    def header(self) -> dict:
        return parse_header(self.text, self.where)  # YAML: the listing and the checks need it

    @cached_property
    def lexed(self) -> Lexed:
        return lex(self.text)

    @cached_property
    def parameters(self) -> tuple[Parameter, ...]:
        if "?_" not in self.text and "$_" not in self.text:
            return ()  # no variable can be a parameter: no need to lex the query (7 ms)
        found: list[Parameter] = []
        for variable in self.lexed.variables:
            parameter = Parameter.from_variable(variable)
            if parameter is not None and all(p.name != parameter.name for p in found):
                found.append(parameter)
        if not found:
            return ()
        defaults = self.defaults
        return tuple(p._replace(default=defaults.get(p.name)) for p in found)

    @cached_property
    def defaults(self) -> dict[str, str]:
        simple = simple_block(self.text, "defaults")  # a run, without the YAML parser
        if simple is not None:
            return dict(simple[1])
        return defaults_in(self.header, self.where)

    @cached_property
    def summary(self) -> str:
        return str(self.header.get("summary", "") or "").strip()

    @cached_property
    def description(self) -> str:
        return " ".join(str(self.header.get("description", "") or "").split())

    @cached_property
    def tags(self) -> tuple[str, ...]:
        tags = self.header.get("tags") or []
        return tuple(str(t) for t in ([tags] if isinstance(tags, str) else tags))

    @property
    def form(self) -> str:
        return self.lexed.form

    @property
    def ordered(self) -> bool:
        """True when the query orders its answer (ORDER BY at the top level)."""
        return self.lexed.top_level_order_by

    @cached_property
    def name_index(self) -> tuple[str, str] | None:
        """``#+ name_index: {text: P, entity: V}``: the name index may narrow ?V to the entities
        with a name containing parameter P (``castgraph.dataset.name_index``)."""
        if "#+ name_index:" not in self.text:
            return None
        simple = simple_block(self.text, "name_index")
        is_mapping = simple is not None and not simple[0] and simple[1]
        spec = dict(simple[1]) if is_mapping else self.header.get("name_index")
        if not isinstance(spec, dict) or set(spec) != {"text", "entity"}:
            raise InputError(f"{self.where}: #+ name_index needs `text` and `entity`")
        return str(spec["text"]), str(spec["entity"])

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def check(self) -> None:
        """Read the header now: a bad header, or a default for no parameter, is an InputError."""
        _ = self.header  # the whole header, read by YAML: a bad line anywhere in it is an error
        unknown = sorted(set(self.defaults) - {p.name for p in self.parameters})
        if unknown:
            raise InputError(
                f"{self.where}: #+ defaults names no parameter of the query: {unknown[0]}"
            )


def definition_from_text(
    text: str, name: str, path: Path | None = None, *, checked: bool = True
) -> QueryDefinition:
    """A query from its text; its header is checked now unless ``checked`` is False (the
    library's own files, whose headers the tests check)."""
    definition = QueryDefinition(name=name, text=text, path=path)
    if checked:
        definition.check()
    return definition


def load_file(path: Path, *, checked: bool = True) -> QueryDefinition:
    from castgraph.guard.inputs import read_input  # hardening: regular files only, size cap

    try:
        text = read_input(path, kind="query").decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{display_path(path)}: not UTF-8 text ({error.reason})") from None
    return definition_from_text(text, path.stem, path, checked=checked)


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
        return load_file(path, checked=directory.resolve() != QUERIES_DIR.resolve())
    import difflib

    names = [p.stem for p in query_files(directory)]
    close = difflib.get_close_matches(stem, names, n=3, cutoff=0.7)
    close += [n for n in names if stem and stem in n and n not in close][: 3 - len(close)]
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `castgraph query list`"
    raise InputError(f"{name}: no such query in {display_path(directory)}{hint}")


# ---------------------------------------------------------------------------------------------
# Binding and running


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
    name_index: tuple[Path, str] | None = None,
):
    """Run a query over the union of the named graphs, or one source's ``graph``.

    ``name_index`` (a build's, see ``Dataset.name_index``) narrows a query that says it may be
    narrowed by names (``#+ name_index``): the same answer, without decoding every name.

    With ``graph``, the default graph is that graph plus graph:vocabulary (the concept labels
    every source's statements point to), and GRAPH patterns see that graph, graph:registry
    (where each graph's source is described) and graph:curation (the editors' notes): a library
    query then answers from that one source.
    """
    from castgraph.dataset.engine import select

    guard(definition)
    substitutions = bind(definition, given or {})
    where = display_path(definition.path) if definition.path is not None else definition.name
    text = _narrowed(definition, substitutions, name_index)
    try:
        if graph is None:
            return select(store, text, substitutions=substitutions or None)
        from pyoxigraph import NamedNode

        from castgraph.namespaces import GRAPH, REGISTRY_GRAPH, VOCABULARY_GRAPH

        return store.query(
            text,
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


def _narrowed(definition: QueryDefinition, substitutions: dict, index) -> str:
    """The query's text, with a trailing VALUES of the entities the name index finds when it can
    (a join with a superset of the entities that match: the answer does not change)."""
    spec = definition.name_index if index is not None else None
    if spec is None:
        return definition.text
    from pyoxigraph import Literal, NamedNode, Variable

    from castgraph.dataset.name_index import entities

    parameter = definition.parameter(spec[0])
    value = substitutions.get(Variable(parameter.variable)) if parameter is not None else None
    if not isinstance(value, Literal):
        return definition.text
    found = entities(*index, value.value)
    if found is None:
        return definition.text
    iris = " ".join(str(NamedNode(iri)) for iri in found)
    return f"{definition.text}\nVALUES ?{spec[1]} {{ {iris} }}\n"


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
