"""A query file's ``//`` YAML header read and checked into a :class:`SavedQuery`, every
problem named with file and line. PyYAML is needed here only: a file whose parsed form is
in the parse cache is not read again (:mod:`loader.saved_queries.files`)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from loader.errors import QueryFileError
from loader.saved_queries.records import (
    QUERY_NAME,
    Example,
    Param,
    Row,
    SavedQuery,
    in_project,
)
from loader.saved_queries.values import PARAM_TYPES, parse_value
from loader.yaml_lines import LineDict, YamlProblem, load_yaml, problem_line

HEADER_KEYS = ("title", "description", "params", "tags", "examples", "empty")
PARAM_KEYS = ("type", "default", "description")
EXAMPLE_KEYS = ("params", "expect", "absent", "ordered")


def _split_header(text: str) -> tuple[list[str], int, int]:
    """Header lines without ``//``, the header's first line and the Cypher's first line."""
    lines = text.splitlines()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = start
    header = []
    while end < len(lines) and lines[end].lstrip().startswith("//"):
        body = lines[end].lstrip()[2:]
        header.append(body[1:] if body.startswith(" ") else body)
        end += 1
    return header, start + 1, end + 1


# Comments, string literals, parameters and quoted names, in the order Cypher reads them.
_TOKENS = re.compile(
    r"(?P<comment>//[^\n]*|/\*.*?\*/)"
    r"|(?P<string>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
    r"|\$(?:`(?P<quoted_param>[^`]+)`|(?P<param>[A-Za-z_][A-Za-z0-9_]*))"
    r"|(?P<name>`[^`]*`)",
    re.S,
)


def used_params(cypher: str) -> dict[str, int]:
    """``$name`` parameters outside comments and strings, each with its first line (from 1)."""
    found: dict[str, int] = {}
    for match in _TOKENS.finditer(cypher):
        name = match.group("param") or match.group("quoted_param")
        if name and name not in found:
            found[name] = cypher.count("\n", 0, match.start()) + 1
    return found


class _Header:
    """Checks one header's YAML document, collecting problems as ``file:line: ...``."""

    def __init__(self, path: Path, first_line: int) -> None:
        self.path = path
        self.offset = first_line - 1
        self.problems: list[str] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.path}:{line + self.offset}: {message}")

    def mapping(
        self, value: object, line: int, what: str, keys: tuple[str, ...] | None = None
    ) -> LineDict:
        """``value`` as a mapping; with ``keys``, other keys are problems."""
        if not isinstance(value, LineDict):
            self.problem(line, f"{what} must be a mapping")
            return LineDict()
        for key in value:
            if keys is not None and key not in keys:
                self.problem(
                    value.line_of(key), f"unknown key '{key}' in {what} (known: {', '.join(keys)})"
                )
        return value

    def text(self, doc: LineDict, key: str) -> str:
        value = doc.get(key)
        line = doc.line_of(key)
        if value is None:
            self.problem(line, f"the header needs '{key}:'")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(line, f"'{key}' must be non-empty text")
            return ""
        if "\n\n" in value.strip():
            self.problem(line, f"'{key}' must be one paragraph")
        return " ".join(value.split())

    def params(self, doc: LineDict) -> dict[str, Param]:
        specs = self.mapping(doc.get("params") or LineDict(), doc.line_of("params"), "params")
        params: dict[str, Param] = {}
        for name, spec in dict.items(specs):
            pline = specs.line_of(name)
            if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                self.problem(pline, f"parameter name {name!r} is not a Cypher identifier")
                continue
            spec = self.mapping(spec, pline, f"param '{name}'", PARAM_KEYS)
            kind = spec.get("type")
            if kind not in PARAM_TYPES:
                self.problem(
                    spec.key_lines.get("type", pline),
                    f"param '{name}' needs a type: one of {', '.join(PARAM_TYPES)}",
                )
                continue
            default = spec.get("default")
            if default is not None:
                try:
                    default = parse_value(kind, default)
                except ValueError as exc:
                    self.problem(
                        spec.key_lines.get("default", pline), f"default of param '{name}': {exc}"
                    )
            description = " ".join(str(spec.get("description") or "").split())
            params[name] = Param(name, kind, default, description, pline)
        return params

    def tags(self, doc: LineDict) -> tuple[str, ...]:
        tags = doc.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            self.problem(doc.line_of("tags"), "'tags' must be a list of words")
            return ()
        return tuple(tags)

    def examples(
        self, doc: LineDict, params: dict[str, Param], required: bool = True
    ) -> tuple[Example, ...]:
        line = doc.line_of("examples")
        items = doc.get("examples")
        if items is None and not required:
            return ()
        if not isinstance(items, list) or not items:
            self.problem(line, "the header needs 'examples:', a list of at least one example")
            return ()
        examples = []
        for item in items:
            spec = self.mapping(item, line, "an example", EXAMPLE_KEYS)
            eline = spec.line or line
            given = self.mapping(spec.get("params") or LineDict(), eline, "example params")
            raw: dict[str, str] = {}
            for name, value in dict.items(given):
                pline = given.key_lines.get(name, eline)
                if name not in params:
                    self.problem(pline, f"example uses undeclared param '{name}'")
                    continue
                try:
                    parse_value(params[name].type, value)
                except ValueError as exc:
                    self.problem(pline, f"example param '{name}': {exc}")
                raw[name] = str(value)
            expect, absent = self.rows(spec, "expect", eline), self.rows(spec, "absent", eline)
            if not expect and not absent:
                self.problem(eline, "an example needs 'expect:' (or 'absent:') rows to check")
            ordered = spec.get("ordered", False)
            if not isinstance(ordered, bool):
                self.problem(spec.key_lines.get("ordered", eline), "'ordered' must be true/false")
            examples.append(Example(raw, expect, absent, bool(ordered), eline + self.offset))
        return tuple(examples)

    def rows(self, spec: LineDict, key: str, line: int) -> tuple[Row, ...]:
        rows = spec.get(key) or []
        if not isinstance(rows, list) or not all(isinstance(r, dict) and r for r in rows):
            self.problem(
                spec.key_lines.get(key, line),
                f"'{key}' must be a list of rows like {{column: value}}",
            )
            return ()
        return tuple(dict(r) for r in rows)


def _check_params_used(
    check: _Header, path: Path, params: dict[str, Param], text: str, first_line: int, what: str
) -> dict[str, int]:
    """Report ``$params`` in ``text`` that the header does not declare; return those used."""
    used = used_params(text)
    for pname, line in used.items():
        if pname not in params:
            declared = ", ".join(params) or "none"
            check.problems.append(
                f"{path}:{first_line + line - 1}: ${pname} is used {what}"
                f"but not declared in the header's params (declared: {declared})"
            )
    return used


def parse_header(path: Path, text: str) -> SavedQuery:
    """The saved query in ``text`` (the file at ``path``), its header read and checked;
    raise QueryFileError listing every problem, each with file and line."""
    name = path.stem
    lines, header_line, cypher_line = _split_header(text)
    check = _Header(path, header_line)
    if not QUERY_NAME.match(name):
        check.problem(1, f"query name '{name}' must be lower-case words joined by hyphens")
    if not lines:
        raise QueryFileError(
            f"{path}:{header_line}: a saved query starts with a `//` "
            "comment header (title, description, params, tags, examples)"
        )
    try:
        doc = load_yaml("\n".join(lines))
    except (yaml.YAMLError, YamlProblem) as exc:
        line = header_line + (problem_line(exc) or 1) - 1
        raise QueryFileError(
            f"{path}:{line}: malformed header ({getattr(exc, 'problem', None) or exc})"
        ) from exc
    doc = check.mapping(doc, 1, "the header", HEADER_KEYS)
    title = check.text(doc, "title")
    description = check.text(doc, "description")
    params = check.params(doc)
    tags = check.tags(doc)
    examples = check.examples(doc, params, required=in_project(path))
    empty = doc.get("empty")
    if empty is not None and (not isinstance(empty, str) or not empty.strip()):
        check.problem(doc.line_of("empty"), "'empty' must be a read query that returns a hint")
        empty = None
    body = text.splitlines()[cypher_line - 1 :]
    while body and not body[0].strip():
        body.pop(0)
        cypher_line += 1
    cypher = "\n".join(body).rstrip()
    if not cypher:
        check.problems.append(f"{path}:{cypher_line}: no Cypher after the header")
    used = _check_params_used(check, path, params, cypher, cypher_line, "")
    if empty:
        empty_line = header_line + doc.line_of("empty") - 1
        used |= _check_params_used(check, path, params, empty, empty_line, "in 'empty' ")
    for pname, param in params.items():
        if pname not in used:
            check.problem(
                param.line, f"param '{pname}' is declared but the Cypher never uses ${pname}"
            )
    if check.problems:
        raise QueryFileError("\n".join(check.problems))
    return SavedQuery(
        name,
        title,
        description,
        params,
        tags,
        examples,
        cypher,
        path,
        header_line,
        cypher_line,
        " ".join(empty.split()) if empty else None,
    )
