"""One load at a time per database, and a data folder without facts never empties the graph."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

import loader.write
from loader.cli import main
from loader.errors import LoadLocked, ValidationError
from loader.facts import load_dataset
from loader.settings import Settings
from loader.write import load, lock_holder
from tests.datasets import FACTS, write_dataset

SMALLER_FACTS = FACTS.split("  - id: t-khorgos-in-kaz")[0]
SMALLER_ENTITIES = (
    "\nentities:\n  - {id: KAZ, label: Country, name: Kazakhstan}\n"
    "  - {id: CHN, label: Country, name: China}\n"
)


def snapshot(driver: neo4j.Driver, database: str) -> list[tuple[object, ...]]:
    """Every node and relationship with its properties, in a stable order."""
    records, _, _ = driver.execute_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN labels(n) AS labels, properties(n) AS props, type(r) AS type, "
        "properties(r) AS rprops, m.id AS to ORDER BY n.id, type, to",
        database_=database,
    )
    # properties compared as sorted JSON: Neo4j returns a map's keys in no fixed order
    return [tuple(json.dumps(v, sort_keys=True, default=str) for v in r.values()) for r in records]


def hold_lock(driver: neo4j.Driver, database: str, host: str, pid: int) -> None:
    """A lock as another load, elsewhere, would leave it."""
    driver.execute_query(
        "CREATE CONSTRAINT load_lock_id IF NOT EXISTS FOR (l:LoadLock) REQUIRE l.id IS UNIQUE",
        database_=database,
    )
    driver.execute_query(
        "CREATE (:LoadLock {id: 'load', token: 'theirs', host: $host, pid: $pid, "
        "started_at: datetime()})",
        host=host,
        pid=pid,
        database_=database,
    )


def test_two_loads_at_once_one_wins_and_the_graph_is_the_winners(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    database = neo4j_settings.database
    folders = {
        "full": write_dataset(tmp_path / "full"),
        "smaller": write_dataset(tmp_path / "smaller", SMALLER_ENTITIES, SMALLER_FACTS),
    }
    datasets = {name: load_dataset(folder) for name, folder in folders.items()}
    outcome: dict[str, BaseException | None] = {}
    loser_done = threading.Event()

    def hold_until_the_other_gave_up(done: int, total: int) -> None:
        loser_done.wait(timeout=120)  # runs only while this load holds the lock

    def run(name: str) -> None:
        try:
            load(empty_db, datasets[name], database, progress=hold_until_the_other_gave_up)
            outcome[name] = None
        except LoadLocked as exc:
            outcome[name] = exc
            loser_done.set()

    threads = [threading.Thread(target=run, args=(name,)) for name in datasets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    [winner] = [name for name, exc in outcome.items() if exc is None]
    [loser] = [exc for exc in outcome.values() if exc is not None]
    assert str(loser).startswith(f"another load is writing to database '{database}': pid ")
    assert "`kazgraph load --break-lock`" in str(loser)
    assert lock_holder(empty_db, database) is None
    after_race = snapshot(empty_db, database)
    empty_db.execute_query("MATCH (n) DETACH DELETE n", database_=database)
    load(empty_db, datasets[winner], database)
    assert after_race == snapshot(empty_db, database)


def test_a_held_lock_is_named_and_can_be_broken(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    database = neo4j_settings.database
    hold_lock(empty_db, database, "elsewhere.example", 4242)
    holder = lock_holder(empty_db, database)
    assert holder is not None
    data = str(write_dataset(tmp_path))
    result = CliRunner().invoke(main, ["load", "--data", data, "--uri", neo4j_settings.uri])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: another load is writing to database '{database}': pid 4242 on "
        f"elsewhere.example, since {holder.started_at} holds the load lock. Wait for it "
        "(kazgraph load --wait SECONDS); if that load died, clear the lock with `kazgraph "
        "load --break-lock` (a lock expires by itself 60 minutes after it was taken)\n"
    )
    assert [row[0] for row in snapshot(empty_db, database)] == ['["LoadLock"]']
    result = CliRunner().invoke(
        main, ["load", "--data", data, "--uri", neo4j_settings.uri, "--break-lock"]
    )
    assert result.exit_code == 0, result.output
    assert lock_holder(empty_db, database) is None


def test_a_lock_left_by_a_dead_process_on_this_host_is_taken_over(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    import socket
    import subprocess

    finished = subprocess.Popen(["true"])
    finished.wait()
    hold_lock(empty_db, neo4j_settings.database, socket.gethostname(), finished.pid)
    summary = load(empty_db, load_dataset(write_dataset(tmp_path)), neo4j_settings.database)
    assert summary.types["TRADES_WITH"] == 1


def test_a_second_load_waits_for_the_lock_when_asked(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    database = neo4j_settings.database
    hold_lock(empty_db, database, "elsewhere.example", 4242)
    waited: list[str] = []
    release = threading.Timer(
        1.0,
        lambda: empty_db.execute_query("MATCH (l:LoadLock) DELETE l", database_=database),
    )
    release.start()
    summary = load(
        empty_db,
        load_dataset(write_dataset(tmp_path)),
        database,
        wait=60,
        waiting=lambda holder: waited.append(str(holder)),
    )
    release.join()
    assert len(waited) == 1 and waited[0].startswith("pid 4242 on elsewhere.example, since ")
    assert summary.types["TRADES_WITH"] == 1


def test_a_lock_deleted_while_it_is_read_counts_as_released(
    empty_db: neo4j.Driver, neo4j_settings: Settings
) -> None:
    """Reads see other transactions' commits at once, so a lock deleted in the middle of a
    read comes back with null properties (about 1 read in 100 here, while another thread
    takes and drops the lock in a loop); that is no holder, never a holder without a pid."""
    database = neo4j_settings.database
    hold_lock(empty_db, database, "elsewhere.example", 4242)
    empty_db.execute_query("MATCH (l:LoadLock) DELETE l", database_=database)
    done = threading.Event()

    def churn() -> None:
        while not done.is_set():
            hold_lock(empty_db, database, "elsewhere.example", 4242)
            empty_db.execute_query("MATCH (l:LoadLock) DELETE l", database_=database)

    churning = threading.Thread(target=churn)
    churning.start()
    try:
        holders = [lock_holder(empty_db, database) for _ in range(300)]
    finally:
        done.set()
        churning.join()
    seen = [holder for holder in holders if holder is not None]
    assert seen and all(str(holder).startswith("pid 4242 on elsewhere.example") for holder in seen)


def test_a_failed_load_releases_the_lock(
    empty_db: neo4j.Driver,
    neo4j_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing_batches(frame, size=loader.write.BATCH_SIZE):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")
        yield

    monkeypatch.setattr(loader.write, "batches", failing_batches)
    with pytest.raises(RuntimeError):
        load(empty_db, load_dataset(write_dataset(tmp_path)), neo4j_settings.database)
    assert lock_holder(empty_db, neo4j_settings.database) is None


def test_a_folder_without_facts_refuses_to_empty_the_graph(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    database = neo4j_settings.database
    load(empty_db, load_dataset(write_dataset(tmp_path / "full")), database)
    before = snapshot(empty_db, database)
    empty = str(write_dataset(tmp_path / "empty", "entities: []\n", "facts: []\n"))
    registry = Path(empty) / "sources.yaml"  # no entities, so no source may name a subject
    registry.write_text(
        "".join(line for line in registry.read_text().splitlines(True) if "subject:" not in line)
    )
    result = CliRunner().invoke(main, ["load", "--data", empty, "--uri", neo4j_settings.uri])
    assert result.exit_code == 1
    assert result.output == (
        "Error: 1 problem(s) in the data, nothing was written:\n"
        "  - the data folder has no facts: loading it would delete the whole graph; "
        "pass --allow-empty (allow_empty=True) if that is what you want\n"
    )
    assert snapshot(empty_db, database) == before
    with pytest.raises(ValidationError):
        load(empty_db, load_dataset(Path(empty)), database)
    result = CliRunner().invoke(
        main, ["load", "--data", empty, "--uri", neo4j_settings.uri, "--allow-empty"]
    )
    assert result.exit_code == 0, result.output
    records, _, _ = empty_db.execute_query(
        "MATCH ()-[r]->() RETURN count(r) AS n", database_=database
    )
    assert records[0]["n"] == 0
