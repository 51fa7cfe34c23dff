"""Right answers over time: a tenure no source ends is never "in force" for ever.

Who held a post at a date comes back in two kinds: "held" when sources date the tenure around the
date (or a later term, a death or the next holder bounds it), and "may still hold" - with the
reason - when nothing known ends it. Each person once per post, with every source of the row.
"""

from __future__ import annotations

import pytest

from castgraph.query import library as queries
from castgraph.query.library import run


def who_held(store, date: str) -> list[dict[str, str]]:
    result = run(store, queries.by_name("who-held-which-post-at-a-date"), {"date": date})
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in result]


def slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@pytest.mark.parametrize("date", ["1990-01-01", "2007-06-01", "2012-01-01", "2020-06-01"])
def test_each_person_is_listed_once_per_post_and_status(store, date):
    rows = who_held(store, date)
    keys = [(r["person"], r["post"], r["status"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert {r["status"] for r in rows} <= {"held", "may still hold"}


def test_in_2020_the_2006_secretariat_is_not_held(store):
    """S10 names Deng Nan first secretary in May 2006 and gives no end: she may still have held
    it in 2020 as far as the graph knows, but she is not shown as holding it."""
    rows = who_held(store, "2020-06-01")
    held = {(slug(r["person"]), slug(r["post"])) for r in rows if r["status"] == "held"}
    assert ("person-deng-nan", "post-cast-first-secretary") not in held
    possible = [r for r in rows if slug(r["person"]) == "person-deng-nan" and r["status"] != "held"]
    assert all(r["reason"] for r in possible)


def test_a_dated_tenure_is_held_within_its_dates(store):
    """S15: Huai Jinpeng was party secretary from August 2017 to July 2021."""
    rows = who_held(store, "2020-06-01")
    huai = [r for r in rows if slug(r["person"]) == "person-huai-jinpeng"]
    assert [(slug(r["post"]), r["status"], r["sources"]) for r in huai] == [
        ("post-cast-party-secretary", "held", "S15")
    ]
    after = who_held(store, "2022-06-01")
    assert not any(
        slug(r["person"]) == "person-huai-jinpeng"
        and slug(r["post"]) == "post-cast-party-secretary"
        for r in after
    )  # (from May 2021 S15 has him full-time vice-president of the 10th committee)


def test_a_later_term_ends_a_tenure_at_the_latest(store):
    """Han Qide was elected president of the 7th National Committee on 25 May 2006 (S10); the
    8th congress (27 May 2011, N3) began the next term, so that tenure ended by then at the
    latest: the curation graph says so, with the reason."""

    def presidents(date: str) -> list[dict[str, str]]:
        return [r for r in who_held(store, date) if slug(r["post"]) == "post-cast-president"]

    in_2010 = presidents("2010-01-01")
    assert [(slug(r["person"]), r["status"]) for r in in_2010] == [("person-han-qide", "held")]
    assert "term 8" in in_2010[0]["reason"]
    in_2020 = presidents("2020-06-01")
    assert ("person-han-qide", "held") not in {(slug(r["person"]), r["status"]) for r in in_2020}
    assert ("person-wan-gang", "held") in {(slug(r["person"]), r["status"]) for r in in_2020}


def test_a_row_supported_by_several_sources_names_them_all(store):
    rows = who_held(store, "2016-07-01")
    wan = [
        r
        for r in rows
        if slug(r["person"]) == "person-wan-gang" and slug(r["post"]) == "post-cast-president"
    ]
    assert len(wan) == 1
    assert set(wan[0]["sources"].split(", ")) >= {"S04", "S11", "S12"}


def export_at(cli, dist, date: str) -> str:
    result = cli("export", "--as-of", date, "--dist-dir", str(dist), "-f", "nt")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_export_as_of_a_date_keeps_that_dates_headquarters(cli, built_dist):
    in_1998 = export_at(cli, built_dist, "1998")
    in_2007 = export_at(cli, built_dist, "2007")
    unit_of_cast = "<http://www.w3.org/ns/org#unitOf> <https://w3id.org/castgraph/id/cast>"
    units_1998 = {line.split()[0] for line in in_1998.splitlines() if unit_of_cast in line}
    units_2007 = {line.split()[0] for line in in_2007.splitlines() if unit_of_cast in line}
    assert all("/hq1997-" in u for u in units_1998)
    assert len(units_2007) == 8
    assert not any("/hq1997-" in u for u in units_2007)


def test_export_as_of_a_date_keeps_only_tenures_known_to_hold(cli, built_dist):
    in_2020 = export_at(cli, built_dist, "2020-06-01")
    assert "tenure-huai-jinpeng-party-secretary>" in in_2020
    assert "tenure-deng-nan-first-secretary>" not in in_2020
    assert "tenure-ren-fujun-general-office-dg>" not in in_2020  # shown in post in 2007 only
    assert "/obs-003-" in in_2020  # figures of 2012-2022 stand in 2020 if dated on or before
    in_2010 = export_at(cli, built_dist, "2010")
    assert "/obs-003-individual-members>" not in in_2010


def test_a_bad_as_of_date_is_one_line_and_exit_3(cli, built_dist):
    result = cli("export", "--as-of", "19x8", "--dist-dir", str(built_dist), "-f", "nt")
    assert result.exit_code == 3
    assert result.stderr.startswith("--as-of: bad date '19x8'")


def test_the_query_and_the_export_agree_on_who_held_a_post(cli, built_dist, store):
    """One set of dating rules: the tenures the export keeps are the query's "held" rows."""
    for date in ("2007-06-01", "2012-01-01", "2020-06-01"):
        held = {r["post"] for r in who_held(store, date) if r["status"] == "held"}
        kept = export_at(cli, built_dist, date)
        for post in held:
            assert f"<{post}>" in kept, (date, post)


def test_a_source_without_a_date_does_not_hide_another_source_s_date(store):
    """Three sources record Zhou Guangzhao's presidency of CAST and only N9 dates its start
    (1996); S03 records Deng Nan's secretariat of 2006 without the date S10 gives. Each date is
    aggregated over the graphs that give it: MIN and MAX over a group with an unbound value are
    unbound, which once showed nobody as president in 1998."""
    in_1998 = who_held(store, "1998-06-01")
    presidents = [
        (slug(r["person"]), r["status"], r["start"])
        for r in in_1998
        if slug(r["post"]) == "post-cast-president"
    ]
    assert presidents == [("person-zhou-guangzhao", "held", "1996")]
    in_2007 = who_held(store, "2007-06-01")
    deng = [
        (r["status"], r["start"], sorted(r["sources"].split(", ")))
        for r in in_2007
        if slug(r["person"]) == "person-deng-nan" and slug(r["post"]) == "post-cast-first-secretary"
    ]
    assert deng == [("held", "2006-05", ["S03", "S10"])]


def test_a_dated_view_keeps_a_tenure_one_source_dates_and_another_does_not(curated):
    """The same rule in --as-of views (export, viz): Zhou Guangzhao's presidency stands in 1998."""
    from castgraph.dataset.as_of import excluded_nodes, parse_as_of

    tenure = "https://w3id.org/castgraph/id/tenure-zhou-guangzhao-president"
    assert tenure not in excluded_nodes(curated, parse_as_of("1998-06-01"))
