"""data/ -> Records: read every curated file, check every row, cross-check every reference.

All problems of one run are collected and raised together as ``DataErrors`` (one
``file:line: message`` each), so an editor fixes them in one pass.
"""

from __future__ import annotations

import re
from pathlib import Path

from castgraph.dates import PartialDate, parse_date
from castgraph.loaders import vocabulary as vocab
from castgraph.loaders.checker import HAN, NUMBER, SOURCE_KEY, Checker
from castgraph.loaders.cross_check import cross_check
from castgraph.loaders.problems import DataErrors, DataProblem
from castgraph.loaders.records import (
    Concept,
    Event,
    Fact,
    Membership,
    Name,
    Observation,
    Organization,
    Person,
    Post,
    Records,
    Relation,
    Release,
    Source,
    Tenure,
    Term,
    Work,
)
from castgraph.loaders.tabular import Row, read_rows
from castgraph.loaders.yamlfile import read_mappings

COLUMNS: dict[str, tuple[str, ...]] = {
    "concepts.csv": ("scheme", "id", "label_en", "label_zh_hans", "definition", "broader"),
    "organizations.csv": ("id", "type", "kind", "source", "note"),
    "persons.csv": ("id", "source", "note"),
    "works.csv": ("id", "type", "source", "note"),
    "names.csv": ("id", "name", "lang", "type", "source", "note"),
    "facts.csv": ("id", "property", "value", "source", "note"),
    "relations.csv": ("subject", "relation", "object", "source", "note"),
    "memberships.csv": ("id", "member", "organization", "role", "start", "end", "source", "note"),
    "posts.csv": ("id", "organization", "role", "source", "note"),
    "tenures.csv": (
        "id",
        "person",
        "post",
        "start",
        "end",
        "as_of",
        "concurrent",
        "term",
        "source",
        "note",
    ),
    "terms.csv": ("id", "body", "ordinal", "congress", "source", "note"),
    "observations.csv": (
        "id",
        "about",
        "measure",
        "value",
        "qualifier",
        "date",
        "source",
        "note",
    ),
    "events.csv": ("id", "type", "date", "place", "original", "resulting", "source", "note"),
}
SOURCE_FIELDS = {
    "key",
    "title",
    "publisher",
    "speaks_for",
    "issued",
    "url",
    "copy_url",
    "grade",
    "kind",
    "note",
}
SOURCE_KINDS = ("seed", "reference", "curation")
GRADES = ("A", "B", "C", "D")


def load_all(data_dir: Path) -> Records:
    """Read and check all of ``data_dir``; raise ``DataErrors`` listing every problem found."""
    problems: list[DataProblem] = []
    check = Checker(problems)
    rows = {
        name: list(read_rows(data_dir / name, cols, problems)) for name, cols in COLUMNS.items()
    }

    sources = _load_sources(data_dir / "sources.yaml", check)
    concepts = [_concept(r, check) for r in rows["concepts.csv"]]
    organizations = [
        Organization(
            id=check.slug(r, "id"),
            type=check.choice(r, "type", vocab.ORGANIZATION_TYPES),
            kinds=check.many(r, "kind"),
            source=check.source(r),
            note=check.text(r, "note", required=False),
            location=r.location,
        )
        for r in rows["organizations.csv"]
    ]
    persons = [
        Person(
            check.slug(r, "id"), check.source(r), check.text(r, "note", required=False), r.location
        )
        for r in rows["persons.csv"]
    ]
    works = [
        Work(
            check.slug(r, "id"),
            check.choice(r, "type", vocab.WORK_TYPES),
            check.source(r),
            check.text(r, "note", required=False),
            r.location,
        )
        for r in rows["works.csv"]
    ]
    names = [_name(r, check) for r in rows["names.csv"]]
    facts = [
        Fact(
            check.slug(r, "id"),
            check.choice(r, "property", vocab.FACT_PROPERTIES),
            check.text(r, "value"),
            check.source(r),
            check.text(r, "note", required=False),
            r.location,
        )
        for r in rows["facts.csv"]
    ]
    relations = [
        Relation(
            check.slug(r, "subject"),
            check.choice(r, "relation", vocab.RELATIONS),
            check.slug(r, "object"),
            check.source(r),
            check.text(r, "note", required=False),
            r.location,
        )
        for r in rows["relations.csv"]
    ]
    memberships = [
        Membership(
            check.slug(r, "id"),
            check.slug(r, "member"),
            check.slug(r, "organization"),
            check.slug(r, "role"),
            check.date(r, "start"),
            check.date(r, "end"),
            check.source(r),
            check.text(r, "note", required=False),
            r.location,
        )
        for r in rows["memberships.csv"]
    ]
    posts = [
        Post(
            check.slug(r, "id"),
            check.slug(r, "organization"),
            check.slug(r, "role"),
            check.source(r),
            check.text(r, "note", required=False),
            r.location,
        )
        for r in rows["posts.csv"]
    ]
    tenures = [
        Tenure(
            check.slug(r, "id"),
            check.slug(r, "person"),
            check.slug(r, "post"),
            check.date(r, "start"),
            check.date(r, "end"),
            check.date(r, "as_of"),
            check.choice(r, "concurrent", ("true", "false"), required=False) == "true",
            check.source(r),
            check.text(r, "note", required=False),
            r.location,
            term=check.slug(r, "term", required=False),
        )
        for r in rows["tenures.csv"]
    ]
    terms = [
        Term(
            check.slug(r, "id"),
            check.slug(r, "body"),
            check.ordinal(r, "ordinal"),
            check.slug(r, "congress", required=False),
            check.source(r),
            check.text(r, "note", required=False),
            r.location,
        )
        for r in rows["terms.csv"]
    ]
    observations = [_observation(r, check) for r in rows["observations.csv"]]
    events = [
        Event(
            check.slug(r, "id"),
            check.choice(r, "type", vocab.EVENT_TYPES),
            check.date(r, "date"),
            check.text(r, "place", required=False),
            check.many(r, "original"),
            check.many(r, "resulting"),
            check.source(r),
            check.text(r, "note", required=False),
            r.location,
        )
        for r in rows["events.csv"]
    ]
    records = Records(
        sources=tuple(sources),
        concepts=tuple(concepts),
        organizations=tuple(organizations),
        persons=tuple(persons),
        works=tuple(works),
        names=tuple(names),
        facts=tuple(facts),
        relations=tuple(relations),
        memberships=tuple(memberships),
        posts=tuple(posts),
        tenures=tuple(tenures),
        terms=tuple(terms),
        observations=tuple(observations),
        events=tuple(events),
        releases=tuple(_load_releases(data_dir / RELEASES_FILE, check)),
    )
    if not any(p.blocking for p in problems):
        cross_check(records, check)
    if problems:
        raise DataErrors(problems)
    return records


RELEASES_FILE = "releases.yaml"
RELEASE_FIELDS = {"version", "date", "note"}
_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _load_releases(path: Path, check: Checker) -> list[Release]:
    """data/releases.yaml: the releases, newest first, each a version and a full date."""
    if not path.is_file():
        return []
    releases: list[Release] = []
    for location, item in read_mappings(path, check.problems):
        for unknown in sorted(set(item) - RELEASE_FIELDS):
            check.problem(
                location,
                f"unknown field {unknown!r} (expected: {', '.join(sorted(RELEASE_FIELDS))})",
            )
        version, date = item.get("version", ""), item.get("date", "")
        if not _VERSION.fullmatch(version):
            check.problem(location, f"version: {version!r} must be MAJOR.MINOR.PATCH")
            continue
        try:
            if not _ISO_DATE.fullmatch(date):
                raise ValueError(f"{date!r} is not YYYY-MM-DD")
            parse_date(date)
        except ValueError as error:
            check.problem(location, f"date: {error}")
            continue
        if releases:
            newer = releases[-1]
            if _version_key(version) >= _version_key(newer.version) or date > newer.date:
                check.problem(
                    location,
                    f"version: {version} ({date}) must be older than {newer.version} "
                    f"({newer.date}) above it (newest first)",
                )
        releases.append(Release(version, date, item.get("note", ""), location))
    return releases


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _load_sources(path: Path, check: Checker) -> list[Source]:
    sources = []
    for location, item in read_mappings(path, check.problems):
        for unknown in sorted(set(item) - SOURCE_FIELDS):
            check.problem(
                location,
                f"unknown field {unknown!r} (expected: {', '.join(sorted(SOURCE_FIELDS))})",
            )
        key = item.get("key", "")
        if not SOURCE_KEY.match(key):
            check.problem(location, f"key: {key!r} must be letters and digits")
        for required in ("title", "kind", "grade"):
            if not item.get(required):
                check.problem(location, f"{required}: required")
        if item.get("kind") and item["kind"] not in SOURCE_KINDS:
            check.problem(
                location,
                f"kind: unknown value {item['kind']!r} (expected one of: {', '.join(SOURCE_KINDS)})",
            )
        if item.get("grade") and item["grade"] not in GRADES:
            check.problem(
                location,
                f"grade: unknown value {item['grade']!r} (expected one of: {', '.join(GRADES)})",
            )
        dates: dict[str, PartialDate | None] = {}
        for field_name in ("speaks_for", "issued"):
            dates[field_name] = None
            if item.get(field_name):
                try:
                    dates[field_name] = parse_date(item[field_name])
                except ValueError as error:
                    check.problem(location, f"{field_name}: {error}")
        sources.append(
            Source(
                key=key,
                title=item.get("title", ""),
                kind=item.get("kind", ""),
                grade=item.get("grade", ""),
                speaks_for=dates["speaks_for"],
                issued=dates["issued"],
                publisher=item.get("publisher", ""),
                url=item.get("url", ""),
                copy_url=item.get("copy_url", ""),
                note=item.get("note", ""),
                location=location,
            )
        )
    return sources


def _concept(r: Row, check: Checker) -> Concept:
    concept = Concept(
        scheme=check.choice(r, "scheme", vocab.CONCEPT_SCHEMES),
        id=check.slug(r, "id"),
        label_en=check.text(r, "label_en"),
        label_zh_hans=check.text(r, "label_zh_hans", required=False),
        definition=check.text(r, "definition", required=False),
        broader=check.slug(r, "broader", required=False),
        location=r.location,
    )
    if concept.label_zh_hans and not HAN.search(concept.label_zh_hans):
        check.problem(r.location, "label_zh_hans: no Chinese characters")
    return concept


def _name(r: Row, check: Checker) -> Name:
    name = Name(
        id=check.slug(r, "id"),
        name=check.text(r, "name"),
        lang=check.choice(r, "lang", vocab.LANGUAGES),
        type=check.choice(r, "type", vocab.NAME_TYPES),
        source=check.source(r),
        note=check.text(r, "note", required=False),
        location=r.location,
    )
    if name.lang in ("zh-Hans", "zh-Hant") and name.name and not HAN.search(name.name):
        check.problem(r.location, f"name: {name.lang} name {name.name!r} has no Chinese characters")
    if name.lang in ("en", "zh-Latn-pinyin") and HAN.search(name.name):
        check.problem(r.location, f"name: {name.lang} name {name.name!r} has Chinese characters")
    return name


def _observation(r: Row, check: Checker) -> Observation:
    value = check.text(r, "value")
    if value and not NUMBER.match(value):
        check.problem(r.location, f"value: {value!r} is not a number (write it out: 6370000, 47.1)")
    qualifier = check.choice(r, "qualifier", vocab.QUALIFIERS, required=False) or "exact"
    return Observation(
        id=check.slug(r, "id"),
        about=check.slug(r, "about"),
        measure=check.slug(r, "measure"),
        value=value,
        qualifier=qualifier,
        date=check.date(r, "date"),
        source=check.source(r),
        note=check.text(r, "note", required=False),
        location=r.location,
    )
