"""`kazgraph query list|show|run|run-all` through click's CliRunner, and the output formats."""

from __future__ import annotations

import json
from pathlib import Path

import click
import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from loader import output
from loader.answer import Answer
from loader.cli import main, query
from loader.saved_queries.files import load_saved_queries
from loader.settings import Settings

QUERIES = load_saved_queries()


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def connection(settings: Settings) -> list[str]:
    args = ["--uri", settings.uri, "--user", settings.user, "--database", settings.database]
    return args + (["--password", settings.password] if settings.password else [])


# --- list and show (no database) -----------------------------------------------------
def test_list_shows_every_saved_query() -> None:
    result = invoke("query", "list")
    assert result.exit_code == 0
    assert "saved queries" in result.output
    for name in ("transit-paths", "routes-bypassing-russia", "as-of"):
        assert name in result.output


def test_list_as_json_gives_params_with_types_and_defaults() -> None:
    result = invoke("query", "list", "--format", "json")
    assert result.exit_code == 0
    records = {r["name"]: r for r in json.loads(result.output)}
    assert set(records) == set(QUERIES)
    assert records["transit-paths"]["params"] == [
        {
            "name": "destination",
            "type": "entity",
            "default": "Türkiye",
            "description": QUERIES["transit-paths"].params["destination"].description,
        },
        {
            "name": "avoid",
            "type": "entity",
            "default": "Russia",
            "description": QUERIES["transit-paths"].params["avoid"].description,
        },
        {
            "name": "subject",
            "type": "entity",
            "default": "Kazakhstan",
            "description": QUERIES["transit-paths"].params["subject"].description,
        },
    ]


def test_show_prints_the_header_and_the_cypher() -> None:
    result = invoke("query", "show", "transit-paths")
    assert result.exit_code == 0
    assert "Transit paths from Kazakhstan that avoid a country" in result.output
    assert "example: kazgraph query run transit-paths --param destination=Turkey" in result.output
    assert "SHORTEST 3" in result.output and "ROUTE_LEG" in result.output


def test_show_an_unknown_query_lists_the_known_ones() -> None:
    result = invoke("query", "show", "nope")
    assert result.exit_code == 1
    assert result.output == f"Error: no saved query 'nope'; known: {', '.join(QUERIES)}\n"


@pytest.mark.parametrize("command", ["list", "show", "check", "run", "run-all"])
def test_every_query_command_has_help_with_an_example(command: str) -> None:
    sub = query.commands[command]
    assert sub.help and "Example:" in sub.help
    assert "Example:" in (query.help or "")


# --- run: errors before any query reaches Neo4j -------------------------------------------
def test_run_a_misspelt_query_suggests_the_closest_name() -> None:
    result = invoke("query", "run", "trade-partner")
    assert result.exit_code == 1
    assert result.output == "Error: no saved query 'trade-partner'; did you mean trade-partners?\n"


def test_run_with_an_unknown_parameter_lists_the_valid_ones(neo4j_settings: Settings) -> None:
    result = invoke(
        "query", "run", "trade-partners", "--param", "country=China", *connection(neo4j_settings)
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: saved query 'trade-partners' has no parameter 'country'; it takes: year, subject\n"
    )


def test_run_with_a_value_of_the_wrong_type_is_refused(neo4j_settings: Settings) -> None:
    result = invoke("query", "run", "agreements", "-p", "from=2019-13", *connection(neo4j_settings))
    assert result.exit_code == 1
    assert result.output == (
        "Error: parameter 'from' of saved query 'agreements': '2019-13' is "
        "not a real date (month must be in 1..12)\n"
    )


def test_a_parameter_must_be_key_equals_value() -> None:
    result = invoke("query", "run", "trade-partners", "--param", "2018")
    assert result.exit_code == 2
    assert "Invalid value for '--param' / '-p': '2018' is not key=value" in result.output


# --- run against the loaded graph ------------------------------------------------------------
def test_run_prints_a_table_under_the_title(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    result = invoke("query", "run", "trade-partners", *connection(neo4j_settings))
    assert result.exit_code == 0
    assert "Trade partners ranked by value" in result.output
    assert "18,000,000,000" in result.output and "Russia" in result.output


def test_run_as_csv(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    result = invoke(
        "query",
        "run",
        "trade-partners",
        "-p",
        "year=2018",
        "--format",
        "csv",
        *connection(neo4j_settings),
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == (
        "rank,partner,year,figure,kazakh_flow,value_usd,share_pct,products,basis,locators"
    )
    assert lines[1].startswith("1,Russia,2018,estimate,total,18000000000,")


def test_run_as_json_records(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    result = invoke(
        "query",
        "run",
        "transit-paths",
        "-p",
        "destination=Turkey",
        "--format",
        "json",
        *connection(neo4j_settings),
    )
    assert result.exit_code == 0
    records = json.loads(result.output)
    assert records[0]["path"] == "Kazakhstan → Turkmenistan → Iran → Türkiye"
    assert records[0]["rank"] == 1


def test_run_to_a_markdown_file(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    target = tmp_path / "memberships.md"
    result = invoke(
        "query",
        "run",
        "memberships",
        "--format",
        "markdown",
        "-o",
        str(target),
        *connection(neo4j_settings),
    )
    assert result.exit_code == 0
    assert result.output.startswith("wrote ") and str(target) in result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("### Organisations and pacts, by the power behind them\n\n| bloc |")
    assert "| Russia-led | Eurasian Economic Union |" in text


def test_an_empty_answer_says_so_and_which_years_have_figures(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    result = invoke(
        "query", "run", "trade-partners", "-p", "year=1999", *connection(neo4j_settings)
    )
    assert result.exit_code == 0
    assert result.output == (
        "Trade partners ranked by value\nNo rows. Years with trade figures: 2017, 2018\n"
    )


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["as-of", "-p", "date=1900"], "The data's dates run from 1990 to 2022-08."),
        (
            ["timeline", "-p", "country=Lebanon"],
            "Nothing in the graph dates a tie between Kazakhstan and Lebanon; the data's "
            "dates run from 1990 to 2022-08.",
        ),
        (
            ["agreements", "-p", "from=2028"],
            "The agreements of Kazakhstan are dated from 1997 to 2022-05.",
        ),
    ],
    ids=["as-of", "timeline", "agreements"],
)
def test_an_empty_answer_says_what_the_graph_holds(
    loaded: neo4j.Driver, neo4j_settings: Settings, args: list[str], hint: str
) -> None:
    result = invoke("query", "run", *args, *connection(neo4j_settings))
    assert result.exit_code == 0
    assert result.output == f"{QUERIES[args[0]].title}\nNo rows. {hint}\n"


def test_an_unknown_entity_is_an_error(loaded: neo4j.Driver, neo4j_settings: Settings) -> None:
    result = invoke("query", "run", "timeline", "-p", "country=Narnia", *connection(neo4j_settings))
    assert result.exit_code == 1
    assert result.output == "Error: no entity has the id, name or alias 'Narnia'\n"


def test_a_writing_query_is_refused(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "wipe.cypher").write_text(
        "// title: Wipe\n// description: Deletes everything.\n// tags: [test]\n"
        "// examples:\n//   - expect: [{n: 0}]\nMATCH (n) DETACH DELETE n RETURN count(*) AS n\n",
        encoding="utf-8",
    )
    result = invoke("query", "run", "wipe", "--queries", str(tmp_path), *connection(neo4j_settings))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: saved query 'wipe' ({tmp_path / 'wipe.cypher'}): the query may only read the "
        "graph, and its plan uses: DetachDelete (writes to the database)\n"
    )
    count, _, _ = loaded.execute_query(
        "MATCH (n:Entity) RETURN count(n) AS n", database_=neo4j_settings.database
    )
    assert count[0]["n"] > 0


def test_run_all_prints_every_answer_under_its_title(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    result = invoke("query", "run-all", *connection(neo4j_settings))
    assert result.exit_code == 0
    for saved in QUERIES.values():
        assert saved.title in result.output
    assert "transit-paths destination=Türkiye avoid=Russia" in result.output


def test_run_all_summary_gives_counts_and_three_headline_answers(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    result = invoke("query", "run-all", "--summary", *connection(neo4j_settings))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("The graph holds ") and " entities, " in lines[0]
    assert "Top trade partners (2018)  (kazgraph query run trade-partners)" in lines
    assert "  1. Russia: US$18 bn (estimate)" in lines
    assert "Routes that bypass Russia  (kazgraph query run routes-bypassing-russia)" in lines
    assert any(line.startswith("  Trans-Caspian International Transport Route: ") for line in lines)
    assert "  Disrupted Kazakh exports via Russia (open): Russia" in lines
    assert lines[-1].startswith("Neo4j Browser: http://")
    assert len(lines) < 40


# --- private folders and checking files --------------------------------------------------
PRIVATE = (
    "// title: Countries\n// description: Every country, by name.\n"
    "MATCH (c:Country) RETURN c.name AS name ORDER BY name\n"
)


def test_a_private_folder_adds_queries_from_the_option_or_the_environment(
    tmp_path: Path,
) -> None:
    (tmp_path / "countries.cypher").write_text(PRIVATE, encoding="utf-8")
    result = invoke("query", "list", "--format", "json", "--queries", str(tmp_path))
    names = {r["name"] for r in json.loads(result.output)}
    assert names == {*QUERIES, "countries"}
    runner = CliRunner()
    result = runner.invoke(
        main, ["query", "show", "countries"], env={"KAZGRAPH_QUERIES": str(tmp_path)}
    )
    assert result.exit_code == 0 and "Every country, by name." in result.output


def test_a_private_query_may_not_take_a_project_querys_name(tmp_path: Path) -> None:
    (tmp_path / "timeline.cypher").write_text(PRIVATE, encoding="utf-8")
    result = invoke("query", "list", "--queries", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: saved query 'timeline' is defined twice: {QUERIES['timeline'].path} and "
        f"{tmp_path / 'timeline.cypher'}; rename one of them\n"
    )


def test_check_says_ok_or_lists_the_problems_with_lines(tmp_path: Path) -> None:
    good = tmp_path / "countries.cypher"
    good.write_text(PRIVATE, encoding="utf-8")
    bad = tmp_path / "bad.cypher"
    bad.write_text(PRIVATE.replace("// title: Countries\n", "") + "  AND $x\n", encoding="utf-8")
    result = invoke("query", "check", str(good))
    assert result.exit_code == 0
    assert result.output == f"{good}: OK (0 parameter(s), 0 example(s))\n"
    result = invoke("query", "check", str(good), str(bad))
    assert result.exit_code == 1
    assert result.output == (
        f"{good}: OK (0 parameter(s), 0 example(s))\n"
        f"{bad}:1: the header needs 'title:'\n"
        f"{bad}:3: $x is used but not declared in the header's params (declared: none)\n"
        "Error: 1 of 2 file(s) have problems\n"
    )


def test_check_passes_every_project_query() -> None:
    result = invoke("query", "check", *(str(q.path) for q in QUERIES.values()))
    assert result.exit_code == 0
    assert result.output.count(": OK (") == len(QUERIES)


def test_without_neo4j_the_error_says_how_to_start_it() -> None:
    result = invoke("query", "run", "trade-partners", "--uri", "bolt://127.0.0.1:1")
    assert result.exit_code == 1
    assert result.output.startswith("Error: Neo4j is not reachable at bolt://127.0.0.1:1")


# --- output formats (no database) -----------------------------------------------------------
ANSWER = Answer.from_records(
    [
        {"partner": "Russia", "value_usd": 18_000_000_000, "note": "a | b"},
        {"partner": "China", "value_usd": None, "note": None},
    ]
)


def test_markdown_escapes_pipes_and_formats_numbers() -> None:
    assert output.to_markdown(ANSWER) == (
        "| partner | value_usd | note |\n| --- | --- | --- |\n"
        "| Russia | 18,000,000,000 | a \\| b |\n| China |  |  |\n"
    )


def test_json_keeps_raw_values_and_nulls() -> None:
    assert json.loads(output.to_json(ANSWER)) == [
        {"partner": "Russia", "value_usd": 18_000_000_000, "note": "a | b"},
        {"partner": "China", "value_usd": None, "note": None},
    ]


def test_csv_has_a_header_and_missing_values_as_empty_fields() -> None:
    assert output.to_csv(ANSWER) == ("partner,value_usd,note\nRussia,18000000000,a | b\nChina,,\n")


TRICKY = [
    None,
    float("nan"),
    float("inf"),
    -0.0,
    1e20,
    0.1 + 0.2,
    2500.0,
    2**63 - 1,
    True,
    "",
    "  lead",
    "a,b",
    'say "hi"',
    "two\nlines",
    "cr\r",
    "Türkiye → EU",
]


@pytest.mark.parametrize("value", TRICKY, ids=repr)
def test_csv_is_written_as_pandas_wrote_it(value: object) -> None:
    for answer in (
        Answer(["only"], [[value]]),
        Answer(["a", "b,c"], [[value, 1], [None, value]]),
    ):
        frame = pd.DataFrame([list(r) for r in answer.rows], columns=answer.columns, dtype=object)
        assert output.to_csv(answer) == frame.to_csv(index=False, lineterminator="\n")


def test_empty_answers_say_so_in_every_human_format() -> None:
    empty = ANSWER.head(0)
    assert output.render(empty, "table", "T") == "T\nNo rows.\n"
    assert output.render(empty, "markdown") == "_No rows._\n"
    assert output.render(empty, "csv") == "partner,value_usd,note\n"
    assert output.render(empty, "json") == "[]\n"


def test_a_table_shares_the_width_and_keeps_locators_whole() -> None:
    answer = Answer.from_records(
        [
            {
                "issue": "Caspian Sea dispute " * 4,
                "locators": "sanchez-2020#p54.s1, kassenova-2022#p15.s3",
            }
        ]
    )
    text = output.to_table(answer, width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "kassenova-2022#p15.s3" in text and "sanchez-2020#p54.s1," in text


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        output.render(ANSWER, "xml")


def test_the_query_group_is_a_click_group() -> None:
    assert isinstance(query, click.Group)


@pytest.mark.parametrize(
    "command",
    [
        ["query", "run", "trade-partners", "--format", "csv"],
        ["cypher", "MATCH (c:Country) RETURN c.name AS name", "--format", "csv"],
        ["viz", "transit-paths"],
    ],
)
def test_an_existing_output_file_is_replaced_only_with_force(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path, command: list[str]
) -> None:
    target = tmp_path / ("answer.png" if command[0] == "viz" else "answer.csv")
    target.write_text("the analyst's own notes\n", encoding="utf-8")
    refused = invoke(*command, "-o", str(target), *connection(neo4j_settings))
    assert refused.exit_code == 1
    assert refused.output == f"Error: {target} already exists; pass --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "the analyst's own notes\n"
    replaced = invoke(*command, "-o", str(target), "--force", *connection(neo4j_settings))
    assert replaced.exit_code == 0, replaced.output
    assert target.read_bytes() != b"the analyst's own notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no part file left


CAPPED = {  # the answers that grow with the graph, each with parameters that give 2+ rows
    "compare-sources": [],
    "routes-bypassing-russia": [],
    "routes-through-russia": [],
    "russia-exposure": [],
    "source-view": [],
}


@pytest.mark.parametrize("name", sorted(CAPPED))
def test_answers_that_grow_with_the_graph_are_capped_and_say_so(
    loaded: neo4j.Driver, neo4j_settings: Settings, name: str
) -> None:
    run = ["query", "run", name, "--format", "json", *CAPPED[name], *connection(neo4j_settings)]
    whole = invoke(*run)
    rows = json.loads(whole.stdout)
    assert len(rows) >= 2 and whole.stderr == ""  # the curated graph is under every cap
    capped = invoke(*run, "-p", "limit=1")
    assert json.loads(capped.stdout) == rows[:1]
    assert capped.stderr == "The first row (the query's limit); -p limit=N shows up to N.\n"
