"""The load-run marker: whether the graph holds one complete load, or a load stopped part-way.

A load that writes in several transactions (see :mod:`loader.write`) first commits a
``(:LoadRun {id, started_at, status: 'running', data_hash})`` node, and sets ``status`` to
``'complete'`` (with ``finished_at`` and its counts) in its last step. A client or server
killed in between leaves ``'running'`` behind: the graph is then part old, part new, and the
next ``kazgraph load`` converges from it to exactly what a clean load gives. A load that
fits in one transaction is all or nothing, so it creates no marker; it marks one a
batched load left as complete, in that same transaction. Only the newest run is kept.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import neo4j

from loader.database import read

RUN_CONSTRAINT = (
    "CREATE CONSTRAINT load_run_id IF NOT EXISTS FOR (r:LoadRun) REQUIRE r.id IS UNIQUE"
)
BOOKKEEPING_LABELS = ("LoadRun", "LoadLock")

START_RUN = (
    "OPTIONAL MATCH (old:LoadRun) DELETE old "
    "WITH count(*) AS gone "
    "CREATE (:LoadRun {id: $id, started_at: datetime(), status: 'running', "
    "data_hash: $data_hash, rows: $rows})"
)
FINISH_RUN = (
    "MATCH (r:LoadRun {id: $id}) SET r.status = 'complete', r.finished_at = datetime(), "
    "r.written = $written, r.deleted = $deleted"
)
COMPLETE_RUNS = (
    "MATCH (r:LoadRun) SET r.status = 'complete', r.finished_at = datetime(), "
    "r.data_hash = $data_hash"
)
_STATE = (
    "OPTIONAL MATCH (r:LoadRun) WITH r ORDER BY r.started_at DESC LIMIT 1 "
    "CALL () { MATCH (n) WHERE n:Entity OR n:Source RETURN count(n) > 0 AS loaded } "
    "RETURN r.id AS id, toString(r.started_at) AS started_at, "
    "toString(r.finished_at) AS finished_at, r.status AS status, r.data_hash AS data_hash, "
    "loaded"
)


def new_run_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class LoadState:
    """What the graph holds: ``empty``, ``complete`` or ``running`` (a load that has not
    finished, or stopped part-way: run ``kazgraph load`` again to complete it)."""

    status: str
    run_id: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    data_hash: str | None = None

    @property
    def incomplete(self) -> bool:
        return self.status == "running"

    def __str__(self) -> str:
        if self.status == "running":
            return (
                f"a load started at {self.started_at} has not completed (still running, or "
                "stopped part-way): run `kazgraph load` again to complete the graph"
            )
        if self.status == "empty":
            return "no graph loaded"
        when = f" at {self.finished_at}" if self.finished_at else ""
        return f"complete{when}"


def load_state(driver: neo4j.Driver, database: str) -> LoadState:
    """The state the last load left ``database`` in (read-only, one round trip)."""
    rows: list[dict[str, Any]] = read(driver, database, _STATE)
    row = rows[0]
    if row["id"] is None:
        return LoadState("complete" if row["loaded"] else "empty")
    return LoadState(
        status=str(row["status"]),
        run_id=row["id"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        data_hash=row["data_hash"],
    )
