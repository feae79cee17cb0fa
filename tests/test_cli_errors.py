"""Every command that talks to Neo4j reports a wrong URI, an unknown database, a stopped
server and a refused password the same way: one line naming what to do, exit status 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import neo4j
import pytest
from click.testing import CliRunner, Result

from loader import local_neo4j
from loader.cli import main
from loader.settings import Settings

COMMANDS = {
    "load": ["load"],
    "query run": ["query", "run", "trade-partners"],
    "export": ["export", "-o", "{tmp}/graph.json"],
    "viz": ["viz", "memberships", "-o", "{tmp}/memberships.png"],
    "db status": ["db", "status", "--data-dir", "{tmp}/db"],
}
NOT_BOLT = (
    "is not a Bolt URI; set NEO4J_URI (or --uri) to one like bolt://127.0.0.1:7687 or "
    "neo4j+s://<id>.databases.neo4j.io (schemes: bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, "
    "neo4j+ssc)"
)


def invoke(command: str, tmp_path: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    args = [a.replace("{tmp}", str(tmp_path)) for a in COMMANDS[command]]
    return CliRunner().invoke(main, [*args, *extra], env=env)


def assert_error(result: Result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {message}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_uri_without_a_scheme_is_refused(command: str, tmp_path: Path) -> None:
    result = invoke(command, tmp_path, env={"NEO4J_URI": "foo"})
    assert_error(result, f"'foo' {NOT_BOLT}")


@pytest.mark.parametrize("command", COMMANDS)
def test_an_http_uri_is_refused_without_showing_its_password(command: str, tmp_path: Path) -> None:
    result = invoke(command, tmp_path, env={"NEO4J_URI": "http://ana:s3cret@localhost:7474"})
    assert_error(result, f"'http://ana@localhost:7474' {NOT_BOLT}")


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unknown_database_is_named(
    command: str, tmp_path: Path, neo4j_settings: Settings
) -> None:
    result = invoke(command, tmp_path, "--uri", neo4j_settings.uri, "--database", "nope")
    assert_error(
        result,
        f"Neo4j at {neo4j_settings.uri} has no database 'nope'; set NEO4J_DATABASE (or "
        "--database) to one that exists (Neo4j Community has only 'neo4j')",
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_a_stopped_server_is_reported_without_the_password(command: str, tmp_path: Path) -> None:
    port = local_neo4j.free_ports()[0]
    result = invoke(command, tmp_path, "--uri", f"bolt://ana:s3cret@127.0.0.1:{port}")
    assert_error(
        result,
        f"Neo4j is not reachable at bolt://ana@127.0.0.1:{port}; check that it runs there "
        "and that NEO4J_URI (or --uri) is right",
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_a_refused_password_says_which_settings_to_check(
    command: str, tmp_path: Path, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session's Neo4j runs without authentication, so the server's refusal is played
    by a driver that raises what the real one raises."""
    real_driver = neo4j.GraphDatabase.driver

    def refusing_driver(uri: str, **kwargs: Any) -> neo4j.Driver:
        driver = real_driver(uri, **kwargs)

        def refuse(**_: Any) -> None:
            raise neo4j.exceptions.AuthError("The client is unauthorized")

        monkeypatch.setattr(driver, "verify_connectivity", refuse)
        return driver

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", refusing_driver)
    result = invoke(command, tmp_path, "--uri", neo4j_settings.uri, "--password", "wrong-pw")
    assert_error(
        result,
        f"Neo4j at {neo4j_settings.uri} refused the user name and password; check NEO4J_USER "
        "and NEO4J_PASSWORD (or --user and --password)",
    )


def test_a_password_in_the_uri_logs_in_and_is_never_shown(
    driver: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    uri = neo4j_settings.uri.replace("bolt://", "bolt://neo4j:s3cret@")
    result = invoke("db status", tmp_path, "--uri", uri)
    assert result.exit_code == 0, result.output
    assert "bolt://neo4j@" in result.output and "s3cret" not in result.output


def test_an_answer_below_a_file_is_one_line(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("")
    target = tmp_path / "a-file" / "answer.md"
    result = CliRunner().invoke(
        main,
        ["query", "run", "trade-partners", "--uri", neo4j_settings.uri, "-o", str(target)],
    )
    assert_error(result, f"{tmp_path / 'a-file'}: File exists")


def test_an_export_below_a_file_is_one_line(
    driver: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("")
    target = tmp_path / "a-file" / "graph.json"
    result = CliRunner().invoke(main, ["export", "--uri", neo4j_settings.uri, "-o", str(target)])
    assert_error(result, f"{tmp_path / 'a-file'}: File exists")  # mkdir of its folder
