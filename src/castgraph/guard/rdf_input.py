"""Parse an RDF file into pyoxigraph quads, with every guard in front of the parser.

``parse_rdf_file(path, fmt)``: only a regular file, at most ``limits.rdf_bytes`` read; UTF-8
checked (the error names its line); nesting depth and term lengths pre-scanned; relative IRIs
resolved against the file's own ``file://`` IRI; a syntax error becomes one line
``file:line:col: message``. RDF/XML and JSON-LD parsers report no positions, so they are fed one
line at a time and an error is placed on the line the parser had reached.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from castgraph.errors import InputError, display_path

# castgraph.export's format names -> pyoxigraph RdfFormat attribute names
PYOX_FORMATS = {
    "turtle": "TURTLE",
    "ntriples": "N_TRIPLES",
    "nquads": "N_QUADS",
    "trig": "TRIG",
    "rdfxml": "RDF_XML",
    "jsonld": "JSON_LD",
    "jsonld-tree": "JSON_LD",
}
SUFFIX_FORMATS = {
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".trig": "trig",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".xml": "rdfxml",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}
_POSITION = re.compile(
    r"Parser error (?:at line (\d+) between columns (\d+) and \d+|between line (\d+) column (\d+) "
    r"and line \d+ column \d+|at line (\d+) column (\d+)): "
)


def format_of(path: Path, fmt: str | None = None) -> str:
    found = fmt or SUFFIX_FORMATS.get(path.suffix.lower())
    if found not in PYOX_FORMATS:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        raise InputError(
            f"{display_path(path)}: cannot tell the RDF format from the name "
            f"(known extensions: {known}; or give the format)"
        )
    return found


def parse_rdf_file(
    path: Path, fmt: str | None = None, *, missing_hint: str = "", kind: str = "rdf"
) -> Iterator:
    """The quads of the RDF file ``path`` (an iterator; errors raise InputError while iterating).

    The size, encoding and nesting checks run before this function returns.
    """
    from castgraph.guard.inputs import read_input

    fmt = format_of(path, fmt)
    data = read_input(path, kind=kind, missing_hint=missing_hint)
    return parse_rdf_bytes(data, fmt, where=display_path(path), base_iri=path.resolve().as_uri())


def load_rdf_file(store, path: Path, fmt: str | None = None, *, missing_hint: str = ""):
    """Load the RDF file ``path`` into ``store`` behind the same guards; return ``exact()``.

    The statements go into the store through pyoxigraph's bulk loader, never as a Python list:
    a large file costs its bytes and the store's native index, not a Python object per quad
    (JSON-LD, read through the framing library, is the exception). The file is parsed once
    beforehand without keeping anything, so a syntax error still gets its ``file:line:col``
    line and nothing is loaded. ``exact()`` parses the bytes again, lazily, for writers that
    need the statements as the file spelled them.
    """
    from pyoxigraph import RdfFormat

    from castgraph.guard.inputs import read_input

    fmt = format_of(path, fmt)
    data = read_input(path, kind="rdf", missing_hint=missing_hint)
    where, base_iri = display_path(path), path.resolve().as_uri()
    if fmt in ("jsonld", "jsonld-tree"):
        quads = list(parse_rdf_bytes(data, fmt, where=where, base_iri=base_iri))
        store.bulk_extend(quads)
        return lambda: iter(quads)
    for _ in parse_rdf_bytes(data, fmt, where=where, base_iri=base_iri):
        pass
    rdf_format = getattr(RdfFormat, PYOX_FORMATS[fmt])
    store.bulk_load(input=data, format=rdf_format, base_iri=base_iri)
    return lambda: _parse(data, fmt, where, base_iri)


def rdf_reader(data: bytes, fmt: str, *, where: str, base_iri: str | None = None):
    """A callable that parses ``data`` afresh each time it is called: checked once, here.

    For readers that go over a large file more than once without keeping its statements
    (``castgraph diff``); JSON-LD, framed by pyld, is read once and kept.
    """
    first = parse_rdf_bytes(data, fmt, where=where, base_iri=base_iri)
    if fmt in ("jsonld", "jsonld-tree"):
        quads = list(first)
        return lambda: iter(quads)
    return lambda: _parse(data, fmt, where, base_iri)


def parse_rdf_bytes(data: bytes, fmt: str, *, where: str, base_iri: str | None = None) -> Iterator:
    """The same checks and parse for bytes already read (standard input)."""
    from castgraph.guard.nesting import check

    if fmt not in PYOX_FORMATS:
        raise InputError(f"{where}: cannot read the {fmt} format")
    check_utf8(data, where)
    check(data, fmt, where=where)
    if fmt in ("jsonld", "jsonld-tree"):
        return iter(_jsonld_quads(data, where, base_iri))
    return _parse(data, fmt, where, base_iri)


def check_utf8(data: bytes, where: str) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start : error.start + 1].hex()
        raise InputError(f"{where}:{line}:{column}: not UTF-8 (byte 0x{byte})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        pass  # a BOM is allowed by every RDF text syntax we read


class _Lines:
    """A file-like object that hands the parser one line per read, and counts them."""

    def __init__(self, data: bytes):
        self.data = data
        self.position = 0
        self.line = 0
        self.newlines = 0

    def read(self, size: int = -1) -> bytes:
        if self.position >= len(self.data):
            return b""
        end = self.data.find(b"\n", self.position)
        end = len(self.data) if end < 0 else end + 1
        if size is not None and size > 0:
            end = min(end, self.position + size)
        chunk = self.data[self.position : end]
        self.position = end
        self.newlines += chunk.count(b"\n")  # counted per chunk: linear in the file
        self.line = self.newlines + (0 if chunk.endswith(b"\n") else 1)
        return chunk


def _parse(data: bytes, fmt: str, where: str, base_iri: str | None) -> Iterator:
    from pyoxigraph import RdfFormat, parse

    rdf_format = getattr(RdfFormat, PYOX_FORMATS[fmt])
    by_lines = fmt == "rdfxml"
    source = _Lines(data) if by_lines else data
    try:
        yield from parse(source, format=rdf_format, base_iri=base_iri)
    except SyntaxError as error:
        line = getattr(source, "line", None) if by_lines else None
        raise InputError(f"{where}:{syntax_message(error, line)}") from None
    except (ValueError, UnicodeDecodeError, OSError) as error:
        raise InputError(f"{where}: {_first_line(str(error))}") from None
    except RecursionError:
        raise InputError(f"{where}: nested too deeply for the parser") from None


def syntax_message(error: SyntaxError, line: int | None = None) -> str:
    """pyoxigraph's message as ``L:C: message`` (``L: message`` when only the line is known)."""
    text = _first_line(str(error.args[0]) if error.args else str(error))
    match = _POSITION.match(text)
    if match:
        numbers = [n for n in match.groups() if n is not None]
        return f"{numbers[0]}:{numbers[1]}: {text[match.end() :]}"
    found_line = getattr(error, "lineno", None)
    found_column = getattr(error, "offset", None)
    if found_line and found_column:
        return f"{found_line}:{found_column}: {text}"
    if found_line or line:
        return f"{found_line or line}: {text}"
    return f" {text}"


def _first_line(text: str) -> str:
    text = " ".join(text.split())
    return text[:300] + ("..." if len(text) > 300 else "") if text else "syntax error"


def _jsonld_quads(data: bytes, where: str, base_iri: str | None = None) -> list:
    from castgraph.export.jsonld_read import to_quads

    try:
        return to_quads(data, base_iri)
    except InputError as error:
        message = str(error)
        match = re.search(r" \(line (\d+) column (\d+)\)$", message)
        if match:
            raise InputError(
                f"{where}:{match.group(1)}:{match.group(2)}: {message[: match.start()]}"
            ) from None
        line = _jsonld_error_line(data)
        raise InputError(f"{where}:{line}: {message}" if line else f"{where}: {message}") from None


def _jsonld_error_line(data: bytes) -> int | None:
    """The line where pyoxigraph's streaming JSON-LD parser stops, fed one line at a time."""
    from pyoxigraph import RdfFormat, parse

    source = _Lines(data)
    try:
        for _ in parse(source, format=RdfFormat.JSON_LD):
            pass
    except SyntaxError as error:
        if "LoadDocumentCallback" in str(error):  # a remote context: no position to give
            return None
        return getattr(error, "lineno", None) or source.line or None
    except Exception:
        return None
    return None


def check_blank_nodes(quads, limit: int | None = None, where: str = "diff") -> None:
    """InputError when the quads hold more distinct blank nodes than RDFC-1.0 may be given."""
    from pyoxigraph import BlankNode

    from castgraph.limits import LIMITS

    cap = limit if limit is not None else LIMITS.canonical_blank_nodes
    seen = set()
    for q in quads:
        for term in (q.subject, q.object, q.graph_name):
            if isinstance(term, BlankNode):
                seen.add(term.value)
        if len(seen) > cap:
            raise InputError(
                f"{where}: more than {cap} blank nodes; castgraph canonicalizes at most {cap} "
                "(RDFC-1.0 can need exponential work); mint IRIs or compare smaller files"
            )


def ascii_blank_nodes(quads) -> list:
    """The quads with every blank node label that is not ASCII letters and digits relabelled.

    Valid Turtle labels may hold any name character (``_:résumé``), which pyoxigraph keeps but
    rdflib's N-Triples reader (used by validate) refuses; the new label is the old one in hex,
    so it stays unique and the same from run to run.
    """
    from pyoxigraph import BlankNode, Quad

    def fix(term):
        if isinstance(term, BlankNode) and not (term.value.isascii() and term.value.isalnum()):
            return BlankNode("x" + term.value.encode("utf-8").hex())
        return term

    return [Quad(fix(q.subject), q.predicate, fix(q.object), fix(q.graph_name)) for q in quads]


def check_rdf_files(paths, fmt: str = "turtle") -> None:
    """Parse each file through the guards and discard the quads: bad files fail as one line.

    For files another library (rdflib, for shapes and the ontology) reads afterwards, so that a
    bad file gets castgraph's ``file:line:col: message`` rather than rdflib's multi-line text.
    """
    for path in paths:
        for _ in parse_rdf_file(Path(path), fmt, kind="shapes"):
            pass


def canonical_quads(quads, *, timeout: float | None = None, where: str = "diff") -> list:
    """The quads with blank nodes relabelled by RDFC-1.0, computed in a process with a deadline.

    RDFC-1.0 can need exponential work (w3c/rdf-canon#120), and pyoxigraph's implementation took
    127 s on a plain chain of 500 blank nodes; the work runs in a forked child that is killed at
    ``LIMITS.canonical_timeout_s`` (exit 3), after the blank-node count cap.
    """
    from pyoxigraph import CanonicalizationAlgorithm, Dataset, RdfFormat, parse, serialize

    from castgraph.guard.deadline import run_with_deadline
    from castgraph.limits import LIMITS

    quads = list(quads)
    check_blank_nodes(quads, where=where)

    def work() -> bytes:
        dataset = Dataset(quads)
        dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
        return serialize(dataset, format=RdfFormat.N_QUADS)

    seconds = timeout if timeout is not None else LIMITS.canonical_timeout_s
    data = run_with_deadline(
        work,
        timeout=seconds,
        what=where,
        option="limit for canonicalizing blank nodes",
        block_network=False,  # no network in canonicalization; saves ~0.1 s per diff
    )
    return list(parse(data, format=RdfFormat.N_QUADS))
