"""The least a command-line client can do to answer one saved query: import the driver
(with numpy, pandas and pyarrow hidden from it, as kazgraph imports it), send the query
file's Cypher with its parameters already bound, and print CSV of the columns kazgraph
shows. No parsing, no checks, no name look-up. bench/bench_cli.py runs it as the floor that
``kazgraph query run`` is compared with.

    NEO4J_URI=bolt://127.0.0.1:7687 python -m bench.minimal_query
"""

from __future__ import annotations

import csv
import os
import sys

for _name in ("numpy", "pandas", "pyarrow"):
    sys.modules[_name] = None  # type: ignore[assignment]

import neo4j  # noqa: E402

QUERY = "queries/trade-partners.cypher"
PARAMS = {"year": "latest", "subject": "KAZ"}


def main() -> None:
    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    database = os.environ.get("NEO4J_DATABASE", "neo4j")
    with open(QUERY, encoding="utf-8") as file:
        cypher = file.read()
    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        records, _, keys = driver.execute_query(
            cypher, PARAMS, database_=database, routing_=neo4j.RoutingControl.READ
        )
    shown = [key for key in keys if not key.startswith("_")]  # as kazgraph's table
    out = csv.writer(sys.stdout)
    out.writerow(shown)
    out.writerows([record[key] for key in shown] for record in records)


if __name__ == "__main__":
    main()
