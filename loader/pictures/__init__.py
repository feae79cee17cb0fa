"""Pictures of a saved query's subgraph: interactive HTML (neo4j-viz) or PNG/SVG (matplotlib).

Colours come from the Browser style sheet (:func:`loader.browser.label_colours`), so a label
looks the same in Neo4j Browser, in the HTML view and in a report's picture. Background facts
(``basis = 'background'``: not stated by a cited source) are dashed in static pictures and
grey in the HTML view, whose details panel shows every property of the node or arrow
clicked, provenance (basis, sources, locators) first.

- :mod:`~loader.pictures.subgraph`: routes as lanes, captions, provenance;
- :mod:`~loader.pictures.static`: PNG and SVG, routes as lanes, else paths or a network;
- :mod:`~loader.pictures.interactive`: the HTML page.

The two renderers are imported by :func:`draw` when a picture is drawn: matplotlib and
neo4j-viz take about a second to import, which no other command should pay.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import neo4j

from loader.errors import KazgraphError
from loader.graph import Graph
from loader.pictures.subgraph import (
    Lane,
    Picture,
    TooLargeToDraw,
    key_figure,
    provenance,
    route_lanes,
)
from loader.saved_queries import SavedQuery, as_saved_query, run_saved_query_graph

FORMATS = (".html", ".png", ".svg")


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
        from loader.pictures.interactive import draw_html

        return draw_html(graph, path, title, subtitle)
    from loader.pictures.static import draw_static

    return draw_static(graph, path, title, subtitle)


def saved_query_picture(
    driver: neo4j.Driver,
    database: str,
    query: SavedQuery | str,
    params: Mapping[str, object] | None,
    path: Path,
) -> Picture:
    """Run a saved query (a name or a SavedQuery) and draw the subgraph it returns."""
    check_path(path)
    saved = as_saved_query(query)
    graph = run_saved_query_graph(driver, database, saved, params)
    given = ", ".join(f"{k}={v}" for k, v in (params or {}).items())
    subtitle = f"kazgraph saved query {saved.name}" + (f" ({given})" if given else "")
    try:
        return draw(graph, path, saved.title, subtitle)
    except TooLargeToDraw as too_large:
        shown = " ".join(f"-p {k}={v}" for k, v in (params or {}).items())
        command = f"kazgraph query run {saved.name}" + (f" {shown}" if shown else "")
        raise TooLargeToDraw(
            f"{saved.name}: {too_large}; this answer is a table; use `{command}`"
        ) from None


__all__ = [
    "FORMATS",
    "Lane",
    "Picture",
    "TooLargeToDraw",
    "check_path",
    "draw",
    "key_figure",
    "provenance",
    "route_lanes",
    "saved_query_picture",
]
