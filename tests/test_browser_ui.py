"""Neo4j Browser in a real headless Chromium: connect from the prefilled link, apply the
style sheet, run a saved query and see its nodes.

Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`) and the Python
package playwright (the dev extra); Playwright drives that Chromium, it downloads nothing. A
screenshot of the result frame is kept in tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest

from loader import browser
from loader.local_neo4j import Runner
from loader.saved_queries import find_saved_query
from loader.settings import PROJECT_ROOT

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
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
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


def frame_texts(page: object) -> list[str]:
    """The words drawn in the newest result frame's graph (node and arrow captions)."""
    return [
        t.strip()
        for t in page.evaluate(  # type: ignore[attr-defined]
            "() => Array.from(document.querySelector('[data-testid=frame]')"
            ".querySelectorAll('svg text')).map(t => t.textContent)"
        )
    ]


def test_browser_runs_routes_bypassing_russia_and_shows_its_nodes(
    loaded: neo4j.Driver, local_runner: Runner | None
) -> None:
    if local_runner is None:
        pytest.skip("NEO4J_URI is set: no local runner serves Neo4j Browser for this test")
    url = browser.browser_url(local_runner.bolt_uri, local_runner.http_port)
    saved = find_saved_query("routes-bypassing-russia")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

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
            run_in_editor(page, saved.cypher)
            frame = page.get_by_test_id("frame").first
            frame.get_by_text("Displaying 11 nodes").wait_for()
            page.wait_for_timeout(2000)  # let the layout settle for the screenshot
            frame.screenshot(path=str(ARTIFACTS / "browser-routes-bypassing-russia.png"))

            command = frame.get_by_test_id("frameCommand").inner_text()
            texts = frame_texts(page)
            fills = page.evaluate(
                "() => Array.from(document.querySelector('[data-testid=frame]')"
                ".querySelectorAll('svg circle')).map(c => c.getAttribute('fill'))"
            )
        finally:
            chromium.close()

    assert command.startswith("MATCH (route:Route)")
    assert {
        "Kazakhstan",
        "Türkiye",
        "Iran",
        "Turkmenistan",
        "China",
        "Azerbaijan",
        "Georgia",
        "Europe",
    } <= set(texts)
    assert "Russia" not in texts
    assert any(t.startswith("step 1") for t in texts)  # the style's ROUTE_STEP caption
    assert browser.label_colours()["Country"] in fills  # the style's colour per label
