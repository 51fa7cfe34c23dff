"""Checks across files: unique ids, known source keys, and every reference pointing at a defined thing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from castgraph.dates import PartialDate, parse_date
from castgraph.loaders import vocabulary as vocab
from castgraph.loaders.checker import NUMBER, Checker
from castgraph.loaders.problems import Location
from castgraph.loaders.records import Concept, Fact, Name, Records


def cross_check(records: Records, check: Checker) -> None:
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
    define("term", records.terms)

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
        *records.terms,
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
        need(tenure.location, "term", tenure.term, ("term",))
    ordinals: dict[tuple[str, int], str] = {}
    for term in records.terms:
        need(term.location, "body", term.body, ("organization",))
        need(term.location, "congress", term.congress, ("event",))
        other = ordinals.setdefault((term.body, term.ordinal), term.id)
        if other != term.id:
            check.problem(
                term.location, f"ordinal: {term.body!r} already has term {term.ordinal} ({other!r})"
            )
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


def _check_preferred_names(records: Records, check: Checker) -> None:
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
    fact: Fact, sites: set[str], need: Callable, need_concept: Callable, check: Checker
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
    elif prop == "ror" and not re.fullmatch(r"0[0-9a-hj-km-np-tv-z]{6}[0-9]{2}", value):
        check.problem(fact.location, f"value: {value!r} is not a ROR id (9 characters, no URL)")
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
    start: PartialDate | None, end: PartialDate | None, location: Location, check: Checker
) -> None:
    if start and end and end.key < start.key:
        check.problem(location, f"end {end} is before start {start}")
