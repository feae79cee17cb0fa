"""A third source, end to end: register it, read it back by locator, propose candidates
(refused until reviewed), curate, load, verify, and answer every saved query with it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from loader.answer import Answer
from loader.errors import ValidationError
from loader.facts import load_dataset
from loader.propose import propose, write_proposal
from loader.registry import show_source
from loader.saved_queries import load_saved_queries, run_saved_query
from loader.saved_queries.examples import check_example
from loader.settings import Settings
from loader.verify import verify
from tests.conftest import SeedState
from tests.third_source import SOURCE_ID, copy_seed, curate, register

QUERIES = load_saved_queries()
# Examples that depend on which sources there are: the newest source (compare-sources), the
# latest year with figures and a year the third text gives another figure for
# (trade-partners), how many sources state a fact (corroborated). With a third source their
# answers change as they should; they are checked with explicit expectations below.
SOURCE_SET_DEPENDENT = {"compare-sources", "trade-partners", "corroborated"}
_NAN = object()


def has_repeated_rows(answer: Answer) -> bool:
    """Whether two rows hold the same values (NaN counting as equal to NaN)."""
    keys = [tuple(_NAN if v != v else v for v in row) for row in answer.rows]
    return len(set(keys)) < len(keys)


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed data grown by the third source the way a curator does it."""
    data_dir, sources_dir = copy_seed(tmp_path_factory.mktemp("third"))
    register(data_dir, sources_dir)
    curate(data_dir)
    return data_dir, sources_dir


@pytest.fixture
def loaded_with_third(
    driver: neo4j.Driver, neo4j_settings: Settings, seed_state: SeedState, grown: tuple[Path, Path]
) -> Iterator[neo4j.Driver]:
    seed_state.ensure(driver, neo4j_settings.database, grown[0])
    yield driver


def test_a_registered_source_reads_back_by_locator_and_its_proposal_waits_for_review(
    tmp_path: Path,
) -> None:
    data_dir, sources_dir = copy_seed(tmp_path)
    register(data_dir, sources_dir)
    (sentence,) = show_source(f"{SOURCE_ID}#p2.s1", data_dir, sources_dir)
    assert (sentence.para, sentence.sent) == (2, 1) and len(sentence.sha256) == 64

    write_proposal(propose(SOURCE_ID, data_dir, sources_dir), data_dir)
    with pytest.raises(ValidationError, match="candidate"):
        load_dataset(data_dir)


def test_the_grown_data_verifies_against_all_three_texts(grown: tuple[Path, Path]) -> None:
    report = verify(load_dataset(grown[0]), grown[1])
    assert report.mismatches == []
    assert report.sources == 3


@pytest.mark.parametrize(
    ("query", "index"),
    [(q, i) for q in QUERIES.values() for i in range(len(q.examples))],
    ids=lambda v: v.name if hasattr(v, "name") else str(v),
)  # fmt: skip
def test_every_saved_query_example_holds_with_a_third_source(
    loaded_with_third: neo4j.Driver, neo4j_settings: Settings, query: object, index: int
) -> None:
    saved = QUERIES[query.name]  # type: ignore[attr-defined]
    example = saved.examples[index]
    answer = run_saved_query(loaded_with_third, neo4j_settings.database, saved, example.params)
    assert not has_repeated_rows(answer), answer.records()
    if saved.name not in SOURCE_SET_DEPENDENT:
        assert check_example(answer, example) == [], answer.records()


def _compare(driver: neo4j.Driver, settings: Settings, a: str, b: str) -> Answer:
    params = {"source_a": a, "source_b": b, "include_both": "true"}
    return run_saved_query(driver, settings.database, QUERIES["compare-sources"], params)


def test_compare_sources_tells_change_disagreement_and_agreement_with_the_third_source(
    loaded_with_third: neo4j.Driver, neo4j_settings: Settings
) -> None:
    newest = run_saved_query(
        loaded_with_third, neo4j_settings.database, QUERIES["compare-sources"], {}
    )
    assert not newest.empty
    answer = _compare(loaded_with_third, neo4j_settings, "sanchez-2020", SOURCE_ID)
    assert set(answer.column("comparison")) >= {"both", "disagreement", f"only in {SOURCE_ID}"}
    assert not has_repeated_rows(answer)


def test_trade_partners_see_the_third_sources_year_and_its_other_account_of_2018(
    loaded_with_third: neo4j.Driver, neo4j_settings: Settings
) -> None:
    trade = QUERIES["trade-partners"]
    latest = run_saved_query(loaded_with_third, neo4j_settings.database, trade, {})
    assert set(latest.column("year")) == {"2023"}
    first = latest.records()[0]
    assert first["partner"] == "China" and first["value_usd"] == 41e9
    in_2018 = run_saved_query(loaded_with_third, neo4j_settings.database, trade, {"year": "2018"})
    china = [r["value_usd"] for r in in_2018.records() if r["partner"] == "China"]
    assert set(china) == {11e9, 12e9}  # two accounts of one year, both kept


def test_a_fact_the_third_source_also_states_counts_three_sources(
    loaded_with_third: neo4j.Driver, neo4j_settings: Settings
) -> None:
    answer = run_saved_query(
        loaded_with_third, neo4j_settings.database, QUERIES["corroborated"], {}
    )
    eaeu = [
        r["source_count"]
        for r in answer.records()
        if r["relation"] == "MEMBER_OF" and r["object"] == "Eurasian Economic Union"
    ]
    assert eaeu == [3]
