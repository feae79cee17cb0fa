"""The graph in a few lines: what it holds and three headline answers, each from a saved
query, for the end of ``make demo`` (``kazgraph query run-all --summary``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import neo4j

from loader.answer import Answer
from loader.database import read
from loader.saved_queries.run import run_saved_query
from loader.saved_queries.values import Value, value_text

_COUNTS = """
MATCH (n:Entity)
WITH [l IN labels(n) WHERE l <> 'Entity'][0] AS label, count(*) AS n
RETURN label, n ORDER BY n DESC, label
"""
_TOTALS = """
CALL () { MATCH (n:Entity) RETURN count(n) AS entities }
CALL () { MATCH (s:Source) RETURN count(s) AS sources }
CALL () { MATCH ()-[r]->() WHERE type(r) <> 'DOCUMENTED_IN' RETURN count(r) AS facts }
RETURN entities, sources, facts
"""
TOP = 3  # trade partners in the summary


@dataclass(frozen=True)
class Headline:
    """One headline answer: the question, the command giving the full answer, a few lines."""

    question: str
    command: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """Counts (entities, sources, facts, entities by label) and the headline answers."""

    entities: int
    sources: int
    facts: int
    labels: dict[str, int]
    headlines: tuple[Headline, ...]


def _usd(value: object) -> str:
    if isinstance(value, (int, float)) and value >= 1e9:
        return f"US${value / 1e9:g} bn"
    return f"US${value:,}" if isinstance(value, int) else "no US$ figure"


def _by_issue(issues: Answer) -> dict[tuple[str, str], list[str]]:
    """Each issue (with its status) and its counterparts, in the answer's order."""
    found: dict[tuple[str, str], list[str]] = {}
    for row in issues.records():
        sides = found.setdefault((str(row["issue"]), str(row["status"])), [])
        if not str(row["counterpart"]).startswith("("):  # "(none named)"
            sides.append(str(row["counterpart"]))
    return found


def summarise(driver: neo4j.Driver, database: str) -> Summary:
    """Count the graph and answer three saved queries with their defaults: the top trade
    partners, the routes that bypass Russia, the open issues."""
    totals = read(driver, database, _TOTALS, {}, neo4j.Result.data)[0]
    labels = {r["label"]: r["n"] for r in read(driver, database, _COUNTS, {}, neo4j.Result.data)}
    trade = run_saved_query(driver, database, "trade-partners").head(TOP)
    routes = run_saved_query(driver, database, "routes-bypassing-russia")
    issues = run_saved_query(driver, database, "open-issues")
    year = value_text(cast(Value, trade.column("year")[0])) if len(trade) else ""
    return Summary(
        totals["entities"],
        totals["sources"],
        totals["facts"],
        labels,
        (
            Headline(
                f"Top trade partners ({year or 'no figures'})",
                "kazgraph query run trade-partners",
                tuple(
                    f"{r['rank']}. {r['partner']}: {_usd(r['value_usd'])} ({r['figure']})"
                    for r in trade.records()
                ),
            ),
            Headline(
                "Routes that bypass Russia",
                "kazgraph query run routes-bypassing-russia",
                tuple(f"{r['route']}: {r['path']}" for r in routes.records()),
            ),
            Headline(
                "Open issues",
                "kazgraph query run open-issues",
                tuple(
                    f"{issue} ({status})" + (f": {', '.join(sides)}" if sides else "")
                    for (issue, status), sides in _by_issue(issues).items()
                ),
            ),
        ),
    )
