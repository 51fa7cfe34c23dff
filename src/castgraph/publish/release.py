"""Release notes: a CHANGELOG.md section per release, made from ``castgraph diff``.

The version and date of a release are what the dataset says of itself (``graph:dataset``, written
by the build from data/releases.yaml). The section compares the previous release's dump with the
new dataset statement by statement (``castgraph.diff.diff_datasets``) and counts the entities
added, removed and changed, by kind (their ``rdf:type``). The description graph itself is left out
of the comparison: its counts change with every release.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from castgraph.namespaces import (
    CAST,
    DATASET,
    DATASET_GRAPH,
    DCT,
    FOAF,
    ORG,
    OWL,
    RDF,
    SDO,
    shorten,
)

HEADER = (
    "# Changelog\n\n"
    "One section per release of the dataset, newest first, written by `castgraph release` from\n"
    "`castgraph diff` of the previous release's dump against the new one. Versions and dates come\n"
    "from data/releases.yaml.\n"
)
_KIND_ORDER = (str(CAST), str(ORG), str(FOAF), str(SDO))
_SECTION = re.compile(r"^## (\S+)", re.MULTILINE)


@dataclass(frozen=True)
class ReleaseInfo:
    version: str | None
    date: str | None


@dataclass
class KindCounts:
    entities: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0


@dataclass
class ReleaseNotes:
    release: ReleaseInfo
    previous: ReleaseInfo | None
    added_statements: int = 0
    removed_statements: int = 0
    kinds: dict[str, KindCounts] = field(default_factory=dict)


def release_of(quads: Iterable) -> ReleaseInfo:
    """The version and date a dataset states of itself (None when it states none)."""
    version = date = None
    for q in quads:
        if q.graph_name.value == DATASET_GRAPH and q.subject.value == DATASET:
            if q.predicate.value == OWL.versionInfo:
                version = q.object.value
            elif q.predicate.value == DCT.issued:
                date = q.object.value
    return ReleaseInfo(version, date)


def kind_of(types: set[str]) -> str:
    """One kind per entity: our own class first, then ORG, FOAF, schema.org, then by name."""
    if not types:
        return "(no type)"

    def rank(iri: str) -> tuple[int, str]:
        for position, namespace in enumerate(_KIND_ORDER):
            if iri.startswith(namespace):
                return position, iri
        return len(_KIND_ORDER), shorten(iri)

    return shorten(min(types, key=rank))


def _types(quads: list) -> dict[str, set[str]]:
    types: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        if q.predicate.value == RDF.type:
            types[q.subject.value].add(q.object.value)
    return types


def release_notes(old: list | None, new: list) -> ReleaseNotes:
    """Entities added, removed and changed by kind between ``old`` (None: first) and ``new``."""
    from castgraph.diff import diff_datasets

    def described(quads: list) -> list:
        return [q for q in quads if q.graph_name.value != DATASET_GRAPH]

    notes = ReleaseNotes(release=release_of(new), previous=release_of(old) if old else None)
    new_body = described(new)
    old_body = described(old) if old else []
    new_types, old_types = _types(new_body), _types(old_body)
    new_subjects = {q.subject.value for q in new_body}
    old_subjects = {q.subject.value for q in old_body}
    for subject in new_subjects:
        notes.kinds.setdefault(kind_of(new_types.get(subject, set())), KindCounts()).entities += 1
    if old is None:
        for subject in new_subjects:
            notes.kinds[kind_of(new_types.get(subject, set()))].added += 1
        notes.added_statements = len(new_body)
        return notes
    diff = diff_datasets(old_body, new_body)
    notes.added_statements, notes.removed_statements = len(diff.added), len(diff.removed)
    touched = {q.subject.value for q in (*diff.added, *diff.removed)}
    for subject in touched:
        if subject not in old_subjects:
            what, kind = "added", kind_of(new_types.get(subject, set()))
        elif subject not in new_subjects:
            what, kind = "removed", kind_of(old_types.get(subject, set()))
        else:
            what, kind = "changed", kind_of(new_types.get(subject, set()))
        counts = notes.kinds.setdefault(kind, KindCounts())
        setattr(counts, what, getattr(counts, what) + 1)
    return notes


def render_section(notes: ReleaseNotes) -> str:
    release = notes.release
    title = f"## {release.version or 'unreleased'}" + (f" ({release.date})" if release.date else "")
    total = Counter()
    for counts in notes.kinds.values():
        for name in ("entities", "added", "removed", "changed"):
            total[name] += getattr(counts, name)
    if notes.previous is None:
        lead = (
            f"First release: {total['entities']:,} entities in {notes.added_statements:,} "
            "statements (the dataset description not counted)."
        )
    else:
        before = notes.previous.version or "the previous dump"
        lead = (
            f"Compared with {before}"
            + (f" ({notes.previous.date})" if notes.previous.date else "")
            + f" by `castgraph diff`: {notes.added_statements:,} statements added, "
            f"{notes.removed_statements:,} removed; {total['added']:,} entities added, "
            f"{total['removed']:,} removed, {total['changed']:,} changed."
        )
    rows = ["| kind | entities | added | removed | changed |", "|---|---:|---:|---:|---:|"]
    for kind in sorted(notes.kinds):
        c = notes.kinds[kind]
        if notes.previous is not None and not (c.added or c.removed or c.changed):
            continue
        rows.append(f"| {kind} | {c.entities:,} | {c.added:,} | {c.removed:,} | {c.changed:,} |")
    rows.append(
        f"| **all** | {total['entities']:,} | {total['added']:,} | {total['removed']:,} "
        f"| {total['changed']:,} |"
    )
    return f"{title}\n\n{lead}\n\n" + "\n".join(rows) + "\n"


def update_changelog(text: str | None, section: str) -> str:
    """``text`` with ``section`` in place of the section of the same version, or on top."""
    text = text if text else HEADER
    version = _SECTION.match(section).group(1)
    starts = [(m.start(), m.group(1)) for m in _SECTION.finditer(text)]
    for index, (start, found) in enumerate(starts):
        if found == version:
            end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
            return text[:start] + section + ("\n" if end < len(text) else "") + text[end:]
    if starts:
        first = starts[0][0]
        return text[:first] + section + "\n" + text[first:]
    return text.rstrip("\n") + "\n\n" + section
