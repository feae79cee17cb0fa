"""Write a validated Dataset to Neo4j: one transaction, batched UNWIND … MERGE.

The load is a sync: afterwards the graph holds exactly what the data files say,
so a second run changes nothing, and a fact removed from a file leaves the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import neo4j
import pandas as pd
from neo4j.exceptions import Neo4jError

from loader.errors import KazgraphError
from loader.facts import Dataset
from loader.graph_rows import (
    documented_in_rows,
    entity_rows,
    fact_rows,
    route_leg_rows,
    source_rows,
)
from loader.schema import ensure_schema
from loader.vocabulary import DERIVED_TYPES, LABELS, REL_TYPES

BATCH_SIZE = 500
Progress = Callable[[int, int], None]


@dataclass
class LoadSummary:
    """What one load did, from the server's counters, and what the graph now holds."""

    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)

    def add(self, counters: neo4j.SummaryCounters) -> None:
        self.nodes_created += counters.nodes_created
        self.nodes_deleted += counters.nodes_deleted
        self.relationships_created += counters.relationships_created
        self.relationships_deleted += counters.relationships_deleted
        self.properties_set += counters.properties_set


def batches(frame: pd.DataFrame, size: int = BATCH_SIZE) -> Iterator[list[dict[str, Any]]]:
    """Slices of a DataFrame as lists of row dicts, for ``UNWIND $rows``."""
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size].to_dict("records")


def _node_query(label: str) -> str:
    assert label in LABELS, label  # only allow-listed labels reach Cypher text
    others = ":".join(sorted(LABELS))
    return (
        f"UNWIND $rows AS row MERGE (n:Entity {{id: row.id}}) "
        f"REMOVE n:{others} SET n:{label} SET n = row.props"
    )


def _rel_query(rel_type: str) -> str:
    assert rel_type in REL_TYPES or rel_type in DERIVED_TYPES, rel_type
    end = "Source" if rel_type == "DOCUMENTED_IN" else "Entity"
    return (
        f"UNWIND $rows AS row MATCH (a:Entity {{id: row.from}}) "
        f"MATCH (b:{end} {{id: row.to}}) "
        f"MERGE (a)-[r:{rel_type} {{id: row.id}}]->(b) SET r = row.props"
    )


_PRUNE_RELS = """
MATCH (a)-[r]->(b) WHERE (a:Entity) AND r.id IS NOT NULL
  AND NOT type(r) + '|' + r.id + '|' + a.id + '|' + b.id IN $keep
DELETE r
"""
_PRUNE_NODES = """
MATCH (n) WHERE (n:Entity AND NOT n.id IN $entities) OR (n:Source AND NOT n.id IN $sources)
DETACH DELETE n
"""
_RESET = "MATCH (n) WHERE n:Entity OR n:Source DETACH DELETE n"


def plan(dataset: Dataset) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sources, entities, and all relationships (curated and derived) as DataFrames."""
    facts = fact_rows(dataset)
    entities = entity_rows(dataset, facts)
    rels = pd.concat(
        [facts, route_leg_rows(facts, dataset), documented_in_rows(entities)], ignore_index=True
    )
    return source_rows(dataset), entities, rels


def _write_all(
    tx: neo4j.ManagedTransaction,
    dataset: Dataset,
    reset: bool,
    progress: Progress | None,
    batch_size: int,
) -> LoadSummary:
    sources, entities, rels = plan(dataset)
    summary = LoadSummary()
    steps = [("UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s = row.props", sources)]
    steps += [(_node_query(label), group) for label, group in entities.groupby("label")]
    steps += [(_rel_query(t), group) for t, group in rels.groupby("type")]
    total, done = len(sources) + len(entities) + len(rels), 0
    if reset:
        summary.add(tx.run(_RESET).consume().counters)
    keep = [f"{r['type']}|{r['id']}|{r['from']}|{r['to']}" for r in rels.to_dict("records")]
    summary.add(tx.run(_PRUNE_RELS, keep=keep).consume().counters)
    summary.add(
        tx.run(_PRUNE_NODES, entities=list(entities["id"]), sources=list(sources["id"]))
        .consume()
        .counters
    )
    for query, frame in steps:
        for rows in batches(frame, batch_size):
            summary.add(tx.run(query, rows=rows).consume().counters)
            done += len(rows)
            if progress:
                progress(done, total)
    return summary


def graph_counts(driver: neo4j.Driver, database: str) -> tuple[dict[str, int], dict[str, int]]:
    """Node counts by label and relationship counts by type."""
    labels, _, _ = driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label",
        database_=database,
        routing_=neo4j.RoutingControl.READ,
    )
    types, _, _ = driver.execute_query(
        "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type",
        database_=database,
        routing_=neo4j.RoutingControl.READ,
    )
    return {r["label"]: r["n"] for r in labels}, {r["type"]: r["n"] for r in types}


def load(
    driver: neo4j.Driver,
    dataset: Dataset,
    database: str,
    reset: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> LoadSummary:
    """Apply the schema, then write the whole dataset in one transaction (all or nothing)."""
    ensure_schema(driver, database)
    try:
        with driver.session(database=database) as session:
            summary = session.execute_write(_write_all, dataset, reset, progress, batch_size)
    except Neo4jError as exc:
        raise KazgraphError(f"the load was rolled back, nothing written: {exc.message}") from exc
    summary.labels, summary.types = graph_counts(driver, database)
    return summary
