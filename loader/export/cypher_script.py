"""A Cypher script that rebuilds the graph, schema first, in an empty database: literal values
only (allow-listed labels and types, :func:`loader.cypher_text.cypher_literal` values), one
statement per line, ``UNWIND`` over batches of rows."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import neo4j

from loader.cypher_text import chunks, cypher_literal, split_statements
from loader.database import run
from loader.errors import ExportError
from loader.graph import Graph, neo4j_labels, type_of
from loader.schema import schema_statements

SCRIPT_BATCH = 100


def cypher_script(graph: Graph) -> str:
    """Statements that rebuild ``graph`` in an empty database, one per line, schema first."""
    lines = [
        "// kazgraph export: rebuilds the graph in an EMPTY Neo4j 5 database.",
        f"// {len(graph.nodes)} nodes, {len(graph.relationships)} relationships; "
        "one statement per line.",
        "// Run it with:  cypher-shell -f FILE   (or paste it into Neo4j Browser)",
        "// The schema (cypher/schema.cypher):",
    ]
    lines += [" ".join(s.split()) + ";" for s in schema_statements()]
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes:
        by_labels[tuple(neo4j_labels(node))].append(node["properties"])
    lines.append("// Nodes, by label:")
    for labels, props in sorted(by_labels.items()):
        lines += [
            f"UNWIND {cypher_literal(chunk)} AS props CREATE (n:{':'.join(labels)}) SET n = props;"
            for chunk in chunks(props, SCRIPT_BATCH)
        ]
    space = {n["id"]: neo4j_labels(n)[0] for n in graph.nodes}  # Entity or Source
    by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in graph.relationships:
        if rel["start"] not in space or rel["end"] not in space:
            raise ExportError(f"relationship {rel['id']!r} ends at a node that is not exported")
        by_type[(type_of(rel), space[rel["start"]], space[rel["end"]])].append(
            {"from": rel["start"], "to": rel["end"], "props": rel["properties"]}
        )
    lines.append("// Relationships, by type:")
    for (rel_type, start, end), rows in sorted(by_type.items()):
        lines += [
            f"UNWIND {cypher_literal(chunk)} AS row "
            f"MATCH (a:{start} {{id: row.from}}) MATCH (b:{end} {{id: row.to}}) "
            f"CREATE (a)-[r:{rel_type}]->(b) SET r = row.props;"
            for chunk in chunks(rows, SCRIPT_BATCH)
        ]
    return "\n".join(lines) + "\n"


def write_cypher(graph: Graph, path: Path) -> list[Path]:
    """A ``.cypher`` script that rebuilds the graph (see :func:`cypher_script`)."""
    path.write_text(cypher_script(graph), encoding="utf-8")
    return [path]


def run_cypher_script(driver: neo4j.Driver, database: str, path: Path) -> int:
    """Run a Cypher script statement by statement; return how many statements ran."""
    statements = split_statements(Path(path).read_text(encoding="utf-8"))
    for _, statement in statements:
        run(driver, database, statement)
    return len(statements)
