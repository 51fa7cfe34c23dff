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
    N-Quads), dist/castgraph.ttl (the union of all graphs), dist/summary.json and dist/store/
    (a pyoxigraph store that every other command reads), all or nothing: the new dist/ is
    swapped in as one folder under a lock, so when the data is malformed (exit 3), does not
    conform (exit 1) or the build is interrupted, dist/ is left exactly as it was.

    Example: castgraph build && castgraph validate
    """
    from castgraph.build.mint import build
    from castgraph.check.validate import render_text, validate
    from castgraph.dataset.create import NotConforming, create_dataset
    from castgraph.errors import EXIT_PROBLEM
    from castgraph.guard.interruptible import run_interruptibly
    from castgraph.loaders import load_all

    built = build(load_all(data_dir))  # the records are freed here: the store needs the memory
    check = None if no_validate else validate
    try:
        created = run_interruptibly(lambda: create_dataset(built, out_dir, check=check))
    except NotConforming as failure:
        click.echo(render_text(failure.report), err=True, nl=False)
        click.echo(f"not written: {out_dir}/ left unchanged", err=True)
        raise click.exceptions.Exit(EXIT_PROBLEM) from None
    summary, report = created.summary, created.report
    click.echo(summary.as_json() if as_json else summary.as_text(), nl=False)
    if report is not None:
        click.echo(
            f"validation: conforms ({report.count('Violation')} violations, "
            f"{report.count('Warning')} warnings, {report.count('Info')} notes)",
            err=True,
        )
    click.echo(
        f"wrote {out_dir}/{DATASET_FILE}, castgraph.nq, castgraph.ttl, summary.json, store/",
        err=True,
    )
