"""The row checker: typed values from CSV cells, each problem recorded with its file and line."""

from __future__ import annotations

import re
from collections.abc import Collection

from castgraph.dates import PartialDate, parse_date
from castgraph.loaders.problems import DataProblem, Location
from castgraph.loaders.tabular import Row

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_KEY = re.compile(r"^[A-Za-z0-9]+$")
# Canonical decimals only: no leading zeros ("007"), no "-0"; parsers disagree on the rest.
NUMBER = re.compile(r"^(0|-?[1-9]\d*)(\.\d+)?$|^-?0\.\d+$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HAN = re.compile(r"[\u3400-\u9fff]")


class Checker:
    """Field-level checks for one row; every problem is recorded, none raised."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems

    def problem(self, location: Location, message: str) -> None:
        self.problems.append(DataProblem(location, message))

    def text(self, row: Row, column: str, *, required: bool = True) -> str:
        value = row.values[column]
        if value != value.strip():
            self.problem(row.location, f"{column}: remove leading or trailing spaces")
        if not value.isprintable() and CONTROL.search(value):  # isprintable: no regex per cell
            self.problem(row.location, f"{column}: contains a control character")
            value = value.strip()
        if required and not value:
            self.problem(row.location, f"{column}: required")
        return value

    def slug(self, row: Row, column: str, *, required: bool = True) -> str:
        value = self.text(row, column, required=required)
        if value and not SLUG.match(value):
            self.problem(
                row.location, f"{column}: {value!r} is not a slug (a-z, 0-9 and single dashes)"
            )
        return value

    def choice(
        self, row: Row, column: str, allowed: Collection[str], *, required: bool = True
    ) -> str:
        value = self.text(row, column, required=required)
        if value and value not in allowed:
            self.problem(
                row.location,
                f"{column}: unknown value {value!r} (expected one of: {', '.join(allowed)})",
            )
        return value

    def many(self, row: Row, column: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.text(row, column, required=required)
        items = tuple(part.strip() for part in value.split(";")) if value else ()
        if any(not item for item in items):
            self.problem(row.location, f"{column}: empty item in {value!r}")
        for item in items:
            if item and not SLUG.match(item):
                self.problem(row.location, f"{column}: {item!r} is not a slug")
        if len(set(items)) != len(items):
            self.problem(row.location, f"{column}: repeated item in {value!r}")
        return tuple(i for i in items if i)

    def source(self, row: Row) -> str:
        """The row's one source key: a row says only what its one source states."""
        value = self.text(row, "source")
        if ";" in value:
            self.problem(
                row.location,
                f"source: one source per row, not {value!r}: a row's statements go into its "
                "source's graph, so write one row per source with what that source states",
            )
            return ""
        return value

    def ordinal(self, row: Row, column: str) -> int:
        value = self.text(row, column)
        if not re.fullmatch(r"[1-9][0-9]{0,3}", value):
            if value:
                self.problem(row.location, f"{column}: {value!r} is not a positive whole number")
            return 0
        return int(value)

    def date(self, row: Row, column: str, *, required: bool = False) -> PartialDate | None:
        value = self.text(row, column, required=required)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            self.problem(row.location, f"{column}: {error}")
            return None
