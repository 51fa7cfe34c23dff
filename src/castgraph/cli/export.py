"""castgraph export: the built dataset in any of the export formats, to stdout or a file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from castgraph.cli._options import data_dir_option, dist_dir_option
from castgraph.export.formats import FORMATS, format_for_path, resolve_format


class FormatType(click.ParamType):
    """A format name, a short alias (ttl, nt, nq) or a media type (text/turtle)."""

    name = "format"

    def get_metavar(self, param, ctx=None) -> str:
        return "[" + "|".join(FORMATS) + "]"

    def convert(self, value, param, ctx):
        fmt = resolve_format(value)
        if fmt is None:
            self.fail(f"{value!r} is not one of {', '.join(FORMATS)}", param, ctx)
        return fmt


def _format_help() -> str:
    lines = "\n".join(f"  {f.name:<12} {f.description}" for f in FORMATS.values())
    return f"\b\nFormats:\n{lines}"


@click.command(name="export", epilog=_format_help())
@click.option(
    "-f",
    "--format",
    "fmt",
    type=FormatType(),
    default=None,
    help="Output format (aliases ttl, nt, nq and media types accepted). Default: from the "
    "extension of --output, else turtle.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    default=Path("-"),
    show_default="stdout",
    help="File to write (a folder for csv); '-' is stdout. Written atomically.",
)
@click.option(
    "--dataset",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Dataset to export (TriG, N-Quads, Turtle, N-Triples, JSON-LD or RDF/XML). "
    "Default: castgraph.trig in --dist-dir.",
)
@dist_dir_option
@click.option(
    "--from-data",
    is_flag=True,
    help="Build the dataset from --data-dir in memory instead of reading a built one "
    "(no validation).",
)
@data_dir_option
@click.option(
    "--inline-context/--reference-context",
    default=True,
    help="JSON-LD: embed the context (the default: the file parses anywhere, offline), or "
    "reference its published URL, https://w3id.org/castgraph/context.jsonld.",
)
@click.option(
    "--root",
    default="cast",
    show_default=True,
    help="jsonld-tree: the id (or IRI) of the organization at the root of the tree.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="The graph as it stood at DATE (2007, 2007-06, 2007-06-01): only the tenures known to "
    "hold then, memberships in force, the headquarters units of that date's source and figures "
    "dated on or before it (rules in docs/time.md).",
)
def command(
    fmt: str | None,
    output: Path,
    dataset: Path | None,
    dist_dir: Path,
    from_data: bool,
    data_dir: Path,
    inline_context: bool,
    root: str,
    as_of: str | None,
) -> None:
    """Export the dataset as Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML or CSV tables.

    TriG, N-Quads and jsonld keep one named graph per source; the other formats carry the
    union of all graphs. Output is byte-identical from run to run. A failed export leaves any
    earlier output file untouched.

    Examples: castgraph export -o cast.jsonld; castgraph export -f nt | wc -l;
    castgraph export -f csv -o tables/
    """
    to_stdout = str(output) == "-"
    fmt = _choose_format(fmt, None if to_stdout else output)
    if FORMATS[fmt].directory and to_stdout:
        raise click.UsageError(f"the {fmt} export writes a folder of files: give -o FOLDER")

    graph = _load(dataset, dist_dir, from_data, data_dir)
    if as_of is not None:
        from castgraph.dataset.as_of import DatasetAt, parse_as_of

        graph = DatasetAt(graph, parse_as_of(as_of))
    root_iri = _root_iri(root)
    if to_stdout:
        from castgraph.export.formats import export_stream

        _write_stdout(
            lambda out: export_stream(graph, fmt, out, inline_context=inline_context, root=root_iri)
        )
        return
    from castgraph.export.formats import write_export

    written = write_export(graph, fmt, output, inline_context=inline_context, root=root_iri)
    where = output if FORMATS[fmt].directory else written[0]
    extra = f" ({len(written)} files)" if FORMATS[fmt].directory else ""
    click.echo(f"wrote {where} ({fmt}){extra}", err=True)


def _choose_format(fmt: str | None, output: Path | None) -> str:
    implied = format_for_path(output) if output is not None else None
    if output is not None and implied is None and output.is_dir():
        implied = "csv"
    if fmt is None:
        if implied is not None:
            return implied
        if output is not None:
            raise click.UsageError(
                f"cannot tell the format from {str(output)!r}: give --format ({', '.join(FORMATS)})"
            )
        return "turtle"
    compatible = implied is None or implied == fmt or (fmt == "jsonld-tree" and implied == "jsonld")
    if not compatible:
        click.echo(f"warning: writing {fmt} to {output}, whose name suggests {implied}", err=True)
    return fmt


def _load(dataset: Path | None, dist_dir: Path, from_data: bool, data_dir: Path):
    """The dataset to export: dist/'s store, a --dataset file, or a build of --from-data."""
    from castgraph.cli._options import open_built
    from castgraph.dataset.store import FORMATS_BY_SUFFIX, from_nquads

    if from_data:
        if dataset is not None:
            raise click.UsageError("give either --dataset or --from-data, not both")
        from castgraph.build.mint import build
        from castgraph.loaders import load_all

        return from_nquads(build(load_all(data_dir)).nquads())
    if dataset is None or dataset.suffix.lower() in FORMATS_BY_SUFFIX:
        return open_built(dataset, dist_dir)
    from castgraph.dataset.writer import to_bytes
    from castgraph.export.formats import read_dataset

    return from_nquads(to_bytes(read_dataset(dataset), "nquads"), origin=str(dataset))


def _root_iri(root: str) -> str:
    from castgraph.namespaces import ID

    return root if ":" in root else ID[root]


def _write_stdout(write) -> None:
    stream = sys.stdout.buffer
    try:
        write(stream)
        stream.flush()
    except BrokenPipeError:
        # The reader went away (`castgraph export | head -1`): not an error. Point stdout at
        # /dev/null so that the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise click.exceptions.Exit(0) from None
