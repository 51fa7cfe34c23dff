"""Classify a SPARQL text by a real parse, and refuse what a read-only, offline command must not run.

Order of checks: the text's size, then its nesting depth (``guard.nesting``, linear, before any
parser: pyoxigraph's parser segfaults on ~3,000 nested groups and rdflib's recurses), then a
parse with rdflib's SPARQL 1.1 grammar (``parseQuery``; ``parseUpdate`` only to name an update
that is refused). The parse tree is walked for ``ServiceGraphPattern`` wherever it sits
(OPTIONAL, UNION, MINUS, EXISTS, subqueries, nested groups) and for a dataset clause (FROM /
FROM NAMED). A text that rdflib's grammar does not accept is refused with its position, so the
engine only ever runs queries whose shape has been checked by a parser that is not ours.

The parse runs in a thread with a large stack and a raised recursion limit (rdflib's grammar
recurses ~15 frames per nesting level); the nesting limit keeps the work small.
"""

from __future__ import annotations

import contextlib
import gc
import re
import sys
import threading
from collections import namedtuple

from castgraph.errors import InputError
from castgraph.limits import LIMITS, human_bytes

QUERY_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
UPDATE_FORMS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}
_STACK_BYTES = 256 * 1024 * 1024
_RECURSION = 100_000


class Classified(namedtuple("Classified", "form variables star")):
    """What the parse tells about a query that may run: its ``form`` (SELECT, ASK, CONSTRUCT or
    DESCRIBE), its projected ``variables`` in order (() for SELECT *), and ``star``."""

    __slots__ = ()


class QueryRefused(InputError):
    """A query castgraph will not run (an update, SERVICE, FROM)."""


def classify(text: str, where: str = "query") -> Classified:
    """The form and projection of ``text``; InputError (one line) when it may not run."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > LIMITS.query_bytes:
        raise InputError(
            f"{where}: query text larger than {human_bytes(LIMITS.query_bytes)} ({size} bytes)"
        )
    if "\x00" in text:
        raise InputError(f"{where}:{text.count(chr(10), 0, text.index(chr(0))) + 1}: NUL in query")
    from castgraph.guard.nesting import check

    check(text, "sparql", where=where)
    if "\\u" not in text and "\\U" not in text:
        return _classify_view(text, where)
    # \u escapes: rdflib expands them everywhere before parsing (as SPARQL 1.1 says), pyoxigraph
    # only inside strings and IRIs, so the two can disagree on where a string ends:
    # "A\u0022 , " . SERVICE <u> {...} . ?s ?p " , \u0022x" hides SERVICE inside a string for
    # rdflib while pyoxigraph runs it. Both readings must pass: rdflib's own (expanded), and
    # the engine's, modelled by turning every escape into an opaque letter.
    check(_expand_escapes(text), "sparql", where=where)
    _classify_view(text, where)
    return _classify_view(_opaque_escapes(text), where)


_ESCAPE = re.compile(r"\\\\|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")


def _opaque_escapes(text: str) -> str:
    """Every \\uXXXX / \\UXXXXXXXX replaced by ``u``, every escaped backslash by ``\\t``.

    The structure stays the engine's (an escape never ends a string), and no escape is left for
    rdflib to expand (it would read ``\\\\u0022`` as a backslash and a quote).
    """
    return _ESCAPE.sub(lambda m: "\\t" if m.group() == "\\\\" else "u", text)


def _classify_view(text: str, where: str) -> Classified:
    tree, error = _parse(text)
    if tree is None:
        update, _ = _parse(text, update=True)
        if update is not None:
            raise QueryRefused(
                f"{where}: SPARQL Update ({_update_kind(update)}) refused: castgraph query is "
                "read-only; change data/ and run `castgraph build` instead"
            )
        raise InputError(f"{where}:{_error_text(error, text)}")
    query = tree[1]
    form = QUERY_FORMS.get(getattr(query, "name", ""), "")
    if not form:
        raise InputError(f"{where}: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    found = _find(tree)
    if "ServiceGraphPattern" in found:
        raise QueryRefused(f"{where}: SERVICE refused: castgraph query never reaches the network")
    if "DatasetClause" in found or _get(query, "datasetClause"):
        raise QueryRefused(
            f"{where}: FROM / FROM NAMED refused: the query runs over the built dataset only "
            "(use --graph to choose a source's graph)"
        )
    variables: list[str] = []
    star = form == "SELECT" and not _get(query, "projection")
    for item in _get(query, "projection") or ():
        variable = _get(item, "var")
        variable = variable if variable is not None else _get(item, "evar")
        if variable is not None and str(variable) not in variables:
            variables.append(str(variable))
    return Classified(form=form, variables=tuple(variables), star=star)


def _get(node, key: str):
    """A CompValue's entry, or None (CompValue.get returns the key itself when absent)."""
    return dict.__getitem__(node, key) if isinstance(node, dict) and key in node else None


def _expand_escapes(text: str) -> str:
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        return expandUnicodeEscapes(text)
    except Exception:  # a bad escape: the parse reports it
        return text


def _parse(text: str, *, update: bool = False):
    """``(tree, None)`` or ``(None, exception)``, parsed in a thread with room to recurse."""
    outcome: list = [None, None]

    def work() -> None:
        try:
            from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

            outcome[0] = (parseUpdate if update else parseQuery)(text)
        except RecursionError as error:
            outcome[1] = error
        except Exception as error:
            outcome[1] = error

    old_stack = threading.stack_size()
    old_limit = sys.getrecursionlimit()
    # No garbage collection on the parse thread: it could collect objects of the main thread
    # that must be dropped there (pyoxigraph's are "unsendable"); the main thread collects later.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with contextlib.suppress(ValueError, RuntimeError):  # a platform without the option
            threading.stack_size(_STACK_BYTES)
        sys.setrecursionlimit(max(old_limit, _RECURSION))
        thread = threading.Thread(target=work, name="castgraph-sparql-parse", daemon=True)
        thread.start()
    finally:
        threading.stack_size(old_stack)
    try:
        thread.join()
    finally:
        sys.setrecursionlimit(old_limit)
        if collecting:
            gc.enable()
    return outcome[0], outcome[1]


def _find(tree) -> set[str]:
    """The names of every CompValue anywhere in the parse tree (iteratively: no recursion)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    stack = [tree]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, ParseResults | list | tuple):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return names


def _update_kind(tree) -> str:
    kinds = [UPDATE_FORMS.get(r.name, r.name) for r in _get(tree, "request") or ()]
    return ", ".join(dict.fromkeys(kinds)) or "empty"


def _error_text(error: BaseException | None, text: str) -> str:
    """``L:C: expected ..., found ...`` on one line (or `` message`` when no position)."""
    if isinstance(error, RecursionError):
        return " nesting too deep for the SPARQL parser"
    if isinstance(error, MemoryError):
        return " out of memory while parsing the query"
    line = getattr(error, "lineno", None)
    column = getattr(error, "col", None)
    message = getattr(error, "msg", None) or str(error) or type(error).__name__
    message = " ".join(str(message).split())
    if message.startswith("Expected "):
        message = "expected " + message[len("Expected ") :]
        location = getattr(error, "loc", None)
        if isinstance(location, int):
            found = text[location : location + 20].split("\n")[0].strip()
            message += f", found {found!r}" if found else ", found the end of the query"
    if len(message) > 160:
        message = message[:157] + "..."
    if line and column:
        return f"{line}:{column}: {message}"
    return f" {message}"
