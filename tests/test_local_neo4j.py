"""The local Neo4j runner and `kazgraph db start|stop|status`, against real runners."""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import neo4j
import psutil
import pytest
import yaml
from click.testing import CliRunner

from loader import local_neo4j
from loader.cli import main
from loader.database import connect
from loader.errors import AuthFailed, DatabaseUnavailable
from loader.settings import Settings

# The version the session runs: KAZGRAPH_NEO4J_VERSION, else 5.26.19.
NEO4J_VERSION = local_neo4j.resolve_version()
PASSWORD = "kazgraph-test-pw"

needs_local_runner = pytest.mark.skipif(
    bool(os.environ.get("NEO4J_URI")), reason="NEO4J_URI is set: the session uses that Neo4j"
)
needs_apoc = pytest.mark.skipif(
    not local_neo4j.has_apoc(NEO4J_VERSION),
    reason=f"Neo4j {NEO4J_VERSION} runs without APOC (not on Maven Central for it)",
)


# --- the session's runner ----------------------------------------------------


@needs_apoc
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
    empty_db.execute_query("CREATE (:Probe)-[:LINKS]->(:Probe)", database_=neo4j_settings.database)

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
    assert (local_neo4j.build_dir(NEO4J_VERSION) / local_neo4j.RUNNER_JAR).is_file()


@needs_local_runner
def test_the_runner_maps_the_class_archive_of_its_build(local_runner: local_neo4j.Runner) -> None:
    """The build's training start left classes.jsa, and the JVM uses it: the archive is
    mapped into the runner's memory (a JVM that cannot use it ignores it silently)."""
    archive = local_neo4j.build_dir(NEO4J_VERSION) / local_neo4j.CLASS_ARCHIVE
    process = psutil.Process(local_runner.pid)

    assert f"-XX:SharedArchiveFile={archive}" in process.cmdline()
    assert str(archive) in {region.path for region in process.memory_maps()}


# --- what a query may reach: tried against the session's runner ----------------


@needs_local_runner
def test_load_csv_cannot_read_server_files(
    driver: neo4j.Driver, local_runner: local_neo4j.Runner
) -> None:
    with pytest.raises(neo4j.exceptions.ClientError) as caught:
        driver.execute_query(
            "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row LIMIT 1", database_="neo4j"
        )

    assert "dbms.security.allow_csv_import_from_file_urls" in str(caught.value)


@needs_local_runner
@pytest.mark.parametrize(
    "call",
    [
        "CALL apoc.load.json($url)",
        "CALL apoc.load.jsonParams($url, {}, null)",
        "CALL apoc.load.csv('file:///etc/passwd')",
        "CALL apoc.import.json('file:///etc/passwd')",
        "CALL apoc.export.csv.all('/tmp/kazgraph-export.csv', {})",
        "CALL apoc.cypher.run('RETURN 1', {})",
        "CALL apoc.periodic.iterate('RETURN 1', 'RETURN 1', {})",
    ],
)
def test_apoc_that_reaches_files_urls_or_cypher_text_is_not_loaded(
    driver: neo4j.Driver, local_runner: local_neo4j.Runner, call: str
) -> None:
    url = f"http://127.0.0.1:{local_runner.http_port}/"

    with pytest.raises(neo4j.exceptions.ClientError) as caught:
        driver.execute_query(call, url=url, database_="neo4j")

    assert caught.value.code == "Neo.ClientError.Procedure.ProcedureNotFound"


@needs_local_runner
@needs_apoc
def test_harmless_apoc_is_loaded(driver: neo4j.Driver, local_runner: local_neo4j.Runner) -> None:
    record = driver.execute_query(
        "RETURN apoc.coll.sum([1, 2]) AS total, apoc.text.join(['a', 'b'], '-') AS text, "
        "apoc.map.fromPairs([['k', 1]]) AS map",
        database_="neo4j",
    ).records[0]

    assert (record["total"], record["text"], record["map"]) == (3, "a-b", {"k": 1})


@needs_local_runner
def test_http_api_allows_its_own_origin_only(local_runner: local_neo4j.Runner) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{local_runner.http_port}/",
        headers={"Origin": "http://evil.example"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        allowed = response.headers.get_all("Access-Control-Allow-Origin") or []

    assert "*" not in allowed
    assert "http://evil.example" not in allowed
    assert allowed == [f"http://127.0.0.1:{local_runner.http_port}"]


@needs_local_runner
def test_bolt_and_http_listen_on_loopback_only(local_runner: local_neo4j.Runner) -> None:
    listening = {
        (_ipv4(c.laddr.ip), c.laddr.port)
        for c in psutil.Process(local_runner.pid).net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    }

    assert ("127.0.0.1", local_runner.bolt_port) in listening
    assert ("127.0.0.1", local_runner.http_port) in listening
    assert {ip for ip, _ in listening} == {"127.0.0.1"}


def _ipv4(ip: str) -> str:
    """``::ffff:127.0.0.1`` (IPv4 on a dual-stack socket) as ``127.0.0.1``."""
    address = ipaddress.ip_address(ip)
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


# --- docker-compose.yml: the same Neo4j, the same settings ---------------------


def _runner_apoc_allowed() -> list[str]:
    source = (local_neo4j.RUNNER_DIR / "src/main/java/kazgraph/LocalNeo4j.java").read_text()
    listed = re.search(r"APOC_ALLOWED = List\.of\((.*?)\);", source, re.DOTALL)
    assert listed is not None
    return re.findall(r'"([^"]+)"', listed[1])


def _docker_env(setting: str) -> str:
    """The docker image's variable for a setting: . becomes _, _ becomes __."""
    return "NEO4J_" + setting.replace("_", "__").replace(".", "_")


def test_docker_compose_runs_the_runners_neo4j_with_its_security_settings() -> None:
    compose = yaml.safe_load((local_neo4j.PROJECT_ROOT / "docker-compose.yml").read_text())
    service = compose["services"]["neo4j"]
    env = service["environment"]
    allowed = ",".join(_runner_apoc_allowed())

    assert service["image"] == f"neo4j:{local_neo4j.DEFAULT_NEO4J_VERSION}-community"
    assert env["NEO4J_PLUGINS"] == '["apoc"]'
    assert env[_docker_env("dbms.security.allow_csv_import_from_file_urls")] == "false"
    assert env[_docker_env("dbms.security.procedures.allowlist")] == allowed
    assert env[_docker_env("dbms.security.procedures.unrestricted")] == allowed
    assert env[_docker_env("dbms.security.http_access_control_allow_origin")] == (
        "http://127.0.0.1:7474"
    )
    assert all(port.startswith("127.0.0.1:") for port in service["ports"])
    assert env["NEO4J_AUTH"].startswith("${NEO4J_AUTH:?")  # no default password


def test_runner_allows_no_apoc_that_reaches_files_urls_or_cypher_text() -> None:
    risky = (
        "apoc.load",
        "apoc.import",
        "apoc.export",
        "apoc.cypher",
        "apoc.do.",
        "apoc.periodic",
        "apoc.trigger",
        "apoc.log",
        "apoc.spatial",
        "apoc.systemdb",
    )
    allowed = _runner_apoc_allowed()

    assert "apoc.*" not in allowed
    assert [name for name in allowed if name.startswith(risky)] == []


# --- runners of their own ----------------------------------------------------


@pytest.mark.slow
@pytest.mark.usefixtures("short_lived_jvms")
def test_restart_keeps_the_graph_and_stop_spares_a_process_a_wrong_pid_file_names(
    tmp_path: Path,
) -> None:
    """One runner started twice (each start is a JVM: the two checks share them): the first
    stop finds the runner by its command line although the pid file names a bystander, which
    it spares; the second start sees the graph the first one wrote."""
    data_dir = tmp_path / "neo4j"
    bolt_port, http_port = local_neo4j.free_ports(2)

    first = local_neo4j.start(bolt_port=bolt_port, http_port=http_port, data_dir=data_dir)
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        with connect(first.runner.settings) as driver:
            driver.execute_query("CREATE (:Country {iso2: 'KZ'})", database_="neo4j")
        pid_file = local_neo4j.pid_file_for(data_dir)
        pid_file.write_text(pid_file.read_text().replace(
            str(first.runner.pid), str(bystander.pid)))  # fmt: skip
        found = local_neo4j.find_runner(data_dir)
        stopped = local_neo4j.stop(data_dir)
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()
        local_neo4j.stop(data_dir)
    assert found == first.runner
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


@pytest.mark.slow
@pytest.mark.usefixtures("short_lived_jvms")
def test_auth_needs_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    data_dir = tmp_path / "neo4j"
    bolt_port, http_port = local_neo4j.free_ports(2)

    # Two starts in one (the password is set with Bolt and HTTP closed): a longer timeout.
    started = local_neo4j.start(
        bolt_port=bolt_port, http_port=http_port, data_dir=data_dir, auth=True, timeout=300
    )
    try:
        uri = started.runner.bolt_uri
        refused = "refused the user name and password"
        with pytest.raises(AuthFailed, match=refused):
            connect(Settings(uri=uri)).__enter__()
        with pytest.raises(AuthFailed, match=refused):
            connect(Settings(uri=uri, password="neo4j")).__enter__()
        with connect(Settings(uri=uri, password=PASSWORD)) as driver:
            records = driver.execute_query("RETURN 1 AS one", database_="neo4j").records
        command = " ".join(psutil.Process(started.runner.pid).cmdline())
    finally:
        local_neo4j.stop(data_dir)

    assert started.runner.auth
    assert records[0]["one"] == 1
    assert PASSWORD not in command
    assert PASSWORD not in local_neo4j.log_file_for(data_dir).read_text()


def test_cli_auth_without_a_password_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    bolt_port, http_port = local_neo4j.free_ports(2)

    result = CliRunner().invoke(main, [
        "db", "start", "--auth", "--data-dir", str(tmp_path / "db"),
        "--bolt-port", str(bolt_port), "--http-port", str(http_port),
    ])  # fmt: skip

    assert result.exit_code == 1
    assert result.output == (
        "Error: --auth needs the password for user neo4j in NEO4J_PASSWORD, which is not set; "
        "set it (at least 8 characters) and start again.\n"
    )
    assert not local_neo4j.log_file_for(tmp_path / "db").exists()


def test_a_symlink_at_the_log_path_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n")
    data_dir = tmp_path / "neo4j"
    local_neo4j.log_file_for(data_dir).symlink_to(victim)
    bolt_port, http_port = local_neo4j.free_ports(2)

    with pytest.raises(DatabaseUnavailable) as caught:
        local_neo4j.start(bolt_port=bolt_port, http_port=http_port, data_dir=data_dir)

    assert str(caught.value) == (
        f"The runner's log file {local_neo4j.log_file_for(data_dir)} is a symbolic link, "
        "which kazgraph does not follow (it could point at any file); remove it and try again."
    )
    assert victim.read_text() == "keep me\n"
    assert local_neo4j.find_runner(data_dir) is None


@pytest.mark.slow
@pytest.mark.usefixtures("short_lived_jvms")
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
    monkeypatch.setattr(local_neo4j, "JDK_FOLDERS", ())

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


def test_calendar_release_finds_a_new_enough_jdk_beside_an_old_java_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jdks = tmp_path / "jvm"
    for name, version in (("old-jdk", "17.0.9"), ("new-jdk", "25.0.1")):
        (jdks / name / "bin").mkdir(parents=True)
        (jdks / name / "bin" / "java").write_text("#!/bin/sh\n")
        (jdks / name / "bin" / "java").chmod(0o755)
        (jdks / name / "release").write_text(f'JAVA_VERSION="{version}"\n')
    monkeypatch.setenv("JAVA_HOME", str(jdks / "old-jdk"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(local_neo4j, "JDK_FOLDERS", (jdks,))

    assert local_neo4j.find_java(17) == str(jdks / "old-jdk" / "bin" / "java")
    assert local_neo4j.find_java(21, "2025.10.1") == str(jdks / "new-jdk" / "bin" / "java")

    monkeypatch.setattr(local_neo4j, "JDK_FOLDERS", ())
    with pytest.raises(DatabaseUnavailable) as caught:
        local_neo4j.find_java(21, "2025.10.1")
    assert str(caught.value).startswith(
        f"Neo4j 2025.10.1 needs Java 21 or newer, and there is only Java 17 in JAVA_HOME "
        f"({jdks / 'old-jdk'}); install a JDK 21+"
    )


def test_version_comes_from_the_option_then_the_environment_then_the_default() -> None:
    env = {"KAZGRAPH_NEO4J_VERSION": "2025.10.1"}

    assert local_neo4j.resolve_version(env={}) == "5.26.19"
    assert local_neo4j.resolve_version(env=env) == "2025.10.1"
    assert local_neo4j.resolve_version("5.26.19", env=env) == "5.26.19"
    with pytest.raises(DatabaseUnavailable, match=r"^--neo4j-version is '4\.4\.0', which"):
        local_neo4j.resolve_version("4.4.0", env={})


def test_data_folder_of_the_other_version_line_is_refused_before_launch(tmp_path: Path) -> None:
    data_dir = tmp_path / "neo4j"
    data_dir.mkdir()
    (data_dir / "kazgraph-neo4j-version").write_text("5.26.19\n")
    bolt_port, http_port = local_neo4j.free_ports(2)

    with pytest.raises(DatabaseUnavailable) as caught:
        local_neo4j.start(bolt_port=bolt_port, http_port=http_port, data_dir=data_dir,
                          neo4j_version="2025.10.1")  # fmt: skip

    assert str(caught.value).startswith(
        f"The data folder {data_dir} holds a graph made by Neo4j 5.26.19, which Neo4j "
        "2025.10.1 does not share"
    )
    assert not local_neo4j.log_file_for(data_dir).exists()


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
    assert result.output.startswith(f"Error: Neo4j is not reachable at {uri}; ")
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
