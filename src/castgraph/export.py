"""Export formats: one registry, one function per kind of output, atomic writes, and readers.

Every writer starts from sorted quads and fixes every choice that a library would otherwise
leave to hash order, so each format is byte-identical across runs and ``PYTHONHASHSEED`` values.

| format        | keeps graphs | written by                                                  |
|---------------|--------------|-------------------------------------------------------------|
| `trig`        | yes          | pyoxigraph (``castgraph.serialize``)                        |
| `nquads`      | yes          | pyoxigraph                                                  |
| `jsonld`      | yes          | pyld: compact, one ``@graph`` object per named graph        |
| `turtle`      | union        | pyoxigraph                                                  |
| `ntriples`    | union        | pyoxigraph                                                  |
| `rdfxml`      | union        | pyoxigraph                                                  |
| `jsonld-tree` | union        | pyld: framed tree from CAST, the rest under ``included``    |
| `csv`         | union        | ``castgraph.tables`` (a folder of flat tables)              |

This module imports nothing heavy at import time (the CLI reads the registry for ``--help``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from castgraph.errors import InputError, display_path


@dataclass(frozen=True)
class ExportFormat:
    name: str
    suffixes: tuple[str, ...]  # the first is the one we write
    media_type: str
    keeps_graphs: bool
    description: str
    directory: bool = False  # writes a folder of files (csv)
    readable: bool = True  # `castgraph diff` and the tests can parse it back


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("turtle", (".ttl",), "text/turtle", False, "Turtle, the union of all graphs"),
        ExportFormat("ntriples", (".nt",), "application/n-triples", False, "N-Triples, the union"),
        ExportFormat(
            "nquads", (".nq", ".nquads"), "application/n-quads", True, "N-Quads, graphs kept"
        ),
        ExportFormat("trig", (".trig",), "application/trig", True, "TriG, graphs kept"),
        ExportFormat(
            "jsonld",
            (".jsonld", ".json"),
            "application/ld+json",
            True,
            "JSON-LD, compact and flat, one @graph object per named graph",
        ),
        ExportFormat(
            "jsonld-tree",
            (),
            "application/ld+json",
            False,
            "JSON-LD framed as a tree from CAST (units, posts, holders), the rest under included",
        ),
        ExportFormat(
            "rdfxml", (".rdf", ".owl", ".xml"), "application/rdf+xml", False, "RDF/XML, the union"
        ),
        ExportFormat(
            "csv",
            (),
            "text/csv",
            False,
            "flat CSV tables (organizations, units, posts, observations, sources) in a folder",
            directory=True,
            readable=False,
        ),
    )
}

ALIASES: dict[str, str] = {
    "ttl": "turtle",
    "nt": "ntriples",
    "nq": "nquads",
    "n-quads": "nquads",
    "n-triples": "ntriples",
    "json-ld": "jsonld",
    "xml": "rdfxml",
    "rdf": "rdfxml",
    **{f.media_type: f.name for f in FORMATS.values() if f.name != "jsonld-tree"},
}

SUFFIXES: dict[str, str] = {suffix: f.name for f in FORMATS.values() for suffix in f.suffixes}


def resolve_format(name: str) -> str | None:
    """The canonical format name for a name, alias or media type, or None."""
    key = name.strip().lower()
    if key in FORMATS:
        return key
    return ALIASES.get(key)


def format_for_path(path: Path) -> str | None:
    """The format a file name implies by its extension, or None."""
    return SUFFIXES.get(path.suffix.lower())


# ----------------------------------------------------------------------------------------------
# Writing


def export_bytes(
    quads: Iterable, fmt: str, *, inline_context: bool = False, root: str | None = None
) -> bytes:
    """One file's bytes in ``fmt`` (any format but ``csv``)."""
    from castgraph import jsonld
    from castgraph.serialize import to_bytes

    quads = list(quads)
    if fmt == "jsonld":
        return jsonld.dumps(jsonld.flat_document(quads, inline_context=inline_context))
    if fmt == "jsonld-tree":
        return jsonld.dumps(
            jsonld.tree_document(
                quads, root=root or jsonld.DEFAULT_ROOT, inline_context=inline_context
            )
        )
    if fmt == "rdfxml":
        return _xml_safe(to_bytes(quads, fmt))
    if fmt in ("turtle", "ntriples", "nquads", "trig"):
        return to_bytes(quads, fmt)
    raise ValueError(f"not a single-file export format: {fmt!r}")


# XML 1.0 cannot carry these characters at all, not even as character references.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def _xml_safe(data: bytes) -> bytes:
    """RDF/XML that every XML parser reads back as written.

    pyoxigraph writes a carriage return in a literal as is, and XML parsers turn it into a line
    feed (XML 1.0 section 2.11), so it is written as ``&#13;``; control characters that XML
    cannot represent make the export fail rather than produce a file others cannot read.
    """
    bad = _NOT_XML.search(data)
    if bad:
        char = bad.group().decode("utf-8")
        raise InputError(
            f"rdfxml: a literal contains U+{ord(char):04X}, which XML cannot represent; "
            "export to another format (Turtle, N-Triples, JSON-LD) or fix the data"
        )
    return data.replace(b"\r", b"&#13;")


def export_files(
    quads: Iterable, fmt: str, out: Path, *, inline_context: bool = False, root: str | None = None
) -> dict[Path, bytes]:
    """Every file an export to ``out`` writes, with its bytes (a folder for ``csv``)."""
    if fmt == "csv":
        from castgraph.tables import tables

        return {out / name: data for name, data in tables(quads).items()}
    return {out: export_bytes(quads, fmt, inline_context=inline_context, root=root)}


def write_export(
    quads: Iterable, fmt: str, out: Path, *, inline_context: bool = False, root: str | None = None
) -> list[Path]:
    """Write an export all or nothing: a failure leaves every earlier file as it was."""
    from castgraph.files import write_all_atomic

    if FORMATS[fmt].directory and out.exists() and not out.is_dir():
        raise InputError(f"{display_path(out)}: the {fmt} export writes a folder, not a file")
    if not FORMATS[fmt].directory and out.is_dir():  # hardening: was an internal error
        raise InputError(f"{display_path(out)}: is a folder; give a file name for {fmt}")
    outputs = export_files(quads, fmt, out, inline_context=inline_context, root=root)
    write_all_atomic(outputs)
    return sorted(outputs)


# ----------------------------------------------------------------------------------------------
# Reading (for `castgraph diff` and the round-trip tests)


class RdfSyntaxError(InputError):
    """Unreadable RDF: the message, and the line when the parser knows it."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"{line}: {message}" if line else message)

    def at(self, path: Path) -> InputError:
        where = f"{display_path(path)}:{self.line}" if self.line else display_path(path)
        return InputError(f"{where}: {self.message}")


def read_dataset(path: Path, fmt: str | None = None) -> list:
    """The quads of an RDF file in any readable export format (by ``fmt`` or its extension)."""
    fmt = fmt or format_for_path(path)
    if fmt is None or not FORMATS[fmt].readable:
        known = ", ".join(sorted(SUFFIXES))
        raise InputError(
            f"{display_path(path)}: cannot tell the RDF format from the name "
            f"(known extensions: {known}; or give the format)"
        )
    from castgraph.guard.rdf_input import parse_rdf_file  # hardening: guarded read, base IRI

    return list(parse_rdf_file(path, fmt))


def parse_quads(data: bytes, fmt: str) -> list:
    """Parse ``data`` in ``fmt`` into quads (graphs kept); bad input raises RdfSyntaxError."""
    from pyoxigraph import RdfFormat, parse

    if fmt in ("jsonld", "jsonld-tree"):
        from castgraph.jsonld import to_quads

        try:
            return to_quads(data)
        except InputError as error:
            raise RdfSyntaxError(str(error)) from None
    pyox = {
        "turtle": RdfFormat.TURTLE,
        "ntriples": RdfFormat.N_TRIPLES,
        "nquads": RdfFormat.N_QUADS,
        "trig": RdfFormat.TRIG,
        "rdfxml": RdfFormat.RDF_XML,
    }.get(fmt)
    if pyox is None:
        raise RdfSyntaxError(f"cannot read the {fmt} format back")
    if fmt == "rdfxml" and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
        # Entity declarations are the classic XML expansion attack; our exports never use them.
        raise RdfSyntaxError("RDF/XML with a DOCTYPE or entity declarations is not accepted")
    try:
        return list(parse(data, format=pyox))
    except SyntaxError as error:
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise RdfSyntaxError(text, getattr(error, "lineno", None)) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise RdfSyntaxError(str(error).splitlines()[0]) from None


def format_names(*, readable_only: bool = False) -> Sequence[str]:
    return [f.name for f in FORMATS.values() if f.readable or not readable_only]
