"""The bulk path: a dataset into an EMPTY local database through ``neo4j-admin database
import full``, the engine's own offline importer.

The import CSV is built from the dataset's rows (the same rows, with the same
``content_sha``, that :func:`loader.write.load` writes; never read back from Neo4j) by
:mod:`loader.export`'s CSV writer. Then the local runner is stopped, the folder imported
into its store, the runner started again on the same ports, and the schema applied. A later
``kazgraph load`` finds every hash in place and writes nothing.

Refused, before anything is stopped, when the database holds any node or the URI is not a
local runner started with ``kazgraph db start`` (found by its data folder and Bolt port).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j

from loader import local_neo4j
from loader.database import read
from loader.errors import LoadError
from loader.export.neo4j_admin import neo4j_admin_arguments, write_csv
from loader.facts import Dataset
from loader.graph import Graph
from loader.load_runs import RUN_CONSTRAINT
from loader.schema import ensure_schema
from loader.settings import Settings
from loader.write import LOCK_CONSTRAINT, LoadSummary, graph_counts, plan

IMPORT_TIMEOUT = 3600.0  # seconds
_ANY_NODE = "MATCH (n) RETURN count(n) > 0 AS any"


@dataclass(frozen=True)
class BulkTarget:
    """The local runner a bulk load may replace the store of."""

    runner: local_neo4j.Runner
    database: str


def check_target(
    driver: neo4j.Driver, settings: Settings, data_dir: Path = local_neo4j.DEFAULT_DATA_DIR
) -> BulkTarget:
    """The runner behind ``settings``, when it is the local one and its database is empty;
    else a :class:`~loader.errors.LoadError` saying why not."""
    runner = local_neo4j.find_runner(Path(data_dir))
    if runner is None or runner.bolt_uri != settings.uri.rstrip("/"):
        raise LoadError(
            f"--bulk imports only into the local runner of {data_dir} (kazgraph db start), "
            f"and {settings.uri} is not it; load without --bulk"
        )
    if settings.database != "neo4j":
        raise LoadError("--bulk imports only into the database 'neo4j' of the local runner")
    if read(driver, settings.database, _ANY_NODE, transformer=lambda r: r.single(strict=True)[0]):
        raise LoadError(
            f"--bulk needs an empty database and '{settings.database}' holds nodes; "
            "load without --bulk (it writes only what changed), or empty it first"
        )
    return BulkTarget(runner, settings.database)


def dataset_graph(dataset: Dataset) -> Graph:
    """The dataset's rows as an answer graph, for the CSV writer."""
    planned = plan(dataset)
    nodes = [
        {"id": r["id"], "labels": [r["label"]], "properties": r["props"]} for r in planned.nodes
    ]
    rels = [
        {
            "id": r["id"],
            "type": r["type"],
            "start": r["from"],
            "end": r["to"],
            "properties": r["props"],
        }
        for r in planned.rels
    ]
    return Graph(nodes, rels)


def admin_import(folder: Path, home: Path, database: str = "neo4j") -> str:
    """Run ``neo4j-admin database import full`` from the runner's classpath (with its JVM
    options and class archive) into the store under ``home`` (the runner's data folder);
    return its output."""
    version = local_neo4j.resolve_version()
    (home / "conf").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    command = [
        local_neo4j.find_java(local_neo4j.java_needed(version), version),
        *local_neo4j.jvm_options(version),
        "org.neo4j.cli.AdminTool",
        *neo4j_admin_arguments(folder, database),
        "--overwrite-destination=true",
        f"--report-file={folder / 'import.report'}",
    ]
    done = subprocess.run(
        command,
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=IMPORT_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise LoadError("neo4j-admin database import failed: " + " | ".join(tail))
    return done.stdout


def bulk_load(
    driver: neo4j.Driver,
    dataset: Dataset,
    settings: Settings,
    data_dir: Path = local_neo4j.DEFAULT_DATA_DIR,
) -> LoadSummary:
    """Import ``dataset`` into the empty local runner; the driver is closed on the way
    (the server restarts), so counts come from a new one."""
    target = check_target(driver, settings, data_dir)
    graph = dataset_graph(dataset)
    with tempfile.TemporaryDirectory(prefix="kazgraph-bulk-") as tmp:
        folder = Path(tmp)
        write_csv(graph, folder)
        runner = target.runner
        driver.close()
        local_neo4j.stop(runner.data_dir)
        try:
            admin_import(folder, runner.data_dir, target.database)
        finally:
            local_neo4j.start(
                bolt_port=runner.bolt_port,
                http_port=runner.http_port,
                data_dir=runner.data_dir,
                neo4j_version=runner.neo4j_version,
                auth=runner.auth,
            )
    summary = LoadSummary(
        nodes_created=len(graph.nodes), relationships_created=len(graph.relationships)
    )
    with neo4j.GraphDatabase.driver(runner.bolt_uri, auth=_auth(settings)) as fresh:
        ensure_schema(fresh, target.database, extra=[LOCK_CONSTRAINT, RUN_CONSTRAINT])
        summary.labels, summary.types = graph_counts(fresh, target.database)
    summary.transactions = 0
    return summary


def _auth(settings: Settings) -> Any:
    return (settings.user, settings.password) if settings.password else None
