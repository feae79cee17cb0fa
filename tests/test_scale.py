"""Large loads: batched under a marker, restartable after a kill, incremental, and the bulk
path. The thresholds are lowered so the curated data/ stands in for a large folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import neo4j
import pytest

from loader import local_neo4j
from loader.bulk import bulk_load
from loader.errors import LoadError
from loader.facts import load_dataset
from loader.load_runs import load_state
from loader.settings import Settings
from loader.write import load
from tests.datasets import FACTS, write_dataset

SMALL = {"single_transaction_max": 50, "batch_size": 20}


def snapshot(driver: neo4j.Driver, database: str) -> list[tuple[str, ...]]:
    """Every kazgraph node and relationship with every property, in a stable order."""
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE n:Entity OR n:Source OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN labels(n) AS labels, properties(n) AS props, type(r) AS type, "
        "properties(r) AS rprops, m.id AS to ORDER BY n.id, labels, type, r.id, to",
        database_=database,
    )
    # properties compared as sorted JSON: Neo4j returns a map's keys in no fixed order
    return [tuple(json.dumps(v, sort_keys=True, default=str) for v in r.values()) for r in records]


def wipe(driver: neo4j.Driver, database: str) -> None:
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=database)


def test_a_load_above_the_threshold_is_batched_and_marked_complete(
    empty_db: neo4j.Driver, neo4j_settings: Settings
) -> None:
    database = neo4j_settings.database
    summary = load(empty_db, load_dataset(), database, **SMALL)  # type: ignore[arg-type]
    assert summary.transactions > 10
    state = load_state(empty_db, database)
    assert state.status == "complete" and state.data_hash == summary.data_hash
    batched = snapshot(empty_db, database)
    wipe(empty_db, database)
    load(empty_db, load_dataset(), database)
    assert snapshot(empty_db, database) == batched


def test_a_no_change_reload_writes_nothing_and_a_change_is_written_in_place(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    database = neo4j_settings.database
    first = load(empty_db, load_dataset(write_dataset(tmp_path / "a")), database)
    again = load(empty_db, load_dataset(write_dataset(tmp_path / "a")), database)
    assert (again.nodes_created, again.relationships_created, again.properties_set) == (0, 0, 0)
    assert again.unchanged == first.nodes_created + first.relationships_created
    changed = write_dataset(
        tmp_path / "b", facts=FACTS.replace("value_usd: 11000000000", "value_usd: 12000000000")
    )
    summary = load(empty_db, load_dataset(changed), database)
    assert (summary.relationships_updated, summary.relationships_created) == (1, 0)
    assert summary.nodes_deleted == summary.relationships_deleted == 0
    value = empty_db.execute_query(
        "MATCH ()-[r:TRADES_WITH]->() RETURN r.value_usd AS v", database_=database
    ).records[0]["v"]
    assert value == 12e9


KILLED_LOAD = """
import os, sys, time
import neo4j
from loader.facts import load_dataset
from loader.write import load

def progress(done, total):
    print(done, flush=True)
    time.sleep(0.2)

with neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"]) as driver:
    load(driver, load_dataset(), os.environ.get("NEO4J_DATABASE", "neo4j"),
         single_transaction_max=50, batch_size=20, progress=progress)
"""


def test_a_load_killed_part_way_is_marked_and_the_next_load_converges(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    database = neo4j_settings.database
    load(empty_db, load_dataset(write_dataset(tmp_path)), database)  # an older graph
    env = {**os.environ, "NEO4J_URI": neo4j_settings.uri, "NEO4J_DATABASE": database}
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_LOAD], env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    for _ in range(5):  # five batches committed
        assert child.stdout.readline()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert load_state(empty_db, database).incomplete
    load(empty_db, load_dataset(), database)  # the dead load's lock is stale: taken over
    assert load_state(empty_db, database).status == "complete"
    resumed = snapshot(empty_db, database)
    wipe(empty_db, database)
    load(empty_db, load_dataset(), database)
    assert snapshot(empty_db, database) == resumed


def test_bulk_refuses_a_database_that_is_not_empty(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(LoadError, match="--bulk"):
        bulk_load(loaded, load_dataset(), neo4j_settings, tmp_path / "no-runner")


SERVER_KILLED_LOAD = """
import functools, time
import neo4j
from loader.database import connect
from loader.errors import KazgraphError
from loader.facts import load_dataset
from loader.settings import Settings
from loader.write import load

def progress(done, total):
    print(done, flush=True)
    time.sleep(0.5)

# The killed server does not come back: the driver retries for 1 s, not its default 30 s.
neo4j.GraphDatabase.driver = functools.partial(
    neo4j.GraphDatabase.driver, max_transaction_retry_time=1.0)

try:
    with connect(Settings.resolve()) as driver:
        load(driver, load_dataset(), "neo4j", single_transaction_max=50, batch_size=20,
             progress=progress)
except KazgraphError as exc:
    print("ERROR", type(exc).__name__, str(exc).replace(chr(10), " "), flush=True)
    raise SystemExit(1)
"""


@pytest.mark.slow
@pytest.mark.usefixtures("short_lived_jvms")
def test_a_load_whose_server_dies_converges_and_a_bulk_import_gives_the_same_graph(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    """Two stories on one runner, as each needs a server of its own (a start costs ~6 s):
    a load whose server is killed fails in one line and the next load converges; then,
    emptied, the same runner takes data/ through the bulk path (neo4j-admin import) and
    gives the graph a load gives, which a load after it leaves unchanged."""
    clean = snapshot(loaded, neo4j_settings.database)  # what a clean load of data/ gives
    bolt, http = local_neo4j.free_ports(2)
    home = tmp_path / "neo4j"
    runner = local_neo4j.start(bolt_port=bolt, http_port=http, data_dir=home).runner
    try:
        env = {**os.environ, "NEO4J_URI": runner.bolt_uri}
        child = subprocess.Popen(
            [sys.executable, "-c", SERVER_KILLED_LOAD], env=env, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        for _ in range(3):  # three batches committed
            assert child.stdout.readline()
        os.kill(runner.pid, signal.SIGKILL)
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 1
        (error,) = [line for line in out.splitlines() if line.startswith("ERROR")]
        assert error.startswith("ERROR DatabaseUnavailable ")
        assert "Traceback" not in out

        runner = local_neo4j.start(bolt_port=bolt, http_port=http, data_dir=home).runner
        with neo4j.GraphDatabase.driver(runner.bolt_uri) as driver:
            assert load_state(driver, "neo4j").incomplete
            load(driver, load_dataset(), "neo4j")
            assert snapshot(driver, "neo4j") == clean
            assert load_state(driver, "neo4j").status == "complete"

            driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")
            bulk_load(driver, load_dataset(), Settings(uri=runner.bolt_uri), home)
        with neo4j.GraphDatabase.driver(runner.bolt_uri) as imported:
            assert snapshot(imported, "neo4j") == clean
            again = load(imported, load_dataset(), "neo4j")
            assert again.properties_set == 0 and again.unchanged > 0
    finally:
        local_neo4j.stop(home)
