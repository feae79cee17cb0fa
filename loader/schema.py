"""Apply cypher/schema.cypher: constraints and indexes, idempotently."""

from __future__ import annotations

from pathlib import Path

import neo4j
from neo4j.exceptions import Neo4jError

from loader.cypher_text import split_statements
from loader.errors import LoadError
from loader.settings import PROJECT_ROOT

SCHEMA_FILE = PROJECT_ROOT / "cypher" / "schema.cypher"


def schema_statements(path: Path = SCHEMA_FILE) -> list[str]:
    """The statements of a schema file, comments removed."""
    return [statement for _, statement in split_statements(path.read_text(encoding="utf-8"))]


def ensure_schema(driver: neo4j.Driver, database: str, path: Path = SCHEMA_FILE) -> int:
    """Create every constraint and index that does not exist yet; return how many statements ran."""
    statements = schema_statements(path)
    for statement in statements:
        try:
            driver.execute_query(statement, database_=database)
        except Neo4jError as exc:
            raise LoadError(f"{path}: could not apply `{statement}`: {exc.message}") from exc
    return len(statements)
