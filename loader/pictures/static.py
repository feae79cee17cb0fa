"""Static pictures of an answer graph for reports, PNG or SVG (matplotlib), at A4 width.

Every picture is 8.27 in wide at 300 dpi (2480 px), its text at least 8 pt. The layout
follows the answer's shape:

- **routes**: one lane per route, its steps left to right in route order, numbered;
- **paths** (route legs only): one lane per path from its start to its end, legs numbered
  1..n along each path;
- **bipartite**: two hubs (Kazakhstan and Russia, say) at the left and right edges, every
  other node in a column by how much nearer it is to one than to the other;
- **layers**: one hub at the left, the other nodes in columns by their distance from it.

Arrows are coloured by relationship type, with a legend entry for each, and labelled with
their key figure where there is room. An answer too large for that is refused
(:class:`~loader.pictures.subgraph.TooLargeToDraw`): it reads better as a table.
Background facts are dashed.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib
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
    MAX_COLUMN,
    MAX_LANE_STEPS,
    MAX_LANES,
    Picture,
    TooLargeToDraw,
    check_size,
    colour,
    is_background,
    key_figure,
    layers,
    path_lanes,
    route_lanes,
)

BACKGROUND_NOTE = "dashed: background knowledge, not stated in a cited source"
WIDTH = 8.27  # inches: A4
DPI = 300
TEXT = 8.0  # points, the smallest text drawn
TITLE = 11.0
DOT = 0.09  # inches, a node's radius
MAX_LABELLED = 16  # arrows that get their key figure written on them
# Relationship types by colour: distinct on white, none too pale to see at 8 pt.
TYPE_COLOURS = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#843c39",
    "#7b4173",
]


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, max(width, 6), break_long_words=True)) or text


def _chars(inches: float) -> int:
    """How many characters of 8 pt text fit in ``inches``."""
    return int(inches / (TEXT * 0.55 / 72))


class Canvas:
    """An A4-wide figure whose data coordinates are inches from the top left corner."""

    def __init__(self, height: float) -> None:
        self.height = height
        self.fig = Figure(figsize=(WIDTH, height), dpi=DPI)
        self.ax: Axes = self.fig.add_axes((0.0, 0.0, 1.0, 1.0))
        self.ax.set_xlim(0, WIDTH)
        self.ax.set_ylim(-height, 0)
        self.ax.axis("off")

    def title(self, title: str, subtitle: str) -> float:
        """Write the title block; return the depth (inches) below it."""
        lines = _wrapped(title, _chars(WIDTH - 0.6) * 8 // 11)
        self.ax.text(0.3, -0.25, lines, fontsize=TITLE, fontweight="bold", va="top")
        depth = 0.25 + 0.2 * (lines.count("\n") + 1)
        notes = "\n".join(_wrapped(line, _chars(WIDTH - 0.6)) for line in subtitle.splitlines())
        if notes:
            self.ax.text(0.3, -depth - 0.05, notes, fontsize=TEXT, color="#444444", va="top")
            depth += 0.05 + 0.15 * (notes.count("\n") + 1)
        return depth + 0.2

    def node(
        self,
        x: float,
        y: float,
        node: Mapping[str, Any],
        colours: Mapping[str, str],
        background: bool = False,
        inside: str = "",
    ) -> None:
        self.ax.add_patch(
            matplotlib.patches.Circle(
                (x, y),
                DOT,
                facecolor=colour(node, colours),
                edgecolor=BACKGROUND_EDGE if background else "#333333",
                linewidth=1.2,
                linestyle="--" if background else "-",
                zorder=3,
            )
        )
        if inside:
            self.ax.text(x, y, inside, fontsize=TEXT, ha="center", va="center", zorder=4)

    def caption(self, x: float, y: float, text: str, width: float) -> None:
        self.ax.text(
            x,
            y - DOT - 0.03,
            _wrapped(text, _chars(width)),
            fontsize=TEXT,
            ha="center",
            va="top",
            color="#222222",
            zorder=4,
            linespacing=1.05,
            bbox={"fc": "white", "ec": "none", "alpha": 0.75, "pad": 0.5},
        )

    def arrow(
        self,
        start: tuple[float, float],
        end: tuple[float, float],
        colour: str,
        background: bool,
        bend: float = 0.0,
    ) -> None:
        self.ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=8,
                lw=0.9,
                shrinkA=DOT * 72 + 1,
                shrinkB=DOT * 72 + 1,
                color=colour,
                zorder=2,
                linestyle=(0, (4, 3)) if background else "-",
                connectionstyle=f"arc3,rad={bend}",
            )
        )

    def legend(self, handles: list[Line2D], top: float) -> None:
        self.ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.3 / WIDTH, 1 - top / self.height),
            ncol=3,
            frameon=False,
            fontsize=TEXT,
            handlelength=2.2,
            columnspacing=1.2,
            borderaxespad=0,
        )

    def save(self, path: Path, title: str, names: list[str]) -> None:
        described = f"{title}: " + ", ".join(dict.fromkeys(names))
        with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans"}):
            self.fig.savefig(
                path,
                metadata={"Title": title, "Description": described},
                facecolor="white",
                dpi=DPI,
            )


def _label_handles(labels: list[str], colours: Mapping[str, str]) -> list[Line2D]:
    return [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=7,
            markerfacecolor=colours.get(label, DEFAULT_COLOUR),
            markeredgecolor="#333333",
            label=label,
        )
        for label in labels
    ]


def _legend_rows(entries: int) -> float:
    return 0.2 * ((entries + 2) // 3) + 0.2


# --- lanes: routes and paths --------------------------------------------------------------
Step = tuple[dict[str, Any], bool, str]  # node, background, its number or its leg's label


def _lane_offsets(lanes: list[list[Step]]) -> list[int]:
    """Shift each lane so that the step most lanes share (Kazakhstan, say) lines up."""
    seen: dict[str, int] = defaultdict(int)
    for lane in lanes:
        for node_id in {node["id"] for node, _, _ in lane}:
            seen[node_id] += 1
    shared = [i for i, n in seen.items() if n > 1 and n == max(seen.values())]
    if not shared:
        return [0] * len(lanes)
    where = [
        next((x for x, (n, _, _) in enumerate(lane) if n["id"] == shared[0]), None)
        for lane in lanes
    ]
    column = max(x for x in where if x is not None)
    return [column - x if x is not None else 0 for x in where]


def _draw_lanes(
    lanes: list[tuple[str, bool, list[Step]]],
    kind: str,
    title: str,
    subtitle: str,
    colours: Mapping[str, str],
) -> tuple[Canvas, list[str]]:
    """One lane per route or path: a heading, then its steps left to right. Routes number
    their steps inside the dots; paths write ``leg n`` above each arrow."""
    if len(lanes) > MAX_LANES or max(len(s) for _, _, s in lanes) > MAX_LANE_STEPS:
        raise TooLargeToDraw(
            f"{len(lanes)} {kind} of up to {max(len(s) for _, _, s in lanes)} steps are too "
            f"many to draw readably (at most {MAX_LANES} of {MAX_LANE_STEPS} steps)"
        )
    offsets = _lane_offsets([steps for _, _, steps in lanes])
    columns = max(len(s) + o for (_, _, s), o in zip(lanes, offsets, strict=True))
    step = (WIDTH - 0.4) / columns
    labels = sorted(
        {label_of(n) for _, _, s in lanes for n, _, _ in s}
        | ({"Route"} if kind == "routes" else set())
    )
    lane_height = 1.15
    probe = Canvas(1.0)
    top = probe.title(title, subtitle)
    height = top + lane_height * len(lanes) + _legend_rows(len(labels) + 2)
    canvas = Canvas(height)
    canvas.title(title, subtitle)
    names: list[str] = []
    for row, ((heading, dashed, steps), offset) in enumerate(zip(lanes, offsets, strict=True)):
        y = -top - row * lane_height
        canvas.ax.text(
            0.3,
            y,
            heading,
            fontsize=TEXT + 1,
            fontweight="bold",
            va="top",
            color="#888888" if dashed else "#222222",
        )
        if kind == "routes":
            names.append(heading)  # a route's name; a path's heading names no node
        dot_y = y - 0.5
        for n, (node, background, mark) in enumerate(steps):
            x = 0.2 + step * (n + offset + 0.5)
            canvas.node(x, dot_y, node, colours, background, mark if kind == "routes" else "")
            canvas.caption(x, dot_y, caption(node["properties"], node["id"]), step - 0.08)
            names.append(caption(node["properties"], node["id"]))
            if n:
                before = steps[n - 1]
                dashed_leg = background or before[1]
                canvas.arrow(
                    (x - step, dot_y),
                    (x, dot_y),
                    BACKGROUND_EDGE if dashed_leg else DOCUMENTED_EDGE,
                    dashed_leg,
                )
                if kind == "paths":
                    canvas.ax.text(
                        x - step / 2,
                        dot_y + 0.04,
                        mark,
                        fontsize=TEXT,
                        ha="center",
                        va="bottom",
                        color="#333333",
                    )
    handles = _label_handles(labels, colours) + [
        Line2D([], [], color=DOCUMENTED_EDGE, lw=1.2, label="documented"),
        Line2D([], [], color=BACKGROUND_EDGE, lw=1.2, linestyle=(0, (4, 3)), label="background"),
    ]
    canvas.legend(handles, top + lane_height * len(lanes))
    return canvas, names


def _route_lanes(graph: Graph) -> tuple[list[tuple[str, bool, list[Step]]], dict[str, str]] | None:
    """Routes as lanes when every node of the answer is a route or one of its steps."""
    lanes = route_lanes(graph)
    on_lanes = {lane.route["id"] for lane in lanes} | {
        n["id"] for lane in lanes for n, _ in lane.steps
    }
    if not lanes or not on_lanes >= {n["id"] for n in graph.nodes}:
        return None
    if any(r["type"] not in ("ROUTE_STEP", "ROUTE_LEG") for r in graph.relationships):
        return None
    drawn: list[tuple[str, bool, list[Step]]] = []
    for lane in lanes:
        steps: list[Step] = []
        for n, (node, basis) in enumerate(lane.steps, start=1):
            background = basis == "background" or is_background(node["properties"])
            steps.append((node, background, str(n)))
        drawn.append(
            (caption(lane.route["properties"]), is_background(lane.route["properties"]), steps)
        )
    edges = {}
    for rel in graph.relationships:
        edges[rel["id"]] = key_figure(rel)  # "step n", the number in the dot
    return drawn, edges


def _leg_lanes(graph: Graph) -> tuple[list[tuple[str, bool, list[Step]]], dict[str, str]] | None:
    chains = path_lanes(graph)
    if chains is None:
        return None
    drawn = []
    edges: dict[str, str] = {}
    for number, chain in enumerate(chains, start=1):
        steps: list[Step] = []
        for n, (node, legs) in enumerate(chain):
            background = any(is_background(r["properties"]) for r in legs)
            steps.append((node, background, f"leg {n}" if n else ""))
            for rel in legs:
                edges.setdefault(rel["id"], f"leg {n}")
        heading = f"Path {number}: {len(chain) - 1} leg{'s' if len(chain) > 2 else ''}"
        drawn.append((heading, False, steps))
    return drawn, edges


# --- columns: bipartite and layers --------------------------------------------------------
def _order_columns(
    columns: list[list[str]], graph: Graph, names: Mapping[str, str]
) -> list[list[str]]:
    """Each column sorted by where its neighbours sit in the columns before it, so that
    arrows cross as little as a simple sweep can manage."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for rel in graph.relationships:
        neighbours[rel["start"]].add(rel["end"])
        neighbours[rel["end"]].add(rel["start"])
    place: dict[str, float] = {}
    ordered = []
    for column in columns:

        def key(node: str) -> tuple[float, str]:
            seen = [place[n] for n in neighbours[node] if n in place]
            return (sum(seen) / len(seen) if seen else 1e9, names[node])

        column = sorted(column, key=key)
        for i, node in enumerate(column):
            place[node] = i / max(len(column) - 1, 1)
        ordered.append(column)
    return ordered


def _draw_columns(
    graph: Graph, title: str, subtitle: str, colours: Mapping[str, str]
) -> tuple[Canvas, list[str], str, dict[str, str], list[str]]:
    check_size(graph)
    nodes = {n["id"]: n for n in graph.nodes}
    names = {i: caption(n["properties"], i) for i, n in nodes.items()}
    columns, layout = layers(graph)
    tallest = max(len(c) for c in columns)
    if tallest > MAX_COLUMN:
        raise TooLargeToDraw(
            f"{len(graph.nodes)} nodes and {len(graph.relationships)} relationships: "
            f"{tallest} of them in one column, too many to draw readably (at most {MAX_COLUMN})"
        )
    columns = _order_columns(columns, graph, names)
    types = sorted({r["type"] for r in graph.relationships})
    if len(types) > len(TYPE_COLOURS):
        raise TooLargeToDraw(
            f"{len(graph.relationships)} relationships of {len(types)} types are too many to "
            f"tell apart in one picture (at most {len(TYPE_COLOURS)} types)"
        )
    type_colour = dict(zip(types, TYPE_COLOURS, strict=False))
    labels = sorted({label_of(n) for n in graph.nodes})
    column_width = (WIDTH - 0.4) / len(columns)
    lines = max(
        _wrapped(names[n], _chars(column_width - 0.1)).count("\n") + 1 for c in columns for n in c
    )
    row_height = max(0.62, 0.3 + 0.135 * lines)
    probe = Canvas(1.0)
    top = probe.title(title, subtitle)
    body = row_height * tallest + 0.1
    legend_entries = len(labels) + len(types) + 1
    canvas = Canvas(top + body + _legend_rows(legend_entries))
    canvas.title(title, subtitle)
    pos: dict[str, tuple[float, float]] = {}
    for c, column in enumerate(columns):
        x = 0.2 + column_width * (c + 0.5)
        offset = (tallest - len(column)) * row_height / 2
        for r, node in enumerate(column):
            pos[node] = (x, -top - 0.15 - offset - r * row_height)
    column_of = {node: c for c, column in enumerate(columns) for node in column}
    labelled = len(graph.relationships) <= MAX_LABELLED
    edges: dict[str, str] = {}
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in graph.relationships:
        pairs[(rel["start"], rel["end"])].append(rel)
    for (a, b), rels in pairs.items():
        for k, rel in enumerate(rels):
            same = column_of[a] == column_of[b]
            bend = (0.5 if same else 0.08 * k) * (1 if k % 2 == 0 else -1)
            background = is_background(rel["properties"])
            canvas.arrow(pos[a], pos[b], type_colour[rel["type"]], background, bend)
            text = key_figure(rel)
            if labelled and text != rel["type"]:
                mx, my = (pos[a][0] + pos[b][0]) / 2, (pos[a][1] + pos[b][1]) / 2 + 0.03 * k
                canvas.ax.text(
                    mx,
                    my,
                    _wrapped(text, _chars(column_width * 0.9)),
                    fontsize=TEXT,
                    ha="center",
                    va="center",
                    color=type_colour[rel["type"]],
                    zorder=5,
                    bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 0.3},
                )
                edges[rel["id"]] = text
            else:
                edges[rel["id"]] = rel["type"]  # its colour, in the legend
    for node, (x, y) in pos.items():
        canvas.node(x, y, nodes[node], colours, is_background(nodes[node]["properties"]))
        canvas.caption(x, y, names[node], column_width - 0.1)
    handles = (
        _label_handles(labels, colours)
        + [Line2D([], [], color=type_colour[t], lw=1.6, label=t) for t in types]
        + [Line2D([], [], color="#555555", lw=1.2, linestyle=(0, (4, 3)), label="background")]
    )
    canvas.legend(handles, top + body)
    return canvas, list(names.values()), layout, edges, types


def draw_static(graph: Graph, path: Path, title: str, subtitle: str = "") -> Picture:
    """A PNG or SVG at A4 width in the layout that fits the answer's shape (see the module).

    The names drawn are also written into the file's metadata (PNG ``Description``, SVG
    ``<desc>``), so the picture says what it shows to a screen reader or a test.
    """
    colours = label_colours()
    lanes = _route_lanes(graph)
    layout = "routes"
    note = "one row per route, its steps numbered in route order"
    if lanes is None:
        lanes = _leg_lanes(graph)
        layout = "paths"
        note = "one row per path, its legs numbered from its start"
    if lanes is not None:
        drawn, edges = lanes
        full = "\n".join(p for p in (subtitle, f"{note}; {BACKGROUND_NOTE}") if p)
        canvas, names = _draw_lanes(drawn, layout, title, full, colours)
        legend = ["documented", "background"]
    else:
        full = "\n".join(
            p for p in (subtitle, f"arrows coloured by relationship type; {BACKGROUND_NOTE}") if p
        )
        canvas, names, layout, edges, legend = _draw_columns(graph, title, full, colours)
    canvas.save(path, title, names)
    return Picture(
        path, layout, list(dict.fromkeys(names)), len(graph.relationships), edges, legend
    )
