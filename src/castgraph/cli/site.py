"""castgraph site: the graph as a static website (entity pages, search, docs, dumps)."""

from __future__ import annotations

from pathlib import Path

import click

from castgraph.cli._options import dist_dir_option


@click.command(name="site")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the site into (replaced as a whole when the site is complete).",
)
@click.option(
    "--dataset",
    "dataset_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A dataset file to publish instead of the build in --dist-dir.",
)
@dist_dir_option
@click.option(
    "--sparql-endpoint",
    default=None,
    help="The URL of a SPARQL endpoint serving the same data, stated in void.ttl and linked.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes rendering entity pages (default: the number of CPUs, at most 4).",
)
def command(
    out_dir: Path,
    dataset_file: Path | None,
    dist_dir: Path,
    sparql_endpoint: str | None,
    jobs: int | None,
) -> None:
    """Write a static website of the graph to OUTPUT, for any static web host.

    One page per entity at id/SLUG/index.html (the templates of `castgraph serve`), with
    id/SLUG.ttl and id/SLUG.jsonld beside it; the ontology documentation (def/); the org chart
    (orgchart/); a search over names in English and Chinese, acronyms and people that runs in
    the browser (search/); the full dumps with SHA-256 checksums (dumps/); the VoID and DCAT
    description (void.ttl). Every link is relative and nothing is fetched from another host, so
    the site works from file:// and below any path; the output is identical from run to run.

    Example: castgraph build && castgraph site -o public
    """
    from castgraph.cli._options import open_built
    from castgraph.publish.site import build_site

    if sparql_endpoint is not None:
        from castgraph.publish.push import check_url

        check_url(sparql_endpoint, "--sparql-endpoint")
        if any(c in sparql_endpoint for c in '<>"{}|\\^` '):
            raise click.BadParameter("not a valid IRI", param_hint="--sparql-endpoint")
    import os

    if jobs is None:
        jobs = max(
            1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
        )
    dataset = open_built(dataset_file, dist_dir)
    report = build_site(
        dataset,
        out_dir,
        sparql_endpoint=sparql_endpoint,
        progress=lambda text: click.echo(text, err=True),
        jobs=jobs,
    )
    click.echo(
        f"site: {report.entities} entity pages, {report.files} files "
        f"({report.bytes / 1e6:.1f} MB) written to {out_dir}/ in {report.seconds:.1f} s"
    )
