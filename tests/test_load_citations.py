"""`kazgraph load` checks every citation against the source texts before it writes."""

from __future__ import annotations

from pathlib import Path

import neo4j
from click.testing import CliRunner

from loader.cli import main
from loader.settings import Settings
from loader.verify import DEFAULT_SOURCES_DIR
from tests.datasets import FACTS, write_dataset

GOOD = "6383b85b1bc4bb1768b9b1e2af787460916d94c8c04c07bdcf9ebeb8c44cd0f7"


def _load(settings: Settings, data: Path, *extra: str) -> object:
    return CliRunner().invoke(
        main, ["load", "--data", str(data), "--uri", settings.uri, "--database",
               settings.database, *extra],
    )  # fmt: skip


def _count(driver: neo4j.Driver, settings: Settings) -> int:
    records = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=settings.database)
    return int(records.records[0]["n"])


def test_a_wrong_hash_or_a_missing_sentence_is_refused_and_nothing_is_written(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    wrong = write_dataset(tmp_path / "wrong", facts=FACTS.replace(GOOD, "ab" * 32))
    missing = write_dataset(tmp_path / "missing", facts=FACTS.replace("para: 7", "para: 700"))
    for data in (wrong, missing):
        result = _load(neo4j_settings, data, "--sources", str(DEFAULT_SOURCES_DIR))
        assert result.exit_code == 1  # type: ignore[attr-defined]
        assert "nothing was written" in result.output  # type: ignore[attr-defined]
        assert "t-trade-chn-2018" in result.output  # type: ignore[attr-defined]
        assert _count(empty_db, neo4j_settings) == 0
    assert "ab" * 32 in _load(neo4j_settings, wrong).output  # type: ignore[attr-defined]


def test_without_the_texts_the_load_says_it_did_not_check_them(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    data = write_dataset(tmp_path / "data")
    result = _load(neo4j_settings, data, "--sources", str(tmp_path / "no-texts"))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "citations were not checked" in result.output  # type: ignore[attr-defined]
