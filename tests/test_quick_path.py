"""`castgraph query NAME` answers the same on its quick path (no click) as through click.

The quick path reads only the common command line; everything else goes to click. Each command
line below runs both ways, in-process, and must give the same stdout, stderr and exit code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from castgraph.cli import _quick, query
from castgraph.cli._group import run_click
from castgraph.cli._quick import quick_query


def _both(argv: list[str]) -> tuple[tuple, tuple]:
    results = []
    for runner_function in (quick_query, run_click):
        with CliRunner().isolation() as streams:
            code = runner_function(argv)
        results.append((code, streams[0].getvalue(), streams[1].getvalue()))
    return results[0], results[1]


def command_lines(dist: Path) -> list[list[str]]:
    d = str(dist)
    return [
        ["query", "organizations-by-kind", "--dist-dir", d, "--format", "csv"],
        ["query", "--dist-dir", d, "-f", "json", "heads-of-departments"],
        ["query", "who-held-which-post-at-a-date", "-p", "date=1998-01-01", "--dist-dir", d],
        ["query", "search-by-name", "-p", "name=popularization", "-f", "tsv", "--dist-dir", d],
        [
            "query",
            "search-by-name",
            "--param",
            "name=科学",
            "--param",
            "name=cast",
            "--dist-dir",
            d,
        ],
        ["query", "who-held-which-post-at-a-date", "-p", "date=1998-13-01", "--dist-dir", d],
        ["query", "who-held-which-post-at-a-date", "-p", "when=1998", "--dist-dir", d],
        ["query", "no-such-query", "--dist-dir", d],
        ["query", "organizations-by-kind", "--dist-dir", str(dist / "missing")],
        ["query", "organizations-by-kind", "--dist-dir", d, "-f", "markdown"],
    ]


@pytest.mark.parametrize("index", range(10))
def test_the_quick_path_answers_as_click_does(built_dist, index):
    argv = command_lines(built_dist)[index]
    quick, click_answer = _both(argv)
    assert quick[0] is not None  # taken by the quick path
    assert quick == click_answer
    assert quick[1] or quick[2]  # an answer or a message, never silence


@pytest.mark.parametrize(
    "argv",
    [
        ["query"],
        ["query", "list"],
        ["query", "--help"],
        ["query", "organizations-by-kind", "--graph", "004"],
        ["query", "organizations-by-kind", "-o", "out.csv"],
        ["query", "organizations-by-kind", "--format", "yaml"],
        ["query", "organizations-by-kind", "--format=csv"],
        ["query", "organizations-by-kind", "-p", "novalue"],
        ["query", "organizations-by-kind", "-p"],
        ["query", "queries/organizations-by-kind.rq"],
        ["query", "-e", "ASK {}"],
        ["query", "a", "b"],
        ["--debug", "query", "organizations-by-kind"],
        ["export", "--format", "turtle"],
    ],
)
def test_anything_else_goes_to_click(argv):
    assert _quick._read(argv) is None


def test_the_quick_path_knows_the_formats_click_knows():
    assert query.RESULT_FORMATS == _quick.RESULT_FORMATS


def test_a_quick_query_does_not_load_click_or_dataclasses(built_dist):
    """click is a third of a cold query's start; dataclasses (with inspect) and datetime
    another 15 ms of the 0.1 s a cold query on the curated graph may take."""
    code = (
        "import sys\n"
        "from castgraph.cli import run\n"
        f"code = run(['query', 'organizations-by-kind', '--dist-dir', {str(built_dist)!r}])\n"
        "assert code == 0, code\n"
        "heavy = ('click', 'rdflib', 'yaml', 'dataclasses', 'inspect', 'datetime', 'typing')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
