"""castgraph validate: SHACL shapes and check queries over a built dataset, as a readable report."""

from __future__ import annotations

from pathlib import Path

import click

from castgraph.cli._options import dist_dir_option


@click.command(name="validate")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@dist_dir_option
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format: grouped text, a JSON list, or the standard sh:ValidationReport.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option(
    "--shapes",
    "extra_shapes",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="An extra SHACL shapes file (repeatable).",
)
def command(
    path: Path | None, dist_dir: Path, fmt: str, fail_on: str, extra_shapes: tuple[Path, ...]
) -> None:
    """Validate a dataset (default: dist/castgraph.trig) against the shapes and checks.

    PATH may be TriG, N-Quads, Turtle or N-Triples. Exit 0 when it conforms, 1 when it has
    problems at or above --fail-on, 3 when the file cannot be read.

    Example: castgraph validate --format json
    """
    from castgraph.check.validate import render_json, render_text, render_turtle, validate
    from castgraph.cli._options import open_built
    from castgraph.errors import EXIT_PROBLEM
    from castgraph.guard.rdf_input import check_rdf_files  # hardening: one-line errors

    check_rdf_files(extra_shapes)
    from castgraph.guard.interruptible import run_interruptibly

    dataset = open_built(path, dist_dir)
    report = run_interruptibly(lambda: validate(dataset, extra_shapes=extra_shapes))
    render = {"text": render_text, "json": render_json, "turtle": render_turtle}[fmt]
    click.echo(render(report), nl=False)
    if report.fails(fail_on.capitalize()):
        raise click.exceptions.Exit(EXIT_PROBLEM)
