"""Apply cypher/schema.cypher: create the constraints and indexes that are missing.

One round trip reads the names that exist (``SHOW INDEXES``: a uniqueness constraint owns an
index of its own name), then only the missing statements run. Two loads may do this at once
on an empty database: a constraint the other one created first is not a failure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import neo4j

from loader.cypher_text import split_statements
from loader.database import read, write
from loader.errors import LoadError, QueryError
from loader.settings import PROJECT_ROOT

SCHEMA_FILE = PROJECT_ROOT / "cypher" / "schema.cypher"
EXISTING = (
    "SHOW INDEXES YIELD name, owningConstraint "
    "RETURN collect(name) + collect(owningConstraint) AS names"
)
# What a concurrent creator of the same constraint or index leaves the slower one with.
ALREADY_THERE = {
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
}
_NAME = re.compile(r"CREATE\s+(?:\w+\s+)?(?:CONSTRAINT|INDEX)\s+(\w+)", re.IGNORECASE)


def schema_statements(path: Path = SCHEMA_FILE) -> list[str]:
    """The statements of a schema file, comments removed."""
    return [statement for _, statement in split_statements(path.read_text(encoding="utf-8"))]


def schema_name(statement: str) -> str | None:
    """The name a ``CREATE … CONSTRAINT|INDEX name …`` statement gives, if it gives one."""
    found = _NAME.match(statement.strip())
    return found.group(1) if found else None


def _create(tx: neo4j.ManagedTransaction, statement: str, /) -> None:
    tx.run(statement).consume()


def ensure_schema(
    driver: neo4j.Driver,
    database: str,
    path: Path = SCHEMA_FILE,
    extra: Sequence[str] = (),
) -> int:
    """Create every constraint and index of ``path`` (and ``extra``) that does not exist yet;
    return how many statements ran. A statement without a name, or for a constraint that owns
    no index, always runs: ``IF NOT EXISTS`` makes that harmless."""
    from_file = schema_statements(path)
    statements = [*from_file, *extra]
    existing = set(read(driver, database, EXISTING, transformer=lambda r: r.single(strict=True)[0]))
    missing = [s for s in statements if schema_name(s) not in existing]
    for statement in missing:
        try:
            write(driver, database, _create, statement)  # retried on a deadlock between creators
        except QueryError as exc:
            if exc.code not in ALREADY_THERE:
                where = f"{path}: " if statement in from_file else ""
                raise LoadError(
                    f"{where}could not apply `{statement}`: {exc.server_message}"
                ) from exc
    return len(missing)
