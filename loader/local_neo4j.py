"""The local Neo4j runner: build it, start it in the background, stop it, ask how it is.

The runner is the small Maven project in ``neo4j-local/`` (Neo4j Community, APOC core and
Neo4j Browser in one JVM). ``start`` builds it once, launches it in its own session, waits
until it says it is ready and writes a pid file; ``stop`` ends it with SIGTERM. Beside a data
folder ``.kazgraph/neo4j/`` the runner keeps ``.kazgraph/neo4j.log`` (its output, replaced at
each start) and ``.kazgraph/neo4j.pid`` (JSON: pid, ports, data folder).

Nothing here prints: every function returns a dataclass, and every failure a person can fix
is a :class:`~loader.errors.DatabaseUnavailable` that says what to do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

from neo4j import RoutingControl

from loader.database import connect
from loader.errors import DatabaseUnavailable
from loader.settings import LOCAL_BOLT_PORT, LOCAL_HTTP_PORT, PROJECT_ROOT, Settings

RUNNER_DIR = PROJECT_ROOT / "neo4j-local"
DEFAULT_DATA_DIR = PROJECT_ROOT / ".kazgraph" / "neo4j"
HOST = "127.0.0.1"
MAIN_CLASS = "kazgraph.LocalNeo4j"
READY_LINE = "kazgraph-neo4j ready"
BUILD_STAMP = "kazgraph-build.stamp"
MAVEN_COMMAND = ["mvn", "-q", "-B", "-Dstyle.color=never", "package"]
LOG_TAIL_LINES = 25

# Popen objects of the runners this process started, kept so that they are reaped (no
# zombies, no "still running" warnings) and so that ``stop`` can wait on them.
_children: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class Runner:
    """A running local Neo4j, as its pid file records it."""

    pid: int
    bolt_port: int
    http_port: int
    data_dir: Path

    @property
    def bolt_uri(self) -> str:
        return f"bolt://{HOST}:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        """Neo4j Browser, set to connect to this runner without a password."""
        return (
            f"http://{HOST}:{self.http_port}/browser/"
            f"?dbms={self.bolt_uri}&preselectAuthMethod=NO_AUTH"
        )

    @property
    def settings(self) -> Settings:
        return Settings(uri=self.bolt_uri)


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


def log_file_for(data_dir: Path) -> Path:
    """``.kazgraph/neo4j.log`` for the data folder ``.kazgraph/neo4j``."""
    data_dir = Path(data_dir).resolve()
    return data_dir.with_name(data_dir.name + ".log")


def pid_file_for(data_dir: Path) -> Path:
    """``.kazgraph/neo4j.pid`` for the data folder ``.kazgraph/neo4j``."""
    data_dir = Path(data_dir).resolve()
    return data_dir.with_name(data_dir.name + ".pid")


# --- build -------------------------------------------------------------------


def needs_build(runner_dir: Path = RUNNER_DIR) -> bool:
    """True unless the last build is newer than ``pom.xml`` and every source file."""
    stamp = runner_dir / "target" / BUILD_STAMP
    if not stamp.exists():
        return True
    inputs = [runner_dir / "pom.xml", *(p for p in (runner_dir / "src").rglob("*") if p.is_file())]
    built_at = stamp.stat().st_mtime
    return any(p.stat().st_mtime > built_at for p in inputs)


def ensure_built(runner_dir: Path = RUNNER_DIR) -> bool:
    """Build the runner with Maven unless it is up to date; return True if it built."""
    if not needs_build(runner_dir):
        return False
    mvn = shutil.which("mvn")
    if mvn is None:
        raise DatabaseUnavailable(
            "Maven (mvn) was not found on PATH, and the local Neo4j runner in "
            f"{runner_dir} needs building; install Maven 3.8+ "
            "(Debian: `apt-get install maven`) or set NEO4J_URI to use another Neo4j."
        )
    java = find_java()
    env = dict(os.environ)
    env.setdefault("JAVA_HOME", str(Path(java).resolve().parent.parent))
    result = subprocess.run(
        [mvn, *MAVEN_COMMAND[1:]],
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
            f"Building the local Neo4j runner failed (`{' '.join(MAVEN_COMMAND)}` in "
            f"{runner_dir}, exit {result.returncode}); the last lines were:\n" + _tail(output)
        )
    (runner_dir / "target" / BUILD_STAMP).touch()
    return True


def find_java() -> str:
    """The ``java`` of JAVA_HOME if set, else the one on PATH; raise if there is none."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        if not os.access(java, os.X_OK):
            raise DatabaseUnavailable(
                f"JAVA_HOME is {java_home}, but there is no {java}; point JAVA_HOME at a "
                "Java 17 or 21 JDK, or unset it to use the java on PATH."
            )
        return str(java)
    java_on_path = shutil.which("java")
    if java_on_path is None:
        raise DatabaseUnavailable(
            "Java was not found (no JAVA_HOME, no java on PATH); the local Neo4j runner "
            "needs Java 17 or 21: install one (Debian: `apt-get install openjdk-17-jdk-headless`) "
            "or set NEO4J_URI to use another Neo4j."
        )
    return java_on_path


# --- start, stop, status ---------------------------------------------------


def start(
    bolt_port: int = LOCAL_BOLT_PORT,
    http_port: int = LOCAL_HTTP_PORT,
    data_dir: Path = DEFAULT_DATA_DIR,
    timeout: float = 120.0,
    runner_dir: Path = RUNNER_DIR,
) -> Started:
    """Start the local Neo4j in the background, or find the one already running there."""
    began = time.monotonic()
    data_dir = Path(data_dir).resolve()
    running = find_runner(data_dir)
    if running is not None:
        return Started(
            runner=running,
            log_file=log_file_for(data_dir),
            already_running=True,
            built=False,
            seconds=time.monotonic() - began,
        )

    java = find_java()
    if bolt_port == http_port:
        raise DatabaseUnavailable(
            f"The Bolt and HTTP ports are both {bolt_port}; give them different numbers."
        )
    for name, port in (("Bolt", bolt_port), ("HTTP", http_port)):
        _check_port_free(name, port)
    built = ensure_built(runner_dir)

    data_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_file_for(data_dir)
    target = runner_dir / "target"
    command = [
        java,
        f"@{runner_dir / 'jvm.args'}",
        "-cp",
        f"{target / 'classes'}{os.pathsep}{target / 'lib' / '*'}",
        MAIN_CLASS,
        "--home", str(data_dir),
        "--bolt-port", str(bolt_port),
        "--http-port", str(http_port),
        "--plugins", str(target / "plugins"),
    ]  # fmt: skip
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=data_dir.parent,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _children[process.pid] = process
    runner = Runner(process.pid, bolt_port, http_port, data_dir)
    _write_pid_file(runner)
    try:
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
    """Stop the local Neo4j of ``data_dir`` with SIGTERM (SIGKILL after ``timeout``)."""
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
            component = driver.execute_query(
                "CALL dbms.components() YIELD name, versions, edition "
                "RETURN versions[0] AS version, edition",
                database_=settings.database,
                routing_=RoutingControl.READ,
            ).records[0]
            counts = driver.execute_query(
                "RETURN COUNT { MATCH (n) } AS nodes, COUNT { MATCH ()-[r]->() } AS relationships",
                database_=settings.database,
                routing_=RoutingControl.READ,
            ).records[0]
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
    )


def find_runner(data_dir: Path = DEFAULT_DATA_DIR) -> Runner | None:
    """The runner recorded in the pid file of ``data_dir`` if it is alive, else None."""
    data_dir = Path(data_dir).resolve()
    pid_file = pid_file_for(data_dir)
    try:
        record = json.loads(pid_file.read_text())
        runner = Runner(
            pid=int(record["pid"]),
            bolt_port=int(record["bolt_port"]),
            http_port=int(record["http_port"]),
            data_dir=Path(record["data_dir"]),
        )
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return None  # an unreadable pid file: treat it as stale
    if runner.data_dir != data_dir or not _is_runner_process(runner.pid, data_dir):
        return None
    return runner


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
    """SIGTERM the runner and wait; SIGKILL its group after ``timeout``. True if killed."""
    try:
        os.kill(runner.pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(runner.pid):
            return False
        time.sleep(0.1)
    try:
        os.killpg(runner.pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    while _alive(runner.pid):
        time.sleep(0.05)
    return True


def _alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _children[pid]
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return fields[0] == "Z"


def _is_runner_process(pid: int, data_dir: Path) -> bool:
    """True if ``pid`` is a live LocalNeo4j serving ``data_dir`` (not a reused pid)."""
    if not _alive(pid):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            return False
        command = [a.decode(errors="replace") for a in args]
    else:  # no /proc (macOS): ask ps
        result = subprocess.run(
            ["ps", "-o", "command=", "-p", str(pid)],
            capture_output=True,
            text=True,
            check=False,
        )
        command = result.stdout.split()
    return MAIN_CLASS in command and str(data_dir) in command


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


def _write_pid_file(runner: Runner) -> None:
    record = {
        "pid": runner.pid,
        "bolt_port": runner.bolt_port,
        "http_port": runner.http_port,
        "data_dir": str(runner.data_dir),
    }
    pid_file = pid_file_for(runner.data_dir)
    partial = pid_file.with_suffix(".pid.partial")
    partial.write_text(json.dumps(record, indent=2) + "\n")
    partial.replace(pid_file)


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return ""


def _tail(text: str, lines: int = LOG_TAIL_LINES) -> str:
    kept = [line for line in text.splitlines() if line.strip()][-lines:]
    return "\n".join(f"  {line}" for line in kept) if kept else "  (nothing)"


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
