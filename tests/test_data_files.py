"""The curated files themselves: documented, canonical, and every controlled value explained."""

from __future__ import annotations

import csv
import io
import re

import pytest

from castgraph.loaders import COLUMNS
from castgraph.loaders import vocabulary as vocab
from castgraph.paths import DATA_DIR

README = (DATA_DIR / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_file_is_documented_with_its_columns(name):
    row = next(line for line in README.splitlines() if line.startswith(f"| `{name}` |"))
    assert f"`{','.join(COLUMNS[name])}`" in row


@pytest.mark.parametrize(
    ("table", "values"),
    [
        ("relation", sorted(vocab.RELATIONS)),
        ("property", vocab.FACT_PROPERTIES),
        ("name type", sorted(vocab.NAME_TYPES)),
        ("organization type", sorted(vocab.ORGANIZATION_TYPES)),
        ("work type", sorted(vocab.WORK_TYPES)),
    ],
)
def test_every_controlled_value_is_documented(table, values):
    for value in values:
        assert re.search(rf"`{re.escape(value)}`", README), (
            f"{table} {value!r} is not in data/README.md"
        )


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_files_are_canonical_csv(name):
    """UTF-8 without BOM, LF endings, minimal quoting: what Python's csv module writes.

    Fix a file by reading it with csv.reader and writing it back with
    csv.writer(handle, lineterminator="\\n").
    """
    raw = (DATA_DIR / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in raw
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    assert out.getvalue() == text


def test_every_source_is_cited_by_some_row(records):
    cited = set()
    for group in (
        records.organizations,
        records.persons,
        records.works,
        records.names,
        records.facts,
        records.relations,
        records.memberships,
        records.posts,
        records.tenures,
        records.observations,
        records.events,
    ):
        for row in group:
            cited.add(row.source)
    described = {s.key for s in records.sources}
    assert described - cited <= {"curation"}, "sources described but never cited"
