"""`kazgraph cypher`: ad-hoc Cypher, read-only, in the saved queries' output formats."""

from __future__ import annotations

import json
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner, Result

from loader.cli import main
from loader.settings import Settings

COUNTRIES = (
    "MATCH (c:Country) WHERE c.id IN ['KAZ', 'CHN'] RETURN c.id AS id, c.name AS name ORDER BY id"
)


def invoke(settings: Settings, *args: str) -> Result:
    connection = ["--uri", settings.uri, "--database", settings.database]
    return CliRunner().invoke(main, [*args, *connection], catch_exceptions=False)


def count(driver: neo4j.Driver, settings: Settings) -> int:
    records, _, _ = driver.execute_query(
        "MATCH (n) RETURN count(n) AS n", database_=settings.database
    )
    return int(records[0]["n"])


def test_a_write_is_refused_and_the_graph_is_unchanged(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    before = count(loaded, neo4j_settings)
    result = invoke(neo4j_settings, "cypher", "MATCH (n) DETACH DELETE n")
    assert result.exit_code == 1
    assert result.output == (
        "Error: the query may only read the graph, and its plan uses: "
        "DetachDelete (writes to the database)\n"
    )
    result = invoke(neo4j_settings, "cypher", "CREATE (n:Entity {id: 'adhoc'}) RETURN n")
    assert result.output == (
        "Error: the query may only read the graph, and its plan uses: "
        "Create (writes to the database)\n"
    )
    assert count(loaded, neo4j_settings) == before


def test_load_csv_is_refused(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    result = invoke(
        neo4j_settings, "cypher", "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line"
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: the query may only read the graph, and its plan uses: "
        "LOAD CSV (reads files or URLs)\n"
    )


def test_a_read_prints_a_table(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    result = invoke(neo4j_settings, "cypher", COUNTRIES)
    assert result.exit_code == 0
    assert "Kazakhstan" in result.output and "China" in result.output
    assert "│ id" in result.output or "┃ id" in result.output


def test_a_read_as_csv(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    result = invoke(neo4j_settings, "cypher", COUNTRIES, "--format", "csv")
    assert result.output == "id,name\nCHN,China\nKAZ,Kazakhstan\n"


def test_a_read_as_json(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    result = invoke(neo4j_settings, "cypher", COUNTRIES, "--format", "json")
    assert json.loads(result.output) == [
        {"id": "CHN", "name": "China"},
        {"id": "KAZ", "name": "Kazakhstan"},
    ]


def test_a_read_as_markdown_to_a_file(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    target = tmp_path / "countries.md"
    result = invoke(neo4j_settings, "cypher", COUNTRIES, "--format", "markdown", "-o", str(target))
    assert result.output == f"wrote 2 row(s) to {target}\n"
    assert target.read_text(encoding="utf-8") == (
        "| id | name |\n| --- | --- |\n| CHN | China |\n| KAZ | Kazakhstan |\n"
    )


def test_parameters_are_strings_unless_typed(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    result = invoke(
        neo4j_settings,
        "cypher",
        "MATCH (c {id: $id}) RETURN c.name AS name, $n + 1 AS n, $s AS s",
        "-p",
        "id:entity=Turkey",
        "-p",
        "n:int=2",
        "-p",
        "s=3",
        "--format",
        "json",
    )
    assert json.loads(result.output) == [{"name": "Türkiye", "n": 3, "s": "3"}]


@pytest.mark.parametrize(
    ("param", "message"),
    [
        (
            "n:number=1",
            "parameter 'n:number': unknown type 'number' (known: string, int, "
            "float, bool, date, entity)",
        ),
        ("n:int=one", "parameter 'n': expected an int, got 'one'"),
    ],
)
def test_a_badly_typed_parameter_is_refused(
    neo4j_settings: Settings, param: str, message: str
) -> None:
    result = invoke(neo4j_settings, "cypher", "RETURN $n AS n", "-p", param)
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"


def test_an_empty_answer_says_so(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    result = invoke(neo4j_settings, "cypher", "MATCH (c:Country {id: 'XXX'}) RETURN c.name AS n")
    assert result.exit_code == 0
    assert result.output == "No rows.\n"
