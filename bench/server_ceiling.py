"""The server-side ceiling: the same number of nodes and relationships, built by Cypher alone.

``UNWIND range(…)`` makes the rows on the server, ``CALL { … } IN TRANSACTIONS`` commits
them in batches, and the same constraints apply (cypher/schema.cypher); nothing crosses the
wire but the query text. Node labels and relationship types follow the data folder's
manifest; 40% of relationships start at one hub node, as 41% of the curated facts touch
Kazakhstan. Properties are a few short ones per row (id, name or basis, sources, and
locators on relationships), so this is close to the fastest any client could go on this
server.
"""

from __future__ import annotations

import time
from typing import Any

import neo4j

from bench.measure import apply_schema

BATCH_SIZE = 10_000

_NODES = """
UNWIND range($first, $last) AS i
CALL (i) {
  MERGE (n:Entity {id: 'e' + i})
  SET n:%s, n.name = 'Entity ' + i, n.basis = 'documented', n.sources = ['synthetic-a']
} IN TRANSACTIONS OF $batch ROWS
"""
_RELS = """
UNWIND range($first, $last) AS i
CALL (i) {
  MATCH (a:Entity {id: 'e' + CASE WHEN i %% 5 < 2 THEN 0 ELSE i %% $nodes END})
  MATCH (b:Entity {id: 'e' + ((i * 7919 + 1) %% $nodes)})
  MERGE (a)-[r:%s {id: 'r' + i}]->(b)
  SET r.basis = 'documented', r.sources = ['synthetic-a'],
      r.locators = ['synthetic-a#p' + i + '.s1'], r.description = 'Generated record ' + i
} IN TRANSACTIONS OF $batch ROWS
"""


def _checked(name: str) -> str:
    assert name.replace("_", "").isalpha(), name  # from our own manifest: letters only
    return name


def ceiling_load(
    manifest: dict[str, Any], driver: neo4j.Driver, database: str, batch_size: int = BATCH_SIZE
) -> dict[str, float]:
    """Create manifest['nodes'] nodes and manifest['relationships'] relationships."""
    apply_schema(driver, database)
    labels = dict(manifest["labels"])
    labels["Source"] = manifest["sources"]  # stand-ins for the Source nodes
    types = dict(manifest["types"])
    types["ROUTE_LEG"] = manifest["route_legs"]
    types["DOCUMENTED_IN"] = manifest["documented_in"]
    n_nodes = sum(labels.values())
    t0 = time.perf_counter()
    first = 0
    with driver.session(database=database) as session:
        for label, count in sorted(labels.items()):
            session.run(
                neo4j.Query(_NODES % _checked(label)),
                first=first,
                last=first + count - 1,
                batch=batch_size,
            ).consume()
            first += count
        t1 = time.perf_counter()
        first = 0
        for rel_type, count in sorted(types.items()):
            if count:
                session.run(
                    neo4j.Query(_RELS % _checked(rel_type)),
                    first=first,
                    last=first + count - 1,
                    nodes=n_nodes,
                    batch=batch_size,
                ).consume()
            first += count
    t2 = time.perf_counter()
    return {"nodes_s": t1 - t0, "rels_s": t2 - t1, "rows": n_nodes + first}
