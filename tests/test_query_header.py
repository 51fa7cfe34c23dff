"""The ``#+`` header of a query: the quick reader of ``defaults`` and ``name_index`` answers
only where YAML gives the same answer, and every library query is in its form (so running one
never imports the YAML parser)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from castgraph.errors import InputError
from castgraph.query import library as queries
from castgraph.query.header import defaults_in, parse_header, simple_block


def _yaml_block(text: str, key: str):
    return parse_header(text).get(key)


@pytest.mark.parametrize("path", queries.query_files(), ids=lambda p: p.stem)
def test_every_library_query_is_read_quickly_and_as_yaml_reads_it(path):
    text = path.read_text(encoding="utf-8")
    simple = simple_block(text, "defaults")
    assert simple is not None, "keep #+ defaults in the simple form (see castgraph.query.header)"
    assert dict(simple[1]) == defaults_in(parse_header(text), path.stem)
    if "#+ name_index:" in text:
        simple = simple_block(text, "name_index")
        assert simple is not None
        assert dict(simple[1]) == _yaml_block(text, "name_index")


HEADER = "#+ summary: S\n#+ tags:\n#+   - t\n{block}\nSELECT * WHERE {{ ?s ?p ?o }}\n"


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("#+ defaults: []", (True, [])),
        ("#+ defaults:\n#+   - date: 2007-06-01", (True, [("date", "2007-06-01")])),
        (
            "#+ defaults:\n#+   - entity: https://w3id.org/castgraph/id/cast\n#+   - group: all",
            (True, [("entity", "https://w3id.org/castgraph/id/cast"), ("group", "all")]),
        ),
        ("#+ name_index:\n#+   text: name\n#+   entity: entity", (False, [])),  # no defaults
        ("", (False, [])),
    ],
)
def test_the_simple_forms(block, expected):
    text = HEADER.format(block=block)
    assert simple_block(text, "defaults") == expected
    assert dict(expected[1]) == defaults_in(parse_header(text), "q")


@pytest.mark.parametrize(
    "block",
    [
        "#+ defaults:\n#+   - flag: yes",  # YAML 1.1: a boolean
        "#+ defaults:\n#+   - flag: Off",
        "#+ defaults:\n#+   - n: 007",  # YAML 1.1: the octal 7
        "#+ defaults:\n#+   - d: 2007-02-30",  # no such day: YAML fails
        '#+ defaults:\n#+   - x: "quoted"',
        "#+ defaults:\n#+   - x: a # a comment",
        "#+ defaults:\n#+   - x: http://a.example/b:",  # a trailing colon opens a mapping
        "#+ defaults: [{a: b}]",
        "#+ defaults:",  # null
        "#+ defaults:\n#+   - a: b\n#+   c: d",  # a list and a mapping mixed
        "#+ defaults:\n#+   a: b\n#+   a: c",  # a repeated key
        "#+ defaults:\n#+\t- a: b",
        "#+ defaults:\n#+   - a: b\n#+ defaults: []",
        "#+defaults: []",
    ],
)
def test_anything_else_is_left_to_yaml(block):
    assert simple_block(HEADER.format(block=block), "defaults") is None


_WORDS = st.text(alphabet="abcdeflnorstuy-0123456789:/.#'\" Y", min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True), _WORDS), max_size=3)
)
def test_where_the_quick_reader_answers_yaml_agrees(pairs):
    block = "#+ defaults:" + "".join(f"\n#+   - {name}: {value}" for name, value in pairs)
    text = HEADER.format(block=block)
    simple = simple_block(text, "defaults")
    if simple is None:
        return
    assert dict(simple[1]) == defaults_in(parse_header(text), "q")


def test_a_name_index_written_as_a_list_is_refused_as_yaml_would():
    text = HEADER.format(block="#+ name_index:\n#+   - text: name\n#+   - entity: entity")
    definition = queries.definition_from_text(text, "q", checked=False)
    with pytest.raises(InputError, match="needs `text` and `entity`"):
        _ = definition.name_index


def test_a_checked_query_still_reads_its_whole_header():
    text = "#+ summary: [unclosed\n#+ defaults:\n#+   - date: 2007-06-01\nSELECT ?_date_date {}\n"
    assert simple_block(text, "defaults") is not None
    with pytest.raises(InputError, match="bad #\\+ header"):
        queries.definition_from_text(text, "q")


def test_running_a_library_query_with_a_default_does_not_import_yaml(built_dist):
    code = (
        "import sys\n"
        "from castgraph.cli import run\n"
        "code = run(['query', 'who-held-which-post-at-a-date', '--dist-dir', "
        f"{str(built_dist)!r}])\n"
        "assert code == 0, code\n"
        "print('yaml' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "False"
