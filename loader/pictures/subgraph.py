"""What every picture reads off an answer graph: routes as lanes of ordered steps, a caption
for each arrow, provenance for tooltips, and which facts are background knowledge."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from loader.errors import KazgraphError
from loader.graph import Graph, caption, label_of

BACKGROUND_EDGE = "#9AA1AC"
DOCUMENTED_EDGE = "#4A4F57"
DEFAULT_COLOUR = "#A5ABB6"


SUBJECT = "KAZ"  # the country the graph is about, drawn first where it is a hub
# What a picture at A4 width can hold readably; a larger answer is a table.
MAX_NODES = 36
MAX_RELATIONSHIPS = 50
MAX_COLUMN = 18  # nodes stacked in one column of a layered picture
MAX_LANES = 12
MAX_LANE_STEPS = 8


class TooLargeToDraw(KazgraphError):
    """The answer cannot be drawn readably; the message gives the counts and the limit."""


@dataclass(frozen=True)
class Picture:
    """What a picture shows: its file, the layout used, the names drawn, and for each drawn
    relationship (by id) the label written on it or the legend entry that explains it."""

    path: Path
    layout: str
    names: list[str] = field(default_factory=list)
    relationships: int = 0
    edges: dict[str, str] = field(default_factory=dict)
    legend: list[str] = field(default_factory=list)


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


def path_lanes(graph: Graph) -> list[list[tuple[dict[str, Any], list[dict[str, Any]]]]] | None:
    """For an answer made only of route legs without a cycle: every chain of legs from a
    start to an end, each as ``[(node, legs into it), ...]``, so its legs number 1..n.
    None for any other answer."""
    if not graph.relationships or any(r["type"] != "ROUTE_LEG" for r in graph.relationships):
        return None
    nodes = {n["id"]: n for n in graph.nodes}
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(nodes)
    legs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in graph.relationships:
        g.add_edge(rel["start"], rel["end"])
        legs[(rel["start"], rel["end"])].append(rel)
    if not nx.is_directed_acyclic_graph(g):
        return None
    starts = sorted(n for n in g if g.in_degree(n) == 0 and g.out_degree(n) > 0)
    ends = sorted(n for n in g if g.out_degree(n) == 0 and g.in_degree(n) > 0)
    chains: list[list[str]] = []
    for start in starts:
        for end in ends:
            chains += nx.all_simple_paths(g, start, end)
            if len(chains) > MAX_LANES:
                raise TooLargeToDraw(
                    f"more than {MAX_LANES} paths run through these {len(graph.relationships)} "
                    f"legs; at most {MAX_LANES} can be drawn as lanes"
                )
    chains.sort(key=lambda c: (len(c), [caption(nodes[i]["properties"], i) for i in c]))
    return [
        [(nodes[c[0]], [])] + [(nodes[b], legs[(a, b)]) for a, b in zip(c, c[1:], strict=False)]
        for c in chains
    ]


def check_size(graph: Graph) -> None:
    """Refuse an answer too large for one readable picture at A4 width, with the counts."""
    nodes, rels = len(graph.nodes), len(graph.relationships)
    if nodes > MAX_NODES or rels > MAX_RELATIONSHIPS:
        raise TooLargeToDraw(
            f"{nodes} nodes and {rels} relationships are too many to draw readably "
            f"(at most {MAX_NODES} nodes and {MAX_RELATIONSHIPS} relationships)"
        )


def hubs(graph: Graph) -> list[str]:
    """The one or two nodes the answer is about: the most connected node, and a second when
    it has at least a quarter of the relationships (Kazakhstan and Russia, say)."""
    degree: dict[str, int] = defaultdict(int)
    for rel in graph.relationships:
        if rel["start"] != rel["end"]:
            degree[rel["start"]] += 1
            degree[rel["end"]] += 1
    ranked = sorted(degree, key=lambda i: (-degree[i], str(i)))
    if not ranked:
        return []
    second = [i for i in ranked[1:2] if degree[i] * 4 >= len(graph.relationships)]
    pair = [ranked[0], *second]
    return sorted(pair, key=lambda i: i != SUBJECT)  # Kazakhstan on the left


def layers(graph: Graph) -> tuple[list[list[str]], str]:
    """Columns of node ids: around one hub, by distance from it (``layers``); between two
    hubs, the first on the left, the second on the right and every node by how much nearer
    it is to one than the other (``bipartite``). Nodes connected to neither come last."""
    g: nx.Graph[str] = nx.Graph()
    g.add_nodes_from(n["id"] for n in graph.nodes)
    g.add_edges_from((r["start"], r["end"]) for r in graph.relationships)
    centre = hubs(graph)
    if not centre:
        return [sorted(g)], "layers"
    far = len(g) + 1
    distance = [nx.single_source_shortest_path_length(g, hub) for hub in centre]
    column: dict[str, int] = {}
    loose = []
    for node in g:
        if node in centre:
            continue
        near = [d.get(node, far) for d in distance]
        if min(near) == far:
            loose.append(node)
        elif len(centre) == 1:
            column[node] = near[0]
        else:
            column[node] = near[0] - near[1]
    order = sorted(set(column.values()))
    columns = [[centre[0]], *([n for n in column if column[n] == c] for c in order)]
    if len(centre) == 2:
        columns.append([centre[1]])
    if loose:
        columns.append(loose)
    return columns, "bipartite" if len(centre) == 2 else "layers"
