"""The one door to Neo4j: build a driver from settings, read, write, and ask the server who
it is. Driver errors become the small hierarchy in :mod:`loader.errors` here and nowhere
else, so every command reports a wrong URI, an unknown database, a stopped server or a bad
password the same way, naming what to do.

Three ways to write, by how a failure should be retried:

- :func:`write` runs short work the driver retries when the server says the failure is
  transient (a deadlock, a leader switch): the work must be safe to run twice.
- :func:`transaction` is one explicit transaction that is never retried: a load that runs
  out of transaction memory fails once, rolled back, instead of running all over again.
- :func:`run` auto-commits one statement (``CALL { } IN TRANSACTIONS`` needs that).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import unquote, urlsplit

import neo4j
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
)

from loader.errors import (
    AuthFailed,
    DatabaseError,
    DatabaseUnavailable,
    QueryError,
    UnknownDatabase,
)
from loader.settings import Settings

T = TypeVar("T")
P = ParamSpec("P")
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
ACCESS_MODE = "Neo.ClientError.Statement.AccessMode"
READ = neo4j.RoutingControl.READ


_LOGIN = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)?(?P<user>[^:@/]*)(?::[^/]*)?@")


def shown_uri(uri: str) -> str:
    """The URI without any password in it, fit to print."""
    return _LOGIN.sub(lambda m: f"{m['scheme'] or ''}{m['user']}@", uri, count=1)


def _uri_and_auth(settings: Settings) -> tuple[str, tuple[str, str] | None]:
    """The URI without user and password, and the login: from the URI when it has one
    (``bolt://user:pw@host``, which the driver itself refuses), else from the settings."""
    parts = urlsplit(settings.uri)
    user, password = settings.user, settings.password
    if parts.username is not None:
        user, password = unquote(parts.username), unquote(parts.password or password)
    uri = _LOGIN.sub(lambda m: m["scheme"] or "", settings.uri, count=1)
    return uri, (user, password) if password else None


def _check_uri(uri: str) -> None:
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise DatabaseUnavailable(
            f"'{shown_uri(uri)}' is not a Bolt URI; set NEO4J_URI (or --uri) to one like "
            f"bolt://127.0.0.1:7687 or neo4j+s://<id>.databases.neo4j.io "
            f"(schemes: {', '.join(BOLT_SCHEMES)})"
        )


def database_error(
    exc: Exception, settings: Settings | None = None, database: str = ""
) -> DatabaseError:
    """The kazgraph error for a driver or server error, with what to do about it."""
    where = f" at {shown_uri(settings.uri)}" if settings else ""
    if isinstance(exc, DatabaseError):
        return exc
    if isinstance(exc, AuthError):
        return AuthFailed(
            f"Neo4j{where} refused the user name and password; check NEO4J_USER and "
            "NEO4J_PASSWORD (or --user and --password)"
        )
    if isinstance(exc, Neo4jError) and exc.code == DATABASE_NOT_FOUND:
        name = database or (settings.database if settings else "")
        return UnknownDatabase(
            f"Neo4j{where} has no database '{name}'; set NEO4J_DATABASE (or --database) to one "
            "that exists (Neo4j Community has only 'neo4j')"
        )
    if isinstance(exc, Neo4jError):
        text = exc.message or str(exc)
        return QueryError(f"Neo4j refused the statement: {text}", exc.code, text)
    hint = (
        "start it with `kazgraph db start`"
        if settings is None or settings.is_local
        else "check that it runs there and that NEO4J_URI (or --uri) is right"
    )
    return DatabaseUnavailable(f"Neo4j is not reachable{where}; {hint}")


DRIVER_ERRORS = (Neo4jError, DriverError)
CONNECT_ERRORS = (*DRIVER_ERRORS, OSError, ValueError)


def open_driver(settings: Settings) -> neo4j.Driver:
    """A driver that has reached the server and found the database; the one place a driver
    is built. Raise a :class:`~loader.errors.DatabaseError` saying what is wrong."""
    _check_uri(settings.uri)
    try:
        uri, auth = _uri_and_auth(settings)
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
    except (ConfigurationError, ValueError) as exc:
        reason = str(exc).replace(settings.uri, shown_uri(settings.uri))
        raise DatabaseUnavailable(
            f"'{shown_uri(settings.uri)}' is not a usable Neo4j URI ({reason})"
        ) from None
    try:
        driver.verify_connectivity()
        driver.execute_query("RETURN 1", database_=settings.database, routing_=READ)
    except CONNECT_ERRORS as exc:
        driver.close()
        raise database_error(exc, settings, settings.database) from None
    return driver


@contextmanager
def connect(settings: Settings) -> Iterator[neo4j.Driver]:
    """Context manager around :func:`open_driver` that closes the driver."""
    driver = open_driver(settings)
    try:
        yield driver
    finally:
        driver.close()


def read(
    driver: neo4j.Driver,
    database: str,
    query: str | neo4j.Query,
    params: dict[str, Any] | None = None,
    transformer: Callable[[neo4j.Result], T] = neo4j.Result.data,  # type: ignore[assignment]
) -> T:
    """Run one statement in a READ transaction (the server refuses writes) and transform it."""
    try:
        return driver.execute_query(
            query,
            parameters_=params or {},
            database_=database,
            routing_=READ,
            result_transformer_=transformer,
        )
    except DRIVER_ERRORS as exc:
        raise database_error(exc, database=database) from exc


def write(
    driver: neo4j.Driver,
    database: str,
    work: Callable[Concatenate[neo4j.ManagedTransaction, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Run ``work(tx, ...)`` in one write transaction, retried by the driver when transient."""
    try:
        with driver.session(database=database) as session:
            return session.execute_write(work, *args, **kwargs)
    except DRIVER_ERRORS as exc:
        raise database_error(exc, database=database) from exc


@contextmanager
def transaction(driver: neo4j.Driver, database: str) -> Iterator[neo4j.Transaction]:
    """One explicit write transaction, committed when the block ends and rolled back when it
    raises; never retried. Driver errors become :class:`~loader.errors.DatabaseError`."""
    try:
        with driver.session(database=database) as session, session.begin_transaction() as tx:
            yield tx
            tx.commit()
    except DRIVER_ERRORS as exc:
        raise database_error(exc, database=database) from exc


def run(
    driver: neo4j.Driver, database: str, statement: str, params: dict[str, Any] | None = None
) -> neo4j.ResultSummary:
    """Run one auto-committed statement (schema commands, ``CALL { } IN TRANSACTIONS``)."""
    try:
        with driver.session(database=database) as session:
            return session.run(statement, params or {}).consume()
    except DRIVER_ERRORS as exc:
        raise database_error(exc, database=database) from exc


def server_info(driver: neo4j.Driver, database: str) -> dict[str, Any]:
    """The server's name, version and edition."""
    rows: list[dict[str, Any]] = read(
        driver,
        database,
        "CALL dbms.components() YIELD name, versions, edition "
        "RETURN name, versions[0] AS version, edition",
    )
    return dict(rows[0]) if rows else {}


def is_write_refused(exc: QueryError) -> bool:
    """True when the server refused a write in a read transaction."""
    return exc.code == ACCESS_MODE
