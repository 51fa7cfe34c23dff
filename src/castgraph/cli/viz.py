"""castgraph viz: draw the structure of CAST (or of any organization or unit in it)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from castgraph.cli._options import dist_dir_option
from castgraph.errors import EXIT_USAGE, CastgraphError

FORMATS = ("svg", "html", "graphml", "dot", "mermaid", "json", "png", "pdf")
KINDS = ("units", "societies", "provincial", "predecessors", "programs", "international")


class UnwritableFile(CastgraphError):
    """An output file whose extension names no format viz writes (never a silent SVG)."""

    exit_code = EXIT_USAGE


def _kinds(ctx, param, value: str) -> tuple[str, ...]:
    if value in ("all", "*"):
        return KINDS
    chosen = tuple(dict.fromkeys(k.strip() for k in value.split(",") if k.strip()))
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise click.BadParameter(
            f"unknown kind {unknown[0]!r} (expected: {', '.join(KINDS)} or all)"
        )
    return chosen


@click.command(name="viz")
@click.option(
    "--dataset",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Dataset file (default: dist/castgraph.trig).",
)
@dist_dir_option
@click.option(
    "--root",
    default="cast",
    show_default=True,
    help="Root: a slug (hq-international-affairs), a CURIE (cid:x) or an IRI.",
)
@click.option("--depth", type=click.IntRange(min=1), help="Levels below the root to draw.")
@click.option(
    "--kinds",
    default="units,predecessors",
    show_default=True,
    callback=_kinds,
    help=f"What to include, comma-separated: {', '.join(KINDS)}, or all.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Headquarters as the sources of a date describe it (1998: the c.1997 list; 2008: the 2007 one; all: every list). Default: the latest.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Label language (falls back to the other one).",
)
@click.option(
    "--expand", is_flag=True, help="Draw every national society instead of counted groups."
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format (default: from -o's extension, else svg).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default: stdout).",
)
def command(dataset, dist_dir, root, depth, kinds, as_of, lang, expand, fmt, output):
    """Draw the hierarchy as an org chart: SVG, PNG, PDF, a self-contained HTML page, GraphML, DOT, Mermaid or JSON.

    Example: castgraph viz --kinds units,predecessors -o cast.html
    """
    import gc

    from castgraph.cli._options import open_built
    from castgraph.errors import InputError
    from castgraph.files import write_atomic
    from castgraph.namespaces import expand_iri
    from castgraph.viz import SUFFIXES, render
    from castgraph.viz.structure import load_structure
    from castgraph.viz.tree import build_tree, iter_tree

    # hundreds of thousands of small objects and no cycles worth collecting: without the
    # collector's passes, 50,000 organizations took 9.6 s of CPU instead of 10.5 s
    gc.disable()
    to_file = output is not None and str(output) != "-"
    if fmt is None and to_file and output.suffix.lower() not in SUFFIXES:
        raise UnwritableFile(
            f"-o: cannot write {output.suffix or 'a file without an extension'}: name the file "
            f"{', '.join(sorted(SUFFIXES))}, or give -f"
        )
    if fmt is None:
        fmt = SUFFIXES[output.suffix.lower()] if to_file else "svg"
    elif output and str(output) != "-" and SUFFIXES.get(output.suffix.lower(), fmt) != fmt:
        click.echo(f"warning: writing {fmt} to a file named {output.name}", err=True)
    if fmt in ("png", "pdf") and not to_file and sys.stdout.isatty():
        raise click.UsageError(
            f"refusing to write {fmt.upper()} to a terminal: use -o FILE.{fmt} or a pipe"
        )
    root_iri = expand_iri(root)
    if root_iri is None:
        raise InputError(f"--root: {root!r} is not an organization, unit or program in the graph")
    from castgraph.guard.interruptible import run_interruptibly

    store = open_built(dataset, dist_dir).store
    # the store's queries run beside the main thread: Ctrl-C is not held up by a long one
    structure = run_interruptibly(
        lambda: load_structure(store, root=root_iri, kinds=kinds, depth=depth)
    )
    if root_iri not in structure.nodes:
        raise InputError(f"--root: {root!r} is not an organization, unit or program in the graph")
    try:
        tree, snapshot = build_tree(
            structure, root_iri, depth=depth, kinds=kinds, as_of=as_of, expand=expand
        )
    except ValueError as error:
        raise InputError(f"--as-of: {error}") from None
    title = _title(tree, structure, snapshot, lang)
    if fmt == "html":  # the page's date control: every headquarters list, drawn in place
        from castgraph.viz.html import render_html, snapshots

        options = {"root": root_iri, "depth": depth, "kinds": kinds, "expand": expand}
        data = render_html(
            tree,
            lang,
            _title(tree, structure, snapshot, "en"),
            title_zh=_title(tree, structure, snapshot, "zh"),
            snapshots=snapshots(structure, tree, snapshot, build_tree, options),
        )
    else:
        data = render(fmt, tree, lang, title)
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(output, data)
        click.echo(f"wrote {output} ({fmt}, {sum(1 for _ in iter_tree(tree))} nodes)", err=True)


def _title(tree, structure, snapshot, lang) -> str:
    name = tree.node.label(lang)
    if snapshot and snapshot in structure.sources:
        source = structure.sources[snapshot]
        year = source.date[:4]
        if lang == "zh":
            return f"{name}：来源 {source.key}（{year}）所述机关"
        return f"{name}: headquarters as source {source.key} ({year}) describes it"
    if snapshot is None:
        return f"{name}：各份机关部门名单" if lang == "zh" else f"{name}: every headquarters list"
    return name
