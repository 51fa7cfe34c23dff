"""sources.yaml -> mappings that remember their line, read with the safe loader only."""

from __future__ import annotations

from pathlib import Path

from castgraph.errors import display_path
from castgraph.limits import LIMITS
from castgraph.loaders.problems import DataProblem, Location

MAX_YAML_BYTES = LIMITS.yaml_bytes


def read_mappings(path: Path, problems: list[DataProblem]) -> list[tuple[Location, dict[str, str]]]:
    """Return ``(location, mapping)`` for each item of the top-level YAML list.

    Values are returned as strings exactly as written (YAML's implicit typing would turn
    ``000`` into 0 and ``2007`` into an int). Anchors and aliases are refused.
    """
    import yaml

    shown = display_path(path)
    from castgraph.guard.yaml_text import YamlRefused, check_events, check_text

    try:  # hardening: regular file, size cap while reading, NUL/control bytes, nesting depth
        text = check_text(path, shown)
        check_events(yaml.parse(text, Loader=yaml.SafeLoader), shown)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except YamlRefused as refused:
        problems.append(DataProblem(Location(shown, refused.line), refused.what, blocking=True))
        return []
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        problems.append(
            DataProblem(Location(shown, line), f"bad YAML: {error.problem or error}", blocking=True)
        )
        return []
    except (yaml.YAMLError, RecursionError) as error:
        message = " ".join(str(error).split())
        problems.append(DataProblem(Location(shown), f"bad YAML: {message}", blocking=True))
        return []
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        problems.append(
            DataProblem(
                Location(shown, root.start_mark.line + 1),
                "expected a list of sources",
                blocking=True,
            )
        )
        return []
    items: list[tuple[Location, dict[str, str]]] = []
    for node in root.value:
        location = Location(shown, node.start_mark.line + 1)
        if not isinstance(node, yaml.MappingNode):
            problems.append(DataProblem(location, "expected a mapping (key: value lines)"))
            continue
        mapping: dict[str, str] = {}
        for key_node, value_node in node.value:
            if not isinstance(value_node, yaml.ScalarNode):
                line = value_node.start_mark.line + 1
                problems.append(
                    DataProblem(Location(shown, line), f"{key_node.value}: expected a single value")
                )
                continue
            if key_node.value in mapping:
                line = key_node.start_mark.line + 1
                problems.append(
                    DataProblem(Location(shown, line), f"duplicate key {key_node.value!r}")
                )
            mapping[str(key_node.value)] = str(value_node.value).strip()
        items.append((location, mapping))
    return items
