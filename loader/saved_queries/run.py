"""Running saved queries in read transactions: the answer as an :class:`~loader.answer.Answer`
(columns and rows of plain values) for tables, or as a :class:`~loader.graph.Graph` of the
nodes and relationships it returns, for exports and pictures."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import neo4j
from neo4j.graph import Node, Relationship
from neo4j.graph import Path as GraphPath

from loader.answer import Answer
from loader.database import is_write_refused, read
from loader.errors import QueryError, QueryFileError
from loader.graph import ENTITY_LABEL, Graph
from loader.read_only import UnsafeQuery, check_read_only
from loader.saved_queries.files import as_saved_query
from loader.saved_queries.params import Params, adhoc_params, bind_params
from loader.saved_queries.records import SavedQuery

T = TypeVar("T")

_ENDPOINTS = """
MATCH (n) WHERE elementId(n) IN $ids
RETURN elementId(n) AS element_id, n.id AS id, labels(n) AS labels, properties(n) AS properties
"""


def read_saved(
    driver: neo4j.Driver,
    database: str,
    query: SavedQuery,
    params: Params,
    transformer: Callable[[neo4j.Result], T],
) -> T:
    """Run a saved query, tagged with its name for the server's logs, in a READ transaction.

    Its plan is checked first (:func:`loader.read_only.check_read_only`): a query that could
    write, load CSV or call outside the allow-list is refused before it runs. A refused write
    or a failed statement is a QueryFileError naming the query (and the file's line, when
    the server names one)."""
    tagged = neo4j.Query(query.cypher, metadata={"saved_query": query.name})
    try:
        check_read_only(driver, database, query.cypher, params)
        return read(driver, database, tagged, params, transformer)
    except UnsafeQuery as exc:
        raise QueryFileError(f"saved query '{query.name}' ({query.path}): {exc}") from exc
    except QueryError as exc:
        if is_write_refused(exc):
            raise QueryFileError(
                f"saved query '{query.name}' tries to write to the graph; saved queries run in "
                "read transactions and may only read"
            ) from exc
        line = re.search(r"\(line (\d+), column", exc.server_message)
        at = f":{query.cypher_line + int(line.group(1)) - 1}" if line else ""
        raise QueryFileError(
            f"saved query '{query.name}' failed in Neo4j ({query.path}{at}): {exc.server_message}"
        ) from exc


def shown(value: object) -> object:
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
    iso_format = getattr(value, "iso_format", None)  # neo4j.time dates, times and durations
    return iso_format() if callable(iso_format) else value


def _answer(result: neo4j.Result) -> Answer:
    """The result's columns (but those starting with ``_``) with every value :func:`shown`."""
    keys = [k for k in result.keys() if not k.startswith("_")]  # noqa: SIM118
    return Answer(keys, ([shown(record[k]) for k in keys] for record in result))


def run_saved_query(
    driver: neo4j.Driver,
    database: str,
    query: SavedQuery | str,
    params: Mapping[str, object] | None = None,
) -> Answer:
    """Run a saved query (or the one of that name) in a read transaction, as an
    :class:`~loader.answer.Answer` (``.to_frame()`` for a DataFrame)."""
    query = as_saved_query(query)
    values = bind_params(driver, database, query, params or {})
    return read_saved(driver, database, query, values, _answer)


def empty_hint(
    driver: neo4j.Driver,
    database: str,
    query: SavedQuery | str,
    params: Mapping[str, object] | None = None,
) -> str | None:
    """What the header's ``empty:`` query says when the answer has no rows (what the graph
    does hold: its years, its dates), or None when the header gives none. The hint query
    runs like the saved query, read-only, with the same parameters; its first column of its
    first row is the hint (a list is joined with commas)."""
    query = as_saved_query(query)
    if not query.empty:
        return None
    values = bind_params(driver, database, query, params or {})
    hint_query = SavedQuery(
        query.name,
        query.title,
        query.description,
        query.params,
        query.tags,
        (),
        query.empty,
        query.path,
        query.header_line,
        query.header_line,
    )
    rows = read_saved(driver, database, hint_query, values, neo4j.Result.values)
    if not rows or not rows[0] or rows[0][0] is None:
        return None
    hint = rows[0][0]
    return ", ".join(map(str, hint)) if isinstance(hint, list) else str(hint)


def run_cypher(
    driver: neo4j.Driver,
    database: str,
    cypher: str,
    params: Mapping[str, str] | None = None,
) -> Answer:
    """Run ad-hoc Cypher like a saved query: its plan checked first
    (:func:`loader.read_only.check_read_only`), then in a READ transaction, as an
    :class:`~loader.answer.Answer`.
    ``params`` are command-line values, ``name`` (a string) or ``name:type`` (see
    :func:`~loader.saved_queries.params.adhoc_params`)."""
    values = adhoc_params(driver, database, params or {})
    tagged = neo4j.Query(cypher, metadata={"saved_query": "(ad hoc)"})
    try:
        check_read_only(driver, database, cypher, values)
        return read(driver, database, tagged, values, _answer)
    except QueryError as exc:
        if is_write_refused(exc):
            raise QueryFileError(
                "the query tries to write to the graph; kazgraph cypher runs in a read "
                "transaction and may only read"
            ) from exc
        raise QueryFileError(f"the query failed in Neo4j: {exc.server_message}") from exc


def _node_record(
    element_id: str, labels: Iterable[str], properties: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": properties.get("id", element_id),
        "labels": sorted(set(labels) - {ENTITY_LABEL}),
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
    ends = {
        node.element_id
        for r in graph.relationships
        for node in (r.start_node, r.end_node)
        if node is not None and node.element_id not in nodes
    }
    if ends:
        rows = read(driver, database, _ENDPOINTS, {"ids": sorted(ends)}, neo4j.Result.data)
        for row in rows:
            nodes[row["element_id"]] = _node_record(
                row["element_id"], row["labels"], row["properties"]
            )

    def key(node: Node | None) -> object:
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
    params: Mapping[str, object] | None = None,
) -> Graph:
    """Run a saved query like :func:`run_saved_query`; keep the nodes and relationships it
    returns (in any column, list or path) as a :class:`loader.graph.Graph`, keyed by the
    kazgraph ``id`` properties (the end nodes of every relationship included)."""
    query = as_saved_query(query)
    values = bind_params(driver, database, query, params or {})
    graph = read_saved(driver, database, query, values, neo4j.Result.graph)
    return _graph_record(driver, database, graph).closed()
