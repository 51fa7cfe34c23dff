"""castgraph diff: what changed between two versions of the dataset, graph by graph."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from castgraph.export.formats import format_names, resolve_format


@click.command(name="diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["summary", "patch"]),
    default="summary",
    show_default=True,
    help="summary: changes per graph and entity, with labels; patch: RDF Patch (A/D lines).",
)
@click.option(
    "-i",
    "--input-format",
    default=None,
    help="RDF format of OLD and NEW when their extensions do not tell it (or for '-'): "
    + ", ".join(format_names(readable_only=True))
    + ".",
)
def command(old: Path, new: Path, fmt: str, input_format: str | None) -> None:
    """Compare two exported datasets; exit 0 when they are equal, 1 when they differ.

    OLD and NEW may be TriG, N-Quads, Turtle, N-Triples, JSON-LD or RDF/XML (by extension, or
    --input-format); one of them may be '-' for stdin. Named graphs are compared as such: a
    statement that moves to another source's graph shows as removed there and added here.
    Exit 3 when a file cannot be read.

    Examples: castgraph diff old/castgraph.trig dist/castgraph.trig;
    castgraph diff -f patch old.nq new.nq > changes.rdfp
    """
    from castgraph.diff import diff_datasets, render_patch, render_summary
    from castgraph.errors import EXIT_PROBLEM, InputError

    forced = None
    if input_format is not None:
        forced = resolve_format(input_format)
        if forced is None or forced not in format_names(readable_only=True):
            raise click.BadParameter(
                f"{input_format!r} is not one of {', '.join(format_names(readable_only=True))}",
                param_hint="--input-format",
            )
    if str(old) == "-" and str(new) == "-":
        raise InputError("-: only one of OLD and NEW can be stdin")
    old_quads = _read(old, forced)
    new_quads = _read(new, forced)
    result = diff_datasets(old_quads, new_quads)
    if fmt == "patch":
        click.echo(render_patch(result), nl=False)
    else:
        click.echo(render_summary(result, str(old), str(new)), nl=False)
    if not result.equal:
        raise click.exceptions.Exit(EXIT_PROBLEM)


def _read(path: Path, fmt: str | None):
    """A callable that parses the file (or standard input) afresh: diff streams each side."""
    from castgraph.errors import InputError, display_path
    from castgraph.export.formats import readable_format
    from castgraph.guard.rdf_input import rdf_reader  # hardening: capped read, guarded parse

    if str(path) == "-":
        if fmt is None:
            raise InputError("-: give --input-format to read a dataset from stdin")
        from castgraph.guard.inputs import read_stream

        data = read_stream(sys.stdin.buffer, kind="rdf", name="<stdin>")
        return rdf_reader(data, fmt, where="<stdin>")
    fmt = readable_format(path, fmt)
    from castgraph.guard.inputs import read_input

    data = read_input(path, kind="rdf")
    return rdf_reader(data, fmt, where=display_path(path), base_iri=path.resolve().as_uri())
