"""Write a validated Dataset to Neo4j: one transaction, batched UNWIND … MERGE.

The load is a sync: afterwards the graph holds exactly what the data files say,
so a second run changes nothing, and a fact removed from a file leaves the graph.

One load at a time per database: a load first takes the lock, a ``(:LoadLock {id: 'load'})``
node under a uniqueness constraint, created in its own transaction and naming its holder
(host, pid, started_at); it deletes the lock when it ends, failed or not. A second load fails
at once naming the holder, or waits up to ``wait`` seconds. A lock whose holder died (same
host, no such pid) or that is older than ``LOCK_EXPIRES_AFTER`` seconds is stale and taken
over; ``break_lock=True`` (``kazgraph load --break-lock``) deletes any lock first.

The write transaction is never retried: a load that fails, a transient memory error
included, is rolled back once and reported, rather than silently run a second time.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import neo4j
import pandas as pd

from loader.database import read, transaction, write
from loader.errors import DatabaseError, LoadError, LoadLocked, QueryError, ValidationError
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
LOCK_EXPIRES_AFTER = 3600  # seconds: a lock this old is stale, whoever holds it
LOCK_POLL = 0.5  # seconds between tries while waiting for the lock
LOCK_CONSTRAINT = (
    "CREATE CONSTRAINT load_lock_id IF NOT EXISTS FOR (l:LoadLock) REQUIRE l.id IS UNIQUE"
)
CONSTRAINT_FAILED = "Neo.ClientError.Schema.ConstraintValidationFailed"
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


@dataclass(frozen=True)
class LockHolder:
    """The load that holds a database's load lock."""

    token: str
    host: str
    pid: int
    started_at: str
    age: int  # seconds, by the server's clock

    def __str__(self) -> str:
        return f"pid {self.pid} on {self.host}, since {self.started_at}"

    @property
    def stale(self) -> bool:
        """Expired, or held by a process that no longer runs on this host."""
        if self.age >= LOCK_EXPIRES_AFTER:
            return True
        return self.host == socket.gethostname() and not _pid_alive(self.pid)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_TAKE_LOCK = (
    "CREATE (:LoadLock {id: 'load', token: $token, host: $host, pid: $pid, started_at: datetime()})"
)
_LOCK_HOLDER = (
    "MATCH (l:LoadLock {id: 'load'}) RETURN l.token AS token, l.host AS host, l.pid AS pid, "
    "toString(l.started_at) AS started_at, "
    "duration.inSeconds(l.started_at, datetime()).seconds AS age"
)
_DROP_LOCK = "MATCH (l:LoadLock {id: 'load'}) WHERE $token IS NULL OR l.token = $token DELETE l"


def _statement(tx: neo4j.ManagedTransaction, query: str, /, **params: Any) -> None:
    tx.run(query, params).consume()


def lock_holder(driver: neo4j.Driver, database: str) -> LockHolder | None:
    """Who holds the load lock of ``database``, or None."""
    rows: list[dict[str, Any]] = read(driver, database, _LOCK_HOLDER)
    return LockHolder(**rows[0]) if rows else None


def drop_lock(driver: neo4j.Driver, database: str, token: str | None = None) -> None:
    """Delete the load lock (only the one with ``token`` when given)."""
    write(driver, database, _statement, _DROP_LOCK, token=token)


def take_lock(
    driver: neo4j.Driver,
    database: str,
    wait: float = 0.0,
    waiting: Callable[[LockHolder], None] | None = None,
) -> str:
    """Take the load lock of ``database`` and return its token; a stale lock is taken over.

    Raise :class:`~loader.errors.LoadLocked` naming the holder when another load still holds
    it after ``wait`` seconds; ``waiting(holder)`` is called once when waiting begins."""
    token, deadline, told = uuid.uuid4().hex, time.monotonic() + wait, False
    while True:
        try:
            write(
                driver, database, _statement, _TAKE_LOCK,
                token=token, host=socket.gethostname(), pid=os.getpid(),
            )  # fmt: skip
            return token
        except QueryError as exc:
            if exc.code != CONSTRAINT_FAILED:
                raise
        holder = lock_holder(driver, database)
        if holder is None:
            continue  # released in between: try again
        if holder.stale:
            drop_lock(driver, database, holder.token)
            continue
        if time.monotonic() >= deadline:
            raise LoadLocked(
                f"another load is writing to database '{database}': {holder} holds the load "
                "lock. Wait for it (kazgraph load --wait SECONDS); if that load died, clear "
                "the lock with `kazgraph load --break-lock` (a lock expires by itself "
                f"{LOCK_EXPIRES_AFTER // 60} minutes after it was taken)"
            )
        if waiting is not None and not told:
            waiting(holder)
            told = True
        time.sleep(min(LOCK_POLL, max(deadline - time.monotonic(), 0.0)))


def batches(frame: pd.DataFrame, size: int = BATCH_SIZE) -> Iterator[list[dict[str, Any]]]:
    """Slices of a DataFrame as lists of row dicts, for ``UNWIND $rows``."""
    for start in range(0, len(frame), size):
        yield cast(list[dict[str, Any]], frame.iloc[start : start + size].to_dict("records"))


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
    tx: neo4j.Transaction,
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    reset: bool,
    progress: Progress | None,
    batch_size: int,
) -> LoadSummary:
    sources, entities, rels = frames
    summary = LoadSummary()
    steps = [("UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s = row.props", sources)]
    steps += [(_node_query(str(label)), group) for label, group in entities.groupby("label")]
    steps += [(_rel_query(str(t)), group) for t, group in rels.groupby("type")]
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
    labels: list[dict[str, Any]] = read(
        driver,
        database,
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label",
    )
    types: list[dict[str, Any]] = read(
        driver, database, "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"
    )
    return {r["label"]: r["n"] for r in labels}, {r["type"]: r["n"] for r in types}


def _rolled_back(exc: DatabaseError) -> LoadError:
    text = exc.server_message if isinstance(exc, QueryError) else str(exc)
    if isinstance(exc, QueryError) and "Memory" in (exc.code or ""):
        text += (
            "; give Neo4j more transaction memory (db.memory.transaction.max, "
            "dbms.memory.transaction.total.max) or load a smaller data folder"
        )
    return LoadError(f"the load was rolled back, nothing written: {text}")


def load(
    driver: neo4j.Driver,
    dataset: Dataset,
    database: str,
    reset: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    *,
    allow_empty: bool = False,
    wait: float = 0.0,
    break_lock: bool = False,
    waiting: Callable[[LockHolder], None] | None = None,
) -> LoadSummary:
    """Apply the schema, take the load lock, then write the whole dataset in one transaction
    (all or nothing) and release the lock.

    A dataset without facts would empty the graph: it is refused unless ``allow_empty``.
    ``wait`` and ``waiting`` are for :func:`take_lock`; ``break_lock`` first deletes whatever
    lock there is (one left by a load that died)."""
    if not dataset.facts and not allow_empty:
        raise ValidationError(
            [
                "the data folder has no facts: loading it would delete the whole graph; "
                "pass --allow-empty (allow_empty=True) if that is what you want"
            ]
        )
    frames = plan(dataset)
    ensure_schema(driver, database, extra=[LOCK_CONSTRAINT])
    if break_lock:
        drop_lock(driver, database)
    token = take_lock(driver, database, wait, waiting)
    try:
        with transaction(driver, database) as tx:
            summary = _write_all(tx, frames, reset, progress, batch_size)
    except DatabaseError as exc:
        raise _rolled_back(exc) from exc
    finally:
        drop_lock(driver, database, token)
    summary.labels, summary.types = graph_counts(driver, database)
    return summary
