"""Neo4j Browser in a real headless Chromium: connect from the prefilled link, apply the
style sheet, run a saved query and see its nodes.

Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`) and the Python
package playwright (the dev extra); Playwright drives that Chromium, it downloads nothing. The
test asserts on what Browser received (its Table view), never on drawn captions, which
Browser truncates to fit a circle depending on the fonts installed. Marked slow.
"""

from __future__ import annotations

import re
from pathlib import Path

import neo4j
import pytest

from loader import browser
from loader.cypher_text import cypher_literal
from loader.facts import load_dataset
from loader.local_neo4j import Runner
from loader.saved_queries import find_saved_query, run_saved_query_graph
from loader.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium: apt-get install -y chromium",
)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs playwright: pip install -e '.[dev]'"
)


def run_in_editor(page: object, text: str) -> None:
    """Put text into Browser's editor as typed-in content and run it (Ctrl+Enter)."""
    page.get_by_test_id("activeEditor").click()  # type: ignore[attr-defined]
    page.keyboard.insert_text(text)  # type: ignore[attr-defined]
    page.keyboard.press("Control+Enter")  # type: ignore[attr-defined]


def table_names(frame: object) -> set[str]:
    """The ``name`` of every node in the frame's Table view: what Browser received, in full,
    whatever the drawing truncates to fit a circle."""
    frame.get_by_test_id("cypherFrameSidebarTable").click()  # type: ignore[attr-defined]
    text = frame.get_by_test_id("frameContents").inner_text()  # type: ignore[attr-defined]
    return set(re.findall(r'^\s*"name": "(.*)",?$', text, re.M))


@pytest.mark.slow
def test_browser_runs_routes_bypassing_russia_and_shows_its_nodes(
    loaded: neo4j.Driver,
    local_runner: Runner | None,
    neo4j_settings: Settings,
    tmp_path: Path,
) -> None:
    if local_runner is None:
        pytest.skip("NEO4J_URI is set: no local runner serves Neo4j Browser for this test")
    url = browser.browser_url(local_runner.bolt_uri, local_runner.http_port)
    saved = find_saved_query("routes-bypassing-russia")
    params = browser.guide_params(saved, browser.entity_lookup(load_dataset()))
    answer = run_saved_query_graph(loaded, neo4j_settings.database, saved)
    expected = {n["properties"]["name"] for n in answer.nodes}

    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = chromium.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url)
            # The link preselects "no authentication", so Browser connects by itself.
            page.get_by_text("Connected to Neo4j").wait_for()
            run_in_editor(page, browser.style_command())
            # The style frame lists the sheet Browser now uses.
            page.get_by_test_id("frameContents").first.get_by_text("node.Route").wait_for()
            # As the guide says: draw only the relationships the query returns.
            run_in_editor(page, browser.CONNECT_RESULT_NODES_OFF.rstrip(";"))
            page.get_by_text("autoComplete").first.wait_for()
            if params:  # set them all at once, and run the query only once they are set
                run_in_editor(page, f":params {cypher_literal(params)}")
                page.get_by_text("Successfully set your parameters").first.wait_for()
            run_in_editor(page, saved.cypher)
            frame = page.get_by_test_id("frame").first
            frame.get_by_text("Displaying").wait_for()
            shown = frame.get_by_text("Displaying").inner_text()
            page.wait_for_timeout(2000)  # let the layout settle for the screenshot
            frame.screenshot(path=str(tmp_path / "browser-routes-bypassing-russia.png"))
            command = frame.get_by_test_id("frameCommand").inner_text()
            fills = page.evaluate(
                "() => Array.from(document.querySelector('[data-testid=frame]')"
                ".querySelectorAll('svg circle')).map(c => c.getAttribute('fill'))"
            )
            drawn = page.evaluate(
                "() => document.querySelector('[data-testid=frame]')"
                ".querySelectorAll('svg g.relationship').length"
            )
            names = table_names(frame)
        finally:
            chromium.close()

    assert command.startswith("MATCH")
    assert names == expected  # Browser received exactly the saved query's nodes
    assert f"{len(answer.nodes)} nodes, {len(answer.relationships)} relationships" in shown
    assert drawn == len(answer.relationships)  # none added by "Connect result nodes"
    assert "Kazakhstan" in names and "Russia" not in names
    assert browser.label_colours()["Country"] in fills  # the style's colour per label
