"""Turn a validated Dataset into the rows the loader writes: nodes, facts, derived links.

Provenance is attached here: every relationship gets its sources, locators and
basis; every node gets the sources and basis of the facts that touch it, and a
DOCUMENTED_IN link to each source with the locators that name it.

Rows are plain dicts (``id``, ``label`` or ``type``, ``from``, ``to``, ``props``), as the
driver sends them; :func:`frame` makes a pandas DataFrame of any of them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pycountry

from loader.facts import Dataset, Entity, Fact
from loader.names import lookup_keys

if TYPE_CHECKING:
    import pandas as pd

Row = dict[str, Any]


def _compact(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None and v != []}


def fact_provenance(fact: Fact, dataset: Dataset) -> dict[str, Any]:
    """Sources, locators, sentence hashes and the source dates of one fact (keys without a
    value left out)."""
    out: dict[str, Any] = {"basis": fact.basis}
    if fact.background is not None:
        out["background_basis"] = fact.background
    if cites := fact.cites:
        out["sources"] = sources = sorted({c.source for c in cites})
        out["source_dates"] = [dataset.sources[s].date for s in sources]
        out["locators"] = [c.locator for c in cites]
        out["sentence_sha256"] = [c.sha256 for c in cites]
    return out


def fact_time(fact: Fact, dataset: Dataset) -> dict[str, str]:
    """When a fact holds: ``time_basis`` and ``as_of``.

    ``stated`` with the fact's own date (else year, since, until); else ``source_date``
    with the latest date of its cited sources; a background fact without a stated
    time is ``none`` and has no ``as_of``.
    """
    stated = fact.date or fact.year or fact.since or fact.until
    if stated:
        return {"time_basis": "stated", "as_of": stated}
    if fact.cites:
        latest = max(dataset.sources[c.source].date for c in fact.cites)
        return {"time_basis": "source_date", "as_of": latest}
    return {"time_basis": "none"}


def fact_rows(dataset: Dataset) -> list[Row]:
    """One row per curated fact: id, type, from, to and the relationship's properties."""
    rows = []
    for item in dataset.facts.values():
        fact: Fact = item.record
        props = fact.properties()
        props["id"] = fact.id
        props.update(fact_time(fact, dataset))
        props.update(fact_provenance(fact, dataset))
        rows.append(
            {"id": fact.id, "type": fact.type, "from": fact.from_, "to": fact.to, "props": props}
        )
    return rows


def route_leg_rows(facts: list[Row], dataset: Dataset) -> list[Row]:
    """ROUTE_LEG links between consecutive steps of each route, for path queries."""
    steps: dict[str, list[Row]] = defaultdict(list)
    for row in facts:
        if row["type"] == "ROUTE_STEP":
            steps[row["from"]].append(row)
    rows = []
    for route_id in sorted(steps):
        route: Entity = dataset.entities[route_id].record
        ordered = sorted(steps[route_id], key=lambda r: r["props"]["order"])
        for n, (a, b) in enumerate(zip(ordered, ordered[1:], strict=False), start=1):
            pa, pb = a["props"], b["props"]
            documented = pa["basis"] == pb["basis"] == "documented"
            props = _compact(
                {
                    "id": f"{route_id}-leg-{n}",
                    "route": route_id,
                    "route_name": route.name,
                    "route_kind": route.kind,
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
            rows.append(
                {
                    "id": props["id"],
                    "type": "ROUTE_LEG",
                    "from": a["to"],
                    "to": b["to"],
                    "props": props,
                }
            )
    return rows


def entity_rows(dataset: Dataset, facts: list[Row]) -> list[Row]:
    """One row per entity: id, label and node properties with derived provenance."""
    touching: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in facts:
        touching[row["from"]].append(row["props"])
        touching[row["to"]].append(row["props"])
    rows = []
    for eid, item in dataset.entities.items():
        entity: Entity = item.record
        props_of = touching[eid]
        documented = entity.background is None and any(p["basis"] == "documented" for p in props_of)
        names = [entity.name, *entity.aliases]
        props = _compact(
            {
                "id": eid,
                "name": entity.name,
                "aliases": list(entity.aliases),
                "alias_text": " | ".join(names),
                "lookup": lookup_keys(names),
                "kind": entity.kind,
                "description": entity.description,
                "date": entity.date,
                "date_note": entity.date_note,
                "basis": "documented" if documented else "background",
                "background_basis": entity.background,
                "sources": sorted({s for p in props_of for s in p.get("sources", [])}),
            }
        )
        # validation admits only ISO 3166-1 alpha-3 ids for countries
        if entity.label == "Country" and (country := pycountry.countries.get(alpha_3=eid)):
            props |= {
                "iso_alpha2": country.alpha_2,
                "iso_alpha3": country.alpha_3,
                "iso_numeric": country.numeric,
                "official_name": getattr(country, "official_name", country.name),
            }
        rows.append({"id": eid, "label": entity.label, "props": props})
    return rows


def documented_in_rows(facts: list[Row]) -> list[Row]:
    """DOCUMENTED_IN links from each entity to every source whose facts name it, with those
    facts' locators. An entity's own node keeps only the sources: the locators of a hub
    (Kazakhstan is named by hundreds of sentences) would travel with every answer that
    returns the node."""
    locators: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in facts:
        for loc in row["props"].get("locators", []):
            for eid in (row["from"], row["to"]):
                locators[(eid, loc.split("#")[0])].add(loc)
    return [
        {
            "id": f"{eid}@{src}",
            "type": "DOCUMENTED_IN",
            "from": eid,
            "to": src,
            "props": {
                "id": f"{eid}@{src}",
                "locators": sorted(locs),
                "mentions": len(locs),
                "basis": "documented",
                "sources": [src],
            },
        }
        for (eid, src), locs in sorted(locators.items())
    ]


def source_rows(dataset: Dataset) -> list[Row]:
    """One row per registered source."""
    return [
        {"id": s.id, "props": s.model_dump(exclude_none=True)} for s in dataset.sources.values()
    ]


def frame(rows: list[Row]) -> pd.DataFrame:
    """Rows as a pandas DataFrame, one column per key (``props`` holds dicts)."""
    import pandas as pd

    return pd.DataFrame(rows)
