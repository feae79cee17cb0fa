"""What a saved query is: frozen records of one parsed query file that remember file and
line, and their JSON form for the parse cache."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from loader.saved_queries.values import Value
from loader.settings import PROJECT_ROOT

QUERIES_DIR = PROJECT_ROOT / "queries"
QUERY_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
Row = dict[str, object]


@dataclass(frozen=True)
class Param:
    """A declared parameter: its type, default (typed, or None when required) and line."""

    name: str
    type: str
    default: Value | None
    description: str
    line: int

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class Example:
    """One documented call: raw parameter values and the rows the answer must (not) hold."""

    params: dict[str, str]
    expect: tuple[Row, ...]
    absent: tuple[Row, ...]
    ordered: bool
    line: int


@dataclass(frozen=True)
class SavedQuery:
    """One parsed ``queries/<name>.cypher`` file; ``cypher_line`` is where the Cypher starts."""

    name: str
    title: str
    description: str
    params: dict[str, Param]
    tags: tuple[str, ...]
    examples: tuple[Example, ...]
    cypher: str
    path: Path
    header_line: int
    cypher_line: int
    empty: str | None = None

    @property
    def text(self) -> str:
        """The whole file, header and Cypher, as written."""
        return self.path.read_text(encoding="utf-8")


def in_project(path: Path) -> bool:
    """Whether a query file is one of the project's own, in ``queries/``."""
    return Path(path).resolve().parent == QUERIES_DIR.resolve()


def as_json(query: SavedQuery) -> dict[str, Any]:
    """A saved query as JSON data (its path as text)."""
    return {**asdict(query), "path": str(query.path)}


def from_json(data: dict[str, Any]) -> SavedQuery:
    """The saved query :func:`as_json` wrote; KeyError or TypeError when it is not one."""
    examples = tuple(
        Example(e["params"], tuple(e["expect"]), tuple(e["absent"]), e["ordered"], e["line"])
        for e in data["examples"]
    )
    return SavedQuery(
        **{
            **data,
            "params": {name: Param(**p) for name, p in data["params"].items()},
            "tags": tuple(data["tags"]),
            "examples": examples,
            "path": Path(data["path"]),
        }
    )
