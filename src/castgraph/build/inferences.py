"""What the curators infer from the records: the latest possible end of a tenure no source ends.

A tenure that no source ends is not "in force for ever": it ends at the latest when the next term
of the same body begins (its congress's date), when the person dies (a sourced death date), or,
for a post one person holds at a time, when the next holder's tenure begins. The earliest of
these is stated in the curation graph as ``cast:endsBy`` with the reason in words; a tenure none
of them bounds keeps an unknown end.
"""

from __future__ import annotations

from dataclasses import dataclass

from castgraph.dates import PartialDate, parse_date
from castgraph.loaders.records import Records

# Posts one person holds at a time: the next holder's start ends the previous tenure.
SINGLE_HOLDER_ROLES = frozenset(
    {"president", "party-secretary", "first-secretary", "director-general", "director"}
)


@dataclass(frozen=True, order=True)
class LatestEnd:
    key: str  # xsd:date: the tenure ended on or before this day
    reason: str


def latest_ends(records: Records, labels: dict[str, str]) -> dict[str, LatestEnd]:
    """tenure id -> its latest possible end, for every tenure no source ends."""
    ended = {t.id for t in records.tenures if t.end}
    starts: dict[str, PartialDate] = {}
    for t in records.tenures:
        if t.start and (t.id not in starts or t.start.key < starts[t.id].key):
            starts[t.id] = t.start
    candidates: dict[str, list[LatestEnd]] = {}

    def offer(tenure_id: str, key: str, reason: str) -> None:
        if tenure_id not in ended:
            candidates.setdefault(tenure_id, []).append(LatestEnd(key, reason))

    event_dates = {e.id: e.date for e in records.events if e.date}
    terms = {t.id: t for t in records.terms}
    for tenure in records.tenures:
        term = terms.get(tenure.term)
        if term is None:
            continue
        following = sorted(
            (t for t in records.terms if t.body == term.body and t.ordinal > term.ordinal),
            key=lambda t: t.ordinal,
        )
        for nxt in following:
            date = event_dates.get(nxt.congress)
            if date is not None:
                body = labels.get(term.body, term.body)
                offer(tenure.id, date.key, f"term {nxt.ordinal} of {body} began ({date})")
                break

    deaths = {f.id: f.value for f in records.facts if f.property == "died"}
    for tenure in records.tenures:
        if tenure.person in deaths:
            date = parse_date(deaths[tenure.person])
            offer(tenure.id, date.key, f"{labels.get(tenure.person, tenure.person)} died ({date})")

    roles = {p.id: p.role for p in records.posts}
    tenures = {t.id: t for t in records.tenures}
    ends: dict[str, PartialDate] = {}
    as_ofs: dict[str, PartialDate] = {}
    for t in records.tenures:
        if t.end and (t.id not in ends or t.end.key > ends[t.id].key):
            ends[t.id] = t.end
        if t.as_of and (t.id not in as_ofs or t.as_of.key > as_ofs[t.id].key):
            as_ofs[t.id] = t.as_of
    by_post: dict[str, list[tuple[str, str, str, str]]] = {}
    for tenure_id, start in starts.items():
        tenure = tenures[tenure_id]
        by_post.setdefault(tenure.post, []).append(
            (start.key, tenure.person, tenure_id, str(start))
        )
    for post, held in by_post.items():
        if roles.get(post) not in SINGLE_HOLDER_ROLES:
            continue
        held.sort()
        for i, (key, person, tenure_id, _) in enumerate(held):
            later = next((h for h in held[i + 1 :] if h[1] != person and h[0] > key), None)
            if later is not None:
                who = labels.get(later[1], later[1])
                offer(tenure_id, later[0], f"the next holder, {who}, began in post ({later[3]})")
    # A source that only shows a person in a one-holder post on a day describes the same holding
    # as that person's dated tenure of the post around the day; the next holder after the day
    # bounds it too.
    for tenure_id, seen in as_ofs.items():
        tenure = tenures[tenure_id]
        if tenure_id in starts or roles.get(tenure.post) not in SINGLE_HOLDER_ROLES:
            continue
        for key, person, other, _ in by_post.get(tenure.post, []):
            end = ends.get(other)
            if person == tenure.person and end and key <= seen.key and seen.key <= end.last_day:
                offer(tenure_id, end.last_day, f"the same holding as {other}, which ends {end}")
        later = [
            h for h in by_post.get(tenure.post, []) if h[1] != tenure.person and h[0] > seen.key
        ]
        if later:
            first = min(later)
            who = labels.get(first[1], first[1])
            offer(tenure_id, first[0], f"the next holder, {who}, began in post ({first[3]})")
    return {tenure_id: min(found) for tenure_id, found in candidates.items()}
