"""Saved queries: header parsing and checks, typed parameters, read-only runs, answers.

Tests marked with ``loaded`` run against the real Neo4j holding the full curated graph.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import neo4j
import pytest

from loader.answer import Answer
from loader.errors import QueryFileError
from loader.graph import Graph
from loader.saved_queries import files, records
from loader.saved_queries.examples import check_example
from loader.saved_queries.files import find_saved_query, load_saved_queries, parse_saved_query
from loader.saved_queries.header import used_params
from loader.saved_queries.params import parse_params
from loader.saved_queries.records import QUERIES_DIR, Example
from loader.saved_queries.run import run_saved_query, run_saved_query_graph
from loader.settings import Settings

HEADER = """\
// title: A test query
// description: >
//   Finds a country by id.
// params:
//   code: {type: string, default: KAZ, description: an ISO code}
// tags: [test]
// examples:
//   - params: {code: KAZ}
//     expect:
//       - {name: Kazakhstan}
"""


def write_query(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.cypher"
    path.write_text(text, encoding="utf-8")
    return path


def run(driver: neo4j.Driver, settings: Settings, name: str, **params: str) -> Answer:
    return run_saved_query(driver, settings.database, name, params)


# --- the query files ---------------------------------------------------------------
QUERIES = load_saved_queries()
EXAMPLES = [
    pytest.param(q, i, id=f"{q.name}-{i + 1}")
    for q in QUERIES.values()
    for i in range(len(q.examples))
]
REQUIRED = [
    "routes-bypassing-russia",
    "routes-through-russia",
    "transit-paths",
    "trade-partners",
    "trade-targets",
    "memberships",
    "russia-exposure",
    "open-issues",
    "timeline",
    "source-view",
    "compare-sources",
    "multi-vector-balance",
    "agreements",
    "mediation-peacekeeping",
    "people-offices",
    "shortest-connection",
    "as-of",
]


def test_every_required_question_has_a_saved_query() -> None:
    assert set(REQUIRED) <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_saved_query_documents_itself(name: str) -> None:
    query = QUERIES[name]
    assert query.title and len(query.description) > 80
    assert query.tags and query.examples
    assert all(p.description for p in query.params.values())
    assert all(p.default is not None for p in query.params.values()), "run-all needs defaults"


# --- header checks (no database) -------------------------------------------------------
def test_a_header_is_parsed_into_a_record_that_remembers_its_lines(tmp_path: Path) -> None:
    path = write_query(
        tmp_path, "find-country", HEADER + "MATCH (c {id: $code})\nRETURN c.name AS name\n"
    )
    query = parse_saved_query(path)
    assert (query.name, query.title, query.description) == (
        "find-country",
        "A test query",
        "Finds a country by id.",
    )
    assert query.params["code"].type == "string" and query.params["code"].default == "KAZ"
    assert query.params["code"].line == 5
    assert query.examples[0].params == {"code": "KAZ"}
    assert query.examples[0].expect == ({"name": "Kazakhstan"},)
    assert query.examples[0].line == 8
    assert (query.cypher_line, query.cypher.splitlines()[0]) == (11, "MATCH (c {id: $code})")


def test_a_parameter_used_but_not_declared_is_named_with_file_and_line(tmp_path: Path) -> None:
    path = write_query(
        tmp_path,
        "bad",
        HEADER + "MATCH (c {id: $code})\nWHERE c.year = $year\nRETURN c.name AS name\n",
    )
    with pytest.raises(QueryFileError) as err:
        parse_saved_query(path)
    assert str(err.value) == (
        f"{path}:12: $year is used but not declared in the header's params (declared: code)"
    )


def test_a_parameter_declared_but_unused_is_named_with_file_and_line(tmp_path: Path) -> None:
    path = write_query(tmp_path, "bad", HEADER + "MATCH (c {id: 'KAZ'}) RETURN c.name AS name\n")
    with pytest.raises(QueryFileError) as err:
        parse_saved_query(path)
    assert str(err.value) == (f"{path}:5: param 'code' is declared but the Cypher never uses $code")


def test_parameters_in_comments_and_strings_do_not_count() -> None:
    cypher = (
        "// uses $commented\nMATCH (c {id: $code}) /* and $blocked\n */\n"
        "RETURN '$quoted' AS a, \"it's $double\" AS b, $`odd name` AS c, $limit AS d"
    )
    assert used_params(cypher) == {"code": 2, "odd name": 4, "limit": 4}


def test_a_malformed_header_is_named_with_file_and_line(tmp_path: Path) -> None:
    path = write_query(
        tmp_path, "bad", "// title: A\n// description: [unclosed\n// tags: []\nRETURN 1 AS one\n"
    )
    with pytest.raises(QueryFileError, match=rf"^{path}:\d+: malformed header"):
        parse_saved_query(path)


def test_every_header_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = write_query(
        tmp_path,
        "bad",
        "// title: A\n// colour: red\n// params:\n//   n: {type: number}\nRETURN $n AS n\n",
    )
    with pytest.raises(QueryFileError) as err:
        parse_saved_query(path)
    assert str(err.value).splitlines() == [
        f"{path}:2: unknown key 'colour' in the header "
        "(known: title, description, params, tags, examples, empty)",
        f"{path}:1: the header needs 'description:'",
        f"{path}:4: param 'n' needs a type: one of string, int, float, bool, date, entity",
        f"{path}:5: $n is used but not declared in the header's params (declared: none)",
    ]


def test_examples_are_required_in_the_projects_folder_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "// title: A\n// description: Counts.\nRETURN 1 AS n\n"
    private = parse_saved_query(write_query(tmp_path, "private", text))
    assert private.examples == ()
    project = tmp_path / "queries"
    project.mkdir()
    monkeypatch.setattr(records, "QUERIES_DIR", project)
    path = write_query(project, "public", text)
    with pytest.raises(QueryFileError) as err:
        parse_saved_query(path)
    assert str(err.value) == (
        f"{path}:1: the header needs 'examples:', a list of at least one example"
    )


def test_private_folders_add_to_the_project_queries_and_may_not_clash(tmp_path: Path) -> None:
    write_query(tmp_path, "mine", HEADER + "MATCH (c {id: $code}) RETURN c.name AS name")
    queries = load_saved_queries(files.query_folders([tmp_path]))
    assert "mine" in queries and "trade-partners" in queries
    clash = write_query(tmp_path, "timeline", HEADER + "MATCH (c {id: $code}) RETURN c.name")
    with pytest.raises(QueryFileError) as err:
        load_saved_queries(files.query_folders([tmp_path]))
    assert str(err.value) == (
        f"saved query 'timeline' is defined twice: {QUERIES_DIR / 'timeline.cypher'} and "
        f"{clash}; rename one of them"
    )


def test_an_empty_hint_is_read_from_the_header_and_its_params_checked(tmp_path: Path) -> None:
    header = HEADER.replace("// tags:", "// empty: RETURN 'Codes ' + $code + $other\n// tags:")
    path = write_query(tmp_path, "hinted", header + "MATCH (c {id: $code}) RETURN c.name AS name")
    with pytest.raises(QueryFileError) as err:
        parse_saved_query(path)
    assert str(err.value) == (
        f"{path}:6: $other is used in 'empty' but not declared in the header's params "
        "(declared: code)"
    )
    path.write_text(header.replace(" + $other", "") + "RETURN $code AS name", encoding="utf-8")
    assert parse_saved_query(path).empty == "RETURN 'Codes ' + $code"


def test_a_file_without_a_header_is_refused(tmp_path: Path) -> None:
    path = write_query(tmp_path, "bare", "MATCH (n) RETURN n\n")
    with pytest.raises(QueryFileError, match="a saved query starts with a `//` comment header"):
        parse_saved_query(path)


def test_loading_a_folder_lists_the_problems_of_every_file(tmp_path: Path) -> None:
    write_query(tmp_path, "one", HEADER + "RETURN 1 AS name\n")
    write_query(tmp_path, "two", HEADER + "RETURN 2 AS name\n")
    with pytest.raises(QueryFileError, match=r"^2 saved query file\(s\) have problems"):
        load_saved_queries(tmp_path)


def test_an_unchanged_file_is_parsed_once_and_an_edited_one_again(tmp_path: Path) -> None:
    cypher = "MATCH (c {id: $code}) RETURN c.name AS name\n"
    path = write_query(tmp_path, "find-country", HEADER + cypher)
    first = find_saved_query("find-country", tmp_path)
    assert find_saved_query("find-country", tmp_path) is first
    path.write_text(HEADER.replace("A test query", "An edited query") + cypher, encoding="utf-8")
    assert find_saved_query("find-country", tmp_path).title == "An edited query"


def test_every_project_query_survives_its_json_form_for_the_parse_cache() -> None:
    for saved in load_saved_queries().values():
        assert records.from_json(records.as_json(saved)) == saved


def test_a_query_file_read_before_comes_from_the_parse_cache_without_a_yaml_reader(
    tmp_path: Path,
) -> None:
    code = (
        "import sys; from loader.saved_queries.files import find_saved_query; "
        "saved = find_saved_query('trade-partners'); "
        "print(saved.title, len(saved.examples), 'yaml' in sys.modules)"
    )
    env = {**os.environ, "KAZGRAPH_CACHE": str(tmp_path / "cache")}

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    assert run() == "Trade partners ranked by value 3 True\n"  # read, then kept
    assert run() == "Trade partners ranked by value 3 False\n"  # kept: no YAML reader
    assert len(list((tmp_path / "cache" / "queries").iterdir())) == 1


def test_a_misspelt_query_name_gets_the_closest_suggested(tmp_path: Path) -> None:
    write_query(tmp_path, "find-country", HEADER + "MATCH (c {id: $code}) RETURN c.name AS name")
    with pytest.raises(QueryFileError) as err:
        find_saved_query("find-countries", tmp_path)
    assert str(err.value) == "no saved query 'find-countries'; did you mean find-country?"


def test_an_unknown_query_name_unlike_any_lists_the_known_ones(tmp_path: Path) -> None:
    write_query(tmp_path, "find-country", HEADER + "MATCH (c {id: $code}) RETURN c.name AS name")
    with pytest.raises(QueryFileError) as err:
        find_saved_query("zzz", tmp_path)
    assert str(err.value) == "no saved query 'zzz'; known: find-country"


# --- parameters (no database) ------------------------------------------------------------
def test_parameters_are_typed_from_the_header() -> None:
    assert parse_params(QUERIES["agreements"], {"from": "2019-04"}) == {
        "from": "2019-04",
        "to": "2030",
        "subject": "Kazakhstan",
    }
    assert parse_params(QUERIES["open-issues"], {"include_resolved": "yes"}) == {
        "include_resolved": True,
        "subject": "Kazakhstan",
    }
    assert parse_params(QUERIES["trade-partners"], {}) == {
        "year": "latest",
        "subject": "Kazakhstan",
    }


def test_an_unknown_parameter_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(QueryFileError) as err:
        parse_params(QUERIES["agreements"], {"since": "2019"})
    assert str(err.value) == (
        "saved query 'agreements' has no parameter 'since'; it takes: from, to, subject"
    )


def test_a_parameter_to_a_query_without_any_is_refused(tmp_path: Path) -> None:
    (tmp_path / "no-params.cypher").write_text(
        "// title: No parameters\n// description: Counts entities.\n"
        "// examples:\n//   - expect:\n//       - {n: 1}\nMATCH (n:Entity) RETURN count(n) AS n\n",
        encoding="utf-8",
    )
    with pytest.raises(QueryFileError) as err:
        parse_params(load_saved_queries(tmp_path)["no-params"], {"year": "2019"})
    assert str(err.value) == (
        "saved query 'no-params' has no parameter 'year'; it takes no parameters"
    )


@pytest.mark.parametrize(
    ("query", "given", "message"),
    [
        (
            "agreements",
            {"from": "2019-13"},
            "parameter 'from' of saved query 'agreements': '2019-13' is not a real date "
            "(month must be in 1..12)",
        ),
        (
            "agreements",
            {"to": "last year"},
            "parameter 'to' of saved query 'agreements': 'last year' is not a date like 2018, "
            "2019-04 or 2022-06-15",
        ),
        (
            "open-issues",
            {"include_resolved": "maybe"},
            "parameter 'include_resolved' of saved query 'open-issues': expected a bool "
            "(true/false), got 'maybe'",
        ),
        (
            "transit-paths",
            {"destination": " "},
            "parameter 'destination' of saved query 'transit-paths': expected an entity id, name "
            "or alias, got an empty value",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(
    query: str, given: dict[str, str], message: str
) -> None:
    with pytest.raises(QueryFileError) as err:
        parse_params(QUERIES[query], given)
    assert str(err.value) == message


def test_check_example_reports_missing_unwanted_and_misordered_rows() -> None:
    answer = Answer.from_records(
        [
            {"rank": 1, "partner": "Russia", "value": 18e9},
            {"rank": 2, "partner": "China", "value": 11e9},
        ]
    )
    assert (
        check_example(
            answer, Example({}, ({"partner": "Russia", "value": 18000000000},), (), False, 1)
        )
        == []
    )
    assert check_example(
        answer,
        Example(
            {}, ({"partner": "China"}, {"partner": "Russia"}), ({"partner": "China"},), True, 1
        ),
    ) == [
        "row {'partner': 'Russia'} is not in the expected order",
        "a row matches {'partner': 'China'}, which should be absent",
    ]
    assert check_example(
        answer, Example({}, ({"partner": "Iran"}, {"year": 2018}), (), False, 1)
    ) == ["no column year (columns: rank, partner, value)"]
    assert check_example(answer, Example({}, ({"partner": "Iran"},), (), False, 1)) == [
        "no row matches {'partner': 'Iran'}"
    ]


# --- running against the loaded graph -----------------------------------------------------
@pytest.mark.parametrize(("query", "index"), EXAMPLES)
def test_every_example_returns_its_expected_rows(
    loaded: neo4j.Driver, neo4j_settings: Settings, query: object, index: int
) -> None:
    assert isinstance(query, type(QUERIES["as-of"]))
    example = query.examples[index]
    answer = run_saved_query(loaded, neo4j_settings.database, query, example.params)
    assert check_example(answer, example) == [], answer.records()


def test_routes_bypassing_russia_are_the_middle_corridor_and_the_iran_rail_link(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    answer = run(loaded, neo4j_settings, "routes-bypassing-russia")
    routes = set(answer.column("route_id"))
    assert {"middle-corridor", "kz-iran-turkey-rail"} <= routes
    assert "cpc-pipeline" not in routes
    assert [p for p in answer.column("path") if "Russia" in str(p)] == []
    assert {"path", "background_steps", "locators"} <= set(answer.columns)


def test_routes_through_russia_name_the_russian_segment(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    answer = run(loaded, neo4j_settings, "routes-through-russia")
    segments = [r["segment"] for r in answer.records() if r["route_id"] == "cpc-pipeline"]
    assert segments == ["Kazakhstan → Russia → Black Sea"]
    assert "middle-corridor" not in answer.column("route_id")


def test_russia_is_the_largest_2018_trade_partner_and_china_second(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    answer = run(loaded, neo4j_settings, "trade-partners", year="2018")
    ranked = sorted((r for r in answer.records() if r["rank"] is not None), key=lambda r: r["rank"])
    assert [r["partner"] for r in ranked[:2]] == ["Russia", "China"]
    assert set(answer.column("figure")) <= {"actual", "estimate"}


def test_targets_are_kept_apart_from_actual_figures(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    targets = run(loaded, neo4j_settings, "trade-targets")
    assert "Uzbekistan" in set(targets.column("partner"))
    partners_2020 = run(loaded, neo4j_settings, "trade-partners", year="2020")
    assert "target" not in set(partners_2020.column("figure"))


def test_the_russia_led_organisations_include_the_eaeu_and_the_csto(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    records = run(loaded, neo4j_settings, "memberships").records()
    russia_led = {r["organisation"] for r in records if r["bloc"] == "Russia-led"}
    assert {"Eurasian Economic Union", "Collective Security Treaty Organization"} <= russia_led
    # No source names a leader of the SCO, so it is regional, not "China-led".
    assert "Shanghai Cooperation Organization" in {
        r["organisation"] for r in records if r["bloc"] == "regional"
    }


def test_transit_paths_avoid_the_country_inside_the_pattern(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    answer = run(loaded, neo4j_settings, "transit-paths", destination="Europe", avoid="Russia")
    assert len(answer) > 0
    assert [p for p in answer.column("path") if "Russia" in str(p)] == []
    direct = run(loaded, neo4j_settings, "transit-paths", destination="Europe", avoid="Georgia")
    assert direct.column("path")[0] == "Kazakhstan → Russia → Europe"


def test_entity_parameters_accept_any_alias(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    answers = [
        run(loaded, neo4j_settings, "transit-paths", destination=name)
        for name in ("TUR", "Turkey", "Türkiye", "turkiye", "Ankara")
    ]
    assert all(a == answers[0] for a in answers[1:])


def test_an_unknown_entity_is_refused(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    with pytest.raises(QueryFileError) as err:
        run(loaded, neo4j_settings, "timeline", country="Atlantis")
    assert str(err.value) == "no entity has the id, name or alias 'Atlantis'"


def test_exposure_to_russia_covers_routes_banks_organisations_and_arms(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    answer = run(loaded, neo4j_settings, "russia-exposure")
    assert {"transit route", "bank", "organisation", "arms deal", "sanctions"} <= set(
        answer.column("area")
    )


def test_every_answer_keeps_background_facts_distinguishable(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    for query in QUERIES.values():
        answer = run_saved_query(loaded, neo4j_settings.database, query, {})
        evidence = {"basis", "membership_basis", "sources"} & set(answer.columns)
        assert evidence, f"{query.name} shows no basis"
        assert "locators" in answer.columns or "sources" in answer.columns, query.name


def test_hidden_columns_stay_out_of_the_table(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    answer = run(loaded, neo4j_settings, "transit-paths")
    assert not [c for c in answer.columns if c.startswith("_")]


def test_the_graph_of_an_answer_is_keyed_by_kazgraph_ids(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    graph = run_saved_query_graph(loaded, neo4j_settings.database, "routes-bypassing-russia")
    assert isinstance(graph, Graph)
    nodes = {n["id"]: n for n in graph.nodes}
    assert {"middle-corridor", "KAZ", "TUR"} <= set(nodes)
    assert nodes["middle-corridor"]["labels"] == ["Route"]
    steps = [r for r in graph.relationships if r["type"] == "ROUTE_STEP"]
    assert {"start": "middle-corridor", "end": "KAZ"} in [
        {"start": r["start"], "end": r["end"]} for r in steps
    ]
    assert all(r["id"] and r["properties"]["id"] == r["id"] for r in graph.relationships)


def test_every_relationship_of_an_answer_graph_has_both_ends(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    for query in QUERIES.values():
        graph = run_saved_query_graph(loaded, neo4j_settings.database, query)
        ids = {n["id"] for n in graph.nodes}
        assert graph.nodes, f"{query.name} returns nothing to draw"
        assert all(r["start"] in ids and r["end"] in ids for r in graph.relationships), query.name


def test_a_path_is_collected_with_its_nodes_and_legs(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    graph = run_saved_query_graph(
        loaded, neo4j_settings.database, "transit-paths", {"destination": "Turkey"}
    )
    assert {"KAZ", "TKM", "IRN", "TUR"} <= {n["id"] for n in graph.nodes}
    assert {r["type"] for r in graph.relationships} == {"ROUTE_LEG"}


# --- read-only ------------------------------------------------------------------------
WRITING = """\
// title: Writes
// description: >
//   Tries to write, which saved queries may not do.
// tags: [test]
// examples:
//   - params: {}
//     expect:
//       - {n: 1}
CREATE (n:Entity {id: 'written-by-a-saved-query'}) RETURN 1 AS n
"""


def test_a_query_that_writes_is_refused_and_writes_nothing(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    query = parse_saved_query(write_query(tmp_path, "writes", WRITING))
    with pytest.raises(QueryFileError) as err:
        run_saved_query(loaded, neo4j_settings.database, query, {})
    assert str(err.value) == (
        f"saved query 'writes' ({query.path}): the query may only read the graph, and its "
        "plan uses: Create (writes to the database)"
    )
    found, _, _ = loaded.execute_query(
        "MATCH (n {id: 'written-by-a-saved-query'}) RETURN count(n) AS n",
        database_=neo4j_settings.database,
    )
    assert found[0]["n"] == 0


def test_a_cypher_error_names_the_query_file_line(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    path = write_query(
        tmp_path,
        "broken",
        WRITING.replace(
            "CREATE (n:Entity {id: 'written-by-a-saved-query'}) RETURN 1 AS n",
            "MATCH (n)\nRETURN n.id AS n ORDER BY\n",
        ),
    )
    with pytest.raises(QueryFileError, match=rf"saved query 'broken' failed in Neo4j \({path}"):
        run_saved_query(loaded, neo4j_settings.database, parse_saved_query(path), {})


PACKAGE_ORDER = ["values", "records", "header", "files", "params", "run", "examples", "summary"]
# imports deferred for start-up time (measured in bench/bench_cli.py), still in one direction
DEFERRED = {("files", "loader.saved_queries.header")}


@pytest.mark.parametrize("index", range(len(PACKAGE_ORDER)))
def test_the_package_imports_in_one_direction_and_only_at_the_top(index: int) -> None:
    name = PACKAGE_ORDER[index]
    tree = ast.parse((Path(files.__file__).parent / f"{name}.py").read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    typing_only = [  # `if TYPE_CHECKING:` blocks at the top, for annotations only
        n
        for block in tree.body
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for n in block.body
    ]
    deferred = {n for n in imports if (name, getattr(n, "module", None)) in DEFERRED}
    assert all(n in tree.body or n in typing_only or n in deferred for n in imports), (
        f"{name} imports inside a function"
    )
    siblings = {
        n.module.removeprefix("loader.saved_queries.")
        for n in imports
        if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("loader.saved_queries")
    }
    assert siblings <= set(PACKAGE_ORDER[:index]), name


def test_the_queries_folder_is_the_default() -> None:
    assert QUERIES_DIR.name == "queries" and (QUERIES_DIR / "transit-paths.cypher").is_file()
