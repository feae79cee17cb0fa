"""Write a validated Dataset to Neo4j: a sync that writes only what changed.

Afterwards the graph holds exactly what the data files say: a second run changes nothing,
and a fact removed from a file leaves the graph.

**Rows and hashes.** Every node and relationship row carries ``content_sha``, a hash of its
label or type, its ends and its properties (:func:`content_sha`). A load reads the
``(id, content_sha)`` pairs already in the graph, then creates the rows that are new,
rewrites in place the ones whose hash differs, deletes what left the files, and leaves the
rest alone; :class:`LoadSummary` counts each. A graph edited by hand keeps its old hashes:
``--reset`` rewrites everything.

**A reload of the same files.** When the dataset was read through the parse cache
(:mod:`loader.parse_cache`), a load keeps the hash of all its rows (``data_hash``) for
those exact files; the next load of the same files, before making any row, compares it
with the hash of the graph's own ``content_sha`` values: equal means the graph holds
exactly those rows, and nothing is made or written. Anything else (a file changed, a row
deleted or added by hand, an interrupted load) takes the full diff.

**Transactions, by size.** What holds depends on how many rows a load writes or deletes:

- up to ``SINGLE_TRANSACTION_MAX`` (20,000) rows: one transaction, all or nothing, as
  before; it is never retried, and a failure leaves the graph exactly as it was.
- more: batches of ``batch_size`` rows, each its own transaction, so the server's
  transaction memory never holds the whole load. A load run marker
  (:mod:`loader.load_runs`) says ``running`` until the last batch: a load that stops
  part-way (client or server killed, a failed batch) leaves a graph partly old, partly new,
  marked incomplete, and the next ``kazgraph load`` converges from it to exactly what a
  clean load gives, because it diffs against whatever was committed.

One load at a time per database: a load first takes the lock, a ``(:LoadLock {id: 'load'})``
node under a uniqueness constraint, created in its own transaction and naming its holder
(host, pid, started_at); it deletes the lock when it ends, failed or not. A second load fails
at once naming the holder, or waits up to ``wait`` seconds. A lock whose holder died (same
host, no such pid) or that is older than ``LOCK_EXPIRES_AFTER`` seconds is stale and taken
over; ``break_lock=True`` (``kazgraph load --break-lock``) deletes any lock first. The lock
is held around the whole diff: the read of the graph and every batch.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
import socket
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import neo4j

from loader import parse_cache
from loader.database import read, transaction, write
from loader.errors import DatabaseError, LoadError, LoadLocked, QueryError, ValidationError
from loader.facts import Dataset, collector_paused
from loader.graph_rows import (
    documented_in_rows,
    entity_rows,
    fact_rows,
    route_leg_rows,
    source_rows,
)
from loader.load_runs import (
    BOOKKEEPING_LABELS,
    COMPLETE_RUNS,
    FINISH_RUN,
    RUN_CONSTRAINT,
    START_RUN,
    new_run_id,
)
from loader.schema import ensure_schema
from loader.vocabulary import DERIVED_TYPES, LABELS, REL_TYPES

BATCH_SIZE = 5_000  # rows per UNWIND, and per transaction when a load is batched
SINGLE_TRANSACTION_MAX = 20_000  # rows written or deleted: up to this, one transaction
LOCK_EXPIRES_AFTER = 3600  # seconds: a lock this old is stale, whoever holds it
LOCK_POLL = 0.5  # seconds between tries while waiting for the lock
LOCK_CONSTRAINT = (
    "CREATE CONSTRAINT load_lock_id IF NOT EXISTS FOR (l:LoadLock) REQUIRE l.id IS UNIQUE"
)
CONSTRAINT_FAILED = "Neo.ClientError.Schema.ConstraintValidationFailed"
SOURCE = "Source"
Progress = Callable[[int, int], None]  # rows done, rows in all, while writing
Phase = Callable[[str, int], None]  # a phase begins: its name, its size (0: unknown)
Row = dict[str, Any]


@dataclass
class LoadSummary:
    """What one load did (created and deleted from the server's counters, updated and
    unchanged from the diff), and what the graph now holds."""

    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    nodes_updated: int = 0
    relationships_updated: int = 0
    unchanged: int = 0
    transactions: int = 0
    data_hash: str = ""
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
    """Who holds the load lock of ``database``, or None. A lock deleted while it is read
    shows null properties (reads see other transactions' commits at once): it counts as
    released."""
    rows: list[dict[str, Any]] = read(driver, database, _LOCK_HOLDER)
    return LockHolder(**rows[0]) if rows and None not in rows[0].values() else None


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


# --- rows ------------------------------------------------------------------------------
_CANONICAL = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
).encode


def content_sha(kind: str, props: dict[str, Any], start: str = "", end: str = "") -> str:
    """The hash of a row's label or type, ends and properties (canonical JSON)."""
    text = _CANONICAL([kind, start, end, props])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class Plan:
    """Every node row (``id``, ``label``, ``props``; sources have the label ``Source``)
    and relationship row (``id``, ``type``, ``from``, ``to``, ``props``) a dataset makes,
    each with ``content_sha`` in its props, and the hash of them all."""

    nodes: list[Row]
    rels: list[Row]
    data_hash: str

    @property
    def size(self) -> int:
        return len(self.nodes) + len(self.rels)


def plan(dataset: Dataset) -> Plan:
    """The rows of a dataset: sources, entities, and all relationships (curated and derived)."""
    facts = fact_rows(dataset)
    entities = entity_rows(dataset, facts)
    nodes = [{"id": r["id"], "label": SOURCE, "props": r["props"]} for r in source_rows(dataset)]
    nodes += entities
    rels = facts + route_leg_rows(facts, dataset) + documented_in_rows(facts)
    # each hash is of the finished properties, and then added to them
    for row in nodes:
        row["props"]["content_sha"] = content_sha(row["label"], row["props"])
    for row in rels:
        row["props"]["content_sha"] = content_sha(row["type"], row["props"], row["from"], row["to"])
    digest = hashlib.sha256()
    for sha in sorted(r["props"]["content_sha"] for r in (*nodes, *rels)):
        digest.update(sha.encode("ascii"))
    return Plan(nodes, rels, digest.hexdigest())


def batches(rows: Sequence[Row], size: int = BATCH_SIZE) -> Iterator[list[Row]]:
    """Slices of rows, for ``UNWIND $rows``."""
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


# --- the diff --------------------------------------------------------------------------
# The graph's hashes come back as one list per label kind and per type, not one record per
# row: decoding 150k records costs the client seconds, a few long lists almost nothing.
_EXISTING_NODES = (
    "MATCH (n) WHERE n:Entity OR n:Source "
    "WITH n:Source AS source, collect([n.id, n.content_sha, elementId(n)]) AS rows "
    "RETURN source, rows"
)
_EXISTING_RELS = (
    "MATCH (:Entity)-[r]->() WHERE r.id IS NOT NULL "
    "WITH type(r) AS type, collect([r.id, r.content_sha, elementId(r)]) AS rows "
    "RETURN type, rows"
)
# the ends of the relationships whose hash differs: moved, or changed in place?
_ENDS = (
    "UNWIND $eids AS eid MATCH (a)-[r]->(b) WHERE elementId(r) = eid "
    "RETURN eid, a.id AS start, b.id AS end"
)


@dataclass
class Changes:
    """What a load has to do: rows to create, rows to rewrite (with the ``eid`` of what
    they replace) and element ids to delete."""

    create_nodes: list[Row] = field(default_factory=list)
    update_nodes: list[Row] = field(default_factory=list)
    delete_nodes: list[str] = field(default_factory=list)
    create_rels: list[Row] = field(default_factory=list)
    update_rels: list[Row] = field(default_factory=list)
    delete_rels: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def work(self) -> int:
        return sum(
            len(x)
            for x in (
                self.create_nodes,
                self.update_nodes,
                self.delete_nodes,
                self.create_rels,
                self.update_rels,
                self.delete_rels,
            )
        )


def _existing(result: neo4j.Result) -> dict[tuple[Any, str], tuple[str | None, str]]:
    """(label kind or type, id) -> (content hash, element id), from the lists above."""
    return {(kind, rid): (sha, eid) for kind, rows in result for rid, sha, eid in rows}


def _ends(result: neo4j.Result) -> dict[str, tuple[str, str]]:
    return {eid: (start, end) for eid, start, end in result}


@dataclass
class GraphHashes:
    """The graph's nodes and relationships: (label kind or type, id) -> (hash, element id)."""

    nodes: dict[tuple[Any, str], tuple[str | None, str]]
    rels: dict[tuple[Any, str], tuple[str | None, str]]

    @property
    def size(self) -> int:
        return len(self.nodes) + len(self.rels)

    def data_hash(self) -> str | None:
        """The hash of all the graph's rows, as :class:`Plan` makes it of a dataset's
        (None when a row has no hash)."""
        shas = [sha for sha, _ in (*self.nodes.values(), *self.rels.values())]
        if None in shas:
            return None
        digest = hashlib.sha256()
        for sha in sorted(cast(list[str], shas)):
            digest.update(sha.encode("ascii"))
        return digest.hexdigest()


def graph_hashes(driver: neo4j.Driver, database: str) -> GraphHashes:
    """Every node's and relationship's hash and element id, in two round trips."""
    return GraphHashes(
        read(driver, database, _EXISTING_NODES, transformer=_existing),
        read(driver, database, _EXISTING_RELS, transformer=_existing),
    )


def diff(
    driver: neo4j.Driver,
    database: str,
    planned: Plan,
    reset: bool = False,
    graph: GraphHashes | None = None,
) -> Changes:
    """Compare the planned rows with the graph, read here unless given (``reset``:
    everything there is stale)."""
    graph = graph if graph is not None else graph_hashes(driver, database)
    nodes, rels = dict(graph.nodes), dict(graph.rels)
    changes = Changes()
    if reset:
        changes.delete_rels = [eid for _, eid in rels.values()]
        changes.delete_nodes = [eid for _, eid in nodes.values()]
        changes.create_nodes, changes.create_rels = list(planned.nodes), list(planned.rels)
        return changes
    for row in planned.nodes:
        there = nodes.pop((row["label"] == SOURCE, row["id"]), None)
        if there is None:
            changes.create_nodes.append(row)
        elif there[0] != row["props"]["content_sha"]:
            changes.update_nodes.append({**row, "eid": there[1]})
        else:
            changes.unchanged += 1
    changes.delete_nodes = [eid for _, eid in nodes.values()]
    differ: list[tuple[Row, str]] = []
    for row in planned.rels:
        had = rels.pop((row["type"], row["id"]), None)
        if had is None:
            changes.create_rels.append(row)
        elif had[0] == row["props"]["content_sha"]:
            changes.unchanged += 1
        else:
            differ.append((row, had[1]))
    changes.delete_rels += [eid for _, eid in rels.values()]
    if differ:
        ends = read(driver, database, _ENDS, {"eids": [e for _, e in differ]}, transformer=_ends)
        for row, eid in differ:
            if ends.get(eid) == (row["from"], row["to"]):
                changes.update_rels.append({**row, "eid": eid})
            else:  # other ends: a new relationship
                changes.delete_rels.append(eid)
                changes.create_rels.append(row)
    return changes


# --- statements ------------------------------------------------------------------------
_DELETE_RELS = "UNWIND $rows AS eid MATCH ()-[r]->() WHERE elementId(r) = eid DELETE r"
_DELETE_NODES = "UNWIND $rows AS eid MATCH (n) WHERE elementId(n) = eid DETACH DELETE n"
_UPDATE_RELS = "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.eid SET r = row.props"


def _create_nodes(label: str) -> str:
    if label == SOURCE:
        return "UNWIND $rows AS row CREATE (n:Source) SET n = row.props"
    assert label in LABELS, label  # only allow-listed labels reach Cypher text
    return f"UNWIND $rows AS row CREATE (n:Entity:{label}) SET n = row.props"


def _update_nodes(label: str) -> str:
    if label == SOURCE:
        return "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.eid SET n = row.props"
    assert label in LABELS, label
    others = ":".join(sorted(LABELS))
    return (
        "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.eid "
        f"REMOVE n:{others} SET n:{label} SET n = row.props"
    )


def _create_rels(rel_type: str) -> str:
    assert rel_type in REL_TYPES or rel_type in DERIVED_TYPES, rel_type
    end = SOURCE if rel_type == "DOCUMENTED_IN" else "Entity"
    return (
        "UNWIND $rows AS row MATCH (a:Entity {id: row.from}) "
        f"MATCH (b:{end} {{id: row.to}}) CREATE (a)-[r:{rel_type}]->(b) SET r = row.props"
    )


def _grouped(rows: list[Row], key: str) -> list[tuple[str, list[Row]]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return sorted(groups.items())


def _slim(rows: list[Row]) -> list[Row]:
    """Only what the statements read, so a batch sent to the server carries no extra."""
    return [{k: row[k] for k in ("eid", "from", "to", "props") if k in row} for row in rows]


def steps(changes: Changes) -> list[tuple[str, list[Any]]]:
    """Statements and their rows, in an order every prefix of which is safe to commit:
    deletions first, then nodes (sources first), then the relationships between them."""
    out: list[tuple[str, list[Any]]] = [
        (_DELETE_RELS, changes.delete_rels),
        (_DELETE_NODES, changes.delete_nodes),
    ]
    nodes = sorted(changes.create_nodes, key=lambda r: r["label"] != SOURCE)
    out += [(_create_nodes(label), rows) for label, rows in _grouped(nodes, "label")]
    out += [(_update_nodes(label), rows) for label, rows in _grouped(changes.update_nodes, "label")]
    out += [(_create_rels(t), rows) for t, rows in _grouped(changes.create_rels, "type")]
    out.append((_UPDATE_RELS, changes.update_rels))
    return [(query, rows) for query, rows in out if rows]


# --- writing ---------------------------------------------------------------------------
def graph_counts(driver: neo4j.Driver, database: str) -> tuple[dict[str, int], dict[str, int]]:
    """Node counts by label and relationship counts by type (the load run and lock
    bookkeeping nodes left out)."""
    labels: list[dict[str, Any]] = read(
        driver,
        database,
        "MATCH (n) UNWIND labels(n) AS label WITH label WHERE NOT label IN $skip "
        "RETURN label, count(*) AS n ORDER BY label",
        {"skip": list(BOOKKEEPING_LABELS)},
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


def _stopped(exc: DatabaseError, done: int, total: int) -> LoadError:
    text = exc.server_message if isinstance(exc, QueryError) else str(exc)
    return LoadError(
        f"the load stopped part-way ({done:,} of {total:,} rows written in committed "
        f"batches): {text}; the graph is marked incomplete: run `kazgraph load` again to "
        "complete it"
    )


def _one_transaction(
    driver: neo4j.Driver,
    database: str,
    work: list[tuple[str, list[Any]]],
    summary: LoadSummary,
    progress: Progress | None,
    batch_size: int,
    data_hash: str,
) -> None:
    total, done = sum(len(rows) for _, rows in work), 0
    try:
        with transaction(driver, database) as tx:
            summary.transactions = 1
            # all or nothing: no marker needed; one a batched load left is completed
            tx.run(COMPLETE_RUNS, data_hash=data_hash).consume()
            for query, rows in work:
                for batch in batches(rows, batch_size):
                    summary.add(tx.run(query, rows=_slim_or_ids(batch)).consume().counters)
                    done += len(batch)
                    if progress:
                        progress(done, total)
    except DatabaseError as exc:
        raise _rolled_back(exc) from exc


def _slim_or_ids(batch: list[Any]) -> list[Any]:
    return _slim(batch) if batch and isinstance(batch[0], dict) else batch


def _batched(
    driver: neo4j.Driver,
    database: str,
    work: list[tuple[str, list[Any]]],
    summary: LoadSummary,
    progress: Progress | None,
    batch_size: int,
    planned: Plan,
) -> None:
    total, done = sum(len(rows) for _, rows in work), 0
    run_id = new_run_id()
    write(
        driver, database, _statement, START_RUN,
        id=run_id, data_hash=planned.data_hash, rows=planned.size,
    )  # fmt: skip
    try:
        for query, rows in work:
            for batch in batches(rows, batch_size):
                with transaction(driver, database) as tx:
                    summary.add(tx.run(query, rows=_slim_or_ids(batch)).consume().counters)
                summary.transactions += 1
                done += len(batch)
                if progress:
                    progress(done, total)
    except DatabaseError as exc:
        raise _stopped(exc, done, total) from exc
    write(
        driver, database, _statement, FINISH_RUN,
        id=run_id, written=done,
        deleted=summary.nodes_deleted + summary.relationships_deleted,
    )  # fmt: skip


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
    phase: Phase | None = None,
    single_transaction_max: int = SINGLE_TRANSACTION_MAX,
) -> LoadSummary:
    """Apply the schema, take the load lock, write what changed and release the lock.

    Up to ``single_transaction_max`` rows to write or delete go in one transaction (all or
    nothing); more go in transactions of ``batch_size`` rows under a load run marker (see
    the module's help). A dataset without facts would empty the graph: it is refused
    unless ``allow_empty``. ``wait`` and ``waiting`` are for :func:`take_lock`;
    ``break_lock`` first deletes whatever lock there is (one left by a load that died).
    ``phase(name, size)`` is called as each phase begins, ``progress(done, total)`` after
    each batch written."""
    if not dataset.facts and not allow_empty:
        raise ValidationError(
            [
                "the data folder has no facts: loading it would delete the whole graph; "
                "pass --allow-empty (allow_empty=True) if that is what you want"
            ]
        )
    with collector_paused():  # rows and the graph's hashes: many objects, no cycles
        return _load(
            driver, dataset, database, reset, progress, batch_size,
            wait, break_lock, waiting, phase, single_transaction_max,
        )  # fmt: skip


def _load(
    driver: neo4j.Driver,
    dataset: Dataset,
    database: str,
    reset: bool,
    progress: Progress | None,
    batch_size: int,
    wait: float,
    break_lock: bool,
    waiting: Callable[[LockHolder], None] | None,
    phase: Phase | None,
    single_transaction_max: int,
) -> LoadSummary:
    if phase:
        phase("rows", 0)
    # the hash of the rows these very files made at the last load, when it is known: a
    # graph with exactly those rows needs nothing, and then no rows are made at all
    known = None if reset else known_data_hash(dataset)
    planned = None if known else plan(dataset)
    ensure_schema(driver, database, extra=[LOCK_CONSTRAINT, RUN_CONSTRAINT])
    if break_lock:
        drop_lock(driver, database)
    token = take_lock(driver, database, wait, waiting)
    summary = LoadSummary()
    try:
        if phase:
            phase("reading the graph", 0)
        graph = graph_hashes(driver, database)
        if known is not None and graph.data_hash() == known:
            summary.data_hash, summary.unchanged = known, graph.size
            _one_transaction(driver, database, [], summary, progress, batch_size, known)
            return _finished(driver, database, summary)
        if planned is None:
            if phase:
                phase("rows", 0)
            planned = plan(dataset)
        summary.data_hash = planned.data_hash
        changes = diff(driver, database, planned, reset, graph)
        summary.unchanged = changes.unchanged
        summary.nodes_updated = len(changes.update_nodes)
        summary.relationships_updated = len(changes.update_rels)
        work = steps(changes)
        if phase:
            phase("writing", changes.work)
        if changes.work <= single_transaction_max:
            _one_transaction(
                driver, database, work, summary, progress, batch_size, planned.data_hash
            )
        else:
            _batched(driver, database, work, summary, progress, batch_size, planned)
        remember_data_hash(dataset, planned.data_hash)
    finally:
        drop_lock(driver, database, token)
    return _finished(driver, database, summary)


def _finished(driver: neo4j.Driver, database: str, summary: LoadSummary) -> LoadSummary:
    summary.labels, summary.types = graph_counts(driver, database)
    return summary


# --- what the last load of the same files made --------------------------------------
_ROW_MODULES = ("facts", "graph_rows", "names", "vocabulary", "dates", "write")


@functools.cache
def rows_fingerprint() -> str:
    """What a dataset's rows depend on besides its files: the code that validates them and
    makes rows, and the versions of pydantic and pycountry."""
    digest = hashlib.sha256(parse_cache.reader_fingerprint().encode())
    for name in _ROW_MODULES:
        digest.update(Path(importlib.import_module(f"loader.{name}").__file__ or "").read_bytes())
    for package in ("pydantic", "pydantic-core", "pycountry"):
        digest.update(f"{package} {metadata.version(package)}".encode())
    return digest.hexdigest()


def _files_key(dataset: Dataset) -> tuple[parse_cache.ParseCache, Path, str] | None:
    if dataset.files is None:
        return None
    digest = hashlib.sha256(rows_fingerprint().encode())
    for path, sha in dataset.files.digests:
        digest.update(f"{path}\0{sha}\0".encode())
    kept = parse_cache.ParseCache(dataset.files.cache, part="loads")
    return kept, dataset.files.folder, digest.hexdigest()


def known_data_hash(dataset: Dataset) -> str | None:
    """The data hash of the rows a dataset read from exactly these files made when it was
    last loaded (through the parse cache), or None."""
    if (key := _files_key(dataset)) is None:
        return None
    kept, folder, digest = key
    value = kept.get(folder, digest, "rows")
    found = value.get("data_hash") if isinstance(value, dict) else None
    return found if isinstance(found, str) and len(found) == 64 else None


def remember_data_hash(dataset: Dataset, data_hash: str) -> None:
    """Keep the data hash of a dataset's rows for the next load of the same files."""
    if (key := _files_key(dataset)) is not None:
        kept, folder, digest = key
        kept.put(folder, digest, "rows", {"data_hash": data_hash})
