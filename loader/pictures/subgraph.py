"""What every picture reads off an answer graph: routes as lanes of ordered steps, a caption
for each arrow, provenance for tooltips, and which facts are background knowledge."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loader.graph import Graph, caption, label_of

BACKGROUND_EDGE = "#9AA1AC"
DOCUMENTED_EDGE = "#4A4F57"
DEFAULT_COLOUR = "#A5ABB6"


@dataclass(frozen=True)
class Picture:
    """What a picture shows: its file, the layout used and the names drawn."""

    path: Path
    layout: str
    names: list[str] = field(default_factory=list)
    relationships: int = 0


@dataclass(frozen=True)
class Lane:
    """One route and its steps in order, each step with the basis of its ROUTE_STEP."""

    route: dict[str, Any]
    steps: list[tuple[dict[str, Any], str]]


def _money(value: float) -> str:
    for size, unit in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if value >= size:
            return f"${value / size:.3g} {unit}"
    return f"${value:,.0f}"


def key_figure(rel: Mapping[str, Any]) -> str:
    """A short caption for a relationship: year and value for trade, order for routes."""
    props = rel["properties"]
    kind = rel["type"]
    if kind == "TRADES_WITH":
        value = _money(props["value_usd"]) if "value_usd" in props else props.get("figure", "")
        flow = props.get("flow") if props.get("flow") != "total" else None
        return " ".join(str(p) for p in (props.get("year"), flow, value) if p)
    if kind in ("ROUTE_STEP", "ROUTE_LEG"):
        return f"{'step' if kind == 'ROUTE_STEP' else 'leg'} {props.get('order', '?')}"
    for key in ("office", "kind", "field", "stance", "status", "role"):
        if key in props:
            return f"{kind} ({props[key]})"
    return str(kind)


def provenance(props: Mapping[str, Any]) -> str:
    """Basis, sources and locators as one line, for tooltips."""
    parts = [f"basis: {props.get('basis', 'n/a')}"]
    if "background_basis" in props:
        parts.append(f"why: {props['background_basis']}")
    if props.get("sources"):
        parts.append("sources: " + ", ".join(props["sources"]))
    if props.get("locators"):
        parts.append("locators: " + ", ".join(props["locators"]))
    return "; ".join(parts)


def is_background(props: Mapping[str, Any]) -> bool:
    """True for a fact no cited source states (``basis = 'background'``)."""
    return props.get("basis") == "background"


def colour(node: Mapping[str, Any], colours: Mapping[str, str]) -> str:
    """The node's colour in the style sheet, by its label."""
    return colours.get(label_of(node), DEFAULT_COLOUR)


def route_lanes(graph: Graph) -> list[Lane]:
    """Each route of the graph with its ordered steps (from ROUTE_STEP, else ROUTE_LEG)."""
    nodes = {n["id"]: n for n in graph.nodes}
    steps: dict[str, list[tuple[int, dict[str, Any], str]]] = defaultdict(list)
    legs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel in graph.relationships:
        props = rel["properties"]
        if rel["type"] == "ROUTE_STEP":
            steps[rel["start"]].append(
                (props.get("order", 0), nodes[rel["end"]], props.get("basis", "documented"))
            )
        elif rel["type"] == "ROUTE_LEG" and "route" in props:
            legs[props["route"]].append(rel)
    lanes = []
    for node in graph.nodes:
        if label_of(node) != "Route":
            continue
        if steps.get(node["id"]):
            ordered = sorted(steps[node["id"]], key=lambda s: s[0])
            lanes.append(Lane(node, [(n, basis) for _, n, basis in ordered]))
        elif legs.get(node["id"]):
            chain = sorted(legs[node["id"]], key=lambda r: r["properties"].get("order", 0))
            path = [(nodes[chain[0]["start"]], chain[0]["properties"].get("basis", ""))]
            path += [(nodes[r["end"]], r["properties"].get("basis", "")) for r in chain]
            lanes.append(Lane(node, path))
    return sorted(lanes, key=lambda lane: caption(lane.route["properties"]))
