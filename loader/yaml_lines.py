"""YAML read safely with libyaml, keeping the line of every mapping and key.

Mappings come back as :class:`LineDict` (a ``dict`` that knows its own line and each key's
line, counted from 1). Data cannot be lost silently: a repeated key is an error naming both
lines, and aliases (``*name``) are refused, so no document expands beyond its text.

Two readers give the same result. The quick one builds the data straight from libyaml's
events in one loop, for the plain documents kazgraph's files are (no tags, anchors,
aliases, merge keys or repeated keys, one document); at the first thing it does not handle
it gives up, and :class:`LineLoader`, PyYAML's own constructor with the checks above, reads
the text again and says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
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
        if isinstance(key, list | dict):
            raise YamlProblem(line, "a key must be a single value, not a list or a mapping")
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


@dataclass(frozen=True)
class Document:
    """A parsed document; whether any text in it may hold a control character (Unicode
    category Cc: tab and newline too; ``False`` means that none does); and whether JSON
    holds it exactly (every key is text, read by the quick reader)."""

    data: Any
    control_characters: bool
    json_exact: bool = False


# Unicode category Cc is exactly these code points.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_STR = "tag:yaml.org,2002:str"
_PLAIN_KINDS = (_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")  # fmt: skip
_PLAIN: dict[str, Any] = {}  # short plain scalars, resolved and constructed once
_PLAIN_MAX = 200_000  # entries before that memo starts again


class _Unusual(Exception):
    """Something the quick reader leaves to :class:`LineLoader`."""


_NEEDS_KEY = object()  # an open mapping waits for its next key
_IN_LIST = object()  # an open sequence


def _plain(value: str) -> Any:
    """A plain (unquoted) scalar as PyYAML's safe loader makes it, dates kept as text."""
    if len(value) > 5 and value[0] in _WORDS:
        return value  # longer than any boolean or null word
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    if tag not in _PLAIN_KINDS:
        raise _Unusual(tag)  # a merge key (<<) or '='
    return _RESOLVER.yaml_constructors[tag](_RESOLVER, yaml.ScalarNode(tag, value))


def _quick(text: str) -> Document:
    """Build the document from the parser's events; raise :class:`_Unusual` or a
    ``yaml.YAMLError`` at whatever :class:`LineLoader` must judge instead."""
    parser = _BaseLoader(text)
    try:
        get: Callable[[], Any] = parser.get_event
        get()  # stream start
        event = get()
        if type(event) is yaml.StreamEndEvent:
            return Document(None, False, True)
        if type(event) is not yaml.DocumentStartEvent:
            raise _Unusual(event)
        # the open containers, innermost in ``top``; ``slot`` says what ``top`` waits for:
        # _IN_LIST, _NEEDS_KEY, or the key its next value belongs to
        stack: list[tuple[Any, Any]] = []
        top: Any = None
        slot: Any = None
        root: Any = None
        text_keys = True
        texts: list[str] = []  # every string, searched for control characters at the end
        keep = texts.append
        scalar, mapping_start, sequence_start = (
            yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        )  # fmt: skip
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        memo, resolvable = _PLAIN, _RESOLVABLE
        while True:
            event = get()
            kind = type(event)
            if kind is scalar:
                if event.anchor is not None or event.tag is not None:
                    raise _Unusual(event)
                value = event.value
                if event.implicit[0] and value[:1] in resolvable:
                    found = memo.get(value, _Unusual)
                    if found is _Unusual:
                        found = _plain(value)
                        if len(value) <= 40:
                            if len(memo) >= _PLAIN_MAX:
                                memo.clear()
                            memo[value] = found
                    value = found
                    if type(value) is str:
                        keep(value)
                else:
                    keep(value)
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None or event.tag is not None:
                    raise _Unusual(event)
                if slot is _NEEDS_KEY:
                    raise _Unusual(event)  # a mapping or sequence as a key
                stack.append((top, slot))
                if kind is mapping_start:
                    top = LineDict()
                    top.line = event.start_mark.line + 1
                    slot = _NEEDS_KEY
                else:
                    top, slot = [], _IN_LIST
                continue
            elif kind in ends:
                value = top
                top, slot = stack.pop()
            elif kind is yaml.DocumentEndEvent:
                if type(get()) is not yaml.StreamEndEvent:
                    raise _Unusual("more than one document")
                return Document(root, CONTROL.search(" ".join(texts)) is not None, text_keys)
            else:  # an alias
                raise _Unusual(event)
            if slot is _IN_LIST:
                top.append(value)
            elif slot is _NEEDS_KEY:
                if value in top.key_lines:
                    raise _Unusual("a repeated key")
                if type(value) is not str:
                    text_keys = False
                top.key_lines[value] = event.start_mark.line + 1
                slot = value
            elif not stack:
                root = value  # the document's node
            else:
                top[slot] = value
                slot = _NEEDS_KEY
    finally:
        parser.dispose()


_RESOLVER = LineLoader("")
_RESOLVABLE = frozenset(k for k in LineLoader.yaml_implicit_resolvers if k) | {""}
# the first letters of booleans and null only (yes, No, TRUE, off, null, ~): 5 letters at most
_WORDS = frozenset("yYnNtTfFoO~")


def read_yaml(text: str) -> Document:
    """Parse one YAML document; raise ``yaml.YAMLError`` or :class:`YamlProblem`."""
    try:
        return _quick(text)
    except (_Unusual, yaml.YAMLError):
        pass  # the full loader says what is wrong, or reads what the quick one does not
    data = yaml.load(text, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader
    return Document(data, True)


def load_yaml(text: str) -> Any:
    """Parse one YAML document; raise ``yaml.YAMLError`` or :class:`YamlProblem`."""
    return read_yaml(text).data


def problem_line(exc: Exception) -> int | None:
    """The line (from 1) a YAML error points at, when it names one."""
    if isinstance(exc, YamlProblem):
        return exc.line
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 1 if mark is not None else None
