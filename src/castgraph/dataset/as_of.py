"""The graph as it stood at a date: one set of dating rules for query, export and viz.

The rules (docs/time.md says the same for users):

- Dates in the data are periods as precise as their sources: ``2007`` is the whole year,
  ``2007-05`` the month. The date asked about is a day; a year or month given there stands for
  its first day (``--as-of 2007`` is 1 January 2007).
- A tenure holds at a date when a source dates it around the date: started on or before it and
  ended after it (an end given as a year or month counts to its last day); or started on or
  before it with no end given, before the latest possible end the curators infer
  (``cast:endsBy``: the next term, a death, the next holder); or the source shows the person in
  post in the same period as the date (``cast:asOf``). Anything else is not known to hold.
- A membership is in force unless a source dates its start after the date or its end before it.
- The headquarters of a date is the unit list of the latest source that speaks for a date on or
  before it (the c.1997 list of source 001, the 2007 list of source 004, ...); lists are never
  merged, because no source says their units are the same. Units that no dated list names (the
  departments of today, which the curators join to CAST from several news pages) are left out of
  any dated view.
- A figure stands at a date when the date it speaks for is on or before the date.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pyoxigraph import Quad

from castgraph.dates import PartialDate, parse_date
from castgraph.errors import InputError

UNIT_LISTS = """
SELECT ?g (MAX(?key) AS ?date) WHERE {
  GRAPH ?g { ?unit org:unitOf cid:cast . }
  GRAPH graph:registry { ?g prov:wasDerivedFrom ?doc . ?doc cast:speaksForKey ?key . }
} GROUP BY ?g
"""
UNITS = "SELECT DISTINCT ?unit ?g WHERE { GRAPH ?g { ?unit org:unitOf cid:cast } }"
POSTS = "SELECT DISTINCT ?post ?unit WHERE { GRAPH ?g { ?post org:postIn ?unit } }"
# Each property is read by a sub-select of its own and the lists joined in memory, rather than
# looked up node by node (at 150,000 organizations the memberships' query 6.3 -> 3.3 s); the
# answers are the same (docs/queries.md, "Speed").
TENURES = """
SELECT ?tenure ?post ?start ?end ?end_precision ?as_of ?as_of_precision ?ends_by WHERE {
  { SELECT DISTINCT ?tenure ?post WHERE {
      { SELECT ?g ?tenure WHERE { GRAPH ?g { ?tenure a cast:Tenure } } }
      { SELECT ?g ?tenure ?post WHERE { GRAPH ?g { ?tenure cast:post ?post } } }
  } }
  OPTIONAL {
    SELECT ?tenure (MIN(?s) AS ?start) WHERE {
      { SELECT ?g ?tenure WHERE { GRAPH ?g { ?tenure a cast:Tenure } } }
      { SELECT ?g ?tenure ?s WHERE { GRAPH ?g { ?tenure cast:startDate ?s } } }
    } GROUP BY ?tenure
  }
  OPTIONAL {
    SELECT ?tenure (MAX(?e) AS ?end) (MAX(?ep) AS ?end_precision) WHERE {
      { SELECT ?g ?tenure WHERE { GRAPH ?g { ?tenure a cast:Tenure } } }
      { SELECT ?g ?tenure ?e WHERE { GRAPH ?g { ?tenure cast:endDate ?e } } }
      { SELECT ?g ?tenure ?ep WHERE { GRAPH ?g { ?tenure cast:endPrecision ?ep } } }
    } GROUP BY ?tenure
  }
  OPTIONAL {
    SELECT ?tenure (MAX(?a) AS ?as_of) (MAX(?ap) AS ?as_of_precision) WHERE {
      { SELECT ?g ?tenure WHERE { GRAPH ?g { ?tenure a cast:Tenure } } }
      { SELECT ?g ?tenure ?a WHERE { GRAPH ?g { ?tenure cast:asOfKey ?a } } }
      { SELECT ?g ?tenure ?ap WHERE { GRAPH ?g { ?tenure cast:asOfPrecision ?ap } } }
    } GROUP BY ?tenure
  }
  OPTIONAL {
    SELECT ?tenure (MIN(?b) AS ?ends_by)
    WHERE { GRAPH graph:curation { ?tenure cast:endsBy ?b } } GROUP BY ?tenure
  }
}
"""
# A membership that is not a tenure in the graph that states it (MINUS on the graph and the
# node: the same rows as FILTER NOT EXISTS inside that graph).
MEMBERSHIPS = """
SELECT ?m ?start ?end ?end_precision WHERE {
  { SELECT DISTINCT ?m WHERE {
      { SELECT ?g ?m WHERE { GRAPH ?g { ?m a org:Membership } } }
      MINUS { SELECT ?g ?m WHERE { GRAPH ?g { ?m a cast:Tenure } } }
  } }
  OPTIONAL {
    SELECT ?m (MIN(?s) AS ?start) WHERE {
      { SELECT ?g ?m WHERE { GRAPH ?g { ?m a org:Membership } } }
      { SELECT ?g ?m ?s WHERE { GRAPH ?g { ?m cast:startDate ?s } } }
    } GROUP BY ?m
  }
  OPTIONAL {
    SELECT ?m (MAX(?e) AS ?end) (MAX(?ep) AS ?end_precision) WHERE {
      { SELECT ?g ?m WHERE { GRAPH ?g { ?m a org:Membership } } }
      { SELECT ?g ?m ?e WHERE { GRAPH ?g { ?m cast:endDate ?e } } }
      { SELECT ?g ?m ?ep WHERE { GRAPH ?g { ?m cast:endPrecision ?ep } } }
    } GROUP BY ?m
  }
}
"""
FIGURES = "SELECT DISTINCT ?f ?key WHERE { GRAPH ?g { ?f a cast:Figure ; cast:dateKey ?key } }"
_INTERVAL_SUFFIXES = ("-during", "-beginning", "-end")


@dataclass(frozen=True)
class AsOf:
    """A date to see the graph at, as precise as it was given."""

    date: PartialDate

    @property
    def first_day(self) -> str:
        return self.date.key


def parse_as_of(text: str) -> AsOf:
    try:
        return AsOf(parse_date(text.strip()))
    except ValueError as error:
        raise InputError(f"--as-of: {error} (give a date: 2007, 2007-06 or 2007-06-01)") from None


def holds(
    as_of: AsOf,
    *,
    start: str | None,
    end: str | None,
    end_precision: int | None,
    seen: str | None,
    seen_precision: int | None,
    ends_by: str | None,
) -> bool:
    """Whether a tenure is known to hold at ``as_of`` (dates are xsd:date keys)."""
    day = as_of.first_day
    started = start is not None and start <= day
    if end is not None:
        before_end = day <= _last_day(end, end_precision)
        return before_end and (started or _same_period(seen, seen_precision, day))
    if started and ends_by is not None and day < ends_by:
        return True
    return _same_period(seen, seen_precision, day) and (ends_by is None or day < ends_by)


def snapshot_of_units(dated_lists: dict[str, str], as_of: AsOf | None) -> str | None:
    """The graph whose unit list describes the headquarters at ``as_of`` (latest on or before)."""
    ordered = sorted(dated_lists.items(), key=lambda item: (item[1], item[0]))
    if not ordered:
        return None
    if as_of is None:
        return ordered[-1][0]
    earlier = [g for g, key in ordered if key <= as_of.first_day]
    if not earlier:
        raise InputError(f"--as-of: no source describes the headquarters on or before {as_of.date}")
    return earlier[-1]


def excluded_nodes(dataset, as_of: AsOf) -> set[str]:
    """Tenures, memberships, units, posts and figures not in force at ``as_of``."""
    out: set[str] = set()
    rows = lambda query: dataset.query(query)  # noqa: E731
    lists = {r["g"].value: r["date"].value for r in rows(UNIT_LISTS)}
    snapshot = snapshot_of_units(lists, as_of) if lists else None
    units_by_graph: dict[str, set[str]] = {}
    for r in rows(UNITS):
        units_by_graph.setdefault(r["unit"].value, set()).add(r["g"].value)
    for unit, graphs in units_by_graph.items():
        if snapshot is not None and snapshot not in graphs:
            out.add(unit)
    for r in rows(POSTS):
        if r["unit"].value in out:
            out.add(r["post"].value)
    for r in rows(TENURES):
        if r["post"].value in out or not holds(
            as_of,
            start=_value(r["start"]),
            end=_value(r["end"]),
            end_precision=_number(r["end_precision"]),
            seen=_value(r["as_of"]),
            seen_precision=_number(r["as_of_precision"]),
            ends_by=_value(r["ends_by"]),
        ):
            out.add(r["tenure"].value)
    for r in rows(MEMBERSHIPS):
        start, end = _value(r["start"]), _value(r["end"])
        if (start is not None and start > as_of.first_day) or (
            end is not None and _last_day(end, _number(r["end_precision"])) < as_of.first_day
        ):
            out.add(r["m"].value)
    for r in rows(FIGURES):
        if r["key"].value > as_of.first_day:
            out.add(r["f"].value)
    return out


def filter_quads(quads: Iterable[Quad], excluded: set[str]) -> Iterator[Quad]:
    """The quads that mention no excluded node (nor its dating interval)."""
    for quad in quads:
        subject = quad.subject.value
        if subject in excluded or getattr(quad.object, "value", None) in excluded:
            continue
        if subject.endswith(_INTERVAL_SUFFIXES) and _owner(subject) in excluded:
            continue
        yield quad


def _owner(interval: str) -> str:
    for suffix in _INTERVAL_SUFFIXES:
        if interval.endswith(suffix):
            return interval[: -len(suffix)]
    return interval


def _value(term) -> str | None:
    return None if term is None else term.value


def _number(term) -> int | None:
    return None if term is None else int(term.value)


def _last_day(key: str, precision: int | None) -> str:
    year, month = int(key[:4]), int(key[5:7])
    if precision == 9:
        return f"{year:04d}-12-31"
    if precision == 10:
        return f"{key[:7]}-{calendar.monthrange(year, month)[1]:02d}"
    return key


def _same_period(seen: str | None, precision: int | None, day: str) -> bool:
    if seen is None:
        return False
    if precision == 9:
        return seen[:4] == day[:4]
    if precision == 10:
        return seen[:7] == day[:7]
    return seen == day


class DatasetAt:
    """A dataset seen at a date: the same interface the writers read, without what is not in force."""

    def __init__(self, dataset, as_of: AsOf) -> None:
        self.base = dataset
        self.as_of = as_of
        self.excluded = excluded_nodes(dataset, as_of)
        self.origin = f"{dataset.origin} as of {as_of.date}"

    def text_file(self, fmt: str) -> None:
        return None  # the build's files hold every date

    def quads(self) -> Iterator[Quad]:
        return filter_quads(self.base.quads(), self.excluded)

    def union(self):
        return filter_quads(self.base.union(), self.excluded)
