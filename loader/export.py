"""Read the graph (or part of it) out of Neo4j and write it to files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j

_NODES = """
MATCH (n) WHERE n:Entity OR n:Source
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'] AS labels, properties(n) AS properties
ORDER BY id
"""
_RELS = """
MATCH (a)-[r]->(b) WHERE (a:Entity OR a:Source) AND r.id IS NOT NULL
RETURN r.id AS id, type(r) AS type, a.id AS start, b.id AS end, properties(r) AS properties
ORDER BY type, id
"""


@dataclass(frozen=True)
class Graph:
    """Nodes and relationships keyed by their kazgraph ids, as plain records."""

    nodes: list[dict[str, Any]]
    relationships: list[dict[str, Any]]


def fetch_graph(driver: neo4j.Driver, database: str) -> Graph:
    """The whole kazgraph graph, read in a read transaction."""
    read = neo4j.RoutingControl.READ
    nodes, _, _ = driver.execute_query(_NODES, database_=database, routing_=read)
    rels, _, _ = driver.execute_query(_RELS, database_=database, routing_=read)
    return Graph([r.data() for r in nodes], [r.data() for r in rels])


def write_json(graph: Graph, path: Path) -> Path:
    """``{"nodes": [...], "relationships": [...]}``, stable order, UTF-8."""
    doc = {"nodes": graph.nodes, "relationships": graph.relationships}
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                    encoding="utf-8")
    return path


WRITERS = {"json": write_json}


def export(driver: neo4j.Driver, database: str, fmt: str, path: Path) -> Path:
    """Export the graph in one of :data:`WRITERS`' formats."""
    return WRITERS[fmt](fetch_graph(driver, database), Path(path))
