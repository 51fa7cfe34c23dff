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
    N-Quads), dist/castgraph.ttl (the union of all graphs), dist/summary.json, dist/store/
    (a pyoxigraph store that every other command reads) and dist/names.tsv (the names, for
    search-by-name), all or nothing: the new dist/ is
    swapped in as one folder under a lock, so when the data is malformed (exit 3), does not
    conform (exit 1) or the build is interrupted, dist/ is left exactly as it was.

    Example: castgraph build && castgraph validate
    """
    import os

    debug = (click.get_current_context().find_root().obj or {}).get("debug", False)
    parent = os.environ.get(_CHILD)
    if parent is None and not debug:
        # The build runs in a fresh child process (not a fork: a process that has used the
        # store's thread pool cannot fork safely). Ctrl-C kills the child at once, even inside
        # one long C call (a sort of millions of statements) that would hold this process, and
        # this one leaves with 130; what the child wrote is in a staging folder, never dist/.
        flags = ["--no-validate"] * no_validate + ["--json"] * as_json
        code, stdout, stderr = _in_child(
            ["build", "--data-dir", str(data_dir), "--out", str(out_dir), *flags]
        )
    else:
        if parent is not None:
            from castgraph.guard.deadline import die_with

            die_with(int(parent))
        said = _build(data_dir, out_dir, no_validate, as_json)
        code, stdout, stderr = said["code"], said["stdout"], said["stderr"]
    if stdout:
        click.echo(stdout, nl=False)
    if stderr:
        click.echo(stderr, err=True, nl=False)
    if code:
        raise click.exceptions.Exit(code)


_CHILD = "CASTGRAPH_BUILD_PARENT"  # set in the child: the parent's pid


def _in_child(args: list[str]) -> tuple[int, str, str]:
    """Run ``castgraph ARGS`` in a new Python process; (exit code, stdout, stderr)."""
    import os
    import signal
    import subprocess
    import sys

    from castgraph.guard.deadline import Interrupted

    env = {**os.environ, _CHILD: str(os.getpid())}
    child = subprocess.Popen(
        [sys.executable, "-m", "castgraph", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        stdout, stderr = child.communicate()
    except KeyboardInterrupt:
        child.kill()
        child.wait()
        raise Interrupted("build interrupted") from None
    code = child.returncode
    if code < 0:  # killed by a signal
        if -code in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL, signal.SIGHUP):
            raise Interrupted("build interrupted")
        code = 5
    return code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace")


def _build(data_dir: Path, out_dir: Path, no_validate: bool, as_json: bool) -> dict:
    """Load, build, validate and write; what to print and the exit code, as a dict."""
    from castgraph.build.collector import fewer_collections
    from castgraph.build.mint import build
    from castgraph.check.validate import render_text, validate
    from castgraph.dataset.create import NotConforming, create_dataset
    from castgraph.errors import EXIT_PROBLEM, CastgraphError
    from castgraph.loaders import load_all

    try:
        with fewer_collections():
            built = build(load_all(data_dir))  # the records are freed here: the store needs them
            created = create_dataset(built, out_dir, check=None if no_validate else validate)
    except NotConforming as failure:
        message = render_text(failure.report) + f"not written: {out_dir}/ left unchanged\n"
        return {"stdout": "", "stderr": message, "code": EXIT_PROBLEM}
    except CastgraphError as error:  # every problem of the data, one line each
        return {"stdout": "", "stderr": f"{error}\n", "code": error.exit_code}
    summary, report = created.summary, created.report
    said = []
    if report is not None:
        said.append(
            f"validation: conforms ({report.count('Violation')} violations, "
            f"{report.count('Warning')} warnings, {report.count('Info')} notes)\n"
        )
    said.append(
        f"wrote {out_dir}/{DATASET_FILE}, castgraph.nq, castgraph.ttl, summary.json, store/, names.tsv\n"
    )
    stdout = summary.as_json() if as_json else summary.as_text()
    return {"stdout": stdout, "stderr": "".join(said), "code": 0}
