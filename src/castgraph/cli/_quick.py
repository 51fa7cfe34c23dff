"""The quick path of ``castgraph query NAME``: the common command line, answered without click.

A cold query on the curated graph costs about 0.1 s, and importing click is a third of it. The
command lines people type most (a library query by name, with ``-f/--format``, ``-p/--param``
and ``--dist-dir``) are read here by a strict reader; anything else it does not know for sure
(another option, ``--help``, a value click would refuse, a path for NAME) goes to click, which
then answers or explains. Both paths end in ``_answer.answer``; a test runs command lines
through both and requires the same bytes, messages and exit codes.
"""

from __future__ import annotations

import re
from pathlib import Path

from castgraph.query.results import RESULT_FORMATS  # imported on the way to an answer anyway

_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def quick_query(argv: list[str]) -> int | None:
    """The exit code of ``argv`` answered on the quick path, or None when click must read it."""
    parsed = _read(argv)
    if parsed is None:
        return None
    name, fmt, params, dist_dir = parsed
    try:
        from castgraph.cli._answer import answer
        from castgraph.query import library as queries

        definition = queries.by_name(name)
        queries.guard(definition)
        queries.bind(definition, params)  # name and type errors before the dataset is read
        answer(
            definition,
            params,
            fmt=fmt,
            output=None,
            graph=None,
            dataset=None,
            timeout=None,
            dist_dir=dist_dir,
        )
    except KeyboardInterrupt:  # what click's Abort says
        import sys

        sys.stderr.write("interrupted\n")
        return 130
    except Exception as error:
        from castgraph.cli._failure import failure_code

        return failure_code(error, debug=False)
    return 0


def _read(argv: list[str]) -> tuple[str, str | None, dict[str, str], Path] | None:
    if not argv or argv[0] != "query":
        return None
    name: str | None = None
    fmt: str | None = None
    params: dict[str, str] = {}
    dist_dir: str | None = None
    tokens = iter(argv[1:])
    for token in tokens:
        if token in ("-f", "--format", "-p", "--param", "--dist-dir"):
            value = next(tokens, None)
            if value is None:
                return None
            if token in ("-f", "--format"):
                if value not in RESULT_FORMATS:
                    return None
                fmt = value
            elif token == "--dist-dir":
                dist_dir = value
            else:
                key, sep, text = value.partition("=")
                if not sep or not key.strip():
                    return None
                params[key.strip()] = text
        elif token.startswith("-") or name is not None:
            return None
        else:
            name = token
    if name is None or name == "list" or not _NAME.fullmatch(name):
        return None
    if dist_dir is None:
        from castgraph.paths import DEFAULT_DIST_DIR

        folder = DEFAULT_DIST_DIR
    else:
        if not dist_dir or Path(dist_dir).is_file():  # click's Path(file_okay=False) says why
            return None
        folder = Path(dist_dir)
    return name, fmt, params, folder
