"""Checks for a YAML data file before and while PyYAML reads it.

Before: only a regular file, at most ``limits.yaml_bytes`` read, UTF-8, no NUL or other control
bytes (PyYAML raises an unmarked error for them), nesting depth by the linear pre-scan (PyYAML's
scanner is quadratic in flow depth: 100,000 ``[`` took > 120 s). While: over PyYAML's event
stream, which is produced without recursion, refuse anchors and aliases (the alias bomb), every
explicit tag (``!!python/name:...``, ``!!str``, ``!custom``, ``%TAG``), and count the depth again
exactly, before the recursive composer sees a node.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from castgraph.errors import InputError
from castgraph.limits import LIMITS

# What PyYAML's reader refuses (with an unmarked, multi-line error): C0 and C1 controls except
# tab, line feed, carriage return and NEL; a BOM inside the text; the non-characters; surrogates.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff\ud800-\udfff]"
)


class YamlRefused(Exception):
    """A refusal at a line (0 for the whole file) with its message (without the path)."""

    def __init__(self, line: int, what: str):
        super().__init__(f"{line}: {what}")
        self.line = line
        self.what = what


def _from_input_error(error: InputError, shown: str) -> YamlRefused:
    message = str(error).removeprefix(f"{shown}:")
    line, sep, rest = message.partition(": ")
    if sep and line.strip().isdigit():
        return YamlRefused(int(line), rest)
    return YamlRefused(0, message.strip())


def check_text(path: Path, shown: str) -> str:
    """The file's text after the size, encoding, control-character and nesting checks."""
    from castgraph.guard.inputs import read_input
    from castgraph.guard.nesting import check

    try:
        data = read_input(path, kind="yaml")
    except InputError as error:
        raise _from_input_error(error, shown) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YamlRefused(line, f"not UTF-8: {error.reason}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        char = bad.group()
        name = "a NUL byte" if char == "\x00" else f"a control character U+{ord(char):04X}"
        raise YamlRefused(line, f"{name} is not allowed")
    try:
        check(data, "yaml", where=shown)
    except InputError as error:
        raise _from_input_error(error, shown) from None
    return text


def check_events(events: Iterable, shown: str, max_depth: int | None = None) -> None:
    """Walk PyYAML events: refuse anchors, aliases and tags; count the nesting depth."""
    import yaml

    limit = max_depth if max_depth is not None else LIMITS.yaml_depth
    depth = 0
    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlRefused(line, "anchors and aliases are not allowed")
        tag = getattr(event, "tag", None)
        if tag is not None and not isinstance(event, yaml.DocumentStartEvent):
            raise YamlRefused(line, f"tags are not allowed (found {_short_tag(tag)})")
        if isinstance(event, yaml.DocumentStartEvent) and getattr(event, "tags", None):
            raise YamlRefused(line, "%TAG directives are not allowed")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limit:
                raise YamlRefused(line, f"nesting deeper than {limit}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _short_tag(tag: str) -> str:
    if tag.startswith("tag:yaml.org,2002:"):
        return "!!" + tag[len("tag:yaml.org,2002:") :]
    return tag if len(tag) <= 60 else tag[:57] + "..."
