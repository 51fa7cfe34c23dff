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


def open_built(path: Path | None, dist_dir: Path):
    """The dataset to read: ``path`` loaded into a temporary store, or dist/'s own store."""
    from castgraph.dataset.store import open_dataset

    return open_dataset(dist_dir, path, notice=lambda text: click.echo(text, err=True))


def load_built_quads(path: Path | None, dist_dir: Path):
    """The quads of a built dataset, sorted (default: dist/)."""
    return list(open_built(path, dist_dir).quads())
