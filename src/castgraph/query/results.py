"""Query answers as bytes: W3C SPARQL results (CSV, TSV, JSON, XML), a text table, Markdown.

CSV, TSV, JSON and XML come from pyoxigraph's own result serializers (the W3C formats, exactly);
the table (rich) and Markdown are for people and show IRIs as CURIEs over the project prefixes.
ASK answers print ``true``/``false`` (the W3C boolean document in JSON and XML); CONSTRUCT and
DESCRIBE answers print Turtle, sorted, with the project prefixes. Nothing here prints.
"""

from __future__ import annotations

import io
import json

from castgraph.namespaces import shorten

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "markdown")
W3C_FORMATS = ("csv", "tsv", "json", "xml")
SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".srj": "json",
    ".xml": "xml",
    ".srx": "xml",
    ".md": "markdown",
    ".txt": "table",
}


def cell(term) -> str:
    """How a term reads in a table: IRIs as CURIEs, literals as their text, unbound as ''."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return shorten(term.value)
    if isinstance(term, Literal):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


def render(result, fmt: str, *, width: int | None = None) -> bytes:
    """Any pyoxigraph query result in ``fmt`` (one of RESULT_FORMATS)."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    if isinstance(result, QueryBoolean):
        if fmt in ("json", "xml"):
            return result.serialize(format=_w3c(fmt)) + b"\n"
        return b"true\n" if bool(result) else b"false\n"
    if isinstance(result, QuerySolutions):
        if fmt in W3C_FORMATS:
            data = result.serialize(format=_w3c(fmt))
            return data if data.endswith(b"\n") else data + b"\n"
        header = [v.value for v in result.variables]
        rows = [[cell(solution[v]) for v in result.variables] for solution in result]
        return render_rows(header, rows, fmt, width=width)
    return turtle(result)


def turtle(triples) -> bytes:
    """CONSTRUCT/DESCRIBE triples as sorted Turtle with the project prefixes."""
    from castgraph.dataset.writer import to_bytes

    return to_bytes(list(triples), "turtle")


def render_rows(header: list[str], rows: list[list[str]], fmt: str, *, width=None) -> bytes:
    """Plain string rows (e.g. the query listing) in any result format."""
    if fmt == "table":
        return _table(header, rows, width)
    if fmt == "markdown":
        return _markdown(header, rows)
    if fmt in ("csv", "tsv"):
        import csv

        out = io.StringIO()
        if fmt == "csv":
            csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
        else:  # TSV values may not hold tabs or newlines; the listing never has them
            for line in [header, *rows]:
                out.write("\t".join(" ".join(v.split()) for v in line) + "\n")
        return out.getvalue().encode("utf-8")
    if fmt == "json":
        objects = [dict(zip(header, row, strict=True)) for row in rows]
        return (json.dumps(objects, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    raise ValueError(f"format {fmt!r} is not available for this listing")


def _w3c(fmt: str):
    from pyoxigraph import QueryResultsFormat

    return {
        "csv": QueryResultsFormat.CSV,
        "tsv": QueryResultsFormat.TSV,
        "json": QueryResultsFormat.JSON,
        "xml": QueryResultsFormat.XML,
    }[fmt]


def _table(header: list[str], rows: list[list[str]], width: int | None) -> bytes:
    """A table for people; on a terminal (``width``), fitted to it.

    To fit, columns that hold only empty cells, and IRI columns that a label column beside them
    already names (``person`` beside ``person_name``), are left out; when the rest is still wider
    than the terminal, each row becomes a record of ``name: value`` lines. CSV and JSON keep
    everything.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    hidden: list[str] = []
    if width:
        header, rows, hidden = _fit_columns(header, rows)
        natural = sum(max([len(h), *(len(r[i]) for r in rows)]) + 2 for i, h in enumerate(header))
        if natural > width and len(header) > 2:
            return _records(header, rows, width, hidden)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
    for name in header:
        table.add_column(Text(name), overflow="fold")
    for row in rows:
        table.add_row(*(Text(value) for value in row))
    out = io.StringIO()
    # Without a terminal there is nothing to fit: a very wide console keeps every row on one line.
    console = Console(
        file=out, width=width or 100_000, color_system=None, highlight=False, emoji=False
    )
    console.print(table)
    text = "\n".join(line.rstrip() for line in out.getvalue().splitlines())
    return (text + "\n" + _footer(len(rows), hidden) + "\n").encode("utf-8")


_LABEL_SUFFIXES = ("_name", "_label", "_title", "_name_en", "_en")


def _fit_columns(header: list[str], rows: list[list[str]]):
    keep, hidden = [], []
    for i, name in enumerate(header):
        values = [r[i] for r in rows]
        empty = bool(rows) and not any(values)
        labelled = any(f"{name}{suffix}" in header for suffix in _LABEL_SUFFIXES) and all(
            _looks_like_iri(v) for v in values if v
        )
        if empty or labelled:
            hidden.append(name)
        else:
            keep.append(i)
    return [header[i] for i in keep], [[r[i] for i in keep] for r in rows], hidden


def _looks_like_iri(value: str) -> bool:
    return value.startswith(("<", "http://", "https://")) or (
        ":" in value and " " not in value and not value[:1].isdigit()
    )


def _records(header: list[str], rows: list[list[str]], width: int, hidden: list[str]) -> bytes:
    import textwrap

    label = max(len(h) for h in header)
    room = max(20, width - label - 2)
    lines: list[str] = []
    for n, row in enumerate(rows, 1):
        lines.append(f"-- row {n} " + "-" * max(0, min(width, 40) - len(f"-- row {n} ")))
        for name, value in zip(header, row, strict=True):
            if not value:
                continue
            parts = textwrap.wrap(value, room, break_long_words=True, break_on_hyphens=False)
            for k, part in enumerate(parts or [""]):
                lines.append(f"{name if k == 0 else '':>{label}}  {part}")
    lines.append(_footer(len(rows), hidden))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _footer(count: int, hidden: list[str]) -> str:
    text = f"({count} row{'s' if count != 1 else ''}"
    if hidden:
        text += f"; not shown here: {', '.join(hidden)} - --format csv or json has every column"
    return text + ")"


def _markdown(header: list[str], rows: list[list[str]]) -> bytes:
    def escape(value: str) -> str:
        return " ".join(value.replace("\\", "\\\\").replace("|", "\\|").split())

    lines = [
        "| " + " | ".join(escape(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(escape(v) for v in row) + " |" for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
