"""Read-only means read-only: a query's plan is refused before it runs when it could write,
read files or URLs, or call something outside the allow-list; what is refused is untouched."""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from loader.cli import main
from loader.read_only import UnsafeQuery, check_read_only
from loader.settings import Settings

REFUSED = {
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line": "LOAD CSV",
    "LOAD CSV FROM 'file:///../../etc/passwd' AS line RETURN line": "LOAD CSV",
    "CREATE (n:Entity {id: 'intruder'}) RETURN n": "Create",
    "MERGE (n:Entity {id: 'intruder'}) RETURN n": "Merge",
    "MATCH (n:Entity {id: 'KAZ'}) SET n.name = 'x'": "SetProperty",
    "MATCH (n:Entity {id: 'KAZ'}) REMOVE n:Country": "RemoveLabels",
    "MATCH (n:Entity {id: 'KAZ'}) DETACH DELETE n": "DetachDelete",
    "MATCH (n:Entity) FOREACH (x IN [1] | SET n.flag = x)": "Foreach",
    "CALL () { MATCH (n:Entity) SET n.flag = 1 } IN TRANSACTIONS": "Transaction",
    "CALL apoc.load.json('http://127.0.0.1:1/') YIELD value RETURN value": "apoc.load.json",
    "CALL apoc.load.jsonParams('http://127.0.0.1:1/', {}, '') YIELD value RETURN value": (
        "apoc.load.jsonParams"
    ),
    "CALL apoc.cypher.run('MATCH (n) RETURN n', {}) YIELD value RETURN value": "apoc.cypher.run",
    "RETURN apoc.cypher.runFirstColumnSingle('MATCH (n) RETURN n', {}) AS x": (
        "apoc.cypher.runFirstColumnSingle"
    ),
}
ALLOWED = [
    "MATCH (n:Entity {id: $id}) RETURN n.name AS name",
    "CALL db.labels() YIELD label RETURN label",
    "MATCH p = (:Route)-[:ROUTE_STEP]->() RETURN p LIMIT 1",
]


@pytest.mark.parametrize(("cypher", "named"), sorted(REFUSED.items()))
def test_a_query_that_could_write_or_reach_out_is_refused_before_it_runs(
    loaded: neo4j.Driver, neo4j_settings: Settings, cypher: str, named: str
) -> None:
    database = neo4j_settings.database
    before = loaded.execute_query(
        "MATCH (n) RETURN count(n) AS n, collect(n.name)[0..3] AS some", database_=database
    ).records[0]
    with pytest.raises(UnsafeQuery, match="may only read the graph") as refused:
        check_read_only(loaded, database, cypher)
    assert named in str(refused.value)
    after = loaded.execute_query(
        "MATCH (n) RETURN count(n) AS n, collect(n.name)[0..3] AS some", database_=database
    ).records[0]
    assert after == before


def test_apoc_that_works_on_values_passes(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    database = neo4j_settings.database
    found = loaded.execute_query(
        "SHOW FUNCTIONS YIELD name WHERE name = 'apoc.text.join' RETURN count(*) AS n",
        database_=database,
    ).records[0]["n"]
    if not found:
        pytest.skip("this Neo4j has no APOC (calendar releases ship none on Maven Central)")
    check_read_only(loaded, database, "RETURN apoc.text.join(['a', 'b'], ',') AS joined")


@pytest.mark.parametrize("cypher", ALLOWED)
def test_queries_that_only_read_pass(
    loaded: neo4j.Driver, neo4j_settings: Settings, cypher: str
) -> None:
    check_read_only(loaded, neo4j_settings.database, cypher, {"id": "KAZ"})


HEADER = """// title: Reach outside
// description: Tries to reach outside the graph.
// examples:
//   - expect:
//       - {x: 1}
"""


@pytest.mark.parametrize(
    "cypher",
    [
        "LOAD CSV FROM 'file:///etc/passwd' AS x RETURN x",
        "CALL apoc.load.jsonParams('http://127.0.0.1:1/db/neo4j/tx/commit', "
        '{method: \'POST\'}, \'{"statements": [{"statement": "CREATE (:Intruder)"}]}\') '
        "YIELD value RETURN value AS x",
        "MATCH (n:Entity {id: 'KAZ'}) SET n.name = 'x' RETURN 1 AS x",
    ],
)
def test_a_saved_query_that_reaches_outside_is_refused_by_the_cli(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path, cypher: str
) -> None:
    (tmp_path / "reach-out.cypher").write_text(HEADER + cypher + "\n", encoding="utf-8")
    env = {
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_PASSWORD": neo4j_settings.password,
        "NEO4J_DATABASE": neo4j_settings.database,
    }
    before = loaded.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]

    result = CliRunner().invoke(
        main, ["query", "run", "reach-out", "--queries", str(tmp_path)], env=env
    )

    assert result.exit_code == 1
    assert f"saved query 'reach-out' ({tmp_path / 'reach-out.cypher'})" in result.output
    assert "may only read the graph" in result.output
    assert loaded.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == before
    assert not loaded.execute_query("MATCH (n:Intruder) RETURN n").records
