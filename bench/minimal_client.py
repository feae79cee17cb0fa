"""The smallest client that writes the same graph as kazgraph, to compare the loader with.

libyaml parses the files (``yaml.CSafeLoader``), plain dicts become rows with the same
properties kazgraph writes (provenance on every relationship and node, ROUTE_LEG and
DOCUMENTED_IN derived), and batched ``UNWIND $rows … MERGE`` writes them under the same
constraints (cypher/schema.cypher), each batch in its own transaction. No validation, no
pruning of stale rows: it assumes a valid folder and an empty graph.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pycountry
import yaml

from bench.measure import apply_schema
from loader.names import lookup_keys

BATCH_SIZE = 10_000
PROVENANCE = ("from", "to", "type", "id", "cites", "background")
_NAME = r"^[A-Z][A-Za-z]*$|^[A-Z_]+$"


def _read(path: Path, key: str) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return list(yaml.load(handle, Loader=yaml.CSafeLoader)[key] or [])  # noqa: S506


def parse(
    data_dir: Path,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    sources = _read(data_dir / "sources.yaml", "sources")
    entities = [
        e for p in sorted((data_dir / "entities").glob("*.yaml")) for e in _read(p, "entities")
    ]
    facts = [f for p in sorted((data_dir / "facts").glob("*.yaml")) for f in _read(p, "facts")]
    return sources, entities, facts


def _compact(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None and v != []}


def rows(
    sources: list[dict[str, Any]], entities: list[dict[str, Any]], facts: list[dict[str, Any]]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Node rows by label (Source included) and relationship rows by type."""
    dates = {s["id"]: s["date"] for s in sources}
    rels: dict[str, list[dict[str, Any]]] = defaultdict(list)
    touching: dict[str, list[dict[str, Any]]] = defaultdict(list)
    steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in facts:
        cites = fact.get("cites") or []
        srcs = sorted({c["source"] for c in cites})
        props = {k: v for k, v in fact.items() if k not in PROVENANCE}
        props |= _compact(
            {
                "id": fact["id"],
                "basis": "background" if fact.get("background") else "documented",
                "background_basis": fact.get("background"),
                "sources": srcs,
                "source_dates": [dates[s] for s in srcs],
                "locators": [f"{c['source']}#p{c['para']}.s{c['sent']}" for c in cites],
                "sentence_sha256": [c["sha256"] for c in cites],
            }
        )
        row = {"id": fact["id"], "from": fact["from"], "to": fact["to"], "props": props}
        rels[fact["type"]].append(row)
        touching[fact["from"]].append(props)
        touching[fact["to"]].append(props)
        if fact["type"] == "ROUTE_STEP":
            steps[fact["from"]].append(row)
    names = {e["id"]: e for e in entities}
    for route, route_steps in steps.items():
        route_steps.sort(key=lambda r: r["props"]["order"])
        for n, (a, b) in enumerate(zip(route_steps, route_steps[1:], strict=False), start=1):
            pa, pb = a["props"], b["props"]
            documented = pa["basis"] == pb["basis"] == "documented"
            props = _compact(
                {
                    "id": f"{route}-leg-{n}",
                    "route": route,
                    "route_name": names[route]["name"],
                    "route_kind": names[route].get("kind"),
                    "order": n,
                    "basis": "documented" if documented else "background",
                    "sources": sorted(set(pa.get("sources", [])) | set(pb.get("sources", []))),
                    "locators": pa.get("locators", []) + pb.get("locators", []),
                    "background_basis": "; ".join(
                        p["background_basis"] for p in (pa, pb) if "background_basis" in p
                    )
                    or None,
                }
            )
            rels["ROUTE_LEG"].append(
                {"id": props["id"], "from": a["to"], "to": b["to"], "props": props}
            )
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    nodes["Source"] = [{"id": s["id"], "props": s} for s in sources]
    for entity in entities:
        eid, of = entity["id"], touching[entity["id"]]
        labels = [entity["name"], *entity.get("aliases", [])]
        locators = sorted({loc for p in of for loc in p.get("locators", [])})
        props = _compact(
            {
                "id": eid,
                "name": entity["name"],
                "aliases": entity.get("aliases", []),
                "alias_text": " | ".join(labels),
                "lookup": lookup_keys(labels),
                "kind": entity.get("kind"),
                "description": entity.get("description"),
                "date": entity.get("date"),
                "date_note": entity.get("date_note"),
                "basis": "documented"
                if not entity.get("background") and any(p["basis"] == "documented" for p in of)
                else "background",
                "background_basis": entity.get("background"),
                "sources": sorted({s for p in of for s in p.get("sources", [])}),
            }
        )
        if entity["label"] == "Country":
            country = pycountry.countries.get(alpha_3=eid)
            props |= {
                "iso_alpha2": country.alpha_2,
                "iso_alpha3": country.alpha_3,
                "iso_numeric": country.numeric,
                "official_name": getattr(country, "official_name", country.name),
            }
        nodes[entity["label"]].append({"id": eid, "props": props})
        by_source: dict[str, list[str]] = defaultdict(list)
        for loc in locators:
            by_source[loc.split("#")[0]].append(loc)
        for src, locs in sorted(by_source.items()):
            rid = f"{eid}@{src}"
            rels["DOCUMENTED_IN"].append(
                {
                    "id": rid,
                    "from": eid,
                    "to": src,
                    "props": {
                        "id": rid,
                        "locators": locs,
                        "mentions": len(locs),
                        "basis": "documented",
                        "sources": [src],
                    },
                }
            )
    return dict(nodes), dict(rels)


def _node_query(label: str) -> str:
    assert label.isalpha(), label  # labels come from the data files: letters only
    if label == "Source":
        return "UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s = row.props"
    return f"UNWIND $rows AS row MERGE (n:Entity {{id: row.id}}) SET n:{label} SET n = row.props"


def _rel_query(rel_type: str) -> str:
    assert rel_type.replace("_", "").isalpha() and rel_type.isupper(), rel_type
    end = "Source" if rel_type == "DOCUMENTED_IN" else "Entity"
    return (
        f"UNWIND $rows AS row MATCH (a:Entity {{id: row.from}}) "
        f"MATCH (b:{end} {{id: row.to}}) "
        f"MERGE (a)-[r:{rel_type} {{id: row.id}}]->(b) SET r = row.props"
    )


def _batches(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write(
    driver: neo4j.Driver,
    database: str,
    nodes: dict[str, list[dict[str, Any]]],
    rels: dict[str, list[dict[str, Any]]],
    batch_size: int = BATCH_SIZE,
) -> int:
    """Every batch in its own write transaction; return the number of rows written."""
    apply_schema(driver, database)
    steps = [(_node_query(label), group) for label, group in sorted(nodes.items())]
    steps += [(_rel_query(t), group) for t, group in sorted(rels.items())]
    written = 0
    with driver.session(database=database) as session:
        for query, group in steps:
            for batch in _batches(group, batch_size):
                session.execute_write(lambda tx, q=query, b=batch: tx.run(q, rows=b).consume())
                written += len(batch)
    return written


def minimal_load(
    data_dir: Path, driver: neo4j.Driver, database: str, batch_size: int = BATCH_SIZE
) -> dict[str, float]:
    """Parse, build rows, write; return seconds per phase and the rows written."""
    t0 = time.perf_counter()
    sources, entities, facts = parse(Path(data_dir))
    t1 = time.perf_counter()
    nodes, rels = rows(sources, entities, facts)
    t2 = time.perf_counter()
    written = write(driver, database, nodes, rels, batch_size)
    t3 = time.perf_counter()
    return {"parse_s": t1 - t0, "rows_s": t2 - t1, "write_s": t3 - t2, "rows": written}
