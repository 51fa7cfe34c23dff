"""data/ -> Records: read every curated file, check every row, cross-check every reference.

All problems of one run are collected and raised together as ``DataErrors`` (one
``file:line: message`` each), so an editor fixes them in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from castgraph.dates import PartialDate, parse_date
from castgraph.errors import DataErrors, DataProblem, Location
from castgraph.loaders import vocabulary as vocab
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
    Source,
    Tenure,
    Work,
)
from castgraph.loaders.tabular import Row, read_rows
from castgraph.loaders.yamlfile import read_mappings

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_KEY = re.compile(r"^[A-Za-z0-9]+$")
# Canonical decimals only: no leading zeros ("007"), no "-0"; parsers disagree on the rest.
NUMBER = re.compile(r"^(0|-?[1-9]\d*)(\.\d+)?$|^-?0\.\d+$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HAN = re.compile(r"[\u3400-\u9fff]")

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
        "source",
        "note",
    ),
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
    "grade",
    "kind",
    "note",
}
SOURCE_KINDS = ("seed", "reference", "curation")
GRADES = ("A", "B", "C", "D")


class _Checker:
    """Field-level checks for one row; every problem is recorded, none raised."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems

    def problem(self, location: Location, message: str) -> None:
        self.problems.append(DataProblem(location, message))

    def text(self, row: Row, column: str, *, required: bool = True) -> str:
        value = row.values[column]
        if value != value.strip():
            self.problem(row.location, f"{column}: remove leading or trailing spaces")
        if CONTROL.search(value):
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
        self, row: Row, column: str, allowed: Iterable[str], *, required: bool = True
    ) -> str:
        value = self.text(row, column, required=required)
        allowed = list(allowed)
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

    def date(self, row: Row, column: str, *, required: bool = False) -> PartialDate | None:
        value = self.text(row, column, required=required)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            self.problem(row.location, f"{column}: {error}")
            return None


def load_all(data_dir: Path) -> Records:
    """Read and check all of ``data_dir``; raise ``DataErrors`` listing every problem found."""
    problems: list[DataProblem] = []
    check = _Checker(problems)
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
        )
        for r in rows["tenures.csv"]
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
        observations=tuple(observations),
        events=tuple(events),
    )
    if not any(p.blocking for p in problems):
        _cross_check(records, check)
    if problems:
        raise DataErrors(problems)
    return records


def _load_sources(path: Path, check: _Checker) -> list[Source]:
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
                note=item.get("note", ""),
                location=location,
            )
        )
    return sources


def _concept(r: Row, check: _Checker) -> Concept:
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


def _name(r: Row, check: _Checker) -> Name:
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


def _observation(r: Row, check: _Checker) -> Observation:
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


def _cross_check(records: Records, check: _Checker) -> None:
    """Unique ids, known source keys, and every reference pointing at a defined thing."""
    source_keys: dict[str, Location] = {}
    for source in records.sources:
        if source.key in source_keys:
            check.problem(
                source.location,
                f"duplicate source key {source.key!r} (first at {source_keys[source.key]})",
            )
        source_keys.setdefault(source.key, source.location)
    slugs: dict[str, Location] = {}
    for source in records.sources:
        if source.slug in slugs:
            check.problem(
                source.location, f"source key {source.key!r} differs from another only by case"
            )
        slugs.setdefault(source.slug, source.location)

    concepts: dict[str, Concept] = {}
    for concept in records.concepts:
        if concept.id in concepts:
            check.problem(
                concept.location,
                f"duplicate concept id {concept.id!r} (first at {concepts[concept.id].location})",
            )
        concepts.setdefault(concept.id, concept)
    for concept in records.concepts:
        if concept.broader and concept.broader not in concepts:
            check.problem(concept.location, f"broader: unknown concept {concept.broader!r}")

    entities: dict[str, tuple[str, Location]] = {}

    def define(kind: str, items: Iterable) -> None:
        """An id may have one row per source in its own file, and no other definition."""
        sourced_rows: dict[tuple[str, str], Location] = {}
        for item in items:
            if item.id in entities and entities[item.id][0] != kind:
                other_kind, other = entities[item.id]
                check.problem(
                    item.location, f"duplicate id {item.id!r} (already a {other_kind} at {other})"
                )
                continue
            if (item.id, item.source) in sourced_rows:
                first = sourced_rows[(item.id, item.source)]
                check.problem(
                    item.location,
                    f"duplicate id {item.id!r} for source {item.source!r} (first at {first}); "
                    "one row per id and source",
                )
                continue
            sourced_rows[(item.id, item.source)] = item.location
            entities.setdefault(item.id, (kind, item.location))

    define("organization", records.organizations)
    define("person", records.persons)
    define("work", records.works)
    define("event", records.events)
    define("post", records.posts)
    define("tenure", records.tenures)
    define("membership", records.memberships)
    define("observation", records.observations)

    def kind_of(entity_id: str) -> str | None:
        return entities[entity_id][0] if entity_id in entities else None

    def need(location: Location, column: str, entity_id: str, kinds: tuple[str, ...]) -> None:
        if not entity_id:
            return
        found = kind_of(entity_id)
        if found is None:
            check.problem(location, f"{column}: unknown id {entity_id!r}")
        elif found not in kinds:
            check.problem(
                location, f"{column}: {entity_id!r} is a {found}, expected a {' or '.join(kinds)}"
            )

    def need_concept(
        location: Location, column: str, concept_id: str, schemes: tuple[str, ...]
    ) -> None:
        if not concept_id:
            return
        concept = concepts.get(concept_id)
        if concept is None:
            check.problem(
                location, f"{column}: unknown concept {concept_id!r} (add it to concepts.csv)"
            )
        elif concept.scheme not in schemes:
            check.problem(
                location,
                f"{column}: concept {concept_id!r} is a {concept.scheme}, expected a {' or '.join(schemes)}",
            )

    sourced: list = [
        *records.organizations,
        *records.persons,
        *records.works,
        *records.names,
        *records.facts,
        *records.relations,
        *records.memberships,
        *records.posts,
        *records.tenures,
        *records.observations,
        *records.events,
    ]
    for item in sourced:
        if item.source and item.source not in source_keys:
            check.problem(
                item.location, f"source: unknown source key {item.source!r} (not in sources.yaml)"
            )

    named = ("organization", "person", "work", "event")
    for org in records.organizations:
        for kind in org.kinds:
            need_concept(org.location, "kind", kind, ("organization-kind", "discipline-group"))
    for name in records.names:
        need(name.location, "id", name.id, named)
    seen_names: dict[tuple[str, str, str, str, str], Location] = {}
    for name in records.names:
        key = (name.id, name.name, name.lang, name.type, name.source)
        if key in seen_names:
            check.problem(
                name.location,
                f"duplicate name row for the same source (first at {seen_names[key]})",
            )
        seen_names.setdefault(key, name.location)
    _check_preferred_names(records, check)
    sites = {o.id for o in records.organizations if o.type == "site"}
    for fact in records.facts:
        _check_fact(fact, sites, need, need_concept, check)
    for rel in records.relations:
        need(rel.location, "subject", rel.subject, named)
        need(rel.location, "object", rel.object, named)
        if rel.relation == "based-at" and rel.object in entities:
            site = next((o for o in records.organizations if o.id == rel.object), None)
            if site is None or site.type != "site":
                check.problem(
                    rel.location, f"object: based-at needs a site, {rel.object!r} is not one"
                )
        if rel.subject == rel.object and rel.subject:
            check.problem(rel.location, "subject and object are the same")
    for m in records.memberships:
        need(m.location, "member", m.member, ("organization", "person"))
        need(m.location, "organization", m.organization, ("organization",))
        need_concept(m.location, "role", m.role, ("role",))
        _check_order(m.start, m.end, m.location, check)
    for post in records.posts:
        need(post.location, "organization", post.organization, ("organization",))
        need_concept(post.location, "role", post.role, ("role",))
    for tenure in records.tenures:
        need(tenure.location, "person", tenure.person, ("person",))
        need(tenure.location, "post", tenure.post, ("post",))
        _check_order(tenure.start, tenure.end, tenure.location, check)
    for obs in records.observations:
        need(obs.location, "about", obs.about, named)
        need_concept(obs.location, "measure", obs.measure, ("measure",))
    for event in records.events:
        for org in (*event.original, *event.resulting):
            need(event.location, "original/resulting", org, ("organization",))
        if event.type == "merger" and (len(event.original) < 2 or not event.resulting):
            check.problem(
                event.location,
                "a merger needs at least two original organizations and a resulting one",
            )


def _check_preferred_names(records: Records, check: _Checker) -> None:
    """At most one preferred name per entity and language, across all sources.

    The union of the source graphs must have one skos:prefLabel per language; a second name
    from another source goes in as ``alternative``.
    """
    first: dict[tuple[str, str], Name] = {}
    for name in records.names:
        if name.type != "preferred":
            continue
        key = (name.id, name.lang)
        if key in first and first[key].name != name.name:
            check.problem(
                name.location,
                f"second preferred {name.lang} name for {name.id!r} (first at {first[key].location}); "
                "make one of them alternative",
            )
        first.setdefault(key, name)


def _check_fact(
    fact: Fact, sites: set[str], need: Callable, need_concept: Callable, check: _Checker
) -> None:
    need(fact.location, "id", fact.id, ("organization", "person", "work", "event"))
    prop, value = fact.property, fact.value
    if not value:
        return
    if prop in vocab.DATE_FACTS:
        try:
            parse_date(value)
        except ValueError as error:
            check.problem(fact.location, f"value: {error}")
    elif prop in vocab.CONCEPT_FACTS:
        need_concept(fact.location, "value", value, ("organization-kind", "discipline-group"))
    elif prop in vocab.TELEPHONE_FACTS and not re.fullmatch(r"\+?[\d][\d -]{5,}", value):
        check.problem(fact.location, f"value: {value!r} is not a telephone number")
    elif prop == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        check.problem(fact.location, f"value: {value!r} is not an e-mail address")
    elif prop in vocab.COORDINATE_FACTS and not NUMBER.match(value):
        check.problem(fact.location, f"value: {value!r} is not a number of degrees")
    elif prop == "wikidata" and not re.fullmatch(r"Q\d+", value):
        check.problem(fact.location, f"value: {value!r} is not a Wikidata QID")
    elif prop == "website" and (
        " " in value or not re.fullmatch(r"(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?", value)
    ):
        check.problem(fact.location, f"value: {value!r} is not a web address")
    if (prop in vocab.ADDRESS_FACTS or prop in vocab.COORDINATE_FACTS) and fact.id not in sites:
        check.problem(
            fact.location,
            f"property: {prop} belongs on a site (an organizations.csv row of type site)",
        )


def _check_order(
    start: PartialDate | None, end: PartialDate | None, location: Location, check: _Checker
) -> None:
    if start and end and end.key < start.key:
        check.problem(location, f"end {end} is before start {start}")
