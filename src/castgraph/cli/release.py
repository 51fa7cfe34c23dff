"""castgraph release: the CHANGELOG.md section of the release the built dataset states."""

from __future__ import annotations

from pathlib import Path

import click

from castgraph.cli._options import dist_dir_option


@click.command(name="release")
@click.option(
    "--previous",
    "previous",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The previous release's dump (TriG, N-Quads, ...); without it, a first release.",
)
@click.option(
    "--changelog",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("CHANGELOG.md"),
    show_default=True,
    help="The file to write the section into ('-': print the section only).",
)
@click.option(
    "--dataset",
    "dataset_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The new release's dump instead of the build in --dist-dir.",
)
@dist_dir_option
def command(
    previous: Path | None, changelog: Path, dataset_file: Path | None, dist_dir: Path
) -> None:
    """Write the CHANGELOG.md section of the release the dataset states (data/releases.yaml).

    The section compares the previous release's dump with the new dataset (`castgraph diff`)
    and counts the entities added, removed and changed, by kind. A section of the same version
    is replaced, so running it again changes nothing; a new version goes on top.

    Example: castgraph build && castgraph release --previous castgraph-0.1.0.nq
    """
    from castgraph.cli._options import load_built_quads
    from castgraph.errors import InputError
    from castgraph.export.formats import read_dataset
    from castgraph.files import write_atomic
    from castgraph.publish.release import release_notes, render_section, update_changelog

    new = load_built_quads(dataset_file, dist_dir)
    old = read_dataset(previous) if previous is not None else None
    notes = release_notes(old, new)
    if notes.release.version is None:
        raise InputError(
            "the dataset states no release (graph:dataset has no owl:versionInfo): "
            "add it to data/releases.yaml and run `castgraph build`"
        )
    section = render_section(notes)
    if str(changelog) == "-":
        click.echo(section, nl=False)
        return
    current = changelog.read_text(encoding="utf-8") if changelog.is_file() else None
    write_atomic(changelog, update_changelog(current, section).encode("utf-8"))
    click.echo(f"wrote the {notes.release.version} section of {changelog}", err=True)
