"""castgraph query: run a library query, a .rq file or a SPARQL text over the built dataset."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from castgraph.cli._options import dist_dir_option

# Kept equal to castgraph.results.RESULT_FORMATS (a test checks); importing that module here
# would be cheap, but command modules import only click and the lightest castgraph modules.
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "markdown")


def _split_param(ctx, option, values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", ctx=ctx, param=option)
        params[key.strip()] = value
    return params


@click.command(name="query")
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_split_param,
    help="A query parameter (repeatable): date=1998-01-01, entity=cid:cast, name=science.",
)
@click.option(
    "--file",
    "query_file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Run the query in this .rq file (`-` reads standard input).",
)
@click.option("-e", "--expression", metavar="SPARQL", help="Run this SPARQL text.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    help="Result format. Default: table on a terminal, csv otherwise (or from -o's suffix).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the answer to this file (atomically) instead of standard output.",
)
@click.option(
    "--graph",
    metavar="KEY_OR_IRI",
    help="Answer from one source's graph (004, graph:004 or the full IRI) with the shared "
    "vocabulary and registry; default: the union of all graphs.",
)
@click.option(
    "--dataset",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Dataset file to query (TriG, N-Quads, Turtle, N-Triples). Default: DIST_DIR/castgraph.trig.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="Stop the query after this many seconds (exit 3). Default: 30 "
    "(castgraph.limits, docs/limits.md).",
)
@dist_dir_option
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Ask at DATE (2007, 2007-06, 2007-06-01): sets the date parameter of the queries that "
    "take one (who-held-which-post-at-a-date, ...); rules in docs/time.md.",
)
@click.option("--list", "list_queries", is_flag=True, help="Same as `castgraph query list`.")
def command(
    name: str | None,
    params: dict[str, str],
    query_file: Path | None,
    expression: str | None,
    fmt: str | None,
    output: Path | None,
    graph: str | None,
    dataset: Path | None,
    timeout: float | None,
    dist_dir: Path,
    as_of: str | None,
    list_queries: bool,
) -> None:
    """Ask the graph: run NAME from the query library, a --file or an -e expression.

    NAME may also be the path of a .rq file.

    `castgraph query list` shows every library query with its summary and parameters.
    Parameters are bound as RDF values, never pasted into the query text. Queries are
    read-only and offline: SPARQL Update, SERVICE and FROM are refused. ASK prints true/false;
    CONSTRUCT and DESCRIBE print Turtle. The dataset is read as built (run `castgraph build`
    after changing data/). A query runs in its own process and is stopped after --timeout
    seconds (default 30) or at Ctrl-C.

    \b
    Examples:
      castgraph query list
      castgraph query heads-of-departments
      castgraph query who-held-which-post-at-a-date --param date=1998-01-01
      castgraph query search-by-name -p name=popularization --format json
      castgraph query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --graph 004
    """
    chosen = [x for x in (name, query_file, expression) if x is not None]
    if list_queries or name == "list":
        if query_file is not None or expression is not None or params:
            raise click.UsageError("`query list` takes no query, parameters or file")
        from castgraph.cli._answer import emit

        emit(_listing(fmt or "table"), output)
        return
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of NAME, --file PATH or -e SPARQL")

    from castgraph.query import library as queries

    if name is not None and name.endswith(".rq") and Path(name).is_file():
        definition = queries.load_file(Path(name))  # a path given where a name was expected
    elif name is not None:
        definition = queries.by_name(name)
    elif query_file is not None:
        if str(query_file) == "-":
            from castgraph.guard.inputs import read_stream  # hardening: size cap

            data = read_stream(sys.stdin.buffer, kind="query", name="<stdin>")
            text = data.decode("utf-8", errors="replace")
            definition = queries.definition_from_text(text, "<stdin>")
        else:
            definition = queries.load_file(query_file)
    else:
        definition = queries.definition_from_text(expression or "", "-e")
    queries.guard(definition)
    if as_of is not None:
        params = _with_as_of(definition, params, as_of)
    queries.bind(definition, params)  # name and type errors before the dataset is read

    from castgraph.cli._answer import answer

    answer(
        definition,
        params,
        fmt=fmt,
        output=output,
        graph=graph,
        dataset=dataset,
        timeout=timeout,
        dist_dir=dist_dir,
    )


def _with_as_of(definition, params: dict[str, str], as_of: str) -> dict[str, str]:
    """--as-of DATE is the date parameter, as a day (a year or month stands for its first day)."""
    from castgraph.dataset.as_of import parse_as_of

    day = parse_as_of(as_of).first_day
    names = [p.name for p in definition.parameters if p.name == "date"]
    if not names:
        raise click.UsageError(
            f"{definition.name} takes no date parameter: --as-of applies to the queries that do "
            "(see `castgraph query list`), to `castgraph export` and to `castgraph viz`"
        )
    if "date" in params and params["date"] != day:
        raise click.UsageError("give the date once: --as-of or --param date=..., not both")
    return {**params, "date": day}


def _listing(fmt: str) -> bytes:
    from castgraph.query import library as queries
    from castgraph.query.results import render_rows

    if fmt == "xml":
        raise click.UsageError("the listing is available as table, csv, tsv, json or markdown")
    header = ["name", "summary", "parameters"]
    rows = [
        [d.name, d.summary, "; ".join(p.describe() for p in d.parameters)]
        for d in queries.library()
    ]
    return render_rows(header, rows, fmt)
