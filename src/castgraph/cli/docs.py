"""castgraph docs: HTML pages documenting the ontology and the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click

from castgraph.paths import ONTOLOGY_PATH, SHAPES_DIR


@click.command(name="docs")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist/docs"),
    show_default=True,
    help="Folder to write index.html, ontology.html and shapes.html into.",
)
@click.option(
    "--ontology",
    "ontology_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=ONTOLOGY_PATH,
    show_default="ontology/castgraph.ttl",
    help="The ontology (Turtle) to document.",
)
@click.option(
    "--shapes-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=SHAPES_DIR,
    show_default="ontology/shapes/",
    help="Folder of SHACL shapes (*.ttl) to document.",
)
def command(out_dir: Path, ontology_path: Path, shapes_dir: Path) -> None:
    """Write HTML documentation of the ontology and of the SHACL shapes.

    The ontology page lists every class, property, datatype and concept with its English and
    Chinese labels, its definition and the standard terms it extends; the shapes page spells
    out every constraint in words with its message and severity. The pages are self-contained
    (inline CSS, nothing loaded from the network) and identical from run to run.

    Example: castgraph docs -o site/docs
    """
    from castgraph.docs.render import render_docs, write_docs
    from castgraph.guard.rdf_input import check_rdf_files  # hardening: one-line errors

    check_rdf_files([ontology_path, *sorted(shapes_dir.glob("*.ttl"))])
    written = write_docs(out_dir, render_docs(ontology_path, shapes_dir))
    click.echo(f"wrote {', '.join(str(p) for p in written)}", err=True)
