"""The one place that builds a Neo4j driver from settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from loader.errors import DatabaseUnavailable
from loader.settings import Settings


def open_driver(settings: Settings) -> neo4j.Driver:
    """Build a driver and check that Neo4j answers; raise DatabaseUnavailable if not."""
    auth = (settings.user, settings.password) if settings.password else None
    driver = neo4j.GraphDatabase.driver(settings.uri, auth=auth)
    try:
        driver.verify_connectivity()
    except (ServiceUnavailable, AuthError, OSError, ValueError) as exc:
        driver.close()
        hint = " start it with `kazgraph db start`" if settings.is_local else ""
        raise DatabaseUnavailable(
            f"Neo4j is not reachable at {settings.uri} ({type(exc).__name__});{hint}"
        ) from exc
    return driver


@contextmanager
def connect(settings: Settings) -> Iterator[neo4j.Driver]:
    """Context manager around :func:`open_driver` that closes the driver."""
    driver = open_driver(settings)
    try:
        yield driver
    finally:
        driver.close()
