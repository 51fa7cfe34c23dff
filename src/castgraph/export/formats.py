"""Export formats: one registry, one function per kind of output, atomic writes, and readers.

Every writer starts from sorted quads and fixes every choice that a library would otherwise
leave to hash order, so each format is byte-identical across runs and ``PYTHONHASHSEED`` values.

| format        | keeps graphs | written by                                                  |
|---------------|--------------|-------------------------------------------------------------|
| `trig`        | yes          | pyoxigraph (``castgraph.dataset.writer``)                        |
| `nquads`      | yes          | pyoxigraph                                                  |
| `jsonld`      | yes          | ``castgraph.export.jsonld_stream``: one ``@graph`` per graph |
| `turtle`      | union        | pyoxigraph                                                  |
| `ntriples`    | union        | pyoxigraph                                                  |
| `rdfxml`      | union        | pyoxigraph                                                  |
| `jsonld-tree` | union        | pyld: framed tree from CAST, the rest under ``included``    |
| `csv`         | union        | ``castgraph.export.tables`` (a folder of flat tables)              |

This module imports nothing heavy at import time (the CLI reads the registry for ``--help``).
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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
    quads: Iterable, fmt: str, *, inline_context: bool = True, root: str | None = None
) -> bytes:
    """One file's bytes in ``fmt`` (any format but ``csv``), from quads held in memory."""
    from castgraph.dataset.store import from_nquads
    from castgraph.dataset.writer import to_bytes

    buffer = io.BytesIO()
    dataset = from_nquads(to_bytes(quads, "nquads"))
    export_stream(dataset, fmt, buffer, inline_context=inline_context, root=root)
    return buffer.getvalue()


def export_stream(
    dataset, fmt: str, output: BinaryIO, *, inline_context: bool = True, root: str | None = None
) -> None:
    """Write ``dataset`` (a ``castgraph.dataset.store.Dataset``) in ``fmt`` to ``output``.

    The RDF formats stream: the build's own files are copied as they are, other datasets are
    written from the store's statements in writer order, one statement at a time.
    """
    from castgraph.dataset.writer import write_sorted
    from castgraph.export import jsonld

    if fmt in ("nquads", "trig", "turtle"):
        ready = dataset.text_file(fmt)
        if ready is not None:
            with ready.open("rb") as handle:
                shutil.copyfileobj(handle, output, 1 << 20)
            return
    if fmt in ("nquads", "trig"):
        write_sorted(dataset.quads(), fmt, output)
    elif fmt in ("turtle", "ntriples"):
        write_sorted(dataset.union(), fmt, output)
    elif fmt == "rdfxml":
        safe = _XmlSafe(output)
        write_sorted(dataset.union(), fmt, safe)
        safe.close()
    elif fmt == "jsonld":
        from castgraph.export.jsonld_stream import write_flat

        write_flat(dataset.quads(), output, inline_context=inline_context)
    elif fmt == "jsonld-tree":
        from castgraph.export.jsonld_tree import tree_bytes

        quads = list(dataset.quads())
        output.write(
            tree_bytes(quads, root=root or jsonld.DEFAULT_ROOT, inline_context=inline_context)
        )
    else:
        raise ValueError(f"not a single-file export format: {fmt!r}")


# XML 1.0 cannot carry these characters at all, not even as character references.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


class _XmlSafe:
    """RDF/XML that every XML parser reads back as written, checked as it streams.

    pyoxigraph writes a carriage return in a literal as is, and XML parsers turn it into a line
    feed (XML 1.0 section 2.11), so it is written as ``&#13;``; control characters that XML
    cannot represent make the export fail rather than produce a file others cannot read.
    """

    def __init__(self, output: BinaryIO) -> None:
        self.output = output
        self.carry = b""  # a UTF-8 sequence may be cut between two writes

    def write(self, data: bytes) -> int:
        chunk = self.carry + bytes(data)
        keep = _incomplete_tail(chunk)
        self.carry = chunk[len(chunk) - keep :] if keep else b""
        self._check_and_write(chunk[: len(chunk) - keep] if keep else chunk)
        return len(data)

    def _check_and_write(self, chunk: bytes) -> None:
        bad = _NOT_XML.search(chunk)
        if bad:
            char = bad.group().decode("utf-8")
            raise InputError(
                f"rdfxml: a literal contains U+{ord(char):04X}, which XML cannot represent; "
                "export to another format (Turtle, N-Triples, JSON-LD) or fix the data"
            )
        self.output.write(chunk.replace(b"\r", b"&#13;"))

    def flush(self) -> None:
        self.output.flush()

    def close(self) -> None:
        self._check_and_write(self.carry)
        self.carry = b""
        self.output.flush()


def _incomplete_tail(chunk: bytes) -> int:
    """How many bytes at the end of ``chunk`` may start a 3-byte sequence not yet complete."""
    if chunk.endswith(b"\xef"):
        return 1
    if chunk[-2:-1] == b"\xef":
        return 2
    return 0


def write_export(
    dataset, fmt: str, out: Path, *, inline_context: bool = True, root: str | None = None
) -> list[Path]:
    """Write an export all or nothing: a failure leaves every earlier file as it was."""
    from castgraph.files import atomic_output, write_all_atomic

    if FORMATS[fmt].directory:
        if out.exists() and not out.is_dir():
            raise InputError(f"{display_path(out)}: the {fmt} export writes a folder, not a file")
        from castgraph.export.tables import tables

        outputs = {out / name: data for name, data in tables(dataset.quads()).items()}
        write_all_atomic(outputs)
        return sorted(outputs)
    if out.is_dir():
        raise InputError(f"{display_path(out)}: is a folder; give a file name for the {fmt} export")
    with atomic_output(out) as handle:
        export_stream(dataset, fmt, handle, inline_context=inline_context, root=root)
    return [out]


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


def readable_format(path: Path, fmt: str | None = None) -> str:
    """``fmt``, or the readable format ``path``'s extension names; InputError when neither."""
    fmt = fmt or format_for_path(path)
    if fmt is None or not FORMATS[fmt].readable:
        known = ", ".join(sorted(SUFFIXES))
        raise InputError(
            f"{display_path(path)}: cannot tell the RDF format from the name "
            f"(known extensions: {known}; or give the format)"
        )
    return fmt


def read_dataset(path: Path, fmt: str | None = None) -> list:
    """The quads of an RDF file in any readable export format (by ``fmt`` or its extension)."""
    fmt = readable_format(path, fmt)
    from castgraph.guard.rdf_input import parse_rdf_file  # hardening: guarded read, base IRI

    return list(parse_rdf_file(path, fmt))


def parse_quads(data: bytes, fmt: str) -> list:
    """Parse ``data`` in ``fmt`` into quads (graphs kept); bad input raises RdfSyntaxError."""
    from pyoxigraph import RdfFormat, parse

    if fmt in ("jsonld", "jsonld-tree"):
        from castgraph.export.jsonld_read import to_quads

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
