"""Partial dates as sources give them: ``1958``, ``1958-09``, ``1958-09-23``, with ``~`` for "about".

SPARQL engines cannot order or compare a mix of xsd:gYear, xsd:gYearMonth and xsd:date, so every
date is kept twice: as given (typed by its precision) and as an ``xsd:date`` key (the first day of
the period) with a Wikidata precision code (9 year, 10 month, 11 day).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from castgraph.namespaces import XSD

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~)?$")

PRECISION_YEAR = 9
PRECISION_MONTH = 10
PRECISION_DAY = 11


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    @property
    def precision(self) -> int:
        if self.day is not None:
            return PRECISION_DAY
        if self.month is not None:
            return PRECISION_MONTH
        return PRECISION_YEAR

    @property
    def lexical(self) -> str:
        """The date as given, without the approximation mark."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def datatype(self) -> str:
        return {9: XSD.gYear, 10: XSD.gYearMonth, 11: XSD.date}[self.precision]

    @property
    def key(self) -> str:
        """The first day of the period, as an ``xsd:date`` lexical form."""
        return f"{self.year:04d}-{self.month or 1:02d}-{self.day or 1:02d}"

    @property
    def last_day(self) -> str:
        """The last day of the period, as an ``xsd:date`` lexical form."""
        import calendar

        if self.day is not None:
            return self.key
        month = self.month or 12
        return f"{self.year:04d}-{month:02d}-{calendar.monthrange(self.year, month)[1]:02d}"

    def __str__(self) -> str:
        return self.lexical + ("~" if self.approximate else "")


def parse_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with an optional trailing ``~``.

    >>> parse_date("1958-09").precision
    10
    >>> parse_date("1997~").approximate
    True
    """
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(
            f"bad date {text!r}: expected YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~"
        )
    year, month, day, approx = match.groups()
    month_n = int(month) if month else None
    day_n = int(day) if day else None
    try:
        _dt.date(int(year), month_n or 1, day_n or 1)
    except ValueError:
        raise ValueError(f"bad date {text!r}: no such day") from None
    return PartialDate(int(year), month_n, day_n, bool(approx))
