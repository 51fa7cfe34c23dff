"""`castgraph query` end to end: every result format, parameters, files, graphs, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from castgraph.query.library import query_files

SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
ZHANG = "https://w3id.org/castgraph/id/person-zhang-jiansheng"


@pytest.fixture
def query(cli, built_dist):
    """`castgraph query ARGS --dist-dir <the session's build>`."""

    def run(*args: str, input: str | None = None):
        return cli("query", *args, "--dist-dir", str(built_dist), input=input)

    return run


# ---------------------------------------------------------------------------------------------
# Listing


def test_list_shows_every_query_with_summary_and_parameters(query):
    result = query("list")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "summary", "parameters"]
    for path in query_files():
        assert any(line.startswith(path.stem + " ") for line in lines), path.stem
    date_line = next(line for line in lines if line.startswith("who-held-which-post-at-a-date"))
    assert "date (xsd:date) = 2007-06-01" in date_line
    assert "Who held which post at a given date" in date_line


def test_list_as_json_and_with_the_option_spelling(query):
    result = query("--list", "--format", "json")
    assert result.exit_code == 0
    listing = json.loads(result.stdout)
    entry = next(e for e in listing if e["name"] == "path-from-a-unit-up-to-cast")
    assert entry["parameters"] == "unit (IRI) = cid:hq-intl-international-organizations"


# ---------------------------------------------------------------------------------------------
# Formats


def test_default_format_off_a_terminal_is_csv_and_parses_back(query):
    result = query("heads-of-departments")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0].keys() >= {"unit", "unit_name", "role", "status", "holder_name", "source"}
    zhang = [r for r in rows if r["holder"] == ZHANG]
    assert [(r["unit_name"], r["role"], r["source"]) for r in zhang] == [
        ("Department of International Affairs", "director general", "004")
    ]
    unfilled = [r for r in rows if r["status"] == "unfilled"]
    assert [r["post"].rsplit("/", 1)[1] for r in unfilled] == ["post-research-and-publicity-dg"]


def test_tsv_is_the_w3c_format_with_typed_terms(query):
    result = query("heads-of-departments", "--format", "tsv")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("?unit\t?unit_name\t?role")
    assert any(f"<{ZHANG}>" in line and '"Zhang Jiansheng"@en' in line for line in lines[1:])


def test_json_is_the_w3c_results_document(query):
    result = query("heads-of-departments", "--format", "json")
    document = json.loads(result.stdout)
    assert document["head"]["vars"][:3] == ["unit", "unit_name", "role"]
    holders = [b["holder"] for b in document["results"]["bindings"] if "holder" in b]
    assert {"type": "uri", "value": ZHANG} in holders


def test_xml_is_the_w3c_results_document(query):
    result = query("heads-of-departments", "--format", "xml")
    root = ET.fromstring(result.stdout)
    assert root.tag == f"{SPARQL_RESULTS}sparql"
    variables = [v.get("name") for v in root.iter(f"{SPARQL_RESULTS}variable")]
    assert variables[:2] == ["unit", "unit_name"]
    uris = [u.text for u in root.iter(f"{SPARQL_RESULTS}uri")]
    assert ZHANG in uris


def test_markdown_is_a_table_with_one_row_per_answer(query):
    csv_rows = list(csv.reader(io.StringIO(query("heads-of-departments").stdout)))
    result = query("heads-of-departments", "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| unit | unit_name | role |")
    assert lines[1] == "|" + "|".join(["---"] * len(csv_rows[0])) + "|"
    assert len(lines) == len(csv_rows) + 1
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[2:])
    assert any("cid:person-zhang-jiansheng" in line for line in lines), "IRIs as CURIEs"


def test_table_format_is_aligned_text_with_a_row_count(query):
    result = query("path-from-a-unit-up-to-cast", "--format", "table")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["_unit_iri", "step", "ancestor", "name_en", "name_zh"]
    assert lines[-1] == "(3 rows)"
    assert "\x1b[" not in result.stdout, "no colour codes off a terminal"
    assert any(
        "cid:cast" in line and "China Association for Science and Technology" in line
        for line in lines
    )


def test_output_file_is_written_and_its_suffix_picks_the_format(query, tmp_path):
    target = tmp_path / "answers" / "heads.json"
    result = query("heads-of-departments", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["head"]["vars"][0] == "unit"
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")], "no temp files left"


def test_answers_are_byte_identical_across_runs_and_hash_seeds(built_dist, tmp_path):
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "castgraph", "query", "timeline-of-dated-events", "--dist-dir",
             str(built_dist), "--format", "tsv"],
            capture_output=True, env={"PYTHONHASHSEED": seed, "PATH": ""}, check=True,
        )  # fmt: skip
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0]


# ---------------------------------------------------------------------------------------------
# Parameters


def test_date_parameter_default_and_explicit_give_different_answers(query):
    default = query("who-held-which-post-at-a-date")
    in_2007 = query("who-held-which-post-at-a-date", "--param", "date=2007-06-01")
    in_1998 = query("who-held-which-post-at-a-date", "-p", "date=1998-01-01")
    assert default.exit_code == in_2007.exit_code == in_1998.exit_code == 0
    assert default.stdout == in_2007.stdout
    assert in_2007.stdout != in_1998.stdout
    people_2007 = {r["person"] for r in csv.DictReader(io.StringIO(in_2007.stdout))}
    assert ZHANG in people_2007
    rows_1998 = list(csv.DictReader(io.StringIO(in_1998.stdout)))
    assert ZHANG not in {r["person"] for r in rows_1998}
    assert all(r["_date_date"] == "1998-01-01" for r in rows_1998)


def test_iri_parameter_takes_a_curie_or_a_slug(query):
    curie = query("path-from-a-unit-up-to-cast", "-p", "unit=cid:hq-general-office")
    slug = query("path-from-a-unit-up-to-cast", "-p", "unit=hq-general-office")
    assert curie.stdout == slug.stdout
    assert [r["step"] for r in csv.DictReader(io.StringIO(curie.stdout))] == ["0", "1"]


def test_quotes_and_braces_in_a_value_cannot_change_the_query(query):
    hostile = 'x")) } UNION { ?entity ?property ?name } #{'
    result = query("search-by-name", "-p", f"name={hostile}", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"]["bindings"] == []
    echo = query("-e", "SELECT ?_text WHERE {}", "-p", f"text={hostile}", "--format", "json")
    [binding] = json.loads(echo.stdout)["results"]["bindings"]
    assert binding["_text"]["value"] == hostile


def test_a_query_file_with_a_header_and_parameters(query, tmp_path):
    path = tmp_path / "count-of-a-class.rq"
    path.write_text(
        "#+ summary: how many of a class\n#+ defaults:\n#+   - class: org:Post\n"
        "SELECT ?_class_iri (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?_class_iri } GROUP BY ?_class_iri\n",
        encoding="utf-8",
    )
    posts = query("--file", str(path))
    persons = query("--file", str(path), "-p", "class=foaf:Person")
    assert posts.exit_code == persons.exit_code == 0
    [post_row] = list(csv.DictReader(io.StringIO(posts.stdout)))
    [person_row] = list(csv.DictReader(io.StringIO(persons.stdout)))
    assert post_row["_class_iri"] == "http://www.w3.org/ns/org#Post"
    assert int(post_row["n"]) > 0
    assert int(person_row["n"]) > 0
    assert post_row["n"] != person_row["n"]


def test_query_text_from_standard_input(query):
    result = query("--file", "-", input="ASK { cid:cast a org:FormalOrganization }")
    assert (result.exit_code, result.stdout) == (0, "true\n")


# ---------------------------------------------------------------------------------------------
# Query forms and graphs


def test_ask_prints_true_or_false(query):
    assert query("-e", "ASK { cid:cast a org:FormalOrganization }").stdout == "true\n"
    assert query("-e", "ASK { cid:cast a foaf:Person }").stdout == "false\n"
    as_json = query("-e", "ASK { cid:cast a foaf:Person }", "--format", "json")
    assert json.loads(as_json.stdout) == {"head": {}, "boolean": False}


def test_construct_prints_turtle(query):
    from pyoxigraph import RdfFormat, parse

    result = query("-e", "CONSTRUCT { ?u org:unitOf cid:cast } WHERE { ?u org:unitOf cid:cast }")
    assert result.exit_code == 0
    assert "@prefix cid: <https://w3id.org/castgraph/id/> ." in result.stdout
    triples = list(parse(result.stdout.encode(), format=RdfFormat.TURTLE))
    assert len(triples) >= 15
    assert {t.predicate.value for t in triples} == {"http://www.w3.org/ns/org#unitOf"}


def test_graph_answers_from_one_source_only(query):
    names = "SELECT DISTINCT ?n WHERE { cid:fed-science-popularization skos:prefLabel|skos:altLabel ?n }"

    def values(*extra: str) -> set[str]:
        rows = csv.reader(io.StringIO(query("-e", names, "--format", "csv", *extra).stdout))
        return {row[0] for row in list(rows)[1:]}

    both = {
        "All-China Federation for Science Popularization",
        "All-China Association for Science Popularization",
    }
    assert values() >= both  # and the Chinese names and renderings of reference sources
    assert values("--graph", "000") == {"All-China Federation for Science Popularization"}
    assert values("--graph", "graph:002") == {"All-China Association for Science Popularization"}
    iri = "https://w3id.org/castgraph/graph/002"
    assert values("--graph", iri) == values("--graph", "002")


def test_a_library_query_restricted_to_a_graph_keeps_its_labels_and_sources(query):
    """The vocabulary (concept labels) and the registry (sources) stay readable."""
    everything = query("heads-of-departments")
    only_004 = query("heads-of-departments", "--graph", "004")
    only_002 = query("heads-of-departments", "--graph", "002")
    # every department post of 2007 comes from source 004; the others are today's (H1, H2, ...)
    rows = list(csv.DictReader(io.StringIO(everything.stdout)))
    assert list(csv.DictReader(io.StringIO(only_004.stdout))) == [
        r for r in rows if r["source"] == "004"
    ]
    today = {r["source"] for r in rows if r["source"] != "004"}
    assert today >= {"H1", "H2"}
    assert all(key.startswith("H") for key in today), today  # the sources of today's units
    assert only_002.stdout.splitlines()[1:] == []  # the encyclopedia names no department heads
    search = query("search-by-name", "-p", "name=popularization", "--graph", "000")
    assert {row["source"] for row in csv.DictReader(io.StringIO(search.stdout))} == {"000"}


def test_dataset_option_reads_nquads(query, built_dist):
    result = query("--dataset", str(built_dist / "castgraph.nq"), "-e", "ASK { cid:cast ?p ?o }")
    assert result.stdout == "true\n"


# ---------------------------------------------------------------------------------------------
# Errors and exit codes


def test_missing_parameter_is_a_usage_error_naming_it(query, tmp_path):
    path = tmp_path / "who.rq"
    path.write_text("SELECT ?_who WHERE {}\n", encoding="utf-8")
    result = query("--file", str(path))
    assert result.exit_code == 2
    assert "missing parameter 'who'" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("who-held-which-post-at-a-date", "-p", "date=2007-02-30"),
            "parameter date: '2007-02-30'",
        ),
        (("who-held-which-post-at-a-date", "-p", "date=June 2007"), "is not a date"),
        (("path-from-a-unit-up-to-cast", "-p", "unit=http://x/a b"), "parameter unit"),
        (("path-from-a-unit-up-to-cast", "-p", "unit=not an iri"), "is not an IRI"),
        (("-e", "SELECT ?_n_integer WHERE {}", "-p", "n=12x"), "is not an integer"),
    ],
)
def test_ill_typed_parameter_is_bad_input(query, args, message):
    result = query(*args)
    assert result.exit_code == 3
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("heads-of-departments", "-e", "ASK {}"),
        ("heads-of-departments", "-p", "no-equals-sign"),
        ("heads-of-departments", "-p", "nosuch=1"),
        ("heads-of-departments", "--format", "yaml"),
        ("list", "-p", "a=b"),
    ],
)
def test_usage_errors_exit_2(query, args):
    assert query(*args).exit_code == 2


def test_unknown_query_name_suggests_close_matches(query):
    result = query("heads-of-departmnts")
    assert result.exit_code == 3
    assert "did you mean heads-of-departments" in result.stderr


def test_syntax_error_gives_line_and_column(query, tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}\n", encoding="utf-8")
    result = query("--file", str(path))
    assert result.exit_code == 3
    line = result.stderr.strip()
    assert re.search(r"broken\.rq:\d+:\d+: expected ", line), (
        line
    )  # position as pyoxigraph reports it
    assert "\n" not in line
    unknown_prefix = query("-e", "SELECT * WHERE { ?s nope:p ?o }")
    assert unknown_prefix.exit_code == 3
    assert re.fullmatch(
        r"-e:1:\d+: unknown prefix \(declare it with PREFIX\)", unknown_prefix.stderr.strip()
    )


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { cid:x a org:Post }",
        "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "LOAD <http://127.0.0.1:9/data.ttl>",
    ],
)
def test_updates_are_refused_read_only(query, update):
    result = query("-e", update)
    assert result.exit_code == 3
    assert "read-only" in result.stderr


def test_service_is_refused_before_any_request(query):
    result = query("-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert result.exit_code == 3
    assert "SERVICE refused" in result.stderr


def test_missing_dataset_is_bad_input(cli, tmp_path):
    result = cli("query", "heads-of-departments", "--dist-dir", str(tmp_path / "none"))
    assert result.exit_code == 3
    assert "run `castgraph build` first" in result.stderr


def test_unknown_graph_is_bad_input_listing_the_known_ones(query):
    result = query("heads-of-departments", "--graph", "999")
    assert result.exit_code == 3
    assert "graph:004" in result.stderr


def test_the_command_module_imports_no_rdf_library():
    code = (
        "import sys, castgraph.cli.query; "
        "heavy = {'rdflib', 'pyoxigraph', 'pyshacl', 'yaml', 'rich'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_path_works_where_a_name_is_expected(query, tmp_path):
    path = tmp_path / "ask.rq"
    path.write_text("ASK { cid:cast a org:FormalOrganization }\n", encoding="utf-8")
    assert query(str(path)).stdout == "true\n"


def test_on_a_terminal_the_default_format_is_a_table(built_dist):
    """Run the real command with its standard output on a pseudo-terminal."""
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "castgraph", "query", "path-from-a-unit-up-to-cast",
             "--dist-dir", str(built_dist)],
            stdout=follower, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "200"},
            timeout=60, check=True,
        )  # fmt: skip
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed once everything was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert done.returncode == 0
    assert "(3 rows)" in text
    assert "China Association for Science and Technology" in text
    assert "," not in text.splitlines()[0], "a table, not CSV"


def test_a_parameter_left_out_of_select_is_explained(query):
    result = query("-e", "SELECT ?s WHERE { ?s ?p ?_v }", "-p", "v=1")
    assert result.exit_code == 3
    assert "parameter ?_v must be in the SELECT clause" in result.stderr


def test_the_command_offers_every_result_format():
    from castgraph.cli.query import RESULT_FORMATS as offered
    from castgraph.query.results import RESULT_FORMATS

    assert offered == RESULT_FORMATS


def test_the_union_counts_each_statement_once_however_many_sources_make_it(query):
    """CAST's short name 中国科协 is stated by three sources; a COUNT over the union sees it once."""
    names = query(
        "-e",
        'SELECT (COUNT(*) AS ?n) WHERE { cid:cast skos:altLabel "中国科协"@zh-Hans }',
        "-f",
        "csv",
    )
    assert names.stdout.splitlines() == ["n", "1"]
    societies = query(
        "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s org:memberOf cid:cast }", "-f", "csv"
    )
    assert societies.stdout.splitlines() == ["n", "209"]
