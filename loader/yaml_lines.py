"""YAML read safely with libyaml, keeping the line of every mapping and key.

Mappings come back as :class:`LineDict` (a ``dict`` that knows its own line and each key's
line, counted from 1). Data cannot be lost silently: a repeated key is an error naming both
lines, and aliases (``*name``) are refused, so no document expands beyond its text.
"""

from __future__ import annotations

from typing import Any

import yaml

try:  # libyaml's parser, several times faster than the pure-Python one
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class YamlProblem(ValueError):
    """A document that parses but would lose or blow up data; ``line`` counts from 1."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


_RESOLVED: dict[tuple[str, Any], str] = {}


class LineDict(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """The line of ``key``, else the mapping's own line."""
        return self.key_lines.get(key, self.line)


class LineLoader(_BaseLoader):
    """Safe YAML whose mappings are :class:`LineDict`; duplicate keys and aliases refused."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # Most scalars repeat (types, labels, ids, years): resolve each short one once.
        if kind is not yaml.ScalarNode or value is None or len(value) > 40:
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = _RESOLVED[key] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # An alias is the anchored node met a second time: refuse it instead of expanding.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise YamlProblem(
                node.start_mark.line + 1,
                "aliases (*name) are not allowed in kazgraph files; write the value out",
            )
        return super().construct_object(node, deep=deep)


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in data.key_lines:
            raise YamlProblem(
                line,
                f"key '{key}' appears twice in one mapping (lines {data.key_lines[key]} "
                f"and {line})",
            )
        data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=True)


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
# Dates stay text (``2019-04-01``), so a wrong one is a validation message, not a crash.
LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> Any:
    """Parse one YAML document; raise ``yaml.YAMLError`` or :class:`YamlProblem`."""
    return yaml.load(text, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader


def problem_line(exc: Exception) -> int | None:
    """The line (from 1) a YAML error points at, when it names one."""
    if isinstance(exc, YamlProblem):
        return exc.line
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 1 if mark is not None else None
