"""`castgraph export --format csv`: flat tables, one row per entity, written all or nothing."""

from __future__ import annotations

import csv
import io
import os

import pytest

from castgraph.export.tables import (
    OBSERVATION_COLUMNS,
    ORGANIZATION_COLUMNS,
    POST_COLUMNS,
    SOURCE_COLUMNS,
    UNIT_COLUMNS,
    tables,
)
from test_roundtrip import FIXTURE_DATA_DIR, fixture_dataset

FROM_FIXTURE = ("--from-data", "--data-dir", str(FIXTURE_DATA_DIR))
COLUMNS = {
    "organizations.csv": ORGANIZATION_COLUMNS,
    "units.csv": UNIT_COLUMNS,
    "posts.csv": POST_COLUMNS,
    "observations.csv": OBSERVATION_COLUMNS,
    "sources.csv": SOURCE_COLUMNS,
}


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
def fixture_tables() -> dict[str, list[dict[str, str]]]:
    return {name: rows(data) for name, data in tables(fixture_dataset().quads).items()}


def row(table: list[dict[str, str]], key: str, column: str = "id") -> dict[str, str]:
    found = [r for r in table if r[column] == key]
    assert len(found) == 1, key
    return found[0]


def test_five_tables_with_documented_columns_utf8_lf_sorted_by_id():
    written = tables(fixture_dataset().quads)
    assert sorted(written) == sorted(COLUMNS)
    for name, data in written.items():
        assert not data.startswith(b"\xef\xbb\xbf"), name  # no BOM
        text = data.decode("utf-8")
        assert "\r" not in text
        assert text.endswith("\n")
        header, *body = list(csv.reader(io.StringIO(text, newline="")))
        assert tuple(header) == COLUMNS[name]
        keys = [r[0] for r in body]
        assert keys == sorted(keys), name
        assert len(keys) == len(set(keys)), name


def test_organizations_with_both_names_their_kinds_parent_and_sources(fixture_tables):
    organizations = fixture_tables["organizations.csv"]
    cast = row(organizations, "cast")
    assert cast == {
        "id": "cast",
        "type": "FormalOrganization",
        "name_en": "China Association for Science and Technology",
        "name_zh_hans": "中国科学技术协会",
        "acronyms": "CAST;中国科协",
        "kinds": "association-for-science-and-technology",
        "founded": "1958-09",
        "parent": "",
        "relation": "",
        "sources": "000;001;S02",
    }
    society = row(organizations, "chinese-chemical-society")
    assert (society["parent"], society["relation"]) == ("cast", "member-of")
    assert society["founded"] == "1932"
    assert {r["id"] for r in organizations}.isdisjoint({"hq-general-office"})


def test_units_with_their_parent_and_posts_and_quotes_intact(fixture_tables):
    units = fixture_tables["units.csv"]
    office = row(units, "hq-general-office")
    assert (office["parent"], office["relation"]) == ("cast", "unit-of")
    assert office["posts"] == "post-general-office-ddg;post-general-office-dg"
    division = row(units, "hq-general-office-secretariat")
    assert division["name_en"] == 'Secretariat Division (the "Mishuchu")'
    assert division["name_zh_hans"] == "秘书处"
    assert (division["parent"], division["relation"]) == (
        "hq-general-office",
        "sub-organization-of",
    )


def test_posts_list_holders_with_their_dates_and_leave_an_unfilled_post_empty(fixture_tables):
    posts = fixture_tables["posts.csv"]
    unfilled = row(posts, "post-general-office-dg")
    assert unfilled["role"] == "director-general"
    assert unfilled["organization"] == "hq-general-office"
    assert [unfilled[c] for c in ("holders", "holder_names_en", "as_of", "start", "end")] == [
        "",
        "",
        "",
        "",
        "",
    ]
    deputies = row(posts, "post-general-office-ddg")
    assert deputies["holders"] == "person-li-ming;person-wang-fang"
    assert deputies["holder_names_en"] == "Li Ming;Wang Fang"
    assert deputies["holder_names_zh_hans"] == "李明;"  # parallel to holders: no Chinese name known
    assert deputies["as_of"] == "2022;2022"
    president = row(posts, "post-cast-president")
    assert (president["start"], president["end"], president["sources"]) == (
        "2016-05",
        "2021-05-30",
        "S02",
    )


def test_figures_from_disagreeing_sources_are_all_listed(fixture_tables):
    figures = [
        r for r in fixture_tables["observations.csv"] if r["measure"] == "national-societies"
    ]
    assert [(f["value"], f["qualifier"], f["date"], f["sources"]) for f in figures] == [
        ("217", "exact", "2022-12-31", "000"),
        ("165", "about", "1997~", "001"),
        ("210", "exact", "2022", "S02"),
    ]
    assert figures[2]["source_titles"] == 'An "encyclopedia" article (fixture)'
    assert figures[0]["about_name_en"] == "China Association for Science and Technology"


def test_sources_with_their_graphs_and_statement_counts(fixture_tables):
    sources = fixture_tables["sources.csv"]
    per_graph: dict[str, int] = {}
    for q in fixture_dataset().quads:
        per_graph[q.graph_name.value.rsplit("/", 1)[1]] = (
            per_graph.get(q.graph_name.value.rsplit("/", 1)[1], 0) + 1
        )
    s02 = row(sources, "S02", "key")
    assert (s02["graphs"], s02["statements"], s02["grade"]) == (
        "graph:s02",
        str(per_graph["s02"]),
        "C",
    )
    assert row(sources, "001", "key")["speaks_for"] == "1997~"
    curation = row(sources, "curation", "key")
    assert curation["graphs"] == "graph:curation;graph:dataset;graph:vocabulary"


def test_the_real_data_has_one_row_per_post_and_per_organization(dataset, records):
    written = {name: rows(data) for name, data in tables(dataset.quads).items()}
    assert sorted(r["id"] for r in written["posts.csv"]) == sorted({p.id for p in records.posts})
    units = {o.id for o in records.organizations if o.type == "unit"}
    others = {
        o.id
        for o in records.organizations
        if o.type in ("formal-organization", "collaboration", "organization")
    }
    assert {r["id"] for r in written["units.csv"]} == units
    assert {r["id"] for r in written["organizations.csv"]} == others
    assert sorted(r["id"] for r in written["observations.csv"]) == sorted(
        {o.id for o in records.observations}
    )
    assert sorted(r["key"] for r in written["sources.csv"]) == sorted(
        s.key for s in records.sources
    )


def test_the_command_writes_the_folder(cli, tmp_path):
    out = tmp_path / "tables"
    result = cli("export", *FROM_FIXTURE, "-f", "csv", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(COLUMNS)
    assert "(5 files)" in result.stderr
    # An existing folder is enough to choose csv.
    again = cli("export", *FROM_FIXTURE, "-o", out)
    assert again.exit_code == 0
    assert "(csv)" in again.stderr


def test_tables_are_written_all_or_nothing(cli, tmp_path, monkeypatch):
    out = tmp_path / "tables"
    assert cli("export", *FROM_FIXTURE, "-f", "csv", "-o", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for p in out.iterdir():
        p.write_bytes(b"earlier\n")
    calls = []
    real_fsync = os.fsync

    def fail_on_third_file(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fail_on_third_file)
    result = cli("export", *FROM_FIXTURE, "-f", "csv", "-o", out)
    assert result.exit_code == 5
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {n: b"earlier\n" for n in before}


def test_csv_refuses_to_overwrite_a_file_with_a_folder(cli, tmp_path):
    out = tmp_path / "tables"
    out.write_text("a file\n")
    result = cli("export", *FROM_FIXTURE, "-f", "csv", "-o", out)
    assert result.exit_code == 3
    assert "writes a folder" in result.stderr
    assert out.read_text() == "a file\n"
