"""Refuse, before it runs, a query that could write or reach outside the graph.

Saved queries and ad-hoc Cypher run in READ transactions, where the server refuses writes.
That alone does not stop ``LOAD CSV`` reading a file or a procedure reaching a URL, so the
query's plan is read first (``EXPLAIN``, which runs nothing) and refused when it loads CSV,
writes, calls a procedure or APOC function outside an allow-list, or batches transactions.
The local runner enforces the same in the database (see README, "The local Neo4j").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import neo4j

from loader.database import database_error
from loader.errors import KazgraphError

# Plan operators that write, read files or commit on their own.
_REFUSED_OPERATORS = re.compile(
    r"^(Create|Merge|LockingMerge|Set|Remove|Delete|DetachDelete|Foreach|LoadCSV|"
    r"Transaction|Procedure.*Write|.*Index$|.*Constraint$)"
)
# Procedures and functions a read-only query may call: read-only catalogue look-ups and
# APOC that works on values only.
ALLOWED_CALLS = (
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.schema.",
    "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships",
    "dbms.components",
    "apoc.coll.",
    "apoc.text.",
    "apoc.map.",
    "apoc.convert.",
    "apoc.date.",
    "apoc.temporal.",
    "apoc.math.",
    "apoc.number.",
    "apoc.agg.",
    "apoc.meta.",
    "apoc.path.",
    "apoc.label.",
    "apoc.node.",
    "apoc.nodes.",
    "apoc.rel.",
    "apoc.any.",
    "apoc.hashing.",
    "apoc.scoring.",
    "apoc.util.md5",
    "apoc.util.sha",
    "apoc.version",
)
_CALLED = re.compile(r"\b((?:apoc|db|dbms|gds|genai)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\(")


_SAFE: set[str] = set()
_NO_PROCEDURE = "Neo.ClientError.Procedure.ProcedureNotFound"


class UnsafeQuery(KazgraphError):
    """A query that would write or reach outside the graph."""


def _operators(plan: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield plan
    for child in plan.get("children", []):
        yield from _operators(child)


def refusals(plan: Mapping[str, Any]) -> list[str]:
    """What in a plan (from ``EXPLAIN``) a read-only query may not do."""
    found: list[str] = []
    for operator in _operators(plan):
        name = str(operator.get("operatorType", "")).split("@")[0]
        details = str(operator.get("args", {}).get("Details", ""))
        if name == "LoadCSV":
            found.append("LOAD CSV (reads files or URLs)")
        elif _REFUSED_OPERATORS.match(name):
            found.append(f"{name} (writes to the database)")
        for call in _CALLED.findall(details):
            if not call.startswith(ALLOWED_CALLS):
                found.append(f"{call}() (not on kazgraph's allow-list of read-only calls)")
    return sorted(set(found))


def check_read_only(
    driver: neo4j.Driver, database: str, query: str, params: Mapping[str, Any] | None = None
) -> None:
    """Raise :class:`UnsafeQuery` unless the query's plan only reads the graph (a query text
    found safe once is not asked about again in this process)."""
    if query in _SAFE:
        return
    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            plan = session.run(f"EXPLAIN {query}", dict(params or {})).consume().plan
    except neo4j.exceptions.Neo4jError as exc:
        if exc.code == _NO_PROCEDURE or "Unknown function" in (exc.message or ""):
            raise UnsafeQuery(
                "the query may only read the graph, and it calls a procedure or function "
                f"this database does not provide: {exc.message}"
            ) from exc
        raise database_error(exc, database=database) from exc
    except (neo4j.exceptions.DriverError, OSError) as exc:
        raise database_error(exc, database=database) from exc
    problems = refusals(plan or {})
    if problems:
        raise UnsafeQuery(
            "the query may only read the graph, and its plan uses: " + "; ".join(problems)
        )
    _SAFE.add(query)
