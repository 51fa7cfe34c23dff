"""A library query's ``#+`` header (grlc/BASIL decorators, YAML): read whole, or the two blocks a
run needs read quickly.

Running a query needs only its ``defaults`` (and ``name_index`` for a search), never its summary
or tags. Importing the YAML parser costs a cold ``castgraph query`` 25 to 35 ms, a third of
what a query on the curated graph may take, so a run reads those two blocks with
``simple_block`` when they are in the plainest YAML form there is: ``key:`` then lines of
``  - name: value`` (a list of one-key mappings) or ``  name: value`` (a mapping), each value
a word, an IRI or a date, which YAML reads as the same text. Anything else (quotes, a flow
list, a comment, ``yes``, ``007``, a date that does not exist) is left to YAML: the quick
reader answers only where it is sure to agree, and a test holds it to that for every library
query and for generated headers.
"""

from __future__ import annotations

import re

from castgraph.errors import InputError

_KEY_LINE = re.compile(r" [A-Za-z_][A-Za-z0-9_]*:( |$)")  # a key of the header's own mapping
_BLOCK_LINE = re.compile(r"  (- )?([A-Za-z_][A-Za-z0-9_]*): (\S+)")
# A word, an http(s) IRI or a date: plain scalars that YAML resolves to the same text. Words
# YAML 1.1 reads as booleans or null are not "the same text": they go to YAML.
_PLAIN = re.compile(r"[a-z][a-z0-9-]*|https?://[A-Za-z0-9._~/?#@!$&()*+,;=%:-]+|\d{4}-\d\d-\d\d")
_YAML_WORDS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])


def header_lines(text: str) -> list[str]:
    """The leading ``#+`` lines of ``text``, without the ``#+``."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    return lines


def parse_header(text: str, where: str = "query") -> dict:
    """The YAML of the leading ``#+`` lines; {} when there are none."""
    lines = header_lines(text)
    if not lines:
        return {}
    import yaml

    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(f"{where}:{line} bad #+ header: {problem}") from None
    if header is None:
        return {}
    if not isinstance(header, dict):
        raise InputError(f"{where}: bad #+ header: expected `key: value` lines")
    return header


def simple_block(text: str, key: str) -> tuple[bool, list[tuple[str, str]]] | None:
    """``key``'s block when it is in the plainest form: (is a list, its name-value pairs).

    ``(True, [])`` for ``key: []``, ``(False, [])`` when the header has no ``key``; None when
    the block, or the header around it, is anything else: YAML must read it.
    """
    lines = header_lines(text)
    found = [i for i, line in enumerate(lines) if line.startswith(f" {key}:")]
    if not found:
        if any(not _top_level(line) and not line.startswith("   ") for line in lines):
            return None  # an odd header: YAML may read a key hidden in it
        return False, []
    if len(found) > 1 or not all(line.startswith(" ") for line in lines):
        return None
    start = found[0]
    rest = lines[start][len(key) + 2 :]
    if rest == " []":
        return True, []
    if rest != "":
        return None
    pairs: list[tuple[str, str]] = []
    dashes = set()
    for line in lines[start + 1 :]:
        if _top_level(line):
            break
        match = _BLOCK_LINE.fullmatch(line[1:])
        if match is None:
            return None
        dash, name, value = match.groups()
        if not _is_plain(value):
            return None
        dashes.add(bool(dash))
        pairs.append((name, value))
    if len(dashes) != 1:
        return None  # an empty block (null), or a list and a mapping mixed
    is_list = dashes == {True}
    if not is_list and len({name for name, _ in pairs}) != len(pairs):
        return None  # a repeated key: YAML's answer, not ours
    return is_list, pairs


def _top_level(line: str) -> bool:
    """`` key: ...``: a line of the header's own mapping."""
    return _KEY_LINE.match(line) is not None


def _is_plain(value: str) -> bool:
    if not _PLAIN.fullmatch(value) or value.lower() in _YAML_WORDS or value.endswith(":"):
        return False
    if value[0].isdigit():  # a date YAML reads as one only if it exists
        from datetime import date

        try:
            date.fromisoformat(value)
        except ValueError:
            return False
    return True


def defaults_in(header: dict, where: str) -> dict[str, str]:
    """The ``defaults`` of a header YAML has read: parameter name -> value as text."""
    raw = header.get("defaults") or []
    if isinstance(raw, dict):  # tolerate a mapping as well as grlc's list of one-key mappings
        raw = [raw]
    if not isinstance(raw, list):
        raise InputError(f"{where}: bad #+ defaults: expected a list of `- name: value`")
    defaults: dict[str, str] = {}
    for item in raw:
        if not isinstance(item, dict):
            raise InputError(f"{where}: bad #+ defaults entry {item!r}: expected `- name: value`")
        for key, value in item.items():
            defaults[str(key)] = _yaml_scalar(value)
    return defaults


def _yaml_scalar(value) -> str:
    from datetime import date  # here: the YAML parser has imported it already

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):  # YAML reads 2007-06-01 as a date
        return value.isoformat()
    return str(value)
