"""What every saved query's answer must be, whatever it is asked: rows that say one thing once.

Each example of each saved query runs against the full curated graph; its answer may not hold
two rows with the same values in every shown column.
"""

from __future__ import annotations

import re

import neo4j
import pytest
import yaml

from loader.answer import Answer
from loader.saved_queries import load_saved_queries, run_saved_query
from loader.settings import PROJECT_ROOT, Settings
from loader.vocabulary import REL_TYPES, all_types

QUERIES = load_saved_queries()
SOURCE_IDS = [
    s["id"]
    for s in yaml.safe_load((PROJECT_ROOT / "data" / "sources.yaml").read_text("utf-8"))["sources"]
]
EXAMPLES = [
    pytest.param(q, i, id=f"{q.name}-{i + 1}")
    for q in QUERIES.values()
    for i in range(len(q.examples))
]


def duplicate_rows(answer: Answer) -> list[dict[str, object]]:
    """The rows that appear more than once, each listed once (cells compared as text)."""
    seen: set[tuple[str, ...]] = set()
    repeated: dict[tuple[str, ...], dict[str, object]] = {}
    for record in answer.records():
        key = tuple(str(record[c]) for c in answer.columns)
        if key in seen:
            repeated[key] = record
        seen.add(key)
    return list(repeated.values())


def test_duplicate_rows_are_found_once_each() -> None:
    answer = Answer.from_records(
        [{"a": 1, "b": "x"}, {"a": 1, "b": "x"}, {"a": 1, "b": "x"}, {"a": 2, "b": "x"}]
    )
    assert duplicate_rows(answer) == [{"a": 1, "b": "x"}]


@pytest.mark.parametrize(("query", "index"), EXAMPLES)
def test_no_example_answer_repeats_a_row(
    loaded: neo4j.Driver, neo4j_settings: Settings, query: object, index: int
) -> None:
    assert isinstance(query, type(QUERIES["as-of"]))
    example = query.examples[index]
    answer = run_saved_query(loaded, neo4j_settings.database, query, example.params)
    assert duplicate_rows(answer) == [], answer.records()


def without_comments(cypher: str) -> str:
    return re.sub(r"//[^\n]*", "", cypher)


# A quantified path pattern or variable-length relationship without an upper bound:
# `(...)+ (`, `(...)* (`, `]->+`, `]-*`, `[:T*]`, `[*2..]`, `{1,}`.
UNBOUNDED = re.compile(r"\)\s*[+*]\s*\(|\]\s*->?\s*[+*]|\*\s*(\d+\s*\.\.\s*)?\]|\{\s*\d*\s*,\s*\}")


def test_an_unbounded_path_is_recognised() -> None:
    for unbounded in (
        "(a) (()-[r]-())+ (b)",
        "(a)-[:LOCATED_IN]->+(b)",
        "(a)-[:T*]-(b)",
        "(a)-[*2..]-(b)",
        "(a)-[:T]->{1,}(b)",
    ):
        assert UNBOUNDED.search(unbounded), unbounded
    for bounded in (
        "(a) (()-[r]-()){1,6} (b)",
        "(a)-[:T]->{0,3}(b)",
        "x) + 'bn'",
        "collect(a) + collect(b)",
        "[1] + [2]",
        "(a)-[:T*1..4]-(b)",
    ):
        assert not UNBOUNDED.search(bounded), bounded


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_no_query_names_a_fixed_source_or_year_in_its_cypher(name: str) -> None:
    cypher = without_comments(QUERIES[name].cypher)
    assert not [s for s in SOURCE_IDS if s in cypher], "source ids belong in parameters"
    assert not re.search(r"['\"](19|20)\d\d", cypher), "years belong in parameters or data"
    assert "'KAZ'" not in cypher and "'RUS'" not in cypher, "entity ids belong in parameters"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_path_query_caps_its_length(name: str) -> None:
    found = UNBOUNDED.search(without_comments(QUERIES[name].cypher))
    assert found is None, f"{name}: unbounded path `{found and found.group(0)}`"


# A relationship pattern with a union of types: `[r:TRADES_WITH|INVESTS_IN|…]`, on any lines.
TYPE_UNION = re.compile(r"\[\w*\s*:\s*([A-Z_]+(?:\s*\|\s*[A-Z_]+)+)\s*\]")
# What a query that reads every kind of fact may leave out: geography, the make-up of routes
# and events, and the derived links (the vocabulary's other types are facts a source states).
NOT_FACTS = {"LOCATED_IN", "BORDERS", "BASED_IN", "ROUTE_STEP", "ABOUT", "HELD_IN", "PART_OF"}
EVERY_KIND = 20  # a union this long reads every kind of fact


def test_a_type_union_is_recognised_across_lines() -> None:
    found = TYPE_UNION.findall("MATCH (x)-[r:TRADES_WITH|MET\n   |SIGNED]->(y)-[:LED_BY]->(z)")
    assert [t.replace(" ", "").replace("\n", "") for t in found] == ["TRADES_WITH|MET|SIGNED"]
    assert not TYPE_UNION.search("(x:Agreement|Event) [r IN rels | r.id]")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_type_a_query_names_is_in_the_vocabulary(name: str) -> None:
    cypher = without_comments(QUERIES[name].cypher)
    for found in TYPE_UNION.finditer(cypher):
        types = {t.strip() for t in found.group(1).split("|")}
        assert types <= set(all_types()), f"{name}: no such type {sorted(types - set(all_types()))}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_query_reading_every_kind_of_fact_names_each_new_type(name: str) -> None:
    """Queries that read every kind of fact name the types (so Neo4j reads only those
    relationships, not the route network's); a type added to the vocabulary must be added
    to them too."""
    for found in TYPE_UNION.finditer(without_comments(QUERIES[name].cypher)):
        types = {t.strip() for t in found.group(1).split("|")}
        if len(types) >= EVERY_KIND:
            missing = set(REL_TYPES) - types - NOT_FACTS
            assert not missing, f"{name} reads every kind of fact but {sorted(missing)}"
