"""A saved query's documentation: its examples checked against an answer, the catalogue of
every query, and the command that runs an example."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TypedDict

from loader.answer import Answer
from loader.saved_queries.records import Example, Row, SavedQuery
from loader.saved_queries.values import Value


class ParamEntry(TypedDict):
    """A parameter in the catalogue."""

    name: str
    type: str
    default: Value | None
    description: str


class CatalogueEntry(TypedDict):
    """A saved query in the catalogue, as plain data (for JSON and tables)."""

    name: str
    title: str
    description: str
    params: list[ParamEntry]
    tags: list[str]
    path: str


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _same(cell: object, expected: object) -> bool:
    if _missing(expected) or _missing(cell):
        return _missing(expected) and _missing(cell)
    if isinstance(expected, bool) or isinstance(cell, bool):
        return cell is expected or str(cell).lower() == str(expected).lower()
    if isinstance(expected, (int, float)) and isinstance(cell, (int, float)):
        return math.isclose(float(cell), float(expected), rel_tol=1e-9)
    return str(cell) == str(expected)


def _matching(answer: Answer, row: Row) -> list[int]:
    records = answer.records()
    return [i for i, rec in enumerate(records) if all(_same(rec[k], v) for k, v in row.items())]


def check_example(answer: Answer, example: Example) -> list[str]:
    """What in the answer contradicts the example: missing, out-of-order or unwanted rows."""
    problems = []
    for row in (*example.expect, *example.absent):
        if missing := [k for k in row if k not in answer.columns]:
            problems.append(
                f"no column {', '.join(missing)} (columns: {', '.join(answer.columns)})"
            )
    if problems:
        return problems
    after = -1
    for row in example.expect:
        found = _matching(answer, row)
        if not found:
            problems.append(f"no row matches {row}")
        elif example.ordered:
            later = [i for i in found if i > after]
            if not later:
                problems.append(f"row {row} is not in the expected order")
            after = later[0] if later else found[-1]
    for row in example.absent:
        if _matching(answer, row):
            problems.append(f"a row matches {row}, which should be absent")
    return problems


def catalogue(queries: Mapping[str, SavedQuery]) -> list[CatalogueEntry]:
    """One plain record per saved query: name, title, description, params, tags, path."""
    return [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "params": [
                {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                for p in q.params.values()
            ],
            "tags": list(q.tags),
            "path": str(q.path),
        }
        for q in queries.values()
    ]


def example_command(query: SavedQuery, example: Example) -> str:
    """The shell command that runs one example."""
    words = ["kazgraph", "query", "run", query.name]
    for name, value in example.params.items():
        pair = f"{name}={value}"
        words += ["--param", pair if re.fullmatch(r"[\w.=:/-]+", pair) else f"'{pair}'"]
    return " ".join(words)
