"""The graph in a few lines: what it holds and three headline answers, each from a saved
query, for the end of ``make demo`` (``kazgraph query run-all --summary``)."""

from __future__ import annotations

from dataclasses import dataclass

import neo4j

from loader.database import read
from loader.saved_queries.run import run_saved_query
from loader.saved_queries.values import value_text

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


def summarise(driver: neo4j.Driver, database: str) -> Summary:
    """Count the graph and answer three saved queries with their defaults: the top trade
    partners, the routes that bypass Russia, the open issues."""
    totals = read(driver, database, _TOTALS, {}, neo4j.Result.data)[0]
    labels = {r["label"]: r["n"] for r in read(driver, database, _COUNTS, {}, neo4j.Result.data)}
    trade = run_saved_query(driver, database, "trade-partners").head(TOP)
    routes = run_saved_query(driver, database, "routes-bypassing-russia")
    issues = run_saved_query(driver, database, "open-issues")
    year = value_text(trade["year"].iloc[0]) if len(trade) else ""
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
                    f"{r.rank}. {r.partner}: {_usd(r.value_usd)} ({r.figure})"
                    for r in trade.itertuples()
                ),
            ),
            Headline(
                "Routes that bypass Russia",
                "kazgraph query run routes-bypassing-russia",
                tuple(f"{r.route}: {r.path}" for r in routes.itertuples()),
            ),
            Headline(
                "Open issues",
                "kazgraph query run open-issues",
                tuple(f"{r.counterpart}: {r.issue} ({r.status})" for r in issues.itertuples()),
            ),
        ),
    )
