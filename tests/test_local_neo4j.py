"""The local Neo4j runner and `kazgraph db start|stop|status`, against real runners."""

from __future__ import annotations

import os
import shutil
import socket
import urllib.request
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from loader import local_neo4j
from loader.cli import main
from loader.database import connect
from loader.errors import DatabaseUnavailable
from loader.settings import Settings

NEO4J_VERSION = "5.26.19"

needs_local_runner = pytest.mark.skipif(
    bool(os.environ.get("NEO4J_URI")), reason="NEO4J_URI is set: the session uses that Neo4j"
)


# --- the session's runner ----------------------------------------------------


def test_apoc_answers_over_bolt(driver: neo4j.Driver, neo4j_settings: Settings) -> None:
    records = driver.execute_query(
        "RETURN apoc.version() AS version", database_=neo4j_settings.database
    ).records
    assert records[0]["version"] == NEO4J_VERSION


@needs_local_runner
def test_browser_is_served_over_http(local_runner: local_neo4j.Runner) -> None:
    url = f"http://127.0.0.1:{local_runner.http_port}/browser/"
    with urllib.request.urlopen(url, timeout=10) as response:
        html = response.read().decode()
    assert "<title>Neo4j Browser</title>" in html


def test_status_reports_version_edition_and_counts(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    empty_db.execute_query(
        "CREATE (:Probe)-[:LINKS]->(:Probe)", database_=neo4j_settings.database
    )

    found = local_neo4j.status(neo4j_settings, data_dir=tmp_path / "none")

    assert (found.running, found.version, found.edition) == (True, NEO4J_VERSION, "community")
    assert (found.nodes, found.relationships) == (2, 1)


@needs_local_runner
def test_second_start_says_already_running(local_runner: local_neo4j.Runner) -> None:
    again = local_neo4j.start(
        bolt_port=local_runner.bolt_port,
        http_port=local_runner.http_port,
        data_dir=local_runner.data_dir,
    )

    assert again.already_running
    assert again.runner == local_runner


@needs_local_runner
def test_cli_second_start_says_already_running_and_succeeds(
    local_runner: local_neo4j.Runner,
) -> None:
    result = CliRunner().invoke(main, [
        "db", "start", "--data-dir", str(local_runner.data_dir),
        "--bolt-port", str(local_runner.bolt_port), "--http-port", str(local_runner.http_port),
    ])  # fmt: skip

    assert result.exit_code == 0, result.output
    assert f"Neo4j is already running (pid {local_runner.pid})" in result.output
    assert f"Browser: {local_runner.browser_url}" in result.output


@needs_local_runner
def test_cli_status_shows_the_running_database(local_runner: local_neo4j.Runner) -> None:
    result = CliRunner().invoke(
        main, ["db", "status", "--data-dir", str(local_runner.data_dir),
               "--uri", local_runner.bolt_uri],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Neo4j is running" in result.output
    assert f"{NEO4J_VERSION} community" in result.output
    assert local_runner.browser_url in result.output


@needs_local_runner
def test_runner_is_not_rebuilt_when_up_to_date(local_runner: local_neo4j.Runner) -> None:
    assert not local_neo4j.needs_build()
    assert local_neo4j.ensure_built() is False


# --- runners of their own ----------------------------------------------------


def test_restart_keeps_the_graph_and_stop_leaves_no_process(tmp_path: Path) -> None:
    data_dir = tmp_path / "neo4j"
    bolt_port, http_port = local_neo4j.free_ports(2)

    first = local_neo4j.start(bolt_port=bolt_port, http_port=http_port, data_dir=data_dir)
    try:
        with connect(first.runner.settings) as driver:
            driver.execute_query("CREATE (:Country {iso2: 'KZ'})", database_="neo4j")
    finally:
        stopped = local_neo4j.stop(data_dir)
    assert (stopped.was_running, stopped.pid, stopped.forced) == (True, first.runner.pid, False)
    assert not _process_exists(first.runner.pid)
    assert not local_neo4j.pid_file_for(data_dir).exists()

    second = local_neo4j.start(bolt_port=bolt_port, http_port=http_port, data_dir=data_dir)
    try:
        with connect(second.runner.settings) as driver:
            records = driver.execute_query(
                "MATCH (c:Country) RETURN c.iso2 AS iso2", database_="neo4j"
            ).records
    finally:
        local_neo4j.stop(data_dir)
    assert [r["iso2"] for r in records] == ["KZ"]
    assert not _process_exists(second.runner.pid)
    assert not local_neo4j.status(second.runner.settings, data_dir=data_dir).running


def test_runner_that_dies_at_start_shows_its_log(tmp_path: Path) -> None:
    data_dir = tmp_path / "neo4j"
    data_dir.mkdir()
    (data_dir / "data").write_text("a file where Neo4j wants its data folder\n")
    bolt_port, http_port = local_neo4j.free_ports(2)

    with pytest.raises(DatabaseUnavailable) as caught:
        local_neo4j.start(bolt_port=bolt_port, http_port=http_port, data_dir=data_dir)

    message = str(caught.value)
    assert message.startswith("The local Neo4j stopped while starting (exit 1)")
    assert f"Unable to write directory path [{data_dir / 'data'}]" in message
    assert not local_neo4j.pid_file_for(data_dir).exists()


# --- refusals: nothing is launched -------------------------------------------


def test_taken_port_is_refused_before_launch(tmp_path: Path) -> None:
    http_port = local_neo4j.free_ports(1)[0]
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        bolt_port = taken.getsockname()[1]

        with pytest.raises(DatabaseUnavailable) as caught:
            local_neo4j.start(bolt_port=bolt_port, http_port=http_port, data_dir=tmp_path / "db")

    assert str(caught.value) == (
        f"Port {bolt_port} on 127.0.0.1, wanted for Bolt, is already in use by another program "
        "(another Neo4j?); stop it, or pick free ports, e.g. "
        "`kazgraph db start --bolt-port 7688 --http-port 7475`."
    )
    assert not local_neo4j.log_file_for(tmp_path / "db").exists()


def test_cli_taken_port_is_an_error(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bolt_port = local_neo4j.free_ports()[0]
        result = CliRunner().invoke(
            main, ["db", "start", "--http-port", str(port), "--bolt-port", str(bolt_port),
                   "--data-dir", str(tmp_path / "db")],
        )  # fmt: skip

    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: Port {port} on 127.0.0.1, wanted for HTTP, is already in use"
    )


def test_java_home_pointing_nowhere_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nowhere = tmp_path / "no-jdk"
    monkeypatch.setenv("JAVA_HOME", str(nowhere))

    with pytest.raises(DatabaseUnavailable) as caught:
        local_neo4j.start(data_dir=tmp_path / "db")

    assert str(caught.value) == (
        f"JAVA_HOME is {nowhere}, but there is no {nowhere / 'bin' / 'java'}; point JAVA_HOME "
        "at a Java 17 or 21 JDK, or unset it to use the java on PATH."
    )


def test_no_java_at_all_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(DatabaseUnavailable, match=r"^Java was not found \(no JAVA_HOME, no java"):
        local_neo4j.start(data_dir=tmp_path / "db")


def test_missing_maven_is_refused_when_a_build_is_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner_dir = tmp_path / "neo4j-local"
    shutil.copytree(local_neo4j.RUNNER_DIR / "src", runner_dir / "src")
    shutil.copy(local_neo4j.RUNNER_DIR / "pom.xml", runner_dir / "pom.xml")
    only_java = tmp_path / "bin"
    only_java.mkdir()
    (only_java / "java").symlink_to(local_neo4j.find_java())
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(only_java))

    with pytest.raises(DatabaseUnavailable, match=r"^Maven \(mvn\) was not found on PATH"):
        local_neo4j.ensure_built(runner_dir)


def test_stop_when_nothing_runs_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["db", "stop", "--data-dir", str(tmp_path / "db")])

    assert result.exit_code == 0
    assert result.output == f"Neo4j was not running for {tmp_path / 'db'}; nothing to stop\n"


def test_status_when_nothing_answers_exits_1_without_the_password(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{local_neo4j.free_ports()[0]}"
    result = CliRunner().invoke(
        main, ["db", "status", "--uri", uri, "--password", "s3cret-pw",
               "--data-dir", str(tmp_path / "db")],
    )  # fmt: skip

    assert result.exit_code == 1
    assert result.output.startswith(f"Neo4j is not running at {uri}\n")
    assert "s3cret-pw" not in result.output


# --- connection settings -----------------------------------------------------


def test_settings_options_beat_environment_beat_defaults() -> None:
    env = {"NEO4J_URI": "neo4j+s://env.example", "NEO4J_USER": "env-user",
           "NEO4J_PASSWORD": "env-pw", "NEO4J_DATABASE": "envdb"}  # fmt: skip

    assert Settings.resolve(env={}) == Settings(
        uri="bolt://127.0.0.1:7687", user="neo4j", password="", database="neo4j"
    )
    assert Settings.resolve(env=env) == Settings(
        uri="neo4j+s://env.example", user="env-user", password="env-pw", database="envdb"
    )
    assert Settings.resolve(
        uri="bolt://option:7687", user="opt-user", password="opt-pw", database="optdb", env=env
    ) == Settings(uri="bolt://option:7687", user="opt-user", password="opt-pw", database="optdb")


def test_settings_repr_hides_the_password() -> None:
    settings = Settings.resolve(env={"NEO4J_PASSWORD": "s3cret-pw"})

    assert settings.password == "s3cret-pw"
    assert "s3cret-pw" not in repr(settings)
    assert "s3cret-pw" not in str(settings)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
