"""Shared fixtures: one real Neo4j for the whole test session.

Without NEO4J_URI the session starts the local runner (``neo4j-local/``) on free ports with a
temporary data folder, in the background while the tests that need no database run first,
and stops it at the end. With NEO4J_URI (and NEO4J_PASSWORD...) set, the tests use that
Neo4j instead, and tests that ask for ``empty_db`` wipe it: never point them at a database
you care about.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import neo4j
import pytest

from loader import browser, local_neo4j
from loader.database import open_driver
from loader.facts import DEFAULT_DATA_DIR, load_dataset
from loader.settings import Settings
from loader.write import load


@pytest.fixture
def short_lived_jvms(monkeypatch: pytest.MonkeyPatch) -> None:
    """For a test that starts JVMs of its own (runners, neo4j-admin) that live for seconds:
    they compile with C1 only (``-XX:TieredStopAtLevel=1``, read by every ``java`` launcher
    from JDK_JAVA_OPTIONS), which on a 2-core machine saves about 40% of their CPU. The
    session's Neo4j keeps the full JIT: it plans hundreds of queries, which C2 makes about
    twice as fast once warm."""
    options = os.environ.get("JDK_JAVA_OPTIONS", "")
    monkeypatch.setenv("JDK_JAVA_OPTIONS", f"{options} -XX:TieredStopAtLevel=1".strip())


@pytest.fixture(scope="session", autouse=True)
def files_stay_in_temporary_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands that write beside the project by default (`kazgraph browse` writes the saved
    queries for Browser into .kazgraph/) write into a temporary folder during tests (the
    parse cache's folder is set in tests/__init__.py)."""
    with pytest.MonkeyPatch.context() as patch:
        target = tmp_path_factory.mktemp("kazgraph-home") / "browser-saved-queries.cypher"
        patch.setattr(browser, "SAVED_QUERIES_FILE", target)
        yield


DATABASE_FIXTURES = {"local_runner", "neo4j_settings", "driver"}
# After the readers of the curated graph, in this order: tests on a graph of their own
# (another data folder), tests that read the curated graph and then change it (its schema
# too, which empties the server's plan cache), tests that empty the database.
LATER_FIXTURES = ({"loaded_with_third"}, {"spoils_graph"}, {"empty_db", "bare_db"})


def _fixtures(item: pytest.Item) -> set[str]:
    return set(getattr(item, "fixturenames", ()))


def needs_database(item: pytest.Item) -> bool:
    return bool(DATABASE_FIXTURES & _fixtures(item))


def _order(item: pytest.Item) -> tuple[bool, int]:
    fixtures = _fixtures(item)
    later = [rank for rank, names in enumerate(LATER_FIXTURES, 1) if names & fixtures]
    return needs_database(item), max(later, default=0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that need no database run first, while the session's Neo4j starts and
    takes the curated graph in the background (:func:`neo4j_booting`); then those that read
    it, and then :data:`LATER_FIXTURES`' groups, so the curated graph is loaded about once.
    Each group keeps its order."""
    items.sort(key=_order)


def _boot(data_dir: Path, seed_state: SeedState) -> local_neo4j.Runner:
    bolt_port, http_port = local_neo4j.free_ports(2)
    runner = local_neo4j.start(bolt_port=bolt_port, http_port=http_port, data_dir=data_dir).runner
    with open_driver(runner.settings) as driver:
        seed_state.ensure(driver, runner.settings.database, DEFAULT_DATA_DIR)
    return runner


@pytest.fixture(scope="session", autouse=True)
def neo4j_booting(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    seed_state: SeedState,
) -> Iterator[Future[local_neo4j.Runner] | None]:
    """Start the session's local Neo4j and load the curated graph into it in a thread, as
    soon as the session begins, so that the tests needing no database run meanwhile (on a
    2-core machine that hides most of the JVM's start and first load). None when NEO4J_URI
    is set or no collected test needs a database. Nothing reads ``seed_state`` before the
    thread is done: every fixture that does waits for :func:`local_runner`."""
    if os.environ.get("NEO4J_URI") or not any(map(needs_database, request.session.items)):
        yield None
        return
    data_dir = tmp_path_factory.mktemp("neo4j-local") / "neo4j"
    with ThreadPoolExecutor(max_workers=1) as pool:
        booting = pool.submit(_boot, data_dir, seed_state)
        try:
            yield booting
        finally:
            booting.exception()  # wait for the start to end, however it ended
            local_neo4j.stop(data_dir)


@pytest.fixture(scope="session")
def local_runner(neo4j_booting: Future[local_neo4j.Runner] | None) -> local_neo4j.Runner | None:
    """The local runner started for this session, or None when NEO4J_URI is set."""
    return None if neo4j_booting is None else neo4j_booting.result()


@pytest.fixture(scope="session")
def neo4j_settings(local_runner: local_neo4j.Runner | None) -> Settings:
    """Where the session's Neo4j is: the local runner, or NEO4J_* when NEO4J_URI is set."""
    return local_runner.settings if local_runner is not None else Settings.resolve()


@pytest.fixture(scope="session")
def driver(neo4j_settings: Settings) -> Iterator[neo4j.Driver]:
    """One driver for the session, built the way the package builds it."""
    session_driver = open_driver(neo4j_settings)
    try:
        yield session_driver
    finally:
        session_driver.close()


class SeedState:
    """Which data folder the session's database was last loaded from, and its node and
    relationship counts then: a test that leaves both as they were costs the next one no
    reload."""

    def __init__(self) -> None:
        self.data_dir: Path | None = None
        self.fingerprint: tuple[int, int] | None = None

    def current(self, driver: neo4j.Driver, database: str) -> tuple[int, int]:
        nodes = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=database)
        rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n", database_=database)
        return nodes.records[0]["n"], rels.records[0]["n"]

    def ensure(self, driver: neo4j.Driver, database: str, data_dir: Path) -> None:
        """Load ``data_dir`` unless the database still holds exactly what it gave."""
        if (
            self.fingerprint is None
            or self.data_dir != data_dir
            or self.current(driver, database) != self.fingerprint
        ):
            self.fingerprint = None
            load(driver, load_dataset(data_dir), database)
            self.data_dir, self.fingerprint = data_dir, self.current(driver, database)


@pytest.fixture(scope="session")
def seed_state() -> SeedState:
    """Shared by the fixtures that load a data folder and ``empty_db`` (which spoils it)."""
    return SeedState()


@pytest.fixture
def empty_db(driver: neo4j.Driver, neo4j_settings: Settings, seed_state: SeedState) -> neo4j.Driver:
    """The session's driver, after deleting every node (the schema stays: it is idempotent)."""
    seed_state.fingerprint = None
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_settings.database)
    return driver


@pytest.fixture
def spoils_graph(seed_state: SeedState) -> Iterator[None]:
    """For a test that reads the curated graph and then changes it: it runs with the tests
    that empty the database, after every reader, so the readers need no reload."""
    yield
    seed_state.fingerprint = None


@pytest.fixture
def bare_db(empty_db: neo4j.Driver, neo4j_settings: Settings) -> neo4j.Driver:
    """An empty database without constraints or indexes (slow: only for schema tests)."""
    database = neo4j_settings.database
    for name in _names(empty_db, database, "SHOW CONSTRAINTS YIELD name RETURN name"):
        empty_db.execute_query(f"DROP CONSTRAINT {_quoted(name)} IF EXISTS", database_=database)
    # Token lookup indexes come with every database; keep them.
    for name in _names(
        empty_db, database, "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"
    ):
        empty_db.execute_query(f"DROP INDEX {_quoted(name)} IF EXISTS", database_=database)
    return empty_db


def _names(driver: neo4j.Driver, database: str, query: str) -> list[str]:
    return [record["name"] for record in driver.execute_query(query, database_=database).records]


def _quoted(name: str) -> str:
    """A schema name as a Cypher identifier (names come from SHOW, not from users)."""
    return "`" + name.replace("`", "``") + "`"


@pytest.fixture
def loaded(driver: neo4j.Driver, neo4j_settings: Settings, seed_state: SeedState) -> neo4j.Driver:
    """The session's driver with the full curated graph loaded.

    The seed graph is loaded once and reloaded only after a test spoiled it (``empty_db``,
    or different node or relationship counts), so most tests pay nothing for it.
    """
    seed_state.ensure(driver, neo4j_settings.database, DEFAULT_DATA_DIR)
    return driver
