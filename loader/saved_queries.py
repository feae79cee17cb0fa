"""Saved queries: Cypher files under queries/ with a comment header, parsed, checked and run.

A saved query is ``queries/<name>.cypher``. Its first lines are ``//`` comments holding a
YAML header; the rest is the Cypher::

    // title: Trade partners ranked by value
    // description: >
    //   One paragraph saying what the answer shows and where it comes from.
    // params:
    //   year: {type: string, default: "2018", description: the year of the figures}
    // tags: [trade, economy]
    // examples:
    //   - params: {year: "2018"}
    //     ordered: true
    //     expect:
    //       - {rank: 1, partner: Russia}
    //       - {rank: 2, partner: China}
    //     absent:
    //       - {partner: Türkiye}
    MATCH ... WHERE r.year = $year RETURN ...

Parameter types are ``string``, ``int``, ``float``, ``bool``, ``date`` (a partial date
``YYYY[-MM[-DD]]``, sent as that string) and ``entity`` (any id, name or alias of an
entity, looked up the way the loader builds ``lookup`` and sent as the entity's id).

An example's ``expect`` rows must each match some row of the answer on the columns they
name (and in that order when ``ordered`` is true); its ``absent`` rows must match none. The
tests run every example, so a query and its documentation cannot drift apart.

Columns whose name starts with ``_`` (say ``[kz, r, partner] AS _graph``) stay out of the
table: they carry the nodes, relationships and paths that :func:`run_saved_query_graph`
collects so that the answer can be drawn. Visible columns may hold graph elements too:
nodes show by name, relationships by type, paths as ``A → B → C``.

Nothing here prints. Problems are :class:`~loader.errors.QueryFileError` with file and line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import yaml
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable
from neo4j.graph import Node, Relationship
from neo4j.graph import Path as GraphPath

from loader.dates import check_partial_date
from loader.errors import DatabaseUnavailable, QueryFileError
from loader.graph import Graph
from loader.names import lookup_key
from loader.settings import PROJECT_ROOT
from loader.yaml_lines import LineDict, YamlProblem, load_yaml, problem_line

QUERIES_DIR = PROJECT_ROOT / "queries"
QUERY_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PARAM_TYPES = ("string", "int", "float", "bool", "date", "entity")
HEADER_KEYS = ("title", "description", "params", "tags", "examples")
PARAM_KEYS = ("type", "default", "description")
EXAMPLE_KEYS = ("params", "expect", "absent", "ordered")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_ACCESS_MODE = "Neo.ClientError.Statement.AccessMode"


@dataclass(frozen=True)
class Param:
    """A declared parameter: its type, default (typed, or None when required) and line."""

    name: str
    type: str
    default: Any
    description: str
    line: int

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class Example:
    """One documented call: raw parameter values and the rows the answer must (not) hold."""

    params: dict[str, str]
    expect: tuple[dict[str, Any], ...]
    absent: tuple[dict[str, Any], ...]
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

    @property
    def text(self) -> str:
        """The whole file, header and Cypher, as written."""
        return self.path.read_text(encoding="utf-8")


# --- parsing the header ---------------------------------------------------------------
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


def parse_value(kind: str, raw: Any) -> Any:
    """A raw value (a command-line string or a YAML scalar) as the parameter type's value."""
    if isinstance(raw, bool) and kind != "bool" or isinstance(raw, (dict, list)):
        raise ValueError(f"expected {_article(kind)}, got {raw!r}")
    text = str(raw).strip()
    if kind == "int":
        if isinstance(raw, float) or not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(f"expected an int, got {raw!r}")
        return int(text)
    if kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"expected a float, got {raw!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"expected a finite float, got {raw!r}")
        return value
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ValueError(f"expected a bool (true/false), got {raw!r}")
    if kind == "date":
        try:
            return check_partial_date(text)
        except ValueError as exc:
            raise ValueError(str(exc)) from None
    if not text:
        raise ValueError(f"expected {_article(kind)}, got an empty value")
    return str(raw) if kind == "string" else text


def _article(kind: str) -> str:
    name = {
        "date": "date like 2018, 2019-04 or 2022-06-15",
        "entity": "entity id, name or alias",
    }.get(kind, kind)
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


class _Header:
    """Checks one header's YAML document, collecting problems as ``file:line: ...``."""

    def __init__(self, path: Path, first_line: int) -> None:
        self.path = path
        self.offset = first_line - 1
        self.problems: list[str] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.path}:{line + self.offset}: {message}")

    def mapping(
        self, value: Any, line: int, what: str, keys: tuple[str, ...] | None = None
    ) -> LineDict:
        """``value`` as a mapping; with ``keys``, other keys are problems."""
        if not isinstance(value, LineDict):
            self.problem(line, f"{what} must be a mapping")
            return LineDict()
        for key in value if keys is not None else ():
            if key not in keys:
                self.problem(
                    value.key_lines.get(key, value.line),
                    f"unknown key '{key}' in {what} (known: {', '.join(keys)})",
                )
        return value

    def text(self, doc: LineDict, key: str, required: bool = True) -> str:
        value = doc.get(key)
        line = doc.key_lines.get(key, doc.line)
        if value is None:
            if required:
                self.problem(line, f"the header needs '{key}:'")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(line, f"'{key}' must be non-empty text")
            return ""
        if "\n\n" in value.strip():
            self.problem(line, f"'{key}' must be one paragraph")
        return " ".join(value.split())

    def params(self, doc: LineDict) -> dict[str, Param]:
        line = doc.key_lines.get("params", doc.line)
        specs = self.mapping(doc.get("params") or LineDict(), line, "params")
        params: dict[str, Param] = {}
        for name, spec in dict.items(specs):
            pline = specs.key_lines.get(name, specs.line)
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
            description = spec.get("description") or ""
            params[name] = Param(name, kind, default, " ".join(str(description).split()), pline)
        return params

    def tags(self, doc: LineDict) -> tuple[str, ...]:
        tags = doc.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            self.problem(doc.key_lines.get("tags", doc.line), "'tags' must be a list of words")
            return ()
        return tuple(tags)

    def examples(self, doc: LineDict, params: dict[str, Param]) -> tuple[Example, ...]:
        line = doc.key_lines.get("examples", doc.line)
        items = doc.get("examples")
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

    def rows(self, spec: LineDict, key: str, line: int) -> tuple[dict[str, Any], ...]:
        rows = spec.get(key) or []
        if not isinstance(rows, list) or not all(isinstance(r, dict) and r for r in rows):
            self.problem(
                spec.key_lines.get(key, line),
                f"'{key}' must be a list of rows like {{column: value}}",
            )
            return ()
        return tuple(dict(r) for r in rows)


def parse_saved_query(path: Path) -> SavedQuery:
    """Parse and check one query file; raise QueryFileError listing every problem."""
    path = Path(path)
    name = path.stem
    text = path.read_text(encoding="utf-8")
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
    examples = check.examples(doc, params)
    body = text.splitlines()[cypher_line - 1 :]
    while body and not body[0].strip():
        body.pop(0)
        cypher_line += 1
    cypher = "\n".join(body).rstrip()
    if not cypher:
        check.problems.append(f"{path}:{cypher_line}: no Cypher after the header")
    used = used_params(cypher)
    for pname, line in used.items():
        if pname not in params:
            declared = ", ".join(params) or "none"
            check.problems.append(
                f"{path}:{cypher_line + line - 1}: ${pname} is used "
                f"but not declared in the header's params "
                f"(declared: {declared})"
            )
    for pname, param in params.items():
        if pname not in used:
            check.problem(
                param.line, f"param '{pname}' is declared but the Cypher never uses ${pname}"
            )
    if check.problems:
        raise QueryFileError("\n".join(check.problems))
    return SavedQuery(
        name, title, description, params, tags, examples, cypher, path, header_line, cypher_line
    )


def load_saved_queries(folder: Path = QUERIES_DIR) -> dict[str, SavedQuery]:
    """Every ``*.cypher`` file in ``folder`` by name; raise QueryFileError listing all problems."""
    folder = Path(folder)
    if not folder.is_dir():
        raise QueryFileError(f"{folder}: no such folder of saved queries")
    queries: dict[str, SavedQuery] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.cypher")):
        try:
            queries[path.stem] = parse_saved_query(path)
        except QueryFileError as exc:
            problems.append(str(exc))
    if problems:
        raise QueryFileError(
            f"{len(problems)} saved query file(s) have problems:\n" + "\n".join(problems)
        )
    return queries


def find_saved_query(name: str, folder: Path = QUERIES_DIR) -> SavedQuery:
    """The saved query called ``name``; the error lists the known names."""
    queries = load_saved_queries(folder)
    if name not in queries:
        raise QueryFileError(f"no saved query '{name}'; known: {', '.join(queries) or 'none'}")
    return queries[name]


# --- parameters -----------------------------------------------------------------------
def parse_params(query: SavedQuery, given: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values for every declared parameter: given values over the header's defaults.

    Entity parameters are still names here; :func:`bind_params` turns them into ids.
    """
    problems = []
    valid = ", ".join(query.params) or "none"
    for name in given:
        if name not in query.params:
            takes = f"it takes: {valid}" if query.params else "it takes no parameters"
            problems.append(f"saved query '{query.name}' has no parameter '{name}'; {takes}")
    values: dict[str, Any] = {}
    for name, param in query.params.items():
        if name not in given:
            if param.required:
                problems.append(
                    f"saved query '{query.name}' needs parameter '{name}' ({param.type})"
                )
            values[name] = param.default
            continue
        try:
            values[name] = parse_value(param.type, given[name])
        except ValueError as exc:
            problems.append(f"parameter '{name}' of saved query '{query.name}': {exc}")
    if problems:
        raise QueryFileError("\n".join(problems))
    return values


_RESOLVE = """
MATCH (n:Entity) WHERE n.id IN $ids OR $key IN n.lookup
RETURN n.id AS id, n.name AS name, n.id IN $ids AS by_id ORDER BY id
"""


def resolve_entity(driver: neo4j.Driver, database: str, name: str) -> str:
    """The id of the one entity whose id, name or alias is ``name`` (normalised as ``lookup``)."""
    records = _read(
        driver,
        database,
        neo4j.Query(_RESOLVE),
        {"ids": [name.strip(), name.strip().upper()], "key": lookup_key(name)},
        neo4j.Result.data,
    )
    exact = [r for r in records if r["by_id"]]
    if len(exact) == 1 or len(records) == 1:
        return str((exact or records)[0]["id"])
    if not records:
        raise QueryFileError(f"no entity has the id, name or alias '{name}'")
    found = ", ".join(f"{r['name']} ({r['id']})" for r in records)
    raise QueryFileError(f"'{name}' names more than one entity: {found}; pass an id")


def bind_params(
    driver: neo4j.Driver, database: str, query: SavedQuery, given: Mapping[str, Any]
) -> dict[str, Any]:
    """The parameters sent to Neo4j: typed, defaulted, entity names resolved to ids."""
    values = parse_params(query, given)
    for name, param in query.params.items():
        if param.type == "entity" and values[name] is not None:
            values[name] = resolve_entity(driver, database, values[name])
    return values


def run_params(query: SavedQuery) -> dict[str, str]:
    """Parameters for a run without any given: the first example's for params with no default."""
    example = query.examples[0].params if query.examples else {}
    return {n: example[n] for n, p in query.params.items() if p.required and n in example}


# --- running --------------------------------------------------------------------------
def _read(
    driver: neo4j.Driver,
    database: str,
    query: neo4j.Query,
    params: dict[str, Any],
    transformer: Any,
    saved: SavedQuery | None = None,
) -> Any:
    """Run a query in a READ transaction (the server refuses writes) and transform its result."""
    try:
        return driver.execute_query(
            query,
            parameters_=params,
            database_=database,
            routing_=neo4j.RoutingControl.READ,
            result_transformer_=transformer,
        )
    except Neo4jError as exc:
        what = f"saved query '{saved.name}'" if saved else "the look-up"
        if exc.code == _ACCESS_MODE:
            raise QueryFileError(
                f"{what} tries to write to the graph; saved queries run in "
                "read transactions and may only read"
            ) from exc
        where = ""
        if saved is not None:
            line = re.search(r"\(line (\d+), column", exc.message or "")
            at = f":{saved.cypher_line + int(line.group(1)) - 1}" if line else ""
            where = f" ({saved.path}{at})"
        raise QueryFileError(f"{what} failed in Neo4j{where}: {exc.message}") from exc
    except (ServiceUnavailable, DriverError) as exc:
        raise DatabaseUnavailable(
            f"Neo4j stopped answering while running a query "
            f"({type(exc).__name__}); check `kazgraph db status`"
        ) from exc


def _tagged(query: SavedQuery) -> neo4j.Query:
    return neo4j.Query(query.cypher, metadata={"saved_query": query.name})


def _resolve_query(query: SavedQuery | str) -> SavedQuery:
    return query if isinstance(query, SavedQuery) else find_saved_query(query)


def shown(value: Any) -> Any:
    """A Neo4j value as a table cell: nodes by name, relationships by type, paths and lists
    as text."""
    if isinstance(value, Node):
        return value.get("name") or value.get("title") or value.get("id")
    if isinstance(value, Relationship):
        return value.type
    if isinstance(value, GraphPath):
        return " → ".join(str(shown(n)) for n in value.nodes)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(shown(v)) for v in value if v is not None)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {shown(v)}" for k, v in value.items() if v is not None)
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _frame(result: neo4j.Result) -> pd.DataFrame:
    keys = [k for k in result.keys() if not k.startswith("_")]  # noqa: SIM118
    rows = [[shown(record[k]) for k in keys] for record in result]
    return pd.DataFrame(rows, columns=keys, dtype=object)


def run_saved_query(
    driver: neo4j.Driver,
    database: str,
    query: SavedQuery | str,
    params: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Run a saved query (or the one of that name) in a read transaction, as a DataFrame."""
    query = _resolve_query(query)
    values = bind_params(driver, database, query, params or {})
    return _read(driver, database, _tagged(query), values, _frame, query)


_ENDPOINTS = """
MATCH (n) WHERE elementId(n) IN $ids
RETURN elementId(n) AS element_id, n.id AS id, labels(n) AS labels, properties(n) AS properties
"""


def _node_record(element_id: str, labels: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": properties.get("id", element_id),
        "labels": sorted(set(labels) - {"Entity"}),
        "properties": properties,
    }


def _graph_record(driver: neo4j.Driver, database: str, graph: neo4j.graph.Graph) -> Graph:
    """The driver's graph as kazgraph records. A relationship returned without its end nodes
    brings them as bare ids; those nodes are read in one more query so every end is keyed."""
    nodes = {
        n.element_id: _node_record(n.element_id, n.labels, dict(n))
        for n in graph.nodes
        if n.labels or len(n)
    }
    ends = [
        node.element_id
        for r in graph.relationships
        for node in (r.start_node, r.end_node)
        if node is not None and node.element_id not in nodes
    ]
    if ends:
        for row in _read(
            driver, database, neo4j.Query(_ENDPOINTS), {"ids": sorted(set(ends))}, neo4j.Result.data
        ):
            nodes[row["element_id"]] = _node_record(
                row["element_id"], row["labels"], row["properties"]
            )

    def key(node: Node | None) -> Any:
        return nodes[node.element_id]["id"] if node is not None else None

    return Graph(
        nodes=sorted(nodes.values(), key=lambda n: str(n["id"])),
        relationships=sorted(
            (
                {
                    "id": r.get("id", r.element_id),
                    "type": r.type,
                    "start": key(r.start_node),
                    "end": key(r.end_node),
                    "properties": dict(r),
                }
                for r in graph.relationships
            ),
            key=lambda r: (r["type"], str(r["id"])),
        ),
    )


def run_saved_query_graph(
    driver: neo4j.Driver,
    database: str,
    query: SavedQuery | str,
    params: Mapping[str, Any] | None = None,
) -> Graph:
    """Run a saved query like :func:`run_saved_query`; keep the nodes and relationships it
    returns (in any column, list or path) as a :class:`loader.export.Graph`, keyed by the
    kazgraph ``id`` properties (the end nodes of every relationship included)."""
    query = _resolve_query(query)
    values = bind_params(driver, database, query, params or {})
    graph = _read(driver, database, _tagged(query), values, neo4j.Result.graph, query)
    return _graph_record(driver, database, graph).closed()


# --- checking examples ----------------------------------------------------------------
def _same(cell: Any, expected: Any) -> bool:
    if expected is None:
        return cell is None or (isinstance(cell, float) and math.isnan(cell))
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return False
    if isinstance(expected, bool) or isinstance(cell, bool):
        return cell is expected or str(cell).lower() == str(expected).lower()
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(cell, numbers):
        return math.isclose(float(cell), float(expected), rel_tol=1e-9)
    return str(cell) == str(expected)


def _matching(frame: pd.DataFrame, row: dict[str, Any]) -> list[int]:
    records = frame.to_dict("records")
    return [i for i, rec in enumerate(records) if all(_same(rec[k], v) for k, v in row.items())]


def check_example(frame: pd.DataFrame, example: Example) -> list[str]:
    """What in the answer contradicts the example: missing, out-of-order or unwanted rows."""
    problems = []
    for row in (*example.expect, *example.absent):
        if missing := [k for k in row if k not in frame.columns]:
            problems.append(
                f"no column {', '.join(missing)} (columns: {', '.join(map(str, frame.columns))})"
            )
    if problems:
        return problems
    after = -1
    for row in example.expect:
        found = _matching(frame, row)
        if not found:
            problems.append(f"no row matches {row}")
        elif example.ordered:
            later = [i for i in found if i > after]
            if not later:
                problems.append(f"row {row} is not in the expected order")
            after = later[0] if later else found[-1]
    for row in example.absent:
        if _matching(frame, row):
            problems.append(f"a row matches {row}, which should be absent")
    return problems


# --- describing -----------------------------------------------------------------------
def catalogue(queries: Mapping[str, SavedQuery]) -> list[dict[str, Any]]:
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


def value_text(value: Any) -> str:
    """A parameter value as it is typed on the command line (true/false for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
