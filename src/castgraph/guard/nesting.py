"""A linear-time pre-scan of input text for nesting depth and over-long terms.

Parsers recurse per nesting level (rdflib, PyYAML's composer, rdflib's SPARQL grammar), some
overflow their native stack (pyoxigraph's SPARQL parser segfaults at ~3,000 nested groups), and
some are superlinear in a term's length. This scan runs first: one regular expression walks the
text token by token (strings, IRIs and comments are skipped as the real grammars skip them, so
a ``{`` inside a string is not counted and a ``#`` inside an IRI starts no comment), counts the
depth of ``[ ( {`` (or elements, for RDF/XML) and measures every IRI, literal and name.

Each token pattern consumes at least one byte and cannot fail half-way (an unterminated string
runs to the end of its line or of the text), so the scan is linear in the input. On the first
problem it raises ``InputError("where:line: what")``.
"""

from __future__ import annotations

import re

from castgraph.errors import InputError
from castgraph.limits import LIMITS, human_bytes

# Turtle, TriG, N-Triples, N-Quads and SPARQL share the lexical rules that matter here.
_TURTLE = re.compile(
    rb"""
    (?P<space>[\s,;]+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<long>\"\"\"(?:[^"\\]+|\\[\s\S]|"(?!""))*+(?:\"\"\"|\Z)
            |'''(?:[^'\\]+|\\[\s\S]|'(?!''))*+(?:'''|\Z))
  | (?P<short>"(?:[^"\\\n\r]+|\\[^\n\r])*+(?:"|(?=[\n\r])|\\?\Z)
             |'(?:[^'\\\n\r]+|\\[^\n\r])*+(?:'|(?=[\n\r])|\\?\Z))
  | (?P<iri><(?:[^\x00-\x20<>"{}|^`\\]+|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>)
  | (?P<open>[\[({]|<<)
  | (?P<close>[\])}]|>>)
  | (?P<name>(?:[^\s"'<>\[\](){}\#,;\\]+|\\[\s\S]?)+)
  | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)

_JSON = re.compile(
    rb"""
    (?P<space>[\s,:]+)
  | (?P<short>"(?:[^"\\]+|\\[\s\S]?)*+(?:"|\Z))
  | (?P<open>[\[{])
  | (?P<close>[\]}])
  | (?P<name>[^\s,:"\[\]{}]+)
    """,
    re.VERBOSE,
)
_JSON_KEY_AFTER = re.compile(rb"\s*:")
_JSON_IRI_KEYS = frozenset({b"@id", b"id", b"@type", b"type", b"@vocab", b"@base"})

_XML = re.compile(
    rb"""
    (?P<comment><!--[\s\S]*?(?:-->|\Z))
  | (?P<cdata><!\[CDATA\[[\s\S]*?(?:\]\]>|\Z))
  | (?P<pi><\?[\s\S]*?(?:\?>|\Z))
  | (?P<decl><![^>]*+(?:>|\Z))
  | (?P<close></[^>]*+(?:>|\Z))
  | (?P<open><(?:[^>"']+|"[^"]*"|'[^']*')*+(?:>|\Z))
  | (?P<text>[^<]+)
  | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)
_XML_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_XML_IRI_ATTRIBUTES = frozenset(
    {b"rdf:about", b"rdf:resource", b"rdf:datatype", b"rdf:ID", b"rdf:nodeID", b"xml:base"}
)

SYNTAXES = {
    "turtle": "turtle",
    "trig": "turtle",
    "ntriples": "turtle",
    "nquads": "turtle",
    "n3": "turtle",
    "sparql": "turtle",
    "json": "json",
    "jsonld": "json",
    "jsonld-tree": "json",
    "rdfxml": "xml",
    "yaml": "yaml",
}


def _plain_lines(data: bytes, cap: int) -> bool:
    """True when line-based RDF can hold no nesting and no term over ``cap`` bytes.

    N-Triples and N-Quads nest only in RDF-star's ``<<``, and a term cannot be longer than its
    line: when there is no ``<<`` and no line is over the cap, the token scan (the slow part of
    reading a large N-Quads file) has nothing to find. Lines are measured with ``bytes.find``.
    """
    if b"<<" in data:
        return False
    position, size = 0, len(data)
    while position < size:
        end = data.find(b"\n", position)
        if end < 0:
            end = size
        if end - position > cap:
            return False
        position = end + 1
    return True


def _line(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _fail(where: str, data: bytes, position: int, what: str) -> InputError:
    return InputError(f"{where}:{_line(data, position)}: {what}")


def check(
    data: bytes | str,
    syntax: str,
    *,
    where: str,
    max_depth: int | None = None,
    iri_bytes: int | None = None,
    literal_bytes: int | None = None,
) -> int:
    """Raise InputError when ``data`` nests deeper than ``max_depth`` or has an over-long term.

    ``syntax`` is a key of ``SYNTAXES`` (an RDF format name, ``json``, ``yaml`` or ``sparql``).
    Returns the deepest nesting seen.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    family = SYNTAXES[syntax]
    if max_depth is None:
        max_depth = {
            "yaml": LIMITS.yaml_depth,
            "sparql": LIMITS.sparql_depth,
        }.get(syntax, LIMITS.rdf_depth)
    iri_cap = iri_bytes if iri_bytes is not None else LIMITS.iri_bytes
    literal_cap = literal_bytes if literal_bytes is not None else LIMITS.literal_bytes
    if family == "yaml":
        return _check_yaml(data, where, max_depth, literal_cap)
    if family == "xml":
        return _check_xml(data, where, max_depth, iri_cap, literal_cap)
    if syntax in ("ntriples", "nquads") and _plain_lines(data, min(iri_cap, literal_cap)):
        return 0
    pattern = _TURTLE if family == "turtle" else _JSON
    depth = deepest = 0
    key = b""
    for match in pattern.finditer(data):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            if depth > max_depth:
                raise _fail(where, data, match.start(), f"nesting deeper than {max_depth}")
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind in ("long", "short"):
            size = match.end() - match.start() - (6 if kind == "long" else 2)
            if family == "json":
                if _JSON_KEY_AFTER.match(data, match.end()):
                    key = match.group()[1:-1]
                    continue
                if key in _JSON_IRI_KEYS and size > iri_cap:
                    raise _fail(
                        where, data, match.start(), f"IRI longer than {human_bytes(iri_cap)}"
                    )
                key = b""
            if size > literal_cap:
                raise _fail(
                    where, data, match.start(), f"literal longer than {human_bytes(literal_cap)}"
                )
        elif kind == "iri":
            if match.end() - match.start() - 2 > iri_cap:
                raise _fail(where, data, match.start(), f"IRI longer than {human_bytes(iri_cap)}")
        elif kind == "name" and match.end() - match.start() > iri_cap:
            raise _fail(where, data, match.start(), f"name longer than {human_bytes(iri_cap)}")
    return deepest


def _check_xml(data: bytes, where: str, max_depth: int, iri_cap: int, literal_cap: int) -> int:
    depth = deepest = 0
    for match in _XML.finditer(data):
        kind = match.lastgroup
        start, end = match.span()
        if kind == "open":
            tag = match.group()
            if not tag.endswith(b"/>"):
                depth += 1
                if depth > max_depth:
                    raise _fail(where, data, start, f"nesting deeper than {max_depth}")
                deepest = max(deepest, depth)
            if end - start > min(iri_cap, literal_cap):
                for attribute in _XML_ATTRIBUTE.finditer(tag):
                    value = (
                        attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
                    )
                    iri = attribute.group(1) in _XML_IRI_ATTRIBUTES or attribute.group(
                        1
                    ).startswith(b"xmlns")
                    if iri and len(value) > iri_cap:
                        raise _fail(where, data, start, f"IRI longer than {human_bytes(iri_cap)}")
                    if len(value) > literal_cap:
                        raise _fail(
                            where, data, start, f"literal longer than {human_bytes(literal_cap)}"
                        )
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "decl":
            raise _fail(
                where, data, start, "DOCTYPE and entity declarations are not accepted in RDF/XML"
            )
        elif kind in ("text", "cdata") and end - start > literal_cap:
            raise _fail(where, data, start, f"literal longer than {human_bytes(literal_cap)}")
    return deepest


def _check_yaml(data: bytes, where: str, max_depth: int, literal_cap: int) -> int:
    """Block depth from indentation (and ``- `` entries), plus flow ``[ {`` depth, per line.

    Conservative: brackets are counted wherever YAML could start a flow collection (at the
    start of a value or inside a flow collection); quoted scalars inside flow collections are
    skipped. PyYAML's own events are checked again by the loader.
    """
    stack: list[int] = []
    flow = 0
    deepest = 0
    position = 0
    for raw in data.split(b"\n"):
        line = raw.rstrip(b"\r")
        start = position
        position += len(raw) + 1
        if len(line) > literal_cap:
            raise _fail(where, data, start, f"line longer than {human_bytes(literal_cap)}")
        stripped = line.lstrip(b" ")
        if not stripped or stripped.startswith(b"#"):
            continue
        column = len(line) - len(stripped)
        if flow == 0:
            columns = [column]
            rest = stripped
            while rest == b"-" or rest.startswith((b"- ", b"-\t")):
                after = rest[1:].lstrip(b" \t")
                column += len(rest) - len(after)
                columns.append(column)
                rest = after
            while stack and stack[-1] >= columns[0]:
                stack.pop()
            stack.extend(columns[: 1 if rest == b"" else len(columns)])
        depth_here = len(stack)
        flow = _yaml_flow(line, flow, depth_here, max_depth, where, data, start)
        deepest = max(deepest, depth_here + flow)
        if depth_here > max_depth:
            raise _fail(where, data, start, f"nesting deeper than {max_depth}")
    return deepest


def _yaml_flow(
    line: bytes, flow: int, block: int, max_depth: int, where: str, data: bytes, start: int
) -> int:
    index = 0
    length = len(line)
    token_start = True  # may a flow collection or a quoted scalar start here?
    while index < length:
        char = line[index : index + 1]
        if char in (b"[", b"{") and (token_start or flow > 0):
            flow += 1
            if block + flow > max_depth:
                raise _fail(where, data, start, f"nesting deeper than {max_depth}")
            token_start = True
        elif char in (b"]", b"}") and flow > 0:
            flow -= 1
            token_start = False
        elif char in (b'"', b"'") and token_start and flow > 0:
            close = line.find(char, index + 1)
            while char == b'"' and close > 0 and line[close - 1 : close] == b"\\":
                close = line.find(char, close + 1)
            index = length if close < 0 else close
            token_start = False
        elif char == b"#" and (index == 0 or line[index - 1 : index] in (b" ", b"\t")):
            break
        elif char in (b" ", b"\t", b",") or (char == b":" and flow > 0):
            token_start = True
        elif char == b":" or char == b"-":
            token_start = index + 1 >= length or line[index + 1 : index + 2] in (b" ", b"\t")
        else:
            token_start = False
        index += 1
    return flow
