"""Static pictures of an answer graph for reports, PNG or SVG (matplotlib).

A subgraph of routes and their steps is drawn as lanes, one per route, its steps left to right
in route order, so a picture of the corridors that bypass Russia reads like a transit map.
Chains of route legs (paths) run left to right from their start; anything else gets a
force-directed layout, one per connected part. Background facts are dashed.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import matplotlib
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from loader.browser import label_colours
from loader.graph import Graph, caption, label_of
from loader.pictures.subgraph import (
    BACKGROUND_EDGE,
    DEFAULT_COLOUR,
    DOCUMENTED_EDGE,
    Lane,
    Picture,
    colour,
    is_background,
    key_figure,
    route_lanes,
)

BACKGROUND_NOTE = "dashed: background knowledge, not stated in a cited source"
Positions = dict[str, tuple[float, float]]


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    return fig, fig.subplots()


def _legend(ax: Axes, labels: list[str], colours: Mapping[str, str]) -> None:
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=10,
            markerfacecolor=colours.get(label, DEFAULT_COLOUR),
            markeredgecolor="#333333",
            label=label,
        )
        for label in labels
    ]
    handles += [
        Line2D([], [], color=DOCUMENTED_EDGE, lw=2, label="documented"),
        Line2D([], [], color=BACKGROUND_EDGE, lw=2, linestyle=(0, (4, 3)), label="background"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=min(len(handles), 8),
        frameon=False,
        fontsize=9,
    )


def _lane_offsets(lanes: list[Lane]) -> list[int]:
    """Shift each lane so that the step most lanes share (Kazakhstan, say) lines up."""
    seen: dict[str, int] = defaultdict(int)
    for lane in lanes:
        for node_id in {node["id"] for node, _ in lane.steps}:
            seen[node_id] += 1
    shared = [i for i, n in seen.items() if n > 1 and n == max(seen.values())]
    if not shared:
        return [0] * len(lanes)
    anchor = shared[0]
    where = [
        next((x for x, (node, _) in enumerate(lane.steps) if node["id"] == anchor), None)
        for lane in lanes
    ]
    column = max(x for x in where if x is not None)
    return [column - x if x is not None else 0 for x in where]


def _draw_lanes(
    lanes: list[Lane], title: str, subtitle: str, colours: Mapping[str, str]
) -> tuple[Figure, list[str]]:
    offsets = _lane_offsets(lanes)
    longest = max(len(lane.steps) + offset for lane, offset in zip(lanes, offsets, strict=True))
    fig, ax = _figure(3.0 + 1.9 * longest, 1.7 + 1.35 * len(lanes))
    names: list[str] = []
    labels: list[str] = ["Route"]
    for row, (lane, offset) in enumerate(zip(lanes, offsets, strict=True)):
        y = -row
        route = lane.route["properties"]
        names.append(caption(route))
        ax.text(
            0.55 + offset,
            y,
            _wrapped(caption(route), 24),
            ha="right",
            va="center",
            fontsize=10,
            fontweight="bold",
            color="#222222",
            bbox={
                "boxstyle": "round,pad=0.4",
                "fc": "#FFFFFF",
                "ec": colours.get("Route", DEFAULT_COLOUR),
                "lw": 2,
                "linestyle": "--" if is_background(route) else "-",
            },
        )
        for n, (node, basis) in enumerate(lane.steps, start=1):
            x = n + offset
            background = basis == "background" or is_background(node["properties"])
            ax.scatter(
                [x],
                [y],
                s=520,
                c=[colour(node, colours)],
                zorder=3,
                edgecolors=BACKGROUND_EDGE if background else "#333333",
                linewidths=2,
                linestyle="--" if background else "-",
            )
            ax.text(
                x,
                y - 0.27,
                _wrapped(caption(node["properties"]), 16),
                ha="center",
                va="top",
                fontsize=9.5,
                color="#222222",
            )
            names.append(caption(node["properties"]))
            if label_of(node) not in labels:
                labels.append(label_of(node))
            if n > 1:
                dashed = "background" in (basis, lane.steps[n - 2][1])
                ax.add_patch(
                    FancyArrowPatch(
                        (x - 1, y),
                        (x, y),
                        arrowstyle="-|>",
                        mutation_scale=16,
                        shrinkA=13,
                        shrinkB=13,
                        lw=2,
                        zorder=2,
                        color=BACKGROUND_EDGE if dashed else DOCUMENTED_EDGE,
                        linestyle=(0, (4, 3)) if dashed else "-",
                    )
                )
    ax.set_xlim(-1.3, longest + 0.6)
    ax.set_ylim(-len(lanes) + 0.35, 0.55)
    ax.axis("off")
    ax.set_title(f"{title}\n{subtitle}" if subtitle else title, fontsize=13, loc="left")
    _legend(ax, labels, colours)
    return fig, names


def _flow_positions(g: nx.MultiDiGraph[str]) -> Positions | None:
    """Left to right by the longest chain of legs from a start, when legs form no cycle."""
    simple: nx.DiGraph[str] = nx.DiGraph(g)
    if not nx.is_directed_acyclic_graph(simple):
        return None
    column: dict[str, int] = {}
    for node in nx.topological_sort(simple):
        column[node] = max((column[p] + 1 for p in simple.predecessors(node)), default=0)
    rows: dict[int, list[str]] = defaultdict(list)
    for node, x in sorted(column.items(), key=lambda item: item[1]):
        rows[x].append(node)
    return {
        node: (float(x), (len(members) - 1) / 2 - i)
        for x, members in rows.items()
        for i, node in enumerate(members)
    }


def _packed_positions(g: nx.MultiDiGraph[str]) -> Positions:
    """A force-directed layout per connected part, the parts packed in rows, largest first,
    each scaled to the square root of its size so that no part is crushed."""
    simple: nx.Graph[str] = nx.Graph(g)
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), sorted(c)))
    total_width = max(2.0 * len(parts[0]) ** 0.5, 2.5 * len(simple) ** 0.5)
    pos: Positions = {}
    x = y = row_height = 0.0
    for part in parts:
        radius = max(0.6, 0.75 * len(part) ** 0.5)
        sub = simple.subgraph(part)
        local = (
            nx.spring_layout(sub, seed=7, k=1.6 / len(part) ** 0.5, iterations=300)
            if len(part) > 1
            else {next(iter(part)): (0.0, 0.0)}
        )
        if x > 0 and x + 2 * radius > total_width:
            x, y, row_height = 0.0, y - row_height - 0.8, 0.0
        for node, (px, py) in local.items():
            pos[node] = (x + radius + px * radius, y - radius + py * radius)
        x += 2 * radius + 0.8
        row_height = max(row_height, 2 * radius)
    return pos


def _draw_network(
    graph: Graph, title: str, subtitle: str, colours: Mapping[str, str]
) -> tuple[Figure, list[str], str]:
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    nodes = {n["id"]: n for n in graph.nodes}
    g.add_nodes_from(nodes)
    for rel in graph.relationships:
        g.add_edge(rel["start"], rel["end"], key=rel["id"], rel=rel)
    legs_only = bool(graph.relationships) and all(
        r["type"] == "ROUTE_LEG" for r in graph.relationships
    )
    pos = _flow_positions(g) if legs_only else None
    layout = "paths" if pos else "network"
    if pos:
        width = 2.6 * (max(x for x, _ in pos.values()) + 1) + 1.5
        height = 1.4 * (max(abs(y) for _, y in pos.values()) * 2 + 1) + 2.0
        fig, ax = _figure(width, height)
    else:
        pos = _packed_positions(g)
        xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
        scale = min(1.0, 24.0 / max(max(xs) - min(xs) + 2, max(ys) - min(ys) + 2))
        fig, ax = _figure(
            max(8.0, (max(xs) - min(xs) + 2) * 1.9 * scale),
            max(6.0, (max(ys) - min(ys) + 2) * 1.9 * scale + 1.5),
        )
    for background in (False, True):
        edges = [
            (a, b, k)
            for a, b, k, d in g.edges(keys=True, data=True)
            if is_background(d["rel"]["properties"]) == background
        ]
        nx.draw_networkx_edges(  # type: ignore[call-overload]  # stubs: named styles only
            g,
            pos,
            edgelist=edges,
            ax=ax,
            arrows=True,
            arrowsize=14,
            width=1.6,
            node_size=520,
            connectionstyle="arc3,rad=0.06",
            edge_color=BACKGROUND_EDGE if background else DOCUMENTED_EDGE,
            style=(0, (4, 3)) if background else "solid",  # a dash pattern, as in the legend
        )
    for background in (False, True):
        ids = [i for i in nodes if is_background(nodes[i]["properties"]) == background]
        drawn = nx.draw_networkx_nodes(
            g,
            pos,
            nodelist=ids,
            ax=ax,
            node_size=520,
            node_color=[colour(nodes[i], colours) for i in ids],
            edgecolors=BACKGROUND_EDGE if background else "#333333",
            linewidths=1.8,
        )
        if background and drawn is not None:
            drawn.set_linestyle("--")
    names = [caption(nodes[i]["properties"], i) for i in nodes]
    for i, (x, y) in pos.items():
        ax.annotate(
            _wrapped(caption(nodes[i]["properties"], i), 18),
            (x, y),
            xytext=(0, -15),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=9,
            color="#222222",
        )
    if len(graph.relationships) <= 20:
        captions: dict[tuple[str, str], list[str]] = defaultdict(list)
        for rel in graph.relationships:  # parallel arrows share one caption
            captions[(rel["start"], rel["end"])].append(key_figure(rel))
        nx.draw_networkx_edge_labels(
            nx.DiGraph(g),
            pos,
            ax=ax,
            font_size=7.5,
            font_color="#444444",
            connectionstyle="arc3,rad=0.06",
            bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 0.5},
            edge_labels={
                pair: " / ".join(dict.fromkeys(texts)) for pair, texts in captions.items()
            },
        )
    ax.margins(0.12)
    ax.axis("off")
    ax.set_title(f"{title}\n{subtitle}" if subtitle else title, fontsize=13, loc="left")
    _legend(ax, sorted({label_of(node) for node in graph.nodes}), colours)
    return fig, names, layout


def draw_static(graph: Graph, path: Path, title: str, subtitle: str = "") -> Picture:
    """A PNG or SVG: lanes along the route order for routes, else a force-directed layout.

    The names drawn are also written into the file's metadata (PNG ``Description``, SVG
    ``<desc>``), so the picture says what it shows to a screen reader or a test.
    """
    colours = label_colours()
    lanes = route_lanes(graph)
    on_lanes = {lane.route["id"] for lane in lanes} | {
        node["id"] for lane in lanes for node, _ in lane.steps
    }
    if lanes and on_lanes >= {node["id"] for node in graph.nodes}:
        note = f"one row per route, its steps left to right in route order; {BACKGROUND_NOTE}"
        fig, names = _draw_lanes(lanes, title, f"{subtitle}\n{note}".strip(), colours)
        layout = "routes"
    else:
        fig, names, layout = _draw_network(graph, title, f"{subtitle}\n{BACKGROUND_NOTE}", colours)
    described = f"{title}: " + ", ".join(dict.fromkeys(names))
    metadata = {"Title": title, "Description": described}
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        fig.savefig(path, metadata=metadata, facecolor="white")
    return Picture(path, layout, list(dict.fromkeys(names)), len(graph.relationships))
