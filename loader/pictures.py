"""Pictures of a saved query's subgraph: interactive HTML (neo4j-viz) or PNG/SVG (matplotlib).

Colours come from the Browser style sheet (:func:`loader.browser.label_colours`), so a label
looks the same in Neo4j Browser, in the HTML view and in a report's picture. Background facts
(``basis = 'background'``: not stated by a cited source) are dashed in static pictures and
grey in the HTML view, whose details panel shows every property of the node or arrow
clicked, provenance (basis, sources, locators) first.

A subgraph of routes and their steps is drawn as lanes, one per route, its steps left to right
in route order, so a picture of the corridors that bypass Russia reads like a transit map.
Chains of route legs (paths) run left to right from their start; anything else gets a
force-directed layout, one per connected part.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from loader.browser import label_colours
from loader.errors import KazgraphError
from loader.graph import Graph, caption, label_of
from loader.saved_queries import SavedQuery, find_saved_query, run_saved_query_graph, shown

FORMATS = (".html", ".png", ".svg")
BACKGROUND_EDGE = "#9AA1AC"
DOCUMENTED_EDGE = "#4A4F57"
DEFAULT_COLOUR = "#A5ABB6"
BACKGROUND_NOTE = "dashed: background knowledge, not stated in a cited source"


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


# --- what to write on things -----------------------------------------------------------
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


def _colour(node: Mapping[str, Any], colours: Mapping[str, str]) -> str:
    return colours.get(label_of(node), DEFAULT_COLOUR)


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _is_background(props: Mapping[str, Any]) -> bool:
    return props.get("basis") == "background"


# --- routes as lanes -------------------------------------------------------------------
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


# --- static pictures (matplotlib) ------------------------------------------------------
def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    return fig, fig.subplots()


def _legend(ax: Any, labels: list[str], colours: Mapping[str, str]) -> None:
    from matplotlib.lines import Line2D

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
) -> tuple[Any, list[str]]:
    from matplotlib.patches import FancyArrowPatch

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
                "linestyle": "--" if _is_background(route) else "-",
            },
        )
        for n, (node, basis) in enumerate(lane.steps, start=1):
            x = n + offset
            background = basis == "background" or _is_background(node["properties"])
            ax.scatter(
                [x],
                [y],
                s=520,
                c=[_colour(node, colours)],
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


def _flow_positions(g: nx.MultiDiGraph) -> dict[Any, tuple[float, float]] | None:
    """Left to right by the longest chain of legs from a start, when legs form no cycle."""
    simple = nx.DiGraph(g)
    if not nx.is_directed_acyclic_graph(simple):
        return None
    column: dict[Any, int] = {}
    for node in nx.topological_sort(simple):
        column[node] = max((column[p] + 1 for p in simple.predecessors(node)), default=0)
    rows: dict[int, list[Any]] = defaultdict(list)
    for node, x in sorted(column.items(), key=lambda item: item[1]):
        rows[x].append(node)
    return {
        node: (float(x), (len(members) - 1) / 2 - i)
        for x, members in rows.items()
        for i, node in enumerate(members)
    }


def _packed_positions(g: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """A force-directed layout per connected part, the parts packed in rows, largest first,
    each scaled to the square root of its size so that no part is crushed."""
    simple = nx.Graph(g)
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), sorted(c)))
    total_width = max(2.0 * len(parts[0]) ** 0.5, 2.5 * len(simple) ** 0.5)
    pos: dict[Any, tuple[float, float]] = {}
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
) -> tuple[Any, list[str], str]:
    g = nx.MultiDiGraph()
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
            if _is_background(d["rel"]["properties"]) == background
        ]
        nx.draw_networkx_edges(
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
            style=(0, (4, 3)) if background else "solid",
        )
    for background in (False, True):
        ids = [i for i in nodes if _is_background(nodes[i]["properties"]) == background]
        drawn = nx.draw_networkx_nodes(
            g,
            pos,
            nodelist=ids,
            ax=ax,
            node_size=520,
            node_color=[_colour(nodes[i], colours) for i in ids],
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
    import matplotlib

    path = Path(path)
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


# --- interactive HTML (neo4j-viz) ------------------------------------------------------
def _coordinates(graph: Graph) -> dict[str, tuple[float, float]]:
    """For routes: x along the route order, y by route, shared steps in between."""
    spots: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row, lane in enumerate(route_lanes(graph)):
        # the route above the middle of its lane, so its step arrows fan out
        spots[lane.route["id"]].append(((len(lane.steps) + 1) / 2 * 230.0, row * 260.0 - 110))
        for x, (node, _) in enumerate(lane.steps, start=1):
            spots[node["id"]].append((x * 230.0, row * 260.0))
    mean = {
        i: (sum(x for x, _ in s) / len(s), sum(y for _, y in s) / len(s)) for i, s in spots.items()
    }
    if not mean:
        return {}
    middle_x = (max(x for x, _ in mean.values()) + min(x for x, _ in mean.values())) / 2
    middle_y = (max(y for _, y in mean.values()) + min(y for _, y in mean.values())) / 2
    return {i: (x - middle_x, y - middle_y) for i, (x, y) in mean.items()}


def draw_html(graph: Graph, path: Path, title: str, subtitle: str = "") -> Picture:
    """A self-contained HTML page (neo4j-viz, scripts and styles inlined): drag, zoom, click
    for every property and the provenance; colours by label, with a legend."""
    from neo4j_viz import Layout, Node, Relationship, VisualizationGraph

    path = Path(path)
    colours = label_colours()
    where = _coordinates(graph)
    nodes = []
    for node in graph.nodes:
        props = node["properties"]
        label = label_of(node)
        details = {
            "label": label,
            "provenance": provenance(props),
            **{k: shown(v) for k, v in sorted(props.items())},
        }
        x, y = where.get(node["id"], (None, None))
        nodes.append(
            Node(
                id=node["id"],
                caption=caption(props, node["id"]),
                color=colours.get(label, DEFAULT_COLOUR),
                size=34 if label in ("Country", "Route") else 28,
                x=x,
                y=y,
                properties=details,
            )
        )
    rels = []
    for rel in graph.relationships:
        props = rel["properties"]
        details = {
            "type": rel["type"],
            "provenance": provenance(props),
            **{k: shown(v) for k, v in sorted(props.items())},
        }
        rels.append(
            Relationship(
                id=rel["id"],
                source=rel["start"],
                target=rel["end"],
                caption=key_figure(rel),
                color=BACKGROUND_EDGE if _is_background(props) else DOCUMENTED_EDGE,
                width=1 if _is_background(props) else 2,
                properties=details,
            )
        )
    vg = VisualizationGraph(nodes=nodes, relationships=rels)
    used = sorted({label_of(n) for n in graph.nodes})
    vg.set_legend(
        nodes={label: colours.get(label, DEFAULT_COLOUR) for label in used},
        relationships={
            "documented": DOCUMENTED_EDGE,
            "background (no cited source)": BACKGROUND_EDGE,
        },
    )
    layout = Layout.COORDINATE if where else Layout.FORCE_DIRECTED
    span = max((abs(x) for x, _ in where.values()), default=0.0) * 2 + 200
    zoom = min(1.0, 1100 / span) if where else None
    html = vg.render(
        layout=layout,
        height="88vh",
        theme="light",
        on_dangling="error",
        initial_zoom=zoom,
        pan_position=(0.0, 0.0) if where else None,
    ).data
    heading = (
        f'<h1 style="font:600 18px sans-serif;margin:8px 12px 0">{_escape(title)}</h1>'
        f'<p style="font:13px sans-serif;margin:2px 12px 6px;color:#555">'
        f"{_escape(subtitle)}. Click a node or an arrow and open the details panel (top "
        f"right) for its properties and provenance; grey arrows are background facts, "
        f"not stated in a cited source.</p>"
    )
    html = html.replace("<title>", f"<title>{_escape(title)} ", 1) if "<title>" in html else html
    html = _insert_after_body(html, heading)
    path.write_text(html, encoding="utf-8")
    return Picture(
        path,
        "routes" if where else "network",
        [caption(n["properties"], n["id"]) for n in graph.nodes],
        len(graph.relationships),
    )


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _insert_after_body(html: str, fragment: str) -> str:
    start = html.find("<body")
    end = html.find(">", start) + 1 if start >= 0 else 0
    return html[:end] + fragment + html[end:]


# --- the entry point -------------------------------------------------------------------
def check_path(path: Path) -> Path:
    """``path`` if its suffix names a kind of picture, else a KazgraphError saying which do."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise KazgraphError(
            f"{path}: a picture is .html, .png or .svg, not '{path.suffix or 'no suffix'}'"
        )
    return path


def draw(graph: Graph, path: Path, title: str, subtitle: str = "") -> Picture:
    """Draw ``graph`` into ``path``; the suffix (.html, .png, .svg) picks the kind."""
    path = check_path(path)
    if not graph.nodes:
        raise KazgraphError(
            "the query returned no nodes to draw; check its parameters with `kazgraph query run`"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".html":
        return draw_html(graph, path, title, subtitle)
    return draw_static(graph, path, title, subtitle)


def saved_query_picture(
    driver: Any, database: str, query: Any, params: Mapping[str, Any] | None, path: Path
) -> Picture:
    """Run a saved query (a name or a SavedQuery) and draw the subgraph it returns."""
    check_path(path)
    saved = query if isinstance(query, SavedQuery) else find_saved_query(query)
    graph = run_saved_query_graph(driver, database, saved, params)
    given = ", ".join(f"{k}={v}" for k, v in (params or {}).items())
    subtitle = f"kazgraph saved query {saved.name}" + (f" ({given})" if given else "")
    return draw(graph, path, saved.title, subtitle)
