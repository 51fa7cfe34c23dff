"""castgraph build: data/ -> checked records -> dataset -> validation -> dist/ (atomically)."""

from __future__ import annotations

from pathlib import Path

import click

from castgraph.cli._options import DATASET_FILE, data_dir_option


@click.command(name="build")
@data_dir_option
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Folder to write the dataset into.",
)
@click.option("--no-validate", is_flag=True, help="Skip SHACL and check queries (faster, unsafe).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def command(data_dir: Path, out_dir: Path, no_validate: bool, as_json: bool) -> None:
    """Build the graph from data/, validate it and write dist/.

    Writes dist/castgraph.trig (one named graph per source), dist/castgraph.nq (the same as
    N-Quads), dist/castgraph.ttl (the union of all graphs) and dist/summary.json, all or
    nothing: when the data is malformed (exit 3) or does not conform (exit 1), dist/ is left
    exactly as it was.

    Example: castgraph build && castgraph validate
    """
    from castgraph.build import build
    from castgraph.errors import EXIT_PROBLEM
    from castgraph.files import write_all_atomic
    from castgraph.loaders import load_all
    from castgraph.serialize import to_bytes
    from castgraph.summary import summarize
    from castgraph.validate import render_text, validate

    records = load_all(data_dir)
    dataset = build(records)
    if not no_validate:
        report = validate(dataset.quads)
        if not report.conforms:
            click.echo(render_text(report), err=True, nl=False)
            click.echo(f"not written: {out_dir}/ left unchanged", err=True)
            raise click.exceptions.Exit(EXIT_PROBLEM)
    summary = summarize(dataset.quads)
    write_all_atomic(
        {
            out_dir / DATASET_FILE: to_bytes(dataset.quads, "trig"),
            out_dir / "castgraph.nq": to_bytes(dataset.quads, "nquads"),
            out_dir / "castgraph.ttl": to_bytes(dataset.quads, "turtle"),
            out_dir / "summary.json": summary.as_json().encode("utf-8"),
        }
    )
    click.echo(summary.as_json() if as_json else summary.as_text(), nl=False)
    if not no_validate:
        state = "conforms" if report.conforms else "does not conform"
        click.echo(
            f"validation: {state} ({report.count('Violation')} violations, "
            f"{report.count('Warning')} warnings, {report.count('Info')} notes)",
            err=True,
        )
    click.echo(
        f"wrote {out_dir}/{DATASET_FILE}, castgraph.nq, castgraph.ttl, summary.json", err=True
    )
