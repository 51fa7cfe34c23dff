"""One typed, frozen record per curated row. Loaders make them; only ``build`` turns them into RDF.

Every record keeps the ``location`` (file and line) it came from, so that any later check can
point the user back at the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from castgraph.dates import PartialDate
from castgraph.loaders.problems import Location


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    kind: str  # seed | reference | curation
    grade: str
    speaks_for: PartialDate | None = None
    issued: PartialDate | None = None
    publisher: str = ""
    url: str = ""
    copy_url: str = ""  # a public copy the curators read, where the original was not at hand
    note: str = ""
    location: Location = field(default=Location(""), compare=False)

    @property
    def slug(self) -> str:
        return self.key.lower()


@dataclass(frozen=True)
class Concept:
    scheme: str
    id: str
    label_en: str
    label_zh_hans: str = ""
    definition: str = ""
    broader: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Organization:
    id: str
    type: str  # formal-organization | unit | collaboration | site
    kinds: tuple[str, ...]
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Person:
    id: str
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Work:
    id: str
    # program | periodical | prize | event-series | event | platform | project | collection
    type: str
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Name:
    id: str
    name: str
    lang: str
    type: str  # preferred | alternative | acronym | former
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Fact:
    id: str
    property: str
    value: str
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Relation:
    subject: str
    relation: str
    object: str
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Membership:
    id: str
    member: str
    organization: str
    role: str
    start: PartialDate | None
    end: PartialDate | None
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Post:
    id: str
    organization: str
    role: str
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Tenure:
    id: str
    person: str
    post: str
    start: PartialDate | None
    end: PartialDate | None
    as_of: PartialDate | None
    concurrent: bool
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)
    term: str = ""  # the term (terms.csv) the source says the tenure belongs to


@dataclass(frozen=True)
class Term:
    """A term of a body elected by a congress: the 10th National Committee of CAST, 2021-."""

    id: str
    body: str  # the organization whose term it is
    ordinal: int  # 1 for the first term; terms of one body follow each other in this order
    congress: str  # the event that opened the term (events.csv), "" when no source dates it
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Observation:
    id: str
    about: str
    measure: str
    value: str  # decimal lexical form, as curated
    qualifier: str  # exact | more-than | about | nearly
    date: PartialDate | None
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Event:
    id: str
    type: str  # merger | founding | event
    date: PartialDate | None
    place: str
    original: tuple[str, ...]
    resulting: tuple[str, ...]
    source: str  # the one source key of the row: its statements go into that source's graph
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Release:
    """A release of the dataset (data/releases.yaml): its version and the date it was released."""

    version: str
    date: str  # YYYY-MM-DD, as written: the build never reads the clock
    note: str = ""
    location: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True)
class Records:
    """Everything in data/, checked and cross-referenced, in file order."""

    sources: tuple[Source, ...] = ()
    concepts: tuple[Concept, ...] = ()
    organizations: tuple[Organization, ...] = ()
    persons: tuple[Person, ...] = ()
    works: tuple[Work, ...] = ()
    names: tuple[Name, ...] = ()
    facts: tuple[Fact, ...] = ()
    relations: tuple[Relation, ...] = ()
    memberships: tuple[Membership, ...] = ()
    posts: tuple[Post, ...] = ()
    tenures: tuple[Tenure, ...] = ()
    terms: tuple[Term, ...] = ()
    observations: tuple[Observation, ...] = ()
    events: tuple[Event, ...] = ()
    releases: tuple[Release, ...] = ()  # newest first
