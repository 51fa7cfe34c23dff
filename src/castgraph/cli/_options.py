"""Options shared by several commands (the sqlite-utils pattern)."""

from __future__ import annotations

from pathlib import Path

import click

from castgraph.paths import DATA_DIR, DEFAULT_DIST_DIR

DATASET_FILE = "castgraph.trig"


def data_dir_option(function):
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=DATA_DIR,
        show_default="the project's data/",
        help="Folder of curated data files.",
    )(function)


def dist_dir_option(function):
    return click.option(
        "--dist-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_DIST_DIR,
        show_default=True,
        help="Folder of the built dataset (written by `castgraph build`).",
    )(function)


def dataset_path(dist_dir: Path) -> Path:
    return dist_dir / DATASET_FILE


def load_built_quads(path: Path | None, dist_dir: Path):
    """The quads of a built dataset file (default: dist/castgraph.trig)."""
    from castgraph.guard.rdf_input import parse_rdf_file  # hardening: guarded read, base IRI

    target = path if path is not None else dataset_path(dist_dir)
    return list(parse_rdf_file(target, missing_hint="run `castgraph build` first"))
