"""castgraph push: send the built dataset to a remote triple store (SPARQL 1.1 Graph Store)."""

from __future__ import annotations

from pathlib import Path

import click

from castgraph.cli._options import dist_dir_option


@click.command(name="push")
@click.argument("url")
@click.option(
    "--replace/--merge",
    default=True,
    show_default=True,
    help="replace: the remote graphs become exactly ours and remote graphs we do not have are "
    "deleted; merge: our statements are added to the remote graphs.",
)
@click.option(
    "--query-url",
    default=None,
    help="The remote SPARQL query endpoint used to verify (default: guessed from URL for "
    "Oxigraph …/store -> …/query and Fuseki …/data -> …/sparql).",
)
@click.option(
    "--dataset",
    "dataset_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A dataset file to send instead of the build in --dist-dir.",
)
@dist_dir_option
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=4,
    show_default=True,
    help="Retries of a request after a 5xx answer or a connection error (backoff 0.5 s, doubling).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=60.0,
    show_default=True,
    help="Seconds to wait for one answer.",
)
def command(
    url: str,
    replace: bool,
    query_url: str | None,
    dataset_file: Path | None,
    dist_dir: Path,
    retries: int,
    timeout: float,
) -> None:
    """Send the dataset to the Graph Store endpoint URL, then verify it by SPARQL.

    One PUT (--replace) or POST (--merge) per named graph, as N-Triples; then the remote
    triple count of every graph is compared with ours. Exit 0 when they match, 1 when they
    differ (naming the graphs), 4 when the server cannot be reached after the retries. A run
    that stopped half-way is finished by running it again.

    Credentials: CASTGRAPH_PUSH_TOKEN (bearer), CASTGRAPH_PUSH_USER and
    CASTGRAPH_PUSH_PASSWORD (basic), or ~/.netrc; never in the URL.

    Example: castgraph push http://localhost:7878/store
    """
    from castgraph.cli._options import open_built
    from castgraph.errors import EXIT_PROBLEM
    from castgraph.publish.push import (
        Remote,
        check_url,
        describe_divergence,
        push_dataset,
        query_url_for,
    )

    check_url(url, "URL")
    if query_url is None:
        query_url = query_url_for(url)
        if query_url is None:
            raise click.UsageError(
                f"cannot tell the SPARQL endpoint of {url}: give --query-url", ctx=None
            )
    check_url(query_url, "--query-url")
    dataset = open_built(dataset_file, dist_dir)
    remote = Remote(url, query_url, retries=retries, timeout=timeout)
    try:
        result = push_dataset(
            dataset, remote, replace=replace, progress=lambda text: click.echo(text, err=True)
        )
    finally:
        remote.close()
    if not result.matches:
        click.echo(describe_divergence(result), err=True)
        raise click.exceptions.Exit(EXIT_PROBLEM)
    mode = "replaced" if replace else "merged"
    click.echo(
        f"push: {result.sent} graphs ({result.triples} triples) {mode} at {url} and verified "
        f"(triple counts match) in {result.seconds:.1f} s"
    )
