"""The local Neo4j runner: build it, start it in the background, stop it, ask how it is.

The runner is the small Maven project in ``neo4j-local/`` (Neo4j Community, APOC core and
Neo4j Browser in one JVM). ``start`` builds it once per Neo4j version (into
``neo4j-local/target/<version>/``), launches it in its own session, waits until it says it is
ready and writes a pid file; ``stop`` ends it with SIGTERM. Beside a data folder
``.kazgraph/neo4j/`` the runner keeps ``.kazgraph/neo4j.log`` (its output, replaced at each
start) and ``.kazgraph/neo4j.pid`` (JSON: pid, ports, data folder, version, auth). Both are
opened without following symbolic links. The pid file is a hint: ``stop`` and ``status`` also
find a runner by its command line (``kazgraph.LocalNeo4j --home <data folder>``), and never
signal a process that is not one.

The Neo4j version is ``--neo4j-version``, else ``KAZGRAPH_NEO4J_VERSION``, else 5.26.19 LTS; a
calendar release (2025.10.1 and later) needs Java 21+ and has no APOC (not published to Maven
Central). A data folder remembers the version line that created it (5.x or calendar) and is
refused by the other.

After a build, ``ensure_built`` starts the runner once with a small workload and keeps the
classes it loaded in ``classes.jsa`` beside the build (the JVM's dynamic class data sharing,
``-XX:ArchiveClassesAtExit``); later starts, and neo4j-admin, map that archive instead of
loading and verifying those classes again, which cuts a start by about a third. A JVM that
cannot use the archive (another JDK) ignores it.

Nothing here prints: every function returns a dataclass, and every failure a person can fix
is a :class:`~loader.errors.DatabaseUnavailable` that says what to do.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import psutil

from loader.database import connect, read, server_info
from loader.errors import DatabaseUnavailable
from loader.load_runs import load_state
from loader.settings import LOCAL_BOLT_PORT, LOCAL_HTTP_PORT, PROJECT_ROOT, Settings

RUNNER_DIR = PROJECT_ROOT / "neo4j-local"
DEFAULT_DATA_DIR = PROJECT_ROOT / ".kazgraph" / "neo4j"
HOST = "127.0.0.1"
MAIN_CLASS = "kazgraph.LocalNeo4j"
READY_LINE = "kazgraph-neo4j ready"
BUILD_STAMP = "kazgraph-build.stamp"
RUNNER_JAR = "neo4j-local.jar"
CLASS_ARCHIVE = "classes.jsa"
# What the archive's training start runs: statements that load the planner and runtime
# classes a load and the saved queries use (schema, UNWIND/MERGE, paths, aggregation).
TRAINING = (
    "CREATE CONSTRAINT training_id IF NOT EXISTS FOR (n:Training) REQUIRE n.id IS UNIQUE",
    "UNWIND range(1, 50) AS i MERGE (n:Training {id: i}) SET n.name = toString(i), n.tags = [i]",
    "MATCH (a:Training), (b:Training {id: a.id + 1}) MERGE (a)-[r:NEXT {id: a.id}]->(b) "
    "SET r.weight = 1.5",
    "MATCH (a:Training)-[:NEXT]->(b) WITH a, collect(b.name) AS names ORDER BY a.id "
    "RETURN a.id AS id, names, CASE size(names) WHEN 1 THEN 'one' ELSE 'more' END AS n LIMIT 5",
    "MATCH p = (:Training {id: 1})-[:NEXT*1..4]->(b) OPTIONAL MATCH (b)<-[r]-() "
    "RETURN length(p) AS hops, count(r) AS links ORDER BY hops",
    "CALL db.labels() YIELD label RETURN collect(label) AS labels",
    "SHOW INDEXES YIELD name RETURN collect(name) AS names",
)
MAVEN_COMMAND = ["mvn", "-q", "-B", "-Dstyle.color=never", "package"]
LOG_TAIL_LINES = 25

DEFAULT_NEO4J_VERSION = "5.26.19"
VERSION_VARIABLE = "KAZGRAPH_NEO4J_VERSION"
PASSWORD_VARIABLE = "NEO4J_PASSWORD"
MIN_PASSWORD_LENGTH = 8
FIRST_CALENDAR_YEAR = 2025
VERSION_FILE = "kazgraph-neo4j-version"
# Where JDKs are looked for when neither JAVA_HOME nor the java on PATH is new enough.
JDK_FOLDERS: tuple[Path, ...] = (Path("/usr/lib/jvm"), Path("/Library/Java/JavaVirtualMachines"))

# Popen objects of the runners this process started, kept so that they are reaped (no
# zombies, no "still running" warnings) and so that ``stop`` can wait on them.
_children: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class Runner:
    """A running local Neo4j, as its pid file (or its command line) records it."""

    pid: int
    bolt_port: int
    http_port: int
    data_dir: Path
    neo4j_version: str = DEFAULT_NEO4J_VERSION
    auth: bool = False

    @property
    def bolt_uri(self) -> str:
        return f"bolt://{HOST}:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        """Neo4j Browser, set to connect to this runner (as user neo4j when auth is on)."""
        if self.auth:
            dbms, method = f"bolt://neo4j@{HOST}:{self.bolt_port}", "BASIC"
        else:
            dbms, method = self.bolt_uri, "NO_AUTH"
        return f"http://{HOST}:{self.http_port}/browser/?dbms={dbms}&preselectAuthMethod={method}"

    @property
    def settings(self) -> Settings:
        """How to connect; with auth on, the password comes from NEO4J_PASSWORD."""
        password = os.environ.get(PASSWORD_VARIABLE, "") if self.auth else ""
        return Settings(uri=self.bolt_uri, password=password)


@dataclass(frozen=True)
class Started:
    """What ``start`` did: ``already_running`` when it found a runner and left it alone."""

    runner: Runner
    log_file: Path
    already_running: bool
    built: bool
    seconds: float


@dataclass(frozen=True)
class Stopped:
    """What ``stop`` did: ``was_running`` is False when there was nothing to stop."""

    data_dir: Path
    was_running: bool
    pid: int | None = None
    forced: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class Status:
    """How a Neo4j answers; counts and version are None when it is not running."""

    uri: str
    database: str
    running: bool
    version: str | None = None
    edition: str | None = None
    nodes: int | None = None
    relationships: int | None = None
    runner: Runner | None = None
    problem: str | None = None
    load: str | None = None


def log_file_for(data_dir: Path) -> Path:
    """``.kazgraph/neo4j.log`` for the data folder ``.kazgraph/neo4j``."""
    data_dir = Path(data_dir).resolve()
    return data_dir.with_name(data_dir.name + ".log")


def pid_file_for(data_dir: Path) -> Path:
    """``.kazgraph/neo4j.pid`` for the data folder ``.kazgraph/neo4j``."""
    data_dir = Path(data_dir).resolve()
    return data_dir.with_name(data_dir.name + ".pid")


# --- versions ----------------------------------------------------------------


def resolve_version(version: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The Neo4j version to run: ``version``, else KAZGRAPH_NEO4J_VERSION, else 5.26.19."""
    env = os.environ if env is None else env
    chosen = version or env.get(VERSION_VARIABLE) or DEFAULT_NEO4J_VERSION
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", chosen)
    if match is None or not (int(match[1]) == 5 or int(match[1]) >= FIRST_CALENDAR_YEAR):
        source = "--neo4j-version" if version else VERSION_VARIABLE
        raise DatabaseUnavailable(
            f"{source} is '{chosen}', which the local runner cannot run; give a Neo4j 5 "
            f"release such as {DEFAULT_NEO4J_VERSION} (the default, LTS) or a calendar "
            "release such as 2025.10.1."
        )
    return chosen


def is_calendar_release(version: str) -> bool:
    """True for 2025.10.1 and later calendar releases, False for 5.x."""
    return int(version.split(".")[0]) >= FIRST_CALENDAR_YEAR


def java_needed(version: str) -> int:
    """The oldest Java that runs ``version``: 17 for 5.x, 21 for calendar releases."""
    return 21 if is_calendar_release(version) else 17


def has_apoc(version: str) -> bool:
    """APOC core is on Maven Central for 5.x only, so only 5.x runners have it."""
    return not is_calendar_release(version)


def build_dir(version: str, runner_dir: Path = RUNNER_DIR) -> Path:
    """``neo4j-local/target/<version>``: classes, lib and plugins of that version's build."""
    return runner_dir / "target" / version


def _line(version: str) -> str:
    return "calendar" if is_calendar_release(version) else "5"


# --- build -------------------------------------------------------------------


def needs_build(runner_dir: Path = RUNNER_DIR, version: str | None = None) -> bool:
    """True unless the last build is newer than ``pom.xml`` and every source file."""
    stamp = build_dir(resolve_version(version), runner_dir) / BUILD_STAMP
    if not stamp.exists():
        return True
    inputs = [runner_dir / "pom.xml", *(p for p in (runner_dir / "src").rglob("*") if p.is_file())]
    built_at = stamp.stat().st_mtime
    return any(p.stat().st_mtime > built_at for p in inputs)


def ensure_built(runner_dir: Path = RUNNER_DIR, version: str | None = None) -> bool:
    """Build the runner for ``version`` with Maven unless it is up to date; True if it built."""
    version = resolve_version(version)
    if not needs_build(runner_dir, version):
        return False
    mvn = shutil.which("mvn")
    if mvn is None:
        raise DatabaseUnavailable(
            "Maven (mvn) was not found on PATH, and the local Neo4j runner in "
            f"{runner_dir} needs building; install Maven 3.8+ "
            "(Debian: `apt-get install maven`) or set NEO4J_URI to use another Neo4j."
        )
    java = find_java(java_needed(version), version)
    target = build_dir(version, runner_dir)
    (target / CLASS_ARCHIVE).unlink(missing_ok=True)  # made for the classes being replaced
    command = [*MAVEN_COMMAND[:-1], f"-Dneo4j.version={version}"]
    if is_calendar_release(version):
        command.append("-Dneo4j.calendar")
    command.append(MAVEN_COMMAND[-1])
    env = dict(os.environ)
    env["JAVA_HOME"] = str(_java_home(java))
    result = subprocess.run(
        [mvn, *command[1:]],
        cwd=runner_dir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = _strip_ansi(result.stdout + result.stderr)
        raise DatabaseUnavailable(
            f"Building the local Neo4j runner failed (`{' '.join(command)}` in "
            f"{runner_dir}, exit {result.returncode}); the last lines were:\n" + _tail(output)
        )
    (target / "plugins").mkdir(exist_ok=True)  # empty without APOC
    (target / BUILD_STAMP).touch()
    make_class_archive(version, runner_dir)
    return True


def make_class_archive(version: str, runner_dir: Path = RUNNER_DIR) -> bool:
    """Start the built runner once on a throwaway folder, run :data:`TRAINING`, and keep the
    classes its JVM loaded in ``classes.jsa`` (written as the JVM exits); True if it was
    written. Without it (a JVM that cannot dump one, a training start that failed) the
    runner starts as before, and a start that fails says why then."""
    archive = build_dir(version, runner_dir) / CLASS_ARCHIVE
    with tempfile.TemporaryDirectory(prefix="kazgraph-classes-") as tmp:
        dumped = Path(tmp) / CLASS_ARCHIVE
        data_dir = Path(tmp) / "neo4j"
        try:
            bolt_port, http_port = free_ports(2)
            settings = start(
                bolt_port=bolt_port,
                http_port=http_port,
                data_dir=data_dir,
                runner_dir=runner_dir,
                neo4j_version=version,
                java_options=[f"-XX:ArchiveClassesAtExit={dumped}"],
            ).runner.settings
            with connect(settings) as driver:
                for statement in TRAINING:
                    driver.execute_query(statement, database_=settings.database)
        except DatabaseUnavailable:
            return False
        finally:
            stop(data_dir, timeout=120.0)  # the JVM writes the archive as it exits
        if not dumped.exists():
            return False
        os.replace(dumped, archive)
    return True


def jvm_options(version: str, runner_dir: Path = RUNNER_DIR) -> list[str]:
    """The runner's JVM options, class archive (when there is one) and classpath: what the
    runner and neo4j-admin start ``java`` with."""
    target = build_dir(version, runner_dir)
    archive = target / CLASS_ARCHIVE
    return [
        f"@{runner_dir / 'jvm.args'}",
        *([f"-XX:SharedArchiveFile={archive}"] if archive.exists() else []),
        "-cp",
        f"{target / RUNNER_JAR}{os.pathsep}{target / 'lib' / '*'}",
    ]


def find_java(minimum: int = 17, neo4j: str = DEFAULT_NEO4J_VERSION) -> str:
    """A ``java`` of version ``minimum`` or newer.

    JAVA_HOME if set and new enough, else the ``java`` on PATH if new enough, else the newest
    JDK in /usr/lib/jvm (or macOS's folder); raise when there is none.
    """
    too_old: list[str] = []
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        if not os.access(java, os.X_OK):
            raise DatabaseUnavailable(
                f"JAVA_HOME is {java_home}, but there is no {java}; point JAVA_HOME at a "
                "Java 17 or 21 JDK, or unset it to use the java on PATH."
            )
        found = _java_version(str(java))
        if found >= minimum:
            return str(java)
        too_old.append(f"Java {found} in JAVA_HOME ({java_home})")
    java_on_path = shutil.which("java")
    if java_on_path is not None:
        found = _java_version(java_on_path)
        if found >= minimum:
            return java_on_path
        too_old.append(f"Java {found} on PATH ({java_on_path})")
    candidates = sorted(
        ((_java_version(str(java)), str(java)) for java in _installed_javas()),
        reverse=True,
    )
    if candidates and candidates[0][0] >= minimum:
        return candidates[0][1]
    too_old.extend(f"Java {found} in {Path(java).parent.parent}" for found, java in candidates)
    if not too_old:
        raise DatabaseUnavailable(
            "Java was not found (no JAVA_HOME, no java on PATH); the local Neo4j runner "
            "needs Java 17 or 21: install one (Debian: `apt-get install openjdk-17-jdk-headless`) "
            "or set NEO4J_URI to use another Neo4j."
        )
    raise DatabaseUnavailable(
        f"Neo4j {neo4j} needs Java {minimum} or newer, and there is only "
        + ", ".join(dict.fromkeys(too_old))
        + f"; install a JDK {minimum}+ (Debian: `apt-get install openjdk-{minimum}-jdk-headless`)"
        " and set JAVA_HOME to it, or run Neo4j "
        f"{DEFAULT_NEO4J_VERSION} (Java 17)."
    )


def _installed_javas() -> Iterator[Path]:
    for folder in JDK_FOLDERS:
        if not folder.is_dir():
            continue
        for jdk in sorted(folder.iterdir()):
            for java in (jdk / "bin" / "java", jdk / "Contents" / "Home" / "bin" / "java"):
                if os.access(java, os.X_OK):
                    yield java


def _java_home(java: str) -> Path:
    return Path(java).resolve().parent.parent


@functools.cache
def _java_version(java: str) -> int:
    """The feature version (17, 21, 25...) of ``java``: from its ``release`` file, else asked."""
    release = _java_home(java) / "release"
    text = ""
    with contextlib.suppress(OSError):
        text = release.read_text(errors="replace")
    match = re.search(r'^JAVA_VERSION="(?:1\.)?(\d+)', text, re.MULTILINE)
    if match is None:
        result = subprocess.run(
            [java, "-version"], capture_output=True, text=True, check=False,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        match = re.search(r'version "(?:1\.)?(\d+)', result.stderr + result.stdout)
    return int(match[1]) if match else 0


# --- start, stop, status ---------------------------------------------------


def start(
    bolt_port: int = LOCAL_BOLT_PORT,
    http_port: int = LOCAL_HTTP_PORT,
    data_dir: Path = DEFAULT_DATA_DIR,
    timeout: float = 120.0,
    runner_dir: Path = RUNNER_DIR,
    neo4j_version: str | None = None,
    auth: bool = False,
    java_options: Sequence[str] = (),
) -> Started:
    """Start the local Neo4j in the background, or find the one already running there.

    ``neo4j_version`` defaults to KAZGRAPH_NEO4J_VERSION, else 5.26.19. With ``auth``, user
    neo4j needs the password in NEO4J_PASSWORD. ``java_options`` go before the runner's own.
    """
    began = time.monotonic()
    data_dir = Path(data_dir).resolve()
    asked_version = neo4j_version or os.environ.get(VERSION_VARIABLE)
    version = resolve_version(neo4j_version)
    running = find_runner(data_dir)
    if running is not None:
        _check_running_matches(running, version if asked_version else None, auth)
        return Started(
            runner=running,
            log_file=log_file_for(data_dir),
            already_running=True,
            built=False,
            seconds=time.monotonic() - began,
        )

    if auth:
        _check_password()
    _check_data_dir_version(data_dir, version)
    java = find_java(java_needed(version), version)
    if bolt_port == http_port:
        raise DatabaseUnavailable(
            f"The Bolt and HTTP ports are both {bolt_port}; give them different numbers."
        )
    for name, port in (("Bolt", bolt_port), ("HTTP", http_port)):
        _check_port_free(name, port)
    built = ensure_built(runner_dir, version)

    data_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_file_for(data_dir)
    target = build_dir(version, runner_dir)
    command = [
        java,
        *java_options,
        *jvm_options(version, runner_dir),
        MAIN_CLASS,
        "--home", str(data_dir),
        "--bolt-port", str(bolt_port),
        "--http-port", str(http_port),
        "--plugins", str(target / "plugins"),
    ]  # fmt: skip
    if auth:
        command.append("--auth")
    env = dict(os.environ)
    if not auth:
        env.pop(PASSWORD_VARIABLE, None)  # the runner reads it only with --auth
    log_fd = _open_no_follow(log_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, "log")
    try:
        process = subprocess.Popen(
            command,
            cwd=data_dir.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_fd,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        os.close(log_fd)
    _children[process.pid] = process
    runner = Runner(process.pid, bolt_port, http_port, data_dir, version, auth)
    try:
        _write_pid_file(runner)
        _write_no_follow(data_dir / VERSION_FILE, version + "\n", "version")
        _wait_until_ready(process, runner, log_file, timeout)
    except BaseException:
        _end(runner, timeout=10.0)
        pid_file_for(data_dir).unlink(missing_ok=True)
        raise
    return Started(
        runner=runner,
        log_file=log_file,
        already_running=False,
        built=built,
        seconds=time.monotonic() - began,
    )


def stop(data_dir: Path = DEFAULT_DATA_DIR, timeout: float = 60.0) -> Stopped:
    """Stop the local Neo4j of ``data_dir`` with SIGTERM (SIGKILL after ``timeout``).

    The runner is found by its pid file when that is right, else by its command line; a pid
    file that names another process only gets removed.
    """
    began = time.monotonic()
    data_dir = Path(data_dir).resolve()
    runner = find_runner(data_dir)
    if runner is None:
        pid_file_for(data_dir).unlink(missing_ok=True)  # stale, if there was one
        return Stopped(data_dir=data_dir, was_running=False)
    forced = _end(runner, timeout)
    pid_file_for(data_dir).unlink(missing_ok=True)
    return Stopped(
        data_dir=data_dir,
        was_running=True,
        pid=runner.pid,
        forced=forced,
        seconds=time.monotonic() - began,
    )


def status(settings: Settings, data_dir: Path = DEFAULT_DATA_DIR) -> Status:
    """Ask the Neo4j of ``settings`` for its version, edition and counts.

    With the default URI and a local runner on other ports, that runner is the one asked.
    """
    runner = find_runner(Path(data_dir))
    if runner is not None and settings.is_local:
        settings = replace(settings, uri=runner.bolt_uri)
    try:
        with connect(settings) as driver:
            component = server_info(driver, settings.database)
            rows: list[dict[str, int]] = read(
                driver,
                settings.database,
                "RETURN COUNT { MATCH (n) } AS nodes, COUNT { MATCH ()-[r]->() } AS relationships",
            )
            counts = rows[0]
            load = load_state(driver, settings.database)
    except DatabaseUnavailable as exc:
        return Status(
            uri=settings.uri,
            database=settings.database,
            running=False,
            runner=runner,
            problem=str(exc),
        )
    return Status(
        uri=settings.uri,
        database=settings.database,
        running=True,
        version=component["version"],
        edition=component["edition"],
        nodes=counts["nodes"],
        relationships=counts["relationships"],
        runner=runner if runner is not None and runner.bolt_uri == settings.uri else None,
        load=str(load),
    )


def find_runner(data_dir: Path = DEFAULT_DATA_DIR) -> Runner | None:
    """The live runner of ``data_dir``, else None.

    The pid file says where to look first; when it is missing, stale or names another process,
    the runner is looked for among the processes by its command line.
    """
    data_dir = Path(data_dir).resolve()
    recorded = _read_pid_file(data_dir)
    if recorded is not None and recorded.data_dir == data_dir:
        process = _process(recorded.pid)
        if process is not None and _serves(process, data_dir):
            return recorded
    for process in psutil.process_iter(["cmdline"]):
        if _serves(process, data_dir):
            found = _runner_from_command(process, data_dir)
            if found is not None:
                return found
    return None


def free_ports(count: int = 1) -> list[int]:
    """Ports on 127.0.0.1 that nothing listens on now, all different (for tests, mostly)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for s in sockets:
            s.bind((HOST, 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


# --- helpers -----------------------------------------------------------------


def _check_running_matches(running: Runner, version: str | None, auth: bool) -> None:
    """Refuse to pass off a running runner as the one asked for when it is not."""
    problems = []
    if version is not None and running.neo4j_version != version:
        problems.append(f"Neo4j {running.neo4j_version}, not {version}")
    if auth and not running.auth:
        problems.append("without authentication")
    if problems:
        raise DatabaseUnavailable(
            f"The local Neo4j for {running.data_dir} is already running (pid {running.pid}) "
            f"with {' and '.join(problems)}; stop it first with `kazgraph db stop`."
        )


def _check_password() -> None:
    password = os.environ.get(PASSWORD_VARIABLE, "")
    if not password:
        raise DatabaseUnavailable(
            f"--auth needs the password for user neo4j in {PASSWORD_VARIABLE}, which is not "
            f"set; set it (at least {MIN_PASSWORD_LENGTH} characters) and start again."
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DatabaseUnavailable(
            f"{PASSWORD_VARIABLE} is shorter than the {MIN_PASSWORD_LENGTH} characters Neo4j "
            "asks of a password; choose a longer one."
        )


def _check_data_dir_version(data_dir: Path, version: str) -> None:
    """Refuse a data folder made by the other version line (5.x against calendar releases)."""
    marker = data_dir / VERSION_FILE
    try:
        made_by = _read_no_follow(marker, "version").strip()
    except FileNotFoundError:
        if not (data_dir / "data" / "databases").is_dir():
            return  # a new folder
        made_by = "5.x"  # written before the runner recorded versions: 5.26
    if not made_by or _line(made_by if made_by != "5.x" else "5.0.0") == _line(version):
        return
    raise DatabaseUnavailable(
        f"The data folder {data_dir} holds a graph made by Neo4j {made_by}, which Neo4j "
        f"{version} does not share (5.x and calendar releases keep different stores); start "
        f"it with --neo4j-version {made_by if made_by != '5.x' else DEFAULT_NEO4J_VERSION}, or "
        f"give Neo4j {version} its own folder, e.g. `kazgraph db start --neo4j-version "
        f"{version} --data-dir {data_dir}-{version}`."
    )


def _wait_until_ready(
    process: subprocess.Popen[bytes], runner: Runner, log_file: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        exit_code = process.poll()
        if exit_code is not None:
            _children.pop(process.pid, None)
            raise DatabaseUnavailable(
                f"The local Neo4j stopped while starting (exit {exit_code}); the last lines "
                f"of {log_file} were:\n{_tail(_read(log_file))}"
            )
        if READY_LINE in _read(log_file):
            break
        if time.monotonic() > deadline:
            raise DatabaseUnavailable(
                f"The local Neo4j was not ready after {timeout:.0f} s, so it was stopped; "
                f"the last lines of {log_file} were:\n{_tail(_read(log_file))}"
            )
        time.sleep(0.2)
    # The runner says it is ready once Bolt listens; make sure Bolt answers.
    with connect(runner.settings):
        pass


def _end(runner: Runner, timeout: float) -> bool:
    """SIGTERM the runner and wait; SIGKILL it after ``timeout``. True if it was killed.

    Only a process that still is the runner of ``runner.data_dir`` gets a signal; psutil
    also checks that the pid has not been reused since it was looked up.
    """
    process = _process(runner.pid)
    if process is None or not _serves(process, runner.data_dir):
        return False
    try:
        process.terminate()
        if _wait_gone(process, timeout):
            return False
        process.kill()
    except psutil.NoSuchProcess:
        return False
    _wait_gone(process, None)
    return True


def _wait_gone(process: psutil.Process, timeout: float | None) -> bool:
    """Wait until ``process`` has ended (and reap it if it is our child); True if it did."""
    child = _children.get(process.pid)
    try:
        if child is not None:
            child.wait(timeout)
            del _children[process.pid]
        else:
            process.wait(timeout)
    except (subprocess.TimeoutExpired, psutil.TimeoutExpired):
        return False
    return True


def _process(pid: int) -> psutil.Process | None:
    """The live (not zombie) process ``pid``, else None."""
    child = _children.get(pid)
    if child is not None and child.poll() is not None:
        del _children[pid]  # reaped now
        return None
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    return process


def _serves(process: psutil.Process, data_dir: Path) -> bool:
    """True if ``process`` is a live LocalNeo4j with ``--home data_dir`` (not a reused pid)."""
    try:
        command = process.cmdline()
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
    return MAIN_CLASS in command and _option(command, "--home") == str(data_dir)


def _option(command: list[str], name: str) -> str | None:
    """The value after ``name`` in ``command``, after the main class (the runner's own)."""
    try:
        args = command[command.index(MAIN_CLASS) + 1 :]
        return args[args.index(name) + 1]
    except (ValueError, IndexError):
        return None


def _runner_from_command(process: psutil.Process, data_dir: Path) -> Runner | None:
    """The Runner that ``process``'s command line describes (when its pid file is no help)."""
    try:
        command = process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return None
    classpath = _option_before_main(command, "-cp") or ""
    built = re.search(r"target[/\\]([0-9][0-9.]*[0-9])[/\\]", classpath)
    try:
        return Runner(
            pid=process.pid,
            bolt_port=int(_option(command, "--bolt-port") or LOCAL_BOLT_PORT),
            http_port=int(_option(command, "--http-port") or LOCAL_HTTP_PORT),
            data_dir=data_dir,
            neo4j_version=built[1] if built else DEFAULT_NEO4J_VERSION,
            auth="--auth" in command[command.index(MAIN_CLASS) + 1 :],
        )
    except ValueError:
        return None


def _option_before_main(command: list[str], name: str) -> str | None:
    try:
        java_args = command[: command.index(MAIN_CLASS)]
        return java_args[java_args.index(name) + 1]
    except (ValueError, IndexError):
        return None


def _check_port_free(name: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise DatabaseUnavailable(
                f"Port {port} on {HOST}, wanted for {name}, is already in use by another "
                "program (another Neo4j?); stop it, or pick free ports, e.g. "
                "`kazgraph db start --bolt-port 7688 --http-port 7475`."
            ) from exc


def _read_pid_file(data_dir: Path) -> Runner | None:
    try:
        record = json.loads(_read_no_follow(pid_file_for(data_dir), "pid"))
        return Runner(
            pid=int(record["pid"]),
            bolt_port=int(record["bolt_port"]),
            http_port=int(record["http_port"]),
            data_dir=Path(record["data_dir"]),
            neo4j_version=str(record.get("neo4j_version", DEFAULT_NEO4J_VERSION)),
            auth=bool(record.get("auth", False)),
        )
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # an unreadable pid file: treat it as stale


def _write_pid_file(runner: Runner) -> None:
    record = {
        "pid": runner.pid,
        "bolt_port": runner.bolt_port,
        "http_port": runner.http_port,
        "data_dir": str(runner.data_dir),
        "neo4j_version": runner.neo4j_version,
        "auth": runner.auth,
    }
    pid_file = pid_file_for(runner.data_dir)
    partial = pid_file.with_suffix(".pid.partial")
    _write_no_follow(partial, json.dumps(record, indent=2) + "\n", "pid")
    partial.replace(pid_file)  # a rename replaces a link at pid_file, never follows it


def _open_no_follow(path: Path, flags: int, kind: str) -> int:
    """``os.open`` that refuses a symbolic link at ``path`` with an error a person can act on."""
    try:
        return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise DatabaseUnavailable(
            f"The runner's {kind} file {path} is a symbolic link, which kazgraph does not "
            "follow (it could point at any file); remove it and try again."
        ) from exc


def _write_no_follow(path: Path, text: str, kind: str) -> None:
    fd = _open_no_follow(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, kind)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)


def _read_no_follow(path: Path, kind: str) -> str:
    fd = _open_no_follow(path, os.O_RDONLY, kind)
    with os.fdopen(fd, encoding="utf-8", errors="replace") as file:
        return file.read()


def _read(path: Path) -> str:
    try:
        return _read_no_follow(path, "log")
    except FileNotFoundError:
        return ""


def _tail(text: str, lines: int = LOG_TAIL_LINES) -> str:
    kept = [line for line in text.splitlines() if line.strip()][-lines:]
    return "\n".join(f"  {line}" for line in kept) if kept else "  (nothing)"


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
