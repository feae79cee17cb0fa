"""A quick start: `kazgraph --help`, `query list` and `query show` import no driver, pandas,
networkx, matplotlib or neo4j-viz (cli.py imports what each command needs); `query run`
imports the driver without numpy and pandas, and the real `kazgraph` process loads and
answers with that driver."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import neo4j
import pytest

from loader import cli, facts, local_neo4j, output, verify
from loader.export import WRITERS
from loader.facts import load_dataset
from loader.saved_queries.run import run_saved_query
from loader.settings import PROJECT_ROOT, Settings
from loader.write import load

KAZGRAPH = Path(sys.executable).with_name("kazgraph")  # the console script pip installed

HEAVY = ("pandas", "matplotlib", "networkx", "neo4j_viz", "neo4j", "pydantic")
PROBE = """
import json, sys
from loader.cli import main
if {args!r}:
    main({args!r}, standalone_mode=False)
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def heavy_modules(*args: str, env: dict[str, str] | None = None) -> list[str]:
    """The heavy modules loaded by a fresh Python that imports the CLI and runs ``args``."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args), heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
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


def environment(settings: Settings) -> dict[str, str]:
    """This environment, pointed at the session's Neo4j (the password never on a command
    line)."""
    return os.environ | {
        "NEO4J_URI": settings.uri,
        "NEO4J_USER": settings.user,
        "NEO4J_PASSWORD": settings.password or "",
        "NEO4J_DATABASE": settings.database,
    }


def test_query_run_imports_the_driver_but_no_dataframe_library(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    found = heavy_modules("query", "run", "trade-partners", env=environment(neo4j_settings))
    assert found == ["neo4j"]


DRIVER_PROBE = """
import sys
{setup}
import numpy, pandas
from loader.database import open_driver
from loader.settings import Settings
driver = open_driver(Settings.resolve())
assert driver.execute_query("RETURN $x AS x", x=3).records[0]["x"] == 3
try:
    driver.execute_query("RETURN $x AS x", x=numpy.int64(3))
    print("numpy accepted")
except ValueError:  # "Values of type <class 'numpy.int64'> are not supported"
    print("numpy refused")
print(pandas.DataFrame({{"a": [1]}}).to_csv(index=False), end="")
driver.close()
"""


def driver_in_fresh_process(setup: str, settings: Settings) -> str:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER_PROBE.format(setup=setup)],
        capture_output=True,
        text=True,
        check=True,
        env=environment(settings),
    )
    return done.stdout


def test_the_cli_hides_the_dataframe_libraries_from_the_driver_and_only_from_it(
    neo4j_settings: Settings,
) -> None:
    quick = driver_in_fresh_process(
        "from loader.cli import import_driver_without_dataframes\n"
        "import_driver_without_dataframes()\n"
        "assert 'neo4j' in sys.modules\n"
        "assert not {'numpy', 'pandas', 'pyarrow'} & set(sys.modules)",
        neo4j_settings,
    )
    assert quick == "numpy refused\na\n1\n"  # and pandas imports as usual afterwards
    library = driver_in_fresh_process("import loader.database", neo4j_settings)
    assert library == "numpy accepted\na\n1\n"


def test_the_console_script_loads_the_data_and_answers_a_saved_query(
    empty_db: neo4j.Driver, neo4j_settings: Settings
) -> None:
    env = environment(neo4j_settings)
    loaded = subprocess.run(
        [KAZGRAPH, "load"], capture_output=True, text=True, env=env, cwd=PROJECT_ROOT
    )
    assert loaded.returncode == 0, loaded.stderr
    answered = subprocess.run(
        [KAZGRAPH, "query", "run", "trade-partners", "--format", "csv"],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
    )
    assert answered.returncode == 0, answered.stderr
    database = neo4j_settings.database
    assert answered.stdout == output.to_csv(run_saved_query(empty_db, database, "trade-partners"))
    again = load(empty_db, load_dataset(), database)  # the graph a load from Python writes
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert (again.nodes_updated, again.relationships_updated) == (0, 0)
    assert (again.nodes_deleted, again.relationships_deleted) == (0, 0)
