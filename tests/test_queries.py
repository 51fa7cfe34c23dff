"""The query library in queries/: headers, parameters, expected answers, and the same answers on rdflib.

Every ``queries/*.rq`` (found by glob) has an expected answer ``tests/queries/NAME.expected.tsv``
in the W3C SPARQL TSV format, computed with the query's default parameters on the real data.
Regenerate them with ``pytest --update-golden`` after changing data/ or a query, and review the
diff. Answers are compared row by row in order when the query has a top-level ORDER BY, as a
multiset otherwise.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

import pytest

from castgraph.paths import ROOT_DIR
from castgraph.query import library as queries
from castgraph.query.lexer import lex
from castgraph.query.parameters import Parameter, ParameterUsageError

EXPECTED_DIR = Path(__file__).parent / "queries"
SAMPLE = EXPECTED_DIR / "sample.trig"
QUERY_FILES = queries.query_files()
DOCS = ROOT_DIR / "docs" / "queries.md"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Known differences between pyoxigraph and rdflib, and how the library copes with each. A query
# named here is expected to differ (strict xfail: when the engines agree again, the test says so).
KNOWN_DIFFERENCES: dict[str, str] = {}
# GROUP_CONCAT joins values in an order each engine chooses (SPARQL 1.1 leaves it open).
CONCATENATED = {"sources"}
ENGINE_NOTES = {
    "union default graph": (
        "pyoxigraph 0.5 answers a pattern once per named graph that holds the triple "
        "(oxigraph#1919, fixed for 0.6 by #1920); rdflib merges the graphs. Library queries "
        "use SELECT DISTINCT and COUNT(DISTINCT ...) so both engines agree."
    ),
    "GROUP BY over no solutions": (
        "rdflib 7.6 answers one row with nothing bound (rdflib#3382); pyoxigraph answers none, "
        "as the SPARQL spec says. Grouped subqueries are guarded with FILTER(BOUND(...)), and "
        "all-unbound rdflib rows are dropped before comparing."
    ),
}


def stem(path: Path) -> str:
    return path.stem


# ---------------------------------------------------------------------------------------------
# Fixtures


def _quiet() -> None:
    """rdflib 7.6 warns about its own Dataset internals thousands of times per query run."""
    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")


@pytest.fixture(autouse=True)
def _quiet_rdflib():
    _quiet()


@pytest.fixture(scope="module")
def rdflib_dataset(dataset):
    """The build's N-Quads in an rdflib Dataset whose default graph is the union of the graphs."""
    import rdflib

    from castgraph.dataset.writer import to_bytes

    _quiet()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=to_bytes(dataset.quads, "nquads"), format="nquads")
    return ds


@pytest.fixture(scope="module")
def sample_store():
    from castgraph.dataset.engine import load_store

    return load_store(SAMPLE)


@pytest.fixture(scope="module")
def sample_rdflib():
    import rdflib

    _quiet()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(SAMPLE, format="trig")
    return ds


def answer(store, query: str, /, **params: str) -> list[dict[str, str]]:
    """A library query's rows as {variable: value text}, unbound variables left out."""
    result = queries.run(store, queries.by_name(query), params)
    names = [v.value for v in result.variables]
    return [
        {n: s[n].value for n in names if s[n] is not None}
        for s in result  # type: ignore[union-attr]
    ]


def tsv(store, definition: queries.QueryDefinition, /, **params: str) -> str:
    from pyoxigraph import QueryResultsFormat

    result = queries.run(store, definition, params)
    return result.serialize(format=QueryResultsFormat.TSV).decode("utf-8")


# ---------------------------------------------------------------------------------------------
# The library and its headers


def test_the_library_has_at_least_25_questions():
    assert len(QUERY_FILES) >= 25


def test_the_library_covers_the_questions_the_project_asks():
    names = {p.stem for p in QUERY_FILES}
    assert {
        "headquarters-tree",
        "path-from-a-unit-up-to-cast",
        "heads-of-departments",
        "who-held-which-post-at-a-date",
        "everything-about-an-entity",
        "predecessors-and-the-1958-merger",
        "timeline-of-dated-events",
        "figures-by-measure-over-time",
        "where-sources-differ",
        "national-societies-by-discipline-group",
        "national-societies-by-founding-year",
        "oldest-national-societies",
        "coverage-of-listed-against-reported",
        "provincial-associations",
        "international-memberships",
        "programs-and-journals",
        "partners-and-links",
        "department-lists-1997-and-2007",
        "search-by-name",
        "sources-and-their-graphs",
        "english-names-of-the-science-popularization-federation",
    } <= names


@pytest.mark.parametrize("path", QUERY_FILES, ids=stem)
def test_query_has_a_grlc_header(path):
    definition = queries.load_file(path)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem), "file name: kebab-case question"
    assert path.read_text(encoding="utf-8").startswith("#+ summary: ")
    assert definition.summary
    assert definition.description
    assert definition.tags
    assert all(isinstance(t, str) and t for t in definition.tags)
    assert isinstance(definition.header.get("defaults"), list), "#+ defaults: a YAML list"
    assert definition.form == "SELECT"
    for parameter in definition.parameters:
        assert parameter.default is not None, f"{parameter.name}: give a default"
        assert parameter.term(parameter.default, path.stem) is not None


@pytest.mark.parametrize("path", QUERY_FILES, ids=stem)
def test_query_runs_without_the_project_prefixes(store, path):
    """Each file declares its own PREFIX lines, so it runs as is in grlc, Fuseki or Oxigraph."""
    definition = queries.load_file(path)
    substitutions = queries.bind(definition, {})
    # the store holds the union in its default graph, as `castgraph query` loads it
    list(store.query(definition.text, substitutions=substitutions))


@pytest.mark.parametrize("path", QUERY_FILES, ids=stem)
def test_query_projects_its_parameters(path):
    """pyoxigraph binds parameters only when the SELECT clause projects them (see queries.py)."""
    definition = queries.load_file(path)
    select_clause = definition.text.split("SELECT", 1)[1].split("WHERE", 1)[0]
    for parameter in definition.parameters:
        assert f"?{parameter.variable}" in select_clause


# ---------------------------------------------------------------------------------------------
# Expected answers


@pytest.mark.parametrize("path", QUERY_FILES, ids=stem)
def test_query_gives_its_expected_answer(store, update_golden, path):
    definition = queries.load_file(path)
    actual = tsv(store, definition)
    expected_path = EXPECTED_DIR / f"{path.stem}.expected.tsv"
    if update_golden:
        expected_path.write_text(actual, encoding="utf-8")
        return
    if not expected_path.is_file():
        pytest.fail(
            f"{path.name} has no expected answer: {expected_path.relative_to(ROOT_DIR)} is "
            "missing. Run `pytest --update-golden tests/test_queries.py`, then check the new file."
        )
    expected = expected_path.read_text(encoding="utf-8")
    actual_lines, expected_lines = actual.splitlines(), expected.splitlines()
    assert actual_lines[:1] == expected_lines[:1], "the columns changed"
    actual_lines = _sorted_concatenations(actual_lines)
    expected_lines = _sorted_concatenations(expected_lines)
    if not definition.ordered:  # no ORDER BY: any order is right
        actual_lines = actual_lines[:1] + sorted(actual_lines[1:])
        expected_lines = expected_lines[:1] + sorted(expected_lines[1:])
    if actual_lines != expected_lines:
        diff = "\n".join(
            difflib.unified_diff(expected_lines, actual_lines, "expected", "actual", lineterm="")
        )
        pytest.fail(f"{path.stem}: answer differs (pytest --update-golden to accept)\n{diff}")


def _sorted_concatenations(lines: list[str]) -> list[str]:
    """Sort the parts of each GROUP_CONCAT cell, whose order the engine chooses (CONCATENATED)."""
    if not lines:
        return lines
    header = lines[0].split("\t")
    columns = [i for i, name in enumerate(header) if name.lstrip("?") in CONCATENATED]
    if not columns:
        return lines
    out = lines[:1]
    for line in lines[1:]:
        cells = line.split("\t")
        for i in columns:
            cell = cells[i] if i < len(cells) else ""
            if len(cell) >= 2 and cell.startswith('"') and cell.endswith('"') and ", " in cell:
                cells[i] = '"' + ", ".join(sorted(cell[1:-1].split(", "))) + '"'
        out.append("\t".join(cells))
    return out


def test_every_expected_answer_belongs_to_a_query():
    names = {p.stem for p in QUERY_FILES}
    orphans = [
        p.name
        for p in EXPECTED_DIR.glob("*.expected.tsv")
        if p.name[: -len(".expected.tsv")] not in names
    ]
    assert not orphans, f"expected answers without a query: {orphans}"


# ---------------------------------------------------------------------------------------------
# The same answers on rdflib


def _normal_oxigraph(term):
    from pyoxigraph import Literal, NamedNode

    if term is None:
        return None
    if isinstance(term, NamedNode):
        return ("iri", term.value)
    if isinstance(term, Literal):
        if term.language:
            return ("literal", term.value, "@" + term.language.lower())
        return ("literal", term.value, term.datatype.value)
    return ("other", str(term))


def _normal_rdflib(term):
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ("iri", str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ("literal", str(term), "@" + term.language.lower())
        return ("literal", str(term), str(term.datatype) if term.datatype else XSD_STRING)
    return ("other", str(term))


def both_engines(store, rdflib_ds, definition, params=None) -> tuple[Counter, Counter]:
    ours = queries.run(store, definition, params)
    variables = [v.value for v in ours.variables]
    oxigraph_rows = Counter(
        tuple(_unordered(v, _normal_oxigraph(s[v])) for v in variables)
        for s in ours  # type: ignore[union-attr]
    )
    rdflib_rows: Counter = Counter()
    for row in queries.rdflib_run(rdflib_ds, definition, params):
        values = tuple(
            _unordered(v, _normal_rdflib(row[v])) if v in row.labels else None for v in variables
        )
        if any(value is not None for value in values):  # rdflib#3382, see ENGINE_NOTES
            rdflib_rows[values] += 1
    return oxigraph_rows, rdflib_rows


def _unordered(variable: str, value):
    if variable in CONCATENATED and value is not None and value[0] == "literal":
        return ("literal", ", ".join(sorted(value[1].split(", "))), value[2])
    return value


def _compare(oxigraph_rows: Counter, rdflib_rows: Counter, name: str) -> None:
    if name in KNOWN_DIFFERENCES:
        if oxigraph_rows != rdflib_rows:
            pytest.xfail(KNOWN_DIFFERENCES[name])
        pytest.fail(f"{name} is listed in KNOWN_DIFFERENCES but both engines now agree")
    only_ours = list((oxigraph_rows - rdflib_rows).elements())[:5]
    only_rdflib = list((rdflib_rows - oxigraph_rows).elements())[:5]
    assert oxigraph_rows == rdflib_rows, f"only pyoxigraph: {only_ours}\nonly rdflib: {only_rdflib}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=stem)
def test_query_gives_the_same_answer_on_rdflib(store, rdflib_dataset, path):
    """Order is compared nowhere here: ties and mixed-type sort keys are engine-defined."""
    definition = queries.load_file(path)
    _compare(*both_engines(store, rdflib_dataset, definition), path.stem)


@pytest.mark.parametrize("path", QUERY_FILES, ids=stem)
def test_query_gives_the_same_answer_on_rdflib_for_the_sample(sample_store, sample_rdflib, path):
    """The sample reaches what the real data does not yet: national societies, dated tenures."""
    definition = queries.load_file(path)
    _compare(*both_engines(sample_store, sample_rdflib, definition), f"{path.stem} (sample)")


@pytest.mark.parametrize(
    "date", ["1998-01-01", "2006-06-01", "2006-10-01", "2016-05-15", "2020-01-01"]
)
def test_date_rules_agree_on_both_engines(sample_store, sample_rdflib, date):
    definition = queries.by_name("who-held-which-post-at-a-date")
    _compare(*both_engines(sample_store, sample_rdflib, definition, {"date": date}), date)


# ---------------------------------------------------------------------------------------------
# Real answers, checked against the sources


def test_heads_of_departments_names_zhang_jiansheng_for_international_affairs(store):
    rows = answer(store, "heads-of-departments")
    assert {
        "unit": "https://w3id.org/castgraph/id/hq-international-affairs",
        "unit_name": "Department of International Affairs",
        "role": "director general",
        "status": "held",
        "holder": "https://w3id.org/castgraph/id/person-zhang-jiansheng",
        "holder_name": "Zhang Jiansheng",
        "as_of": "2007",
        "source": "004",
        "post": "https://w3id.org/castgraph/id/post-international-affairs-dg",
    } in rows


def test_heads_of_departments_shows_the_blank_director_general_as_unfilled(store):
    rows = answer(store, "heads-of-departments")
    research = [r for r in rows if r["unit"].endswith("/hq-research-and-publicity")]
    assert {(r["role"], r["status"], r.get("holder_name")) for r in research} == {
        ("director general", "unfilled", None),
        ("deputy director general", "held", "Guo Zhe"),
        ("deputy director general", "held", "Zhang Feng"),
    }
    unfilled = next(r for r in research if r["status"] == "unfilled")
    assert unfilled["note"] == "the source leaves the holder blank"
    assert next(r["role"] for r in research) == "director general", "heads come first"


def test_the_merger_joined_the_two_federations_into_cast(store):
    rows = answer(store, "predecessors-and-the-1958-merger")
    assert {r["original"].rsplit("/", 1)[1] for r in rows} == {
        "fed-natural-science-societies",
        "fed-science-popularization",
    }
    assert {r["resulting"] for r in rows} == {"https://w3id.org/castgraph/id/cast"}
    assert {r["date"] for r in rows} == {"1958-09"}
    assert {r["source"] for r in rows} >= {"000", "002"}


def test_national_societies_counts_include_165_from_001_and_217_from_000(store):
    rows = answer(store, "figures-by-measure-over-time")
    found = {
        (r["value"], r["source"], r.get("date"))
        for r in rows
        if r["measure"].endswith("/national-societies")
    }
    assert ("165", "001", "1997") in found
    assert ("217", "000", "2022-12-31") in found


def test_where_sources_differ_compares_the_same_thing_for_the_same_date(store):
    rows = answer(store, "where-sources-differ")
    founded = {
        (r["value"], r["source"])
        for r in rows
        if r["what"] == "founding date" and r["about"].endswith("/society-a10")
    }
    assert founded == {("1922-01-27", "S29"), ("1922-02-03", "S30")}  # Geological Society
    members = {
        (r["value"], r["source"], r["period"]) for r in rows if "individual members" in r["on"]
    }
    assert members == {("more than 6000000", "000", "2022"), ("6370000", "003", "2022")}
    # 1.9 million members in 1986 and 4.3 million about 1997 are change over time, not a clash
    assert not any(r["period"] in ("1986", "1997") for r in rows if r["what"] == "figure")
    assert {r["what"] for r in rows} == {"figure", "founding date", "name", "kind"}


def test_the_two_english_names_of_the_popularization_federation(store):
    rows = answer(store, "english-names-of-the-science-popularization-federation")
    assert {(r["name"], r["source"]) for r in rows} >= {
        ("All-China Federation for Science Popularization", "000"),
        ("All-China Association for Science Popularization", "002"),
    }


def test_search_is_a_case_insensitive_substring_over_every_kind_of_name(store):
    lower = answer(store, "search-by-name", name="popularization")
    upper = answer(store, "search-by-name", name="POPULARIZATION")
    assert [{k: v for k, v in r.items() if k != "_name"} for r in lower] == [
        {k: v for k, v in r.items() if k != "_name"} for r in upper
    ]
    names = {r["name"] for r in lower}
    assert "All-China Association for Science Popularization" in names  # an alternative name
    assert "Popularization of Science" in names  # the 1997 department
    assert {r["name_type"] for r in answer(store, "search-by-name", name="cast")} >= {"acronym"}
    chinese = answer(store, "search-by-name", name="科学技术协会")
    assert any(r["language"].lower() == "zh-hans" for r in chinese)


def test_path_from_a_division_goes_through_its_department_to_cast(store):
    rows = answer(store, "path-from-a-unit-up-to-cast")
    assert [(r["step"], r["ancestor"].rsplit("/", 1)[1]) for r in rows] == [
        ("0", "hq-intl-international-organizations"),
        ("1", "hq-international-affairs"),
        ("2", "cast"),
    ]
    assert answer(store, "path-from-a-unit-up-to-cast", unit="cid:nowhere") == []


def test_headquarters_tree_keeps_the_1997_and_2007_lists_apart(store):
    rows = answer(store, "headquarters-tree")
    by_source = {(r["source"], r["unit"].rsplit("/", 1)[1]) for r in rows}
    assert ("001", "hq1997-general-office") in by_source
    assert ("004", "hq-general-office") in by_source
    assert ("004", "hq1997-general-office") not in by_source
    divisions = [r for r in rows if r["depth"] == "2"]
    assert divisions
    assert {r["parent"].rsplit("/", 1)[1] for r in divisions} == {"hq-international-affairs"}


def test_sources_and_their_graphs_count_the_statements_of_each_graph(store, dataset):
    counts = Counter(q.graph_name.value for q in dataset.quads)
    rows = answer(store, "sources-and-their-graphs")
    assert rows
    for row in rows:
        assert int(row["triples"]) == counts.get(row["graph"], 0), row["graph"]


def test_who_held_which_post_depends_on_the_date(store):
    in_2007 = answer(store, "who-held-which-post-at-a-date", date="2007-06-01")
    in_1998 = answer(store, "who-held-which-post-at-a-date", date="1998-01-01")
    assert in_2007 != in_1998
    zhang = [r for r in in_2007 if r["person"].endswith("/person-zhang-jiansheng")]
    assert [(r["status"], r["sources"]) for r in zhang] == [("held", "004")]
    assert not any(r["person"].endswith("/person-zhang-jiansheng") for r in in_1998)


# ---------------------------------------------------------------------------------------------
# The sample: dated tenures and national societies


@pytest.mark.parametrize(
    ("date", "who"),
    [
        ("1998-01-01", {("Zhou", "held")}),
        ("2006-06-01", {("Zhou", "held")}),  # an end year counts to its last day
        ("2006-10-01", {("Zhou", "held"), ("Han", "held")}),
        ("2016-05-15", {("Han", "held")}),  # an end month counts to its last day
        ("2020-01-01", {("Wan", "may still hold")}),  # no end, nothing recorded after him
        ("1990-01-01", set()),
    ],
)
def test_who_held_a_post_follows_the_dating_rules(sample_store, date, who):
    rows = answer(sample_store, "who-held-which-post-at-a-date", date=date)
    assert {(r["person_name"], r["status"]) for r in rows} == who
    assert all(r["_date_date"] == date for r in rows)


def test_oldest_national_societies_order_by_the_earliest_founding_any_source_gives(sample_store):
    rows = answer(sample_store, "oldest-national-societies")
    assert [(r["society"].rsplit("/", 1)[1], r["founded"], r["source"]) for r in rows] == [
        ("society-a", "1907", "s1"),
        ("society-b", "1915", "s1"),
        ("society-b", "1916", "s2"),  # the two sources disagree; both are shown
        ("society-c", "1950-05", "s1"),
    ]
    assert rows[0]["name_zh"] == "中国甲学会"


def test_national_societies_are_counted_by_group_and_against_reports(sample_store):
    groups = {
        r["group"]: r["societies"]
        for r in answer(sample_store, "national-societies-per-discipline-group")
    }
    assert groups == {"medicine": "1", "natural sciences": "1", "(no group given)": "1"}
    coverage = answer(sample_store, "coverage-of-listed-against-reported")
    societies = [r for r in coverage if r["what"] == "national member societies"]
    assert {(r["listed"], r["reported"], r["source"]) for r in societies} == {
        ("3", "217", "s1"),
        ("3", "210", "s2"),
    }
    international = next(r for r in coverage if r["what"] == "international organizations joined")
    assert international["listed"] == "1"


# ---------------------------------------------------------------------------------------------
# Parameters


@pytest.mark.parametrize(
    ("variable", "name", "kind", "detail", "required"),
    [
        ("_name", "name", "literal", "", True),
        ("__name", "name", "literal", "", False),
        ("_unit_iri", "unit", "iri", "", True),
        ("_date_date", "date", "typed", "http://www.w3.org/2001/XMLSchema#date", True),
        ("_n_integer", "n", "typed", "http://www.w3.org/2001/XMLSchema#integer", True),
        ("_year_gYear", "year", "typed", "http://www.w3.org/2001/XMLSchema#gYear", True),
        ("_label_en", "label", "lang", "en", True),
        (
            "_code_cast_societyCode",
            "code",
            "typed",
            "https://w3id.org/castgraph/def#societyCode",
            True,
        ),
    ],
)
def test_parameters_follow_the_grlc_naming(variable, name, kind, detail, required):
    parameter = Parameter.from_variable(variable)
    assert parameter is not None
    assert (parameter.name, parameter.kind, parameter.required) == (name, kind, required)
    assert detail in (parameter.datatype, parameter.lang, "")


def test_ordinary_variables_are_not_parameters():
    assert Parameter.from_variable("name") is None
    assert Parameter.from_variable("unit_name") is None


@pytest.mark.parametrize(
    ("value", "iri"),
    [
        ("https://w3id.org/castgraph/id/cast", "https://w3id.org/castgraph/id/cast"),
        ("<https://w3id.org/castgraph/id/cast>", "https://w3id.org/castgraph/id/cast"),
        ("cid:hq-general-office", "https://w3id.org/castgraph/id/hq-general-office"),
        ("hq-general-office", "https://w3id.org/castgraph/id/hq-general-office"),
        ("urn:x:y", "urn:x:y"),
        ("not an iri", None),
    ],
)
def test_iri_parameters_accept_iris_curies_and_slugs(value, iri):
    assert queries.expand_iri(value) == iri


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("_n_integer", "12x"),
        ("_d_date", "2007-13-01"),
        ("_d_date", "2007-02-30"),
        ("_d_date", "June 2007"),
        ("_u_iri", "http://x/a b"),
        ("_u_iri", "no iri here"),
        ("_b_boolean", "maybe"),
        ("_y_gYear", "07"),
    ],
)
def test_ill_typed_values_are_bad_input(variable, value):
    from castgraph.errors import InputError

    parameter = Parameter.from_variable(variable)
    with pytest.raises(InputError, match=re.escape(repr(value))):
        parameter.term(value, "q")


def test_a_value_with_quotes_and_braces_stays_one_literal(store):
    """Bound as a term, never pasted: a would-be injection only searches for itself."""
    hostile = 'x")) } UNION { ?entity ?property ?name } # {'
    rows = answer(store, "search-by-name", name=hostile)
    assert rows == []
    definition = queries.definition_from_text("SELECT ?_value WHERE {}", "echo")
    [row] = answer_of(store, definition, {"value": hostile})
    assert row == {"_value": hostile}


def answer_of(store, definition, params):
    result = queries.run(store, definition, params)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def test_missing_and_unknown_parameters_are_usage_errors():
    definition = queries.definition_from_text("SELECT ?_who WHERE {}", "q")
    with pytest.raises(ParameterUsageError, match="missing parameter 'who'"):
        queries.bind(definition, {})
    with pytest.raises(ParameterUsageError, match="unknown parameter 'whom'"):
        queries.bind(definition, {"who": "x", "whom": "y"})
    optional = queries.definition_from_text("SELECT ?__who WHERE {}", "q")
    assert queries.bind(optional, {}) == {}


def test_header_defaults_must_name_a_parameter():
    from castgraph.errors import InputError

    text = "#+ defaults:\n#+   - when: 2007-06-01\nSELECT ?_date_date WHERE {}\n"
    with pytest.raises(InputError, match="when"):
        queries.definition_from_text(text, "q")
    good = queries.definition_from_text(text.replace("when", "date"), "q")
    assert good.parameter("date").default == "2007-06-01"  # YAML's date read back as text


def test_the_lexer_ignores_strings_comments_and_iris():
    lexed = lex(
        '# SELECT ?_ghost\nPREFIX a: <http://x/?_no>\nASK { ?s a:p "?_not INSERT" . ?s a:q ?_yes }'
    )
    assert lexed.form == "ASK"
    assert "_yes" in lexed.variables
    assert not {"_ghost", "_no", "_not"} & set(lexed.variables)
    assert lex("PREFIX x: <http://x/>\nINSERT DATA { <a:b> <a:c> 1 }").form == "INSERT"
    assert lex("SELECT * { { SELECT ?a {} ORDER BY ?a } }").top_level_order_by is False
    assert lex("SELECT * {} ORDER BY ?a").top_level_order_by is True


def test_close_matches_are_suggested_for_an_unknown_name():
    from castgraph.errors import InputError

    with pytest.raises(InputError, match="did you mean heads-of-departments"):
        queries.by_name("heads-of-departmnts")


# ---------------------------------------------------------------------------------------------
# docs/queries.md


def test_docs_list_every_query_with_its_summary_and_parameters(update_golden):
    table = queries.markdown_table(queries.library())
    start, end = "<!-- queries:start -->\n", "<!-- queries:end -->"
    text = DOCS.read_text(encoding="utf-8")
    assert start in text, "docs/queries.md: keep the generated-table markers"
    assert end in text, "docs/queries.md: keep the generated-table markers"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    wanted = head + start + table + end + tail
    if update_golden:
        DOCS.write_text(wanted, encoding="utf-8")
        return
    assert text == wanted, "docs/queries.md is out of date: run pytest --update-golden"
