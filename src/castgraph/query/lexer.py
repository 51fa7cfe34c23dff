"""A small SPARQL lexer for listings and rendering: comments, strings and IRIs apart from
keywords and variables (the query form, whether the top level has ORDER BY, the variables).

It decides nothing about safety: ``castgraph.guard.sparql`` refuses updates, SERVICE and FROM
by a real parse.
"""

from __future__ import annotations

import re
from collections import namedtuple
from functools import cache

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})

# ---------------------------------------------------------------------------------------------
# A small SPARQL lexer. pyoxigraph exposes no parsed query (no algebra) to Python, and rdflib's
# parser costs ~0.2 s to import, too much for a command that should answer in well under 0.3 s.
# The lexer only needs to tell comments, strings and IRIs apart from keywords and variables.

_TOKEN_PATTERN = r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<variable>[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.\-]*:[^\s{}()\[\];,]*|:[^\s{}()\[\];,]*|[A-Za-z][A-Za-z0-9_]*)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<space>\s+)
  | (?P<other>.)
    """


@cache
def _token() -> re.Pattern:
    """Compiled on first use: the Unicode ranges make it the slowest import of the CLI."""
    return re.compile(_TOKEN_PATTERN, re.VERBOSE | re.DOTALL)


class Lexed(namedtuple("Lexed", "form variables keywords top_level_order_by")):
    """What the lexer learns about a query text: its ``form`` (SELECT, CONSTRUCT, DESCRIBE, ASK,
    an update keyword, or "" when unknown), its ``variables`` (every name, without ? or $, in
    order of appearance), its ``keywords`` (a frozenset of every bare keyword, upper-cased) and
    ``top_level_order_by`` (ORDER BY outside any { } group)."""

    __slots__ = ()


def lex(text: str) -> Lexed:
    form = ""
    variables: list[str] = []
    keywords: set[str] = set()
    depth = 0
    previous = ""
    order_by = False
    for match in _token().finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind == "variable":
            name = value[1:]
            if name not in variables:
                variables.append(name)
        elif kind == "word" and ":" not in value:
            word = value.upper()
            keywords.add(word)
            if (
                not form
                and word not in ("BASE", "PREFIX")
                and (word in QUERY_FORMS or word in UPDATE_KEYWORDS)
            ):
                form = word
            if word == "BY" and previous == "ORDER" and depth == 0:
                order_by = True
            previous = word
            continue
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        if kind not in ("space", "comment"):
            previous = ""
    return Lexed(form, tuple(variables), frozenset(keywords), order_by)
