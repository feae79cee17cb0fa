"""What the benchmarks share: where Neo4j is, child processes with their own rusage,
wiping the graph, the schema, and printing a table.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = PROJECT_ROOT / "cypher" / "schema.cypher"


@dataclass(frozen=True)
class Target:
    """The Neo4j the benchmarks talk to: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE."""

    uri: str
    user: str
    password: str
    database: str

    @classmethod
    def from_env(cls) -> Target:
        env = os.environ
        return cls(
            env.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
            env.get("NEO4J_USER", "neo4j"),
            env.get("NEO4J_PASSWORD", ""),
            env.get("NEO4J_DATABASE", "neo4j"),
        )

    def driver(self) -> neo4j.Driver:
        auth = (self.user, self.password) if self.password else None
        driver = neo4j.GraphDatabase.driver(self.uri, auth=auth)
        driver.verify_connectivity()
        return driver


@dataclass
class Run:
    """One child process: wall time, its own CPU time and peak RSS, and what it reported."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    report: dict[str, Any]
    stderr_tail: str

    @property
    def status(self) -> str:
        if "status" in self.report:
            return str(self.report["status"])
        reason = self.stderr_tail or f"exit code {self.returncode}"
        return f"failed: {reason}"


def run_child(
    argv: Sequence[str],
    timeout: float | None = None,
    env: dict[str, str] | None = None,
    result: Path | None = None,
) -> Run:
    """Run ``argv`` and measure it alone: os.wait4 gives this child's own rusage (peak RSS
    and user+sys CPU), unlike RUSAGE_CHILDREN, which keeps the largest child so far."""
    if result is not None:
        result.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=PROJECT_ROOT
    )
    deadline = None if timeout is None else start + timeout
    stderr_chunks: list[bytes] = []
    assert proc.stderr is not None
    os.set_blocking(proc.stderr.fileno(), False)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        chunk = proc.stderr.read()
        if chunk:
            stderr_chunks.append(chunk)
        if pid:
            break
        if deadline is not None and time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            stderr_chunks.append(f"timeout after {timeout:.0f} s".encode())
            break
        time.sleep(0.005)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rest = proc.stderr.read()
    if rest:
        stderr_chunks.append(rest)
    lines = b"".join(stderr_chunks).decode(errors="replace").strip().splitlines()
    report = json.loads(result.read_text()) if result is not None and result.exists() else {}
    return Run(
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        proc.returncode,
        report,
        lines[-1][:300] if lines else "",
    )


def python_child(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def schema_statements(path: Path = SCHEMA_FILE) -> list[str]:
    """The statements of cypher/schema.cypher, comments removed."""
    text = re.sub(r"//[^\n]*", "", path.read_text(encoding="utf-8"))
    return [s.strip() for s in text.split(";") if s.strip()]


def apply_schema(driver: neo4j.Driver, database: str) -> None:
    for statement in schema_statements():
        driver.execute_query(statement, database_=database)


def wipe(driver: neo4j.Driver, database: str) -> None:
    """Delete every relationship, then every node, in batches (constraints stay)."""
    with driver.session(database=database) as session:
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS"
        ).consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


def graph_size(driver: neo4j.Driver, database: str) -> tuple[int, int]:
    """Nodes and relationships in the graph (from the count store)."""
    records, _, _ = driver.execute_query(
        "CALL () { MATCH (n) RETURN count(n) AS nodes } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels",
        database_=database,
    )
    return records[0]["nodes"], records[0]["rels"]


def server_info(driver: neo4j.Driver, database: str) -> dict[str, Any]:
    records, _, _ = driver.execute_query(
        "CALL dbms.components() YIELD name, versions, edition "
        "RETURN name, versions[0] AS version, edition",
        database_=database,
    )
    info = records[0].data() if records else {}
    return {
        "server": f"{info.get('name', '?')} {info.get('version', '?')} "
        f"{info.get('edition', '')}".strip(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "date": dt.date.today().isoformat(),
    }


def ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "-"
    return f"{value / base:.2f}x"


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """A rich table on stdout (plain text when stdout is not a terminal)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for i, col in enumerate(columns):
        table.add_column(
            col, justify="left" if i < 2 or col == "status" else "right", overflow="fold"
        )
    for row in rows:
        table.add_row(*["-" if v is None else str(v) for v in row])
    Console(width=max(120, sum(len(c) for c in columns) + 40)).print(table)


def write_json(path: Path | None, payload: dict[str, Any]) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
        print(f"wrote {path}")
