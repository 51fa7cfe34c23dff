"""CSV files -> rows that remember their file and line."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from castgraph.errors import display_path
from castgraph.loaders.problems import DataProblem, Location


class Row:
    """One CSV row: where it is, and its cells by column name.

    A plain class with slots, not a frozen dataclass: the full CAST system has 782,000 rows, and
    a frozen dataclass costs a microsecond more for each."""

    __slots__ = ("location", "values")

    def __init__(self, location: Location, values: dict[str, str]) -> None:
        self.location = location
        self.values = values


def read_rows(path: Path, columns: tuple[str, ...], problems: list[DataProblem]) -> Iterator[Row]:
    """Yield the rows of a CSV file whose header must be exactly ``columns``.

    Header and shape problems are appended to ``problems``; a row with the wrong number of
    cells is reported and skipped.
    """
    shown = display_path(path)
    import io

    from castgraph.errors import InputError
    from castgraph.guard.inputs import read_input

    try:  # hardening: only a regular file, size cap applied while reading
        data = read_input(path, kind="csv")
    except InputError as error:
        what = str(error).removeprefix(f"{shown}: ")
        problems.append(DataProblem(Location(shown), what, blocking=True))
        return
    handle = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    with handle:
        try:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                problems.append(
                    DataProblem(
                        Location(shown, 1), "empty file: expected a header row", blocking=True
                    )
                )
                return
            if header and header[0].startswith("\ufeff"):
                problems.append(DataProblem(Location(shown, 1), "remove the byte-order mark"))
                header[0] = header[0].lstrip("\ufeff")
            if tuple(header) != columns:
                problems.append(
                    DataProblem(
                        Location(shown, 1),
                        f"header is {','.join(header)!r}, expected {','.join(columns)!r}",
                        blocking=True,
                    )
                )
                return
            line = reader.line_num + 1
            for cells in reader:
                location = Location(shown, line)
                line = reader.line_num + 1
                if not cells or not "".join(cells).strip():  # a blank line, or only commas
                    continue
                if len(cells) != len(columns):
                    problems.append(
                        DataProblem(location, f"expected {len(columns)} cells, found {len(cells)}")
                    )
                    continue
                yield Row(location, dict(zip(columns, cells, strict=True)))
        except csv.Error as error:
            problems.append(
                DataProblem(Location(shown, reader.line_num), f"bad CSV: {error}", blocking=True)
            )
        except UnicodeDecodeError as error:
            problems.append(
                DataProblem(Location(shown), f"not UTF-8: {error.reason}", blocking=True)
            )
