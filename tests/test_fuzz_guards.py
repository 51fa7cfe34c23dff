"""Property-based fuzzing (hypothesis) of the guards, the loaders and the query path.

Bounded: a fixed number of examples per property and a per-example deadline, so a hang or a
quadratic path shows as a failure instead of a stuck CI job. The properties:

- the nesting pre-scan and the YAML/CSV loaders never raise anything but our one-line errors
  (the loaders: never raise at all, they collect ``file:line: message`` problems);
- a SERVICE clause, wherever it is put in a valid query (under OPTIONAL, UNION, MINUS, EXISTS,
  GRAPH, subqueries, in any case, after comments), is always refused, and so are FROM and LOAD;
- ``castgraph query`` on arbitrary SPARQL-like text ends with exit 0 or 3, never a crash (5)
  or a hang, and never a request to the loopback listener.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from castgraph.errors import InputError
from castgraph.guard.nesting import SYNTAXES, check
from castgraph.guard.sparql import QueryRefused, classify
from castgraph.loaders.problems import DataProblem
from conftest import invoke

FAST = settings(
    max_examples=60,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SLOW = settings(
    max_examples=12,
    deadline=20_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

PIECES = [
    "{", "}", "(", ")", "[", "]", "<<", ">>", '"', "'", '"""', "'''", "#", "\n", "\\", "<", ">",
    " ", "a", "ex:p", "_:b", "?x", "<http://e/x>", "SELECT", "WHERE", "SERVICE", "OPTIONAL",
    "@prefix", "- ", ": ", "&", ";", ",", ".", "\\u007B", "<!--", "-->", "<![CDATA[", "]]>",
    "<ex:p>", "</ex:p>", "<x/>", "!!str", "*a", "&a",
]  # fmt: skip
hostile_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=400).map("".join)


@FAST
@given(text=hostile_text, syntax=st.sampled_from(sorted(SYNTAXES)))
def test_the_nesting_scan_only_ever_raises_input_errors(text, syntax):
    message = ""
    try:
        depth = check(text, syntax, where="f")
    except InputError as error:
        message = str(error)
    if message:
        assert re.fullmatch(r"f:\d+: [^\n]+", message), message
    else:
        assert depth >= 0


@settings(max_examples=20, deadline=10_000)
@given(
    depth=st.integers(min_value=129, max_value=200_000),
    syntax=st.sampled_from(["turtle", "json", "sparql"]),
)
def test_deep_nesting_is_refused_in_linear_time(depth, syntax):
    opener = {"turtle": "[", "json": "[", "sparql": "{"}[syntax]
    started = time.monotonic()
    with pytest.raises(InputError, match="nesting deeper than"):
        check(opener * depth, syntax, where="f")
    assert time.monotonic() - started < 1.0


# ---------------------------------------------------------------------------------------------
# SERVICE anywhere

GROUPS = [
    "OPTIONAL {{ {} }}",
    "{{ {} }} UNION {{ ?a ?b ?c }}",
    "{{ ?a ?b ?c }} UNION {{ {} }}",
    "MINUS {{ {} }}",
    "FILTER EXISTS {{ {} }}",
    "FILTER NOT EXISTS {{ {} }}",
    "GRAPH ?g {{ {} }}",
    "{{ SELECT * WHERE {{ {} }} }}",
    "{{ {} }}",
    'OPTIONAL {{ ?q cid:p"a b" }} {}',
    '?q cid:p"x}}#" . {}',
    "# SERVICE in a comment\n {}",
    '?s ?p "A\\u0022 , " . {} . ?s ?p " , \\u0022x"',
    "?s ?p 'A\\u0027 , ' . {} . ?s ?p ' , \\u0027x'",
    '?s ?p "\\\\u0022 , " . {} . ?s ?p " , \\\\u0022x"',
]
SERVICE_WORDS = ["SERVICE", "service", "Service", "SERVICE SILENT", "service silent"]
ENDPOINTS = ["<http://127.0.0.1:9/sparql>", "?endpoint", "<file:///etc/passwd>", "cid:x", "<>"]


@FAST
@given(
    wraps=st.lists(st.sampled_from(GROUPS), max_size=6),
    word=st.sampled_from(SERVICE_WORDS),
    endpoint=st.sampled_from(ENDPOINTS),
    spacing=st.sampled_from([" ", "\n", "\t", " #c\n ", "  "]),
)
def test_service_is_refused_wherever_it_is(wraps, word, endpoint, spacing):
    pattern = f"{word}{spacing}{endpoint}{spacing}{{ ?x ?y ?z }}"
    for wrap in wraps:
        pattern = wrap.format(pattern)
    query = f'SELECT * WHERE {{ {pattern} FILTER(?x != "none") }}'
    with pytest.raises(InputError) as refused:  # SERVICE refused, or not parsed: never run
        classify(query, "-e")
    if word.split()[0].upper() == "SERVICE" and "expected" not in str(refused.value):
        assert "SERVICE refused" in str(refused.value)


def test_the_bypass_of_issue_12_is_refused_as_service():
    query = (
        'SELECT ?x WHERE { OPTIONAL { ?q cid:p"a b" } SERVICE <http://127.0.0.1:9/sparql> '
        '{?x ?y ?z} FILTER(?x != "none") }'
    )
    with pytest.raises(QueryRefused, match=r"^-e: SERVICE refused"):
        classify(query, "-e")


@FAST
@given(
    head=st.sampled_from(
        [
            "SELECT * FROM <http://127.0.0.1:9/d> WHERE { ?s ?p ?o }",
            "SELECT * FROM NAMED <http://127.0.0.1:9/d> WHERE { ?s ?p ?o }",
            "ASK FROM <file:///etc/passwd> { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } FROM <http://127.0.0.1:9/d> WHERE { ?s ?p ?o }",
            "LOAD <http://127.0.0.1:9/d>",
            "LOAD SILENT <http://127.0.0.1:9/d> INTO GRAPH <g>",
            "INSERT DATA { <a> <b> <c> }",
            "DELETE WHERE { ?s ?p ?o }",
            "CLEAR ALL",
            "DROP GRAPH <g>",
            "WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        ]
    ),
    prologue=st.sampled_from(["", "PREFIX ex: <http://e/>\n", "# comment\n", "BASE <http://e/> "]),
)
def test_from_load_and_updates_are_refused(head, prologue):
    with pytest.raises(QueryRefused):
        classify(prologue + head, "-e")


@FAST
@given(text=hostile_text)
def test_the_guard_classifies_or_refuses_in_one_line(text):
    message, classified = "", None
    try:
        classified = classify(text, "q")
    except InputError as error:
        message = str(error)
    if classified is None:
        assert "\n" not in message
        assert message.startswith("q")
    else:
        assert classified.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


# ---------------------------------------------------------------------------------------------
# The query path end to end (each example forks a query process)

QUERY_PIECES = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "*", "?s", "?p", "?o", "WHERE", "{", "}", "(", ")",
    "FILTER", "OPTIONAL", "UNION", "VALUES", "BIND", "AS", "COUNT", "GROUP BY", "ORDER BY",
    "LIMIT 3", '"x"', "1", "<http://e/x>", "cid:cast", "SERVICE", "<http://127.0.0.1:9/s>", ".",
    "REGEX", "?s ?p ?o", "\n", "#", "[", "]", "a",
]  # fmt: skip


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "tiny.nt"
    path.write_text(
        "".join(f'<http://e/s{i}> <http://e/p> "v{i}" .\n' for i in range(20)), encoding="utf-8"
    )
    return path


@SLOW
@given(words=st.lists(st.sampled_from(QUERY_PIECES), min_size=1, max_size=30))
def test_the_query_command_never_crashes_or_hangs(words, tiny):
    text = " ".join(words)
    result = invoke("query", "-e", text, "--dataset", tiny, "--timeout", "5", "-f", "csv")
    assert result.exit_code in (0, 3), (text, result.exit_code, result.stderr)
    if result.exit_code == 3:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# ---------------------------------------------------------------------------------------------
# Loaders

CSV_PIECES = [",", '"', "\n", "\r\n", "\x00", "\ufeff", "é", "a", "1", " ", "=cmd()", "\x07"]


@FAST
@given(
    body=st.lists(st.sampled_from(CSV_PIECES) | st.text(max_size=4), max_size=200).map("".join),
    encoding=st.sampled_from(["utf-8", "latin-1", "utf-16"]),
)
def test_the_csv_reader_reports_problems_and_never_raises(tmp_path_factory, body, encoding):
    from castgraph.loaders.tabular import read_rows

    path = tmp_path_factory.mktemp("csv") / "x.csv"
    path.write_bytes(("a,b\n" + body).encode(encoding, errors="replace"))
    problems: list[DataProblem] = []
    rows = list(read_rows(path, ("a", "b"), problems))
    for problem in problems:
        assert "\n" not in problem.message
    for row in rows:
        assert set(row.values) == {"a", "b"}


YAML_PIECES = [
    "- ", "key: ", '"', "'", "[", "]", "{", "}", "\n", "  ", "&a ", "*a", "!!python/name:os.system ",
    "!x ", "%TAG ! tag:x\n---\n", "#", ": ", "\x00", "|\n", ">-\n", "? ", ",", "000", "é",
]  # fmt: skip


@FAST
@given(body=st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=3), max_size=300).map("".join))
def test_the_yaml_reader_reports_problems_and_never_raises(tmp_path_factory, body):
    from castgraph.loaders.yamlfile import read_mappings

    path = tmp_path_factory.mktemp("yaml") / "sources.yaml"
    path.write_bytes(body.encode("utf-8", errors="surrogatepass"))
    problems: list[DataProblem] = []
    items = read_mappings(path, problems)
    for problem in problems:
        assert "\n" not in problem.message
    for _, mapping in items:
        assert all(isinstance(v, str) for v in mapping.values())
    if "!!python" in body and not problems:
        # accepted only when the tag sits inside a quoted or plain scalar, never as a tag
        assert all("python" not in str(type(v)) for _, m in items for v in m.values())
