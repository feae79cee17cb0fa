"""Every fact can be placed in time: its own date, else its sources' date, else none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from loader.facts import load_dataset
from loader.graph_rows import fact_rows, frame
from tests.datasets import FACTS, write_dataset

UNDATED = FACTS.replace('    year: "2018"\n', "")


def props_of(tmp_path: Path, facts: str = FACTS) -> dict[str, dict[str, Any]]:
    rows = frame(fact_rows(load_dataset(write_dataset(tmp_path, facts=facts))))
    return {row["id"]: row["props"] for row in rows.to_dict("records")}


def test_a_fact_with_its_own_time_is_stated(tmp_path: Path) -> None:
    props = props_of(tmp_path)["t-trade-chn-2018"]
    assert (props["time_basis"], props["as_of"]) == ("stated", "2018")


def test_a_date_wins_over_a_year_and_since(tmp_path: Path) -> None:
    facts = FACTS.replace('    year: "2018"\n', '    year: "2018"\n    date: "2018-05-02"\n')
    assert props_of(tmp_path, facts)["t-trade-chn-2018"]["as_of"] == "2018-05-02"


def test_an_undated_documented_fact_takes_its_latest_source_date(tmp_path: Path) -> None:
    props = props_of(tmp_path, UNDATED)["t-trade-chn-2018"]
    assert (props["time_basis"], props["as_of"]) == ("source_date", "2020-04")


def test_with_several_sources_the_latest_date_counts(tmp_path: Path) -> None:
    second = (
        "      - source: kassenova-2022\n        para: 1\n        sent: 1\n"
        '        sha256: "' + "0" * 64 + '"\n'
    )
    facts = UNDATED.replace("  - id: t-khorgos-in-kaz", second + "  - id: t-khorgos-in-kaz")
    assert props_of(tmp_path, facts)["t-trade-chn-2018"]["as_of"] == "2022-09-05"


def test_an_undated_background_fact_has_no_time(tmp_path: Path) -> None:
    props = props_of(tmp_path)["t-khorgos-in-kaz"]
    assert props["time_basis"] == "none" and "as_of" not in props


def test_every_curated_fact_has_a_time_basis() -> None:
    rows = frame(fact_rows(load_dataset()))
    for props in rows["props"]:
        assert props["time_basis"] in {"stated", "source_date", "none"}
        assert ("as_of" in props) == (props["time_basis"] != "none")
        assert props["time_basis"] != "none" or props["basis"] == "background"
