"""Approximate names: entity parameters and saved query names that match nothing exactly."""

from __future__ import annotations

import neo4j
import pytest
from click.testing import CliRunner, Result

from loader import browser
from loader.cli import main
from loader.errors import QueryFileError
from loader.saved_queries import resolve_entity
from loader.settings import Settings


def resolve(driver: neo4j.Driver, settings: Settings, name: str) -> str:
    return resolve_entity(driver, settings.database, name)


def refusal(driver: neo4j.Driver, settings: Settings, name: str) -> str:
    with pytest.raises(QueryFileError) as err:
        resolve(driver, settings, name)
    return str(err.value)


def invoke(settings: Settings, *args: str) -> Result:
    connection = ["--uri", settings.uri, "--database", settings.database]
    return CliRunner().invoke(main, [*args, *connection], catch_exceptions=False)


def test_ids_names_and_aliases_resolve_exactly(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    for name in ("TUR", "Turkey", "Türkiye", "tur"):
        assert resolve(loaded, neo4j_settings, name) == "TUR"


def test_names_resolve_in_a_graph_loaded_before_the_lookup_index(
    empty_db: neo4j.Driver, neo4j_settings: Settings
) -> None:
    # No entity_lookup index (a load creates it): every entity's look-up keys are read.
    # Only that index is dropped: the next load rebuilds it alone, not the whole schema.
    database = neo4j_settings.database
    empty_db.execute_query("DROP INDEX entity_lookup IF EXISTS", database_=database)
    empty_db.execute_query(
        "CREATE (:Entity {id: 'TUR', name: 'Türkiye', lookup: ['turkey', 'turkiye']})",
        database_=database,
    )
    assert resolve(empty_db, neo4j_settings, "Turkey") == "TUR"


def test_a_misspelt_name_gets_the_closest_entity_suggested(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    assert refusal(loaded, neo4j_settings, "Kazahstan") == (
        "no entity has the id, name or alias 'Kazahstan'; did you mean Kazakhstan (KAZ)?"
    )
    assert refusal(loaded, neo4j_settings, "Turky") == (
        "no entity has the id, name or alias 'Turky'; did you mean Türkiye (TUR)?"
    )


def test_a_name_like_none_is_refused_without_suggestions(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    assert refusal(loaded, neo4j_settings, "Narnia") == (
        "no entity has the id, name or alias 'Narnia'"
    )


def test_a_word_that_starts_one_entitys_name_finds_it(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    assert resolve(loaded, neo4j_settings, "Xinjiang") == "xinjiang-camps"
    assert resolve(loaded, neo4j_settings, "shrinking of the aral") == "aral-sea-shrinking"


def test_a_word_that_starts_several_names_lists_them(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    assert refusal(loaded, neo4j_settings, "Trans-Caspian") == (
        "no entity has the id, name or alias 'Trans-Caspian'; it starts a word in the "
        "names of Trans-Caspian International Transport Route (middle-corridor), "
        "Trans-Caspian East-West corridor declaration (trans-caspian-declaration-2022), "
        "Trans-Caspian East-West corridor working group (trans-caspian-working-group); "
        "pass one of them"
    )


def test_the_command_line_suggests_entities_and_query_names(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    result = invoke(neo4j_settings, "query", "run", "timeline", "-p", "country=Kazahstan")
    assert result.exit_code == 1
    assert result.output == (
        "Error: no entity has the id, name or alias 'Kazahstan'; did you mean Kazakhstan (KAZ)?\n"
    )
    result = invoke(neo4j_settings, "query", "run", "trade-partner")
    assert result.output == "Error: no saved query 'trade-partner'; did you mean trade-partners?\n"


def test_browser_guides_resolve_names_the_way_the_cli_does(
    loaded: neo4j.Driver, neo4j_settings: Settings
) -> None:
    database = neo4j_settings.database
    for name, expected in [
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("tur", "TUR"),
        ("Narnia", None),
        ("KAZ", "KAZ"),
    ]:
        records, _, _ = loaded.execute_query(
            f"RETURN {browser.entity_expression(name)} AS id", database_=database
        )
        assert records[0]["id"] == expected, name
    (_, trade), *_ = [
        (p, s) for p, s in browser.guide_statements(browser.browser_guide()) if "TRADES" in s
    ]
    records, _, _ = loaded.execute_query(
        trade, {"subject": "Kazakhstan"}, database_=database, routing_=neo4j.RoutingControl.READ
    )
    assert records


def test_the_walkthrough_switches_off_connect_result_nodes() -> None:
    assert browser.CONNECT_RESULT_NODES_OFF in browser.browser_guide().splitlines()
