"""An interactive, self-contained HTML page of an answer graph (neo4j-viz): drag, zoom, and
click a node or an arrow for every property, provenance first; routes laid out as lanes."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path

from neo4j_viz import Layout, Node, Relationship, VisualizationGraph

from loader.browser import label_colours
from loader.graph import Graph, caption, label_of
from loader.pictures.subgraph import (
    BACKGROUND_EDGE,
    DEFAULT_COLOUR,
    DOCUMENTED_EDGE,
    Picture,
    is_background,
    key_figure,
    provenance,
    route_lanes,
)
from loader.saved_queries import shown


def _coordinates(graph: Graph) -> dict[str, tuple[float, float]]:
    """For routes: x along the route order, y by route, shared steps in between."""
    spots: dict[str, list[tuple[float, float]]] = defaultdict(list)
    lanes = route_lanes(graph)
    on_lanes = {lane.route["id"] for lane in lanes} | {
        n["id"] for lane in lanes for n, _ in lane.steps
    }
    if not on_lanes >= {n["id"] for n in graph.nodes}:
        return {}  # not only routes: a force-directed layout
    for row, lane in enumerate(lanes):
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
            Node.model_validate(
                {
                    "id": node["id"],
                    "caption": caption(props, node["id"]),
                    "color": colours.get(label, DEFAULT_COLOUR),
                    "size": 34 if label in ("Country", "Route") else 28,
                    "x": x,
                    "y": y,
                    "properties": details,
                }
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
            Relationship.model_validate(
                {
                    "id": rel["id"],
                    "source": rel["start"],
                    "target": rel["end"],
                    "caption": key_figure(rel),
                    "color": BACKGROUND_EDGE if is_background(props) else DOCUMENTED_EDGE,
                    "width": 1 if is_background(props) else 2,
                    "properties": details,
                }
            )
        )
    vg = VisualizationGraph(nodes=nodes, relationships=rels)
    used = sorted({label_of(n) for n in graph.nodes})
    vg.set_legend(  # (label, colour) pairs
        nodes=[(label, colours.get(label, DEFAULT_COLOUR)) for label in used],
        relationships=[
            ("documented", DOCUMENTED_EDGE),
            ("background (no cited source)", BACKGROUND_EDGE),
        ],
    )
    layout = Layout.COORDINATE if where else Layout.FORCE_DIRECTED
    span = max((abs(x) for x, _ in where.values()), default=0.0) * 2 + 200
    zoom = min(1.0, 1100 / span) if where else None
    html: str = vg.render(
        layout=layout,
        height="88vh",
        theme="light",
        on_dangling="error",
        initial_zoom=zoom,
        pan_position=(0.0, 0.0) if where else None,
    ).data
    heading = (
        f'<h1 style="font:600 18px sans-serif;margin:8px 12px 0">{escape(title)}</h1>'
        f'<p style="font:13px sans-serif;margin:2px 12px 6px;color:#555">'
        f"{escape(subtitle)}. Click a node or an arrow and open the details panel (top "
        f"right) for its properties and provenance; grey arrows are background facts, "
        f"not stated in a cited source.</p>"
    )
    html = html.replace("<title>", f"<title>{escape(title)} ", 1)
    path.write_text(_insert_after_body(html, heading), encoding="utf-8")
    return Picture(
        path,
        "routes" if where else "network",
        [caption(n["properties"], n["id"]) for n in graph.nodes],
        len(graph.relationships),
    )


def _insert_after_body(html: str, fragment: str) -> str:
    start = html.find("<body")
    end = html.find(">", start) + 1 if start >= 0 else 0
    return html[:end] + fragment + html[end:]
