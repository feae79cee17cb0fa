"""A reload of files read through the parse cache: when the graph holds exactly the rows
those files made at the last load, no rows are made and nothing is written; otherwise the
load converges as always."""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest

import loader.write
from loader.facts import load_dataset
from loader.settings import Settings
from loader.write import load
from tests.datasets import FACTS, write_dataset


@pytest.fixture
def no_rows(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times rows were made from here on."""
    made: list[int] = []
    real = loader.write.plan

    def counting(dataset: loader.write.Dataset) -> loader.write.Plan:
        made.append(1)
        return real(dataset)

    monkeypatch.setattr(loader.write, "plan", counting)
    return made


def test_an_unchanged_folder_on_its_graph_makes_no_rows(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path, no_rows: list[int]
) -> None:
    database, data, cache = neo4j_settings.database, write_dataset(tmp_path / "d"), tmp_path / "c"
    first = load(empty_db, load_dataset(data, cache=cache), database)
    again = load(empty_db, load_dataset(data, cache=cache), database)
    assert len(no_rows) == 1
    assert (again.nodes_created, again.relationships_created, again.properties_set) == (0, 0, 0)
    assert again.unchanged == first.nodes_created + first.relationships_created
    assert again.data_hash == first.data_hash
    assert (again.labels, again.types) == (first.labels, first.types)


def test_a_graph_changed_by_hand_is_repaired(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path, no_rows: list[int]
) -> None:
    database, data, cache = neo4j_settings.database, write_dataset(tmp_path / "d"), tmp_path / "c"
    load(empty_db, load_dataset(data, cache=cache), database)
    empty_db.execute_query("MATCH ()-[r:TRADES_WITH]->() DELETE r", database_=database)
    again = load(empty_db, load_dataset(data, cache=cache), database)
    assert len(no_rows) == 2
    assert (again.relationships_created, again.relationships_updated) == (1, 0)
    assert again.types["TRADES_WITH"] == 1


def test_a_changed_file_is_written_in_place(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path, no_rows: list[int]
) -> None:
    database, data, cache = neo4j_settings.database, write_dataset(tmp_path / "d"), tmp_path / "c"
    load(empty_db, load_dataset(data, cache=cache), database)
    write_dataset(
        tmp_path / "d", facts=FACTS.replace("value_usd: 11000000000", "value_usd: 12000000000")
    )
    again = load(empty_db, load_dataset(data, cache=cache), database)
    assert len(no_rows) == 2
    assert (again.relationships_updated, again.relationships_created) == (1, 0)


def test_reset_rewrites_everything_even_when_nothing_changed(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    database, data, cache = neo4j_settings.database, write_dataset(tmp_path / "d"), tmp_path / "c"
    first = load(empty_db, load_dataset(data, cache=cache), database)
    again = load(empty_db, load_dataset(data, cache=cache), database, reset=True)
    assert again.nodes_created == first.nodes_created
    assert again.relationships_created == first.relationships_created
