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
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

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
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return (text + "\n" + footer + "\n").encode("utf-8")


def _markdown(header: list[str], rows: list[list[str]]) -> bytes:
    def escape(value: str) -> str:
        return " ".join(value.replace("\\", "\\\\").replace("|", "\\|").split())

    lines = [
        "| " + " | ".join(escape(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(escape(v) for v in row) + " |" for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
