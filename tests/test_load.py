"""Loading writes exactly the curated graph, idempotently, all or nothing."""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

import loader.write
from loader.cli import main
from loader.facts import load_dataset
from loader.settings import Settings
from loader.write import graph_counts, load
from tests.datasets import FACTS, write_dataset


def counts(driver: neo4j.Driver, settings: Settings) -> tuple[dict[str, int], dict[str, int]]:
    return graph_counts(driver, settings.database)


def test_small_dataset_loads_with_provenance(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    summary = load(empty_db, load_dataset(write_dataset(tmp_path)), neo4j_settings.database)
    assert summary.types == {"DOCUMENTED_IN": 2, "LOCATED_IN": 1, "TRADES_WITH": 1}
    records, _, _ = empty_db.execute_query(
        "MATCH (:Country {id: 'KAZ'})-[r:TRADES_WITH]->(:Country {id: 'CHN'}) RETURN r",
        database_=neo4j_settings.database,
    )
    trade = dict(records[0]["r"])
    assert trade["value_usd"] == 11e9 and trade["figure"] == "actual"
    assert trade["basis"] == "documented" and trade["sources"] == ["sanchez-2020"]
    assert trade["locators"] == ["sanchez-2020#p7.s1"]
    assert trade["source_dates"] == ["2020-04"]


def test_background_facts_are_marked_and_keep_their_basis(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    load(empty_db, load_dataset(write_dataset(tmp_path)), neo4j_settings.database)
    records, _, _ = empty_db.execute_query(
        "MATCH ()-[r:LOCATED_IN]->() RETURN r.basis AS basis, r.background_basis AS why",
        database_=neo4j_settings.database,
    )
    assert records[0]["basis"] == "background"
    assert records[0]["why"].startswith("Khorgos lies on the Kazakh side")


def test_second_load_changes_nothing(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    before = counts(loaded, neo4j_settings)
    summary = load(loaded, load_dataset(), neo4j_settings.database)
    assert (summary.nodes_created, summary.relationships_created) == (0, 0)
    assert (summary.nodes_deleted, summary.relationships_deleted) == (0, 0)
    assert counts(loaded, neo4j_settings) == before


def test_a_fact_removed_from_the_files_leaves_the_graph(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    load(empty_db, load_dataset(write_dataset(tmp_path)), neo4j_settings.database)
    smaller = FACTS.split("  - id: t-khorgos-in-kaz")[0]
    entities = (
        "\nentities:\n  - {id: KAZ, label: Country, name: Kazakhstan}\n"
        "  - {id: CHN, label: Country, name: China}\n"
    )
    summary = load(
        empty_db, load_dataset(write_dataset(tmp_path, entities, smaller)), neo4j_settings.database
    )
    assert summary.nodes_deleted == 1
    assert "LOCATED_IN" not in summary.types and "Infrastructure" not in summary.labels


def test_invalid_data_writes_nothing(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    before = counts(loaded, neo4j_settings)
    bad = write_dataset(tmp_path, facts=FACTS.replace("to: CHN", "to: XYZ"))
    result = CliRunner().invoke(main, ["load", "--data", str(bad), "--uri", neo4j_settings.uri])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert (
        f"{bad}/facts/test.yaml:3: fact 't-trade-chn-2018': unknown entity 'XYZ'" in result.output
    )
    assert counts(loaded, neo4j_settings) == before


def test_a_failure_part_way_rolls_the_whole_load_back(
    empty_db: neo4j.Driver,
    neo4j_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_batches = loader.write.batches
    calls = []

    def failing_batches(frame, size=loader.write.BATCH_SIZE):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) > 2:
            raise RuntimeError("disk on fire")
        yield from real_batches(frame, size)

    monkeypatch.setattr(loader.write, "batches", failing_batches)
    with pytest.raises(RuntimeError):
        load(empty_db, load_dataset(write_dataset(tmp_path)), neo4j_settings.database)
    assert counts(empty_db, neo4j_settings) == ({}, {})


def test_every_relationship_carries_provenance(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    records, _, _ = loaded.execute_query(
        """MATCH ()-[r]->() WHERE NOT (
             (r.basis = 'documented' AND size(r.locators) > 0 AND size(r.sources) > 0)
             OR (r.basis = 'background' AND r.background_basis IS NOT NULL))
           RETURN type(r) AS type, r.id AS id""",
        database_=neo4j_settings.database,
    )
    assert [r.data() for r in records] == []


def test_every_node_carries_provenance(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    records, _, _ = loaded.execute_query(
        """MATCH (n:Entity) WHERE NOT (
             (n.basis = 'documented' AND size(n.sources) > 0)
             OR (n.basis = 'background'))
           RETURN n.id AS id""",
        database_=neo4j_settings.database,
    )
    assert [r["id"] for r in records] == []


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("astana", "KAZ"),
        ("Nur-Sultan", "KAZ"),
        ("turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Washington", "USA"),
        ("EAEU", "eaeu"),
    ],
)
def test_entities_are_found_by_any_alias(
    loaded: neo4j.Driver, neo4j_settings: Settings, alias: str, expected: str
) -> None:
    from loader.names import lookup_keys

    [key] = lookup_keys([alias])
    records, _, _ = loaded.execute_query(
        "MATCH (n:Entity) WHERE $key IN n.lookup RETURN n.id AS id",
        key=key,
        database_=neo4j_settings.database,
    )
    assert [r["id"] for r in records] == [expected]


def test_a_fact_both_sources_state_is_one_relationship_citing_both(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    records, _, _ = loaded.execute_query(
        "MATCH ()-[r]->() WHERE size(r.sources) = 2 AND type(r) <> 'ROUTE_LEG' "
        "RETURN count(r) AS n",
        database_=neo4j_settings.database,
    )
    assert records[0]["n"] >= 3


def test_json_export_has_the_documented_shape(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    import json

    out = tmp_path / "graph.json"
    result = CliRunner().invoke(
        main, ["export", "--format", "json", "-o", str(out), "--uri", neo4j_settings.uri]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    labels, types = counts(loaded, neo4j_settings)
    assert len(doc["nodes"]) == labels["Entity"] + labels["Source"]
    assert len(doc["relationships"]) == sum(types.values())
    assert set(doc["nodes"][0]) == {"id", "labels", "properties"}
    assert set(doc["relationships"][0]) == {"id", "type", "start", "end", "properties"}


def test_schema_is_applied_idempotently(bare_db: neo4j.Driver, neo4j_settings: Settings) -> None:
    from loader.schema import ensure_schema, schema_statements

    ensure_schema(bare_db, neo4j_settings.database)
    ensure_schema(bare_db, neo4j_settings.database)
    records, _, _ = bare_db.execute_query(
        "SHOW CONSTRAINTS YIELD name RETURN count(*) AS n", database_=neo4j_settings.database
    )
    constraints = [s for s in schema_statements() if s.startswith("CREATE CONSTRAINT")]
    assert records[0]["n"] == len(constraints)


def test_every_relationship_type_has_a_uniqueness_constraint() -> None:
    from loader.schema import schema_statements
    from loader.vocabulary import DERIVED_TYPES, REL_TYPES

    text = "\n".join(schema_statements())
    for rel_type in [*REL_TYPES, *DERIVED_TYPES]:
        assert f"()-[r:{rel_type}]-() REQUIRE r.id IS UNIQUE" in text


def test_schema_creates_only_what_is_missing_even_when_two_loads_race(
    bare_db: neo4j.Driver, neo4j_settings: Settings
) -> None:
    import threading

    from loader.schema import ensure_schema, schema_statements

    errors: list[BaseException] = []

    def apply() -> None:
        try:
            ensure_schema(bare_db, neo4j_settings.database)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ensure_schema(bare_db, neo4j_settings.database) == 0
    records, _, _ = bare_db.execute_query(
        "SHOW INDEXES YIELD name WHERE name IN $names RETURN count(*) AS n",
        names=[
            s.split()[2] if s.split()[1] != "FULLTEXT" else s.split()[3]
            for s in schema_statements()
        ],
        database_=neo4j_settings.database,
    )
    assert records[0]["n"] == len(schema_statements())


def test_a_schema_statement_neo4j_refuses_names_the_file_and_statement(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    from loader.errors import LoadError
    from loader.schema import ensure_schema

    schema = tmp_path / "schema.cypher"
    schema.write_text(
        "CREATE INDEX broken IF NOT EXISTS FOR (n:Entity) ON (n.name) "
        "OPTIONS {indexProvider: 'no-such-provider'};\n"
    )
    with pytest.raises(LoadError, match=f"^{schema}: could not apply `CREATE INDEX broken"):
        ensure_schema(empty_db, neo4j_settings.database, schema)


def test_a_transient_failure_is_rolled_back_once_not_retried(
    empty_db: neo4j.Driver,
    neo4j_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from loader.errors import LoadError

    calls = []

    def out_of_memory(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise neo4j.exceptions.TransientError("out of transaction memory")

    monkeypatch.setattr(loader.write, "batches", out_of_memory)
    with pytest.raises(LoadError, match="^the load was rolled back, nothing written: "):
        load(empty_db, load_dataset(write_dataset(tmp_path)), neo4j_settings.database)
    assert len(calls) == 1
    assert loader.write.lock_holder(empty_db, neo4j_settings.database) is None
