"""A quick start: `kazgraph --help`, `query list` and `query show` import no driver, pandas,
networkx, matplotlib or neo4j-viz (cli.py imports what each command needs)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from loader import cli, facts, local_neo4j, output, verify
from loader.export import WRITERS

HEAVY = ("pandas", "matplotlib", "networkx", "neo4j_viz", "neo4j", "pydantic")
PROBE = """
import json, sys
from loader.cli import main
if {args!r}:
    main({args!r}, standalone_mode=False)
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def heavy_modules(*args: str) -> list[str]:
    """The heavy modules loaded by a fresh Python that imports the CLI and runs ``args``."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args), heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    found: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


def test_importing_the_cli_loads_no_heavy_module() -> None:
    assert heavy_modules() == []


@pytest.mark.parametrize(
    "args",
    [["--help"], ["query", "list"], ["query", "show", "timeline"], ["query", "--help"]],
    ids=["help", "query-list", "query-show", "query-help"],
)
def test_quick_commands_load_no_heavy_module(args: list[str]) -> None:
    assert heavy_modules(*args) == []


def test_the_clis_copies_of_defaults_match_their_modules() -> None:
    assert cli.DEFAULT_DATA_DIR == facts.DEFAULT_DATA_DIR
    assert cli.DEFAULT_SOURCES_DIR == verify.DEFAULT_SOURCES_DIR
    assert cli.LOCAL_DATA_DIR == local_neo4j.DEFAULT_DATA_DIR
    assert cli.NEO4J_VERSION_VARIABLE == local_neo4j.VERSION_VARIABLE
    assert cli.LTS_VERSION == local_neo4j.DEFAULT_NEO4J_VERSION
    assert tuple(WRITERS) == cli.EXPORT_FORMATS
    assert output.FORMATS == ("table", "csv", "json", "markdown")
