"""Pictures of saved queries, the Browser style sheet and guide, and `kazgraph browse`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner
from PIL import Image

from loader import browser, pictures
from loader.cli import main
from loader.facts import load_dataset
from loader.graph import Graph
from loader.pictures import draw
from loader.pictures.subgraph import key_figure, route_lanes
from loader.saved_queries.files import load_saved_queries
from loader.settings import Settings
from loader.vocabulary import LABELS

BYPASS = ["Trans-Caspian International Transport Route", "Kazakhstan–Iran–Türkiye rail link"]
VIA_RUSSIA = ["Caspian Pipeline Consortium pipeline", "Trade route to Europe via Russia"]


def viz(settings: Settings, *args: str) -> str:
    result = CliRunner().invoke(main, ["viz", *args, "--uri", settings.uri])
    assert result.exit_code == 0, result.output
    return result.output


def node(node_id: str, label: str, basis: str = "documented") -> dict:
    return {
        "id": node_id,
        "labels": [label],
        "properties": {"id": node_id, "name": node_id.title(), "basis": basis},
    }


def step(route: str, place: str, order: int, basis: str = "documented") -> dict:
    return {
        "id": f"{route}-{order}",
        "type": "ROUTE_STEP",
        "start": route,
        "end": place,
        "properties": {"id": f"{route}-{order}", "order": order, "basis": basis},
    }


def test_pictures_draw_the_answer_graph_without_going_through_the_exports() -> None:
    for module in Path(pictures.__file__).parent.glob("*.py"):
        assert "loader.export" not in module.read_text(encoding="utf-8"), module.name


# --- viz -------------------------------------------------------------------------------
def test_png_of_routes_bypassing_russia_shows_only_the_bypassing_routes(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "routes.png"
    printed = viz(neo4j_settings, "routes-bypassing-russia", "-o", str(out))
    assert printed == f"drew 11 nodes and 11 relationships (routes layout) to {out}\n"
    with Image.open(out) as image:
        assert image.format == "PNG" and image.width > 1000
        drawn = image.info["Description"]
    assert all(name in drawn for name in BYPASS)
    assert not any(name in drawn for name in [*VIA_RUSSIA, "Russia,"])
    assert "Caspian Sea" in drawn and "Azerbaijan" in drawn


def test_svg_keeps_names_as_text(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "paths.svg"
    viz(neo4j_settings, "transit-paths", "-p", "destination=Europe", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    shown = set(re.findall(r"<text[^>]*>([^<]+)</text>", text))
    assert {"Kazakhstan", "Caspian Sea", "Azerbaijan", "Georgia", "Europe"} <= shown


def test_html_is_self_contained_with_legend_and_provenance(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "routes.html"
    viz(neo4j_settings, "routes-bypassing-russia", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", html)
    assert "<title>Routes that bypass a country" in html
    data = json.loads(
        re.search(
            r'<script type="application/json" id="neo4j-viz-data">(.*?)'
            r"</script>",
            html,
            re.S,
        ).group(1)
    )
    captions = {n["caption"] for n in data["nodes"]}
    assert {*BYPASS, "Kazakhstan", "Caspian Sea"} <= captions
    assert not {*VIA_RUSSIA, "Russia"} & captions
    provenance = [r["properties"]["provenance"] for r in data["relationships"]]
    assert any(p.startswith("basis: background; why: ") for p in provenance)
    assert any(p.startswith("basis: documented; sources: ") for p in provenance)
    legend = {e["label"] for e in data["legend"]["nodes"]["entries"]}
    assert legend == {"Route", "Country", "Sea", "Place"}


def test_unknown_picture_suffix_is_refused_before_querying(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "viz",
            "routes-bypassing-russia",
            "-o",
            str(tmp_path / "x.pdf"),
            "--uri",
            "bolt://127.0.0.1:1",
        ],
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'x.pdf'}: a picture is .html, .png or .svg, not '.pdf'\n"
    )


def test_lanes_follow_route_order_and_keep_the_basis_of_each_step(tmp_path: Path) -> None:
    graph = Graph(
        [node("r", "Route"), node("a", "Country"), node("b", "Sea"), node("c", "Place")],
        [step("r", "c", 3), step("r", "a", 1), step("r", "b", 2, "background")],
    )
    (lane,) = route_lanes(graph)
    assert [(n["id"], basis) for n, basis in lane.steps] == [
        ("a", "documented"),
        ("b", "background"),
        ("c", "documented"),
    ]
    assert draw(graph, tmp_path / "r.svg", "Test").layout == "routes"


def test_key_figures_give_year_and_value_for_trade_and_order_for_routes() -> None:
    trade = {"type": "TRADES_WITH", "properties": {"year": "2018", "value_usd": 11e9}}
    assert key_figure(trade) == "2018 $11 bn"
    assert key_figure({"type": "ROUTE_LEG", "properties": {"order": 2}}) == "leg 2"


# --- Browser: style sheet, guide, browse -----------------------------------------------
def test_style_sheet_colours_and_captions_every_label() -> None:
    rules = browser.read_style()
    for label in [*LABELS, "Source"]:
        assert {"color", "caption"} <= set(rules[f"node.{label}"]), label
    assert len(set(browser.label_colours().values())) == len(LABELS) + 1
    assert rules["relationship.TRADES_WITH"]["caption"] == "{year} {figure} {value_usd} USD"
    assert "{order}" in rules["relationship.ROUTE_STEP"]["caption"]
    assert "{order}" in rules["relationship.ROUTE_LEG"]["caption"]


def test_style_command_is_one_line_that_browser_accepts() -> None:
    command = browser.style_command()
    assert command.startswith(":style node {") and "\n" not in command


def test_walkthrough_guide_is_up_to_date() -> None:
    assert browser.GUIDE_FILE.read_text(encoding="utf-8") == browser.browser_guide(), (
        "cypher/browser-guide.cypher is stale; regenerate it: kazgraph browse --write-guide"
    )


def test_every_guide_and_saved_query_statement_runs_on_the_loaded_graph(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    queries = load_saved_queries()
    saved = browser.saved_queries_guide(queries.values(), browser.entity_lookup(load_dataset()))
    walk = browser.guide_statements(browser.GUIDE_FILE.read_text(encoding="utf-8"))
    statements = browser.guide_statements(saved)
    assert len(walk) == len(browser.WALKTHROUGH) and len(statements) == len(queries)
    for name, (_, cypher) in zip(queries, statements, strict=True):
        assert cypher == queries[name].cypher.strip().rstrip(";")
    evaluated: dict[str, object] = {}  # each statement comes with every :param set so far
    for params, statement in [*walk, *statements]:
        for expression in params.values():
            if expression not in evaluated:
                records = loaded.execute_query(f"RETURN {expression} AS v").records
                evaluated[expression] = records[0]["v"]
        values = {name: evaluated[expression] for name, expression in params.items()}
        loaded.execute_query(
            statement, values, database_=neo4j_settings.database, routing_=neo4j.RoutingControl.READ
        )


def test_browse_prints_the_prefilled_link_and_how_to_style_it() -> None:
    result = CliRunner().invoke(
        main, ["browse", "--uri", "bolt://127.0.0.1:7999", "--http-port", "7475"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Neo4j Browser: http://127.0.0.1:7475/browser/"
        "?dbms=bolt://127.0.0.1:7999&preselectAuthMethod=NO_AUTH"
    )
    assert "Connect (no password)" in lines[1]
    assert ":style" in lines[2] and "browser-style.grass" in lines[2]
    assert "browser-guide.cypher" in lines[3]
    assert str(browser.SAVED_QUERIES_FILE) in lines[4]  # a temporary folder during tests
    assert browser.SAVED_QUERIES_FILE.read_text(encoding="utf-8").count("// Saved query `") == len(
        load_saved_queries()
    )


def test_browse_with_a_password_asks_for_it_and_never_prints_it() -> None:
    result = CliRunner().invoke(
        main,
        ["browse", "--uri", "neo4j+s://db.example:7687", "--user", "ana", "--password", "s3cret"],
    )
    assert result.exit_code == 0, result.output
    assert "?dbms=neo4j+s://ana@db.example:7687&preselectAuthMethod=BASIC" in result.output
    assert "s3cret" not in result.output


@pytest.mark.parametrize("flag", ["--style-command"])
def test_browse_style_command_prints_only_the_command(flag: str) -> None:
    result = CliRunner().invoke(main, ["browse", flag])
    assert result.exit_code == 0
    assert result.output == browser.style_command() + "\n"


# --- shapes: lanes, legends, refusals -----------------------------------------------------
def leg(start: str, end: str, route: str, order: int) -> dict:
    rid = f"{route}-{order}"
    return {
        "id": rid,
        "type": "ROUTE_LEG",
        "start": start,
        "end": end,
        "properties": {"id": rid, "route": route, "order": order, "basis": "documented"},
    }


def test_legs_are_numbered_consecutively_along_each_path(tmp_path: Path) -> None:
    # legs 1, 2 of one route and leg 6 of another: a path of three legs, numbered 1, 2, 3
    graph = Graph(
        [node(i, "Country") for i in ("kaz", "tkm", "irn", "tur")],
        [leg("kaz", "tkm", "r1", 1), leg("tkm", "irn", "r1", 2), leg("irn", "tur", "r2", 6)],
    )
    picture = draw(graph, tmp_path / "p.png", "Paths")
    assert picture.layout == "paths"
    assert picture.edges == {"r1-1": "leg 1", "r1-2": "leg 2", "r2-6": "leg 3"}


def test_every_drawn_edge_has_a_label_or_a_legend_entry(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    for name in ("russia-exposure", "agreements", "trade-partners", "transit-paths"):
        graph = pictures.run_saved_query_graph(loaded, neo4j_settings.database, name, {})
        picture = draw(
            graph, tmp_path / f"{name}.svg", name
        )  # same layout, a third of a PNG's time
        assert set(picture.edges) == {r["id"] for r in graph.relationships}, name
        legend = {*picture.legend, "documented", "background"}
        for text in picture.edges.values():
            assert text in legend or text.startswith(("leg ", "step ")) or text, name


def test_russia_exposure_is_bipartite_kazakhstan_left_russia_right(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "exposure.png"
    printed = viz(neo4j_settings, "russia-exposure", "-o", str(out))
    assert "(bipartite layout)" in printed
    with Image.open(out) as image:
        assert image.width == 2481 or image.width == 2480  # A4 width at 300 dpi


def test_a_too_large_answer_is_refused_with_the_counts(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "big.png"
    result = CliRunner().invoke(
        main, ["viz", "compare-sources", "-o", str(out), "--uri", neo4j_settings.uri]
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: compare-sources: 138 nodes and 294 relationships are too many to draw "
        "readably (at most 36 nodes and 50 relationships); this answer is a table; "
        "use `kazgraph query run compare-sources`\n"
    )
    assert not out.exists()
