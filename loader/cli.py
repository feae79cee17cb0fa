"""The ``kazgraph`` command line: a thin layer over the library's functions.

Each command imports what it needs, so that ``kazgraph --help``, ``query list`` and
``query show`` load no driver, pandas, networkx, pydantic or matplotlib (see below).

**The driver without the DataFrame libraries.** The official ``neo4j`` driver imports numpy,
pandas and pyarrow whenever they are installed (``neo4j/_optional_deps.py``), only so that
it can take their values as query parameters: more than half a second of CPU before a
command has connected. So every command that talks to Neo4j first imports the driver
through :func:`import_driver_without_dataframes`, which hides those libraries from it when
nothing has imported them yet and puts them back straight after: a later ``import pandas``
(the load path's rows, ``Answer.to_frame``) works as usual. The cost: in a ``kazgraph``
process the driver refuses numpy and pandas values as parameters (``ValueError: Values of
type ... are not supported``). kazgraph never sends any: parameters are parsed into str,
int, float and bool, and the load turns its frames into plain records first
(``to_dict("records")``, whose values are Python's own).

This is done here, for the ``kazgraph`` process alone, and not in the library
(``loader.database``): a program or notebook that imports kazgraph owns its process and may
give numpy or pandas values to the same driver module, which is one per process; hiding the
libraries there would change the driver under it, depending on which import came first. A
program that wants the quick start too may call :func:`import_driver_without_dataframes`
before anything imports ``neo4j``.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import click

from loader.errors import DatabaseUnavailable, KazgraphError, ValidationError
from loader.settings import LOCAL_BOLT_PORT, LOCAL_HTTP_PORT, PROJECT_ROOT, Settings

# Import what the command needs: `kazgraph --help`, `query list` and `query show` must not
# pay for the Neo4j driver, pandas, networkx, pydantic or matplotlib. Names used across
# several commands are stand-ins that import their module on first use; mypy sees the
# real ones.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from loader import pictures
    from loader.answer import Answer
    from loader.database import connect
    from loader.export import check_target as check_export_target
    from loader.export import export as export_graph
    from loader.facts import Dataset, load_dataset
    from loader.saved_queries import find_saved_query, run_saved_query_graph
    from loader.verify import citation_problems
    from loader.write import LoadSummary, LockHolder
    from loader.write import load as load_graph
else:

    def _lazy(module: str, name: str) -> Callable[..., Any]:
        """A stand-in for ``module.name`` that imports the module when first called."""

        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(module), name)(*args, **kwargs)

        call.__name__ = name
        return call

    def _lazy_module(name: str) -> ModuleType:
        """A module object that runs the module when an attribute is first read."""
        if name in sys.modules:
            return sys.modules[name]
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None, name
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    Console = _lazy("rich.console", "Console")
    Progress = _lazy("rich.progress", "Progress")
    pictures = _lazy_module("loader.pictures")
    connect = _lazy("loader.database", "connect")
    export_graph = _lazy("loader.export", "export")
    check_export_target = _lazy("loader.export", "check_target")
    load_dataset = _lazy("loader.facts", "load_dataset")
    find_saved_query = _lazy("loader.saved_queries.files", "find_saved_query")
    run_saved_query_graph = _lazy("loader.saved_queries.run", "run_saved_query_graph")
    citation_problems = _lazy("loader.verify", "citation_problems")
    load_graph = _lazy("loader.write", "load")

DEFAULT_DATA_DIR = PROJECT_ROOT / "data"  # loader.facts.DEFAULT_DATA_DIR (a test checks)
DEFAULT_SOURCES_DIR = PROJECT_ROOT.parent / "shared" / "sources"  # loader.verify's
LOCAL_DATA_DIR = PROJECT_ROOT / ".kazgraph" / "neo4j"  # loader.local_neo4j.DEFAULT_DATA_DIR
NEO4J_VERSION_VARIABLE = "KAZGRAPH_NEO4J_VERSION"  # loader.local_neo4j.VERSION_VARIABLE
LTS_VERSION = "5.26.19"  # loader.local_neo4j.DEFAULT_NEO4J_VERSION
EXPORT_FORMATS = ("json", "graphml", "gexf", "csv", "cypher")  # loader.export.WRITERS


DATAFRAME_LIBRARIES = ("numpy", "pandas", "pyarrow")


def import_driver_without_dataframes() -> None:
    """Import the ``neo4j`` driver with numpy, pandas and pyarrow hidden from it, those of
    them that are not imported yet, then make them importable again (see the module's
    docstring for why, and what it costs). Does nothing once ``neo4j`` is imported."""
    if "neo4j" in sys.modules:
        return
    hidden = [name for name in DATAFRAME_LIBRARIES if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` fails at once
    try:
        importlib.import_module("neo4j")
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def connection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --uri/--user/--password/--database and pass a resolved ``settings``; import the
    driver the quick way (:func:`import_driver_without_dataframes`) before the command runs."""

    @click.option("--uri", help="Bolt URI (default: NEO4J_URI, else the local runner).")
    @click.option("--user", help="User name (default: NEO4J_USER, else neo4j).")
    @click.option("--password", help="Password (default: NEO4J_PASSWORD; none for local).")
    @click.option("--database", help="Database name (default: NEO4J_DATABASE, else neo4j).")
    @functools.wraps(func)
    def wrapper(
        uri: str | None, user: str | None, password: str | None, database: str | None, **kwargs: Any
    ) -> Any:
        settings = Settings.resolve(uri=uri, user=user, password=password, database=database)
        import_driver_without_dataframes()
        return func(settings=settings, **kwargs)

    return wrapper


class KazgraphGroup(click.Group):
    """The one place errors become messages: the package's own errors, and a file that
    cannot be written or read (``-o`` to a folder that does not exist), each one line of
    ``Error: …`` and exit status 1, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KazgraphError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            if exc.filename is None:
                raise
            raise click.ClickException(f"{exc.filename}: {exc.strerror}") from exc


@click.group(cls=KazgraphGroup)
@click.version_option(package_name="kazgraph")
def main() -> None:
    """A knowledge graph of Kazakhstan's foreign relations, in Neo4j."""


# --- db: the local Neo4j runner ---------------------------------------------


db_data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=LOCAL_DATA_DIR,
    show_default=".kazgraph/neo4j",
    help="Folder that holds the graph; kept between runs.",
)


def _shown(path: Path) -> str:
    """A path relative to the working folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _data_dir_flag(data_dir: Path) -> str:
    default = data_dir.resolve() == LOCAL_DATA_DIR.resolve()
    return "" if default else f" --data-dir {_shown(data_dir)}"


@main.group()
def db() -> None:
    """Run Neo4j on this machine: Community 5.26 LTS (or a 2025 calendar release) with Browser.

    Needs Java 17 (21+ for calendar releases) and, the first time, Maven. Listens on
    127.0.0.1 only, without a password unless `db start --auth`. Leave NEO4J_URI unset and
    every kazgraph command uses it.

    \b
    Example:
        kazgraph db start && kazgraph db status && kazgraph db stop
    """


@db.command(name="start")
@click.option(
    "--bolt-port",
    type=click.IntRange(1, 65535),
    default=LOCAL_BOLT_PORT,
    show_default=True,
    help="Port for Bolt (drivers, cypher-shell).",
)
@click.option(
    "--http-port",
    type=click.IntRange(1, 65535),
    default=LOCAL_HTTP_PORT,
    show_default=True,
    help="Port for HTTP (Neo4j Browser at /browser/).",
)
@db_data_dir_option
@click.option(
    "--neo4j-version",
    metavar="VERSION",
    help=f"Neo4j to run: {LTS_VERSION} LTS, or a calendar "
    "release such as 2025.10.1 (Java 21+, no APOC). Default: "
    f"{NEO4J_VERSION_VARIABLE}, else {LTS_VERSION}.",
)
@click.option(
    "--auth", is_flag=True, help="Turn authentication on: user neo4j, password from NEO4J_PASSWORD."
)
def db_start(
    bolt_port: int, http_port: int, data_dir: Path, neo4j_version: str | None, auth: bool
) -> None:
    """Start the local Neo4j in the background and wait until it answers.

    The first start of a version builds the runner with Maven (a few minutes while it
    downloads). A start while it already runs says so and succeeds. Its output goes to
    .kazgraph/neo4j.log. A data folder stays with the version line that made it (5.x or
    calendar releases).

    \b
    Example:
        kazgraph db start
        kazgraph db start --bolt-port 7688 --http-port 7475 --data-dir /tmp/kazgraph-neo4j
        NEO4J_PASSWORD=... kazgraph db start --auth
        kazgraph db start --neo4j-version 2025.10.1 --data-dir .kazgraph/neo4j-2025
    """
    from loader import local_neo4j

    started = local_neo4j.start(
        bolt_port=bolt_port,
        http_port=http_port,
        data_dir=data_dir,
        neo4j_version=neo4j_version,
        auth=auth,
    )
    runner = started.runner
    if started.already_running:
        click.echo(
            f"Neo4j is already running (pid {runner.pid}) with data in {_shown(runner.data_dir)}"
        )
    else:
        built = ", after building the runner" if started.built else ""
        click.echo(
            f"Neo4j {runner.neo4j_version} started (pid {runner.pid}) in "
            f"{started.seconds:.1f} s{built}, with data in {_shown(runner.data_dir)}"
        )
    login = "user neo4j, password from NEO4J_PASSWORD" if runner.auth else "no password"
    click.echo(f"  Bolt:    {runner.bolt_uri} ({login})")
    click.echo(f"  Browser: {runner.browser_url}")
    click.echo(f"  Log:     {_shown(started.log_file)}")
    click.echo(f"Stop it with: kazgraph db stop{_data_dir_flag(runner.data_dir)}")


@db.command(name="stop")
@db_data_dir_option
def db_stop(data_dir: Path) -> None:
    """Stop the local Neo4j (SIGTERM, so it shuts down cleanly); the data stays.

    \b
    Example:
        kazgraph db stop
    """
    from loader import local_neo4j

    stopped = local_neo4j.stop(data_dir=data_dir)
    if not stopped.was_running:
        click.echo(f"Neo4j was not running for {_shown(stopped.data_dir)}; nothing to stop")
        return
    how = "killed after it ignored SIGTERM" if stopped.forced else "stopped"
    click.echo(f"Neo4j (pid {stopped.pid}) {how} in {stopped.seconds:.1f} s")


@db.command(name="status")
@connection_options
@db_data_dir_option
def db_status(settings: Settings, data_dir: Path) -> None:
    """Show whether Neo4j answers, with its version and counts.

    Prints the version and edition and how many nodes and relationships the database holds;
    exits with status 1 when Neo4j does not answer. Without --uri or NEO4J_URI it asks the
    local runner.

    \b
    Example:
        kazgraph db status
        NEO4J_URI=neo4j+s://xxxx.databases.neo4j.io NEO4J_PASSWORD=... kazgraph db status
    """
    from rich.markup import escape

    from loader import local_neo4j
    from loader.database import shown_uri

    found = local_neo4j.status(settings, data_dir=data_dir)
    console = Console(highlight=False)
    if not found.running:
        raise DatabaseUnavailable(found.problem or f"Neo4j is not running at {found.uri}")
    rows = [
        ("Neo4j", f"{found.version} {found.edition}"),
        ("URI", f"{shown_uri(found.uri)} (database {found.database})"),
        ("Nodes", f"{found.nodes:,}"),
        ("Relationships", f"{found.relationships:,}"),
        ("Load", found.load or "unknown"),
    ]
    if found.runner is not None:
        rows.append(
            ("Local runner", f"pid {found.runner.pid}, data in {_shown(found.runner.data_dir)}")
        )
        rows.append(("Browser", found.runner.browser_url))
    console.print("[bold green]Neo4j is running[/]")
    for label, value in rows:  # soft_wrap: long URLs stay whole, for copying
        console.print(f"  [bold]{label + ':':<14}[/] {escape(value)}", soft_wrap=True)


# --- curating and checking facts ---------------------------------------------
data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA_DIR,
    show_default="data/",
    help="Folder of curated facts.",
)
sources_option = click.option(
    "--sources",
    "sources_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_SOURCES_DIR,
    show_default="../shared/sources",
    help="Folder holding the source text files.",
)


@main.command()
@data_option
@sources_option
def verify(data_dir: Path, sources_dir: Path) -> None:
    """Check every fact's locators, hashes, names and figures against the sources.

    Example:

        kazgraph verify --sources ../shared/sources
    """
    from loader.verify import verify as verify_facts

    report = verify_facts(load_dataset(data_dir), sources_dir)
    click.echo(
        f"{report.sources} sources, {report.facts} facts "
        f"({report.background} background), {report.citations} citations checked"
    )
    for problem in report.mismatches:
        click.echo(f"  MISMATCH {problem}")
    if not report.ok:
        raise click.ClickException(f"{len(report.mismatches)} mismatch(es)")
    click.echo("every fact verified")


# --- sources: register, list, show, search; propose candidates -----------------------------
@main.group()
def source() -> None:
    """Register source texts and read their sentences."""


@source.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "source_id", required=True, help="Short slug, e.g. sanchez-2020.")
@click.option("--author", required=True, help="Author(s) of the text.")
@click.option("--title", required=True, help="Title of the text.")
@click.option("--date", required=True, help="Partial ISO date: 2020, 2020-04 or 2020-04-15.")
@click.option("--subject", help="Entity id the text may leave implicit, e.g. KAZ.")
@click.option("--date-note", help="The source's own wording of a vague date.")
@data_option
@sources_option
def source_add(
    file: Path,
    source_id: str,
    author: str,
    title: str,
    date: str,
    subject: str | None,
    date_note: str | None,
    data_dir: Path,
    sources_dir: Path,
) -> None:
    """Register FILE: copy it into the sources folder and append it to sources.yaml.

    \b
    Example:
        kazgraph source add notes.txt --id notes-2024 --author Me --title Notes --date 2024-12
    """
    from loader import registry

    added = registry.add_source(
        file, source_id, author, title, date, subject, data_dir, sources_dir, date_note
    )
    click.echo(f"registered {added.id} ({added.file}, sha256 {added.sha256})")


@source.command("list")
@data_option
@sources_option
def source_list(data_dir: Path, sources_dir: Path) -> None:
    """List the registered sources: sentences, facts citing them, citations that verify.

    \b
    Example:
        kazgraph source list
    """
    from rich.table import Table

    from loader import registry

    table = Table("id", "date", "author", "sentences", "facts", "verified")
    for row in registry.list_sources(data_dir, sources_dir):
        share = row.verified_share
        table.add_row(
            row.id,
            row.date,
            row.author,
            "missing" if row.sentences is None else str(row.sentences),
            str(row.facts),
            "-" if share is None else f"{share:.0%} of {row.citations}",
        )
    Console().print(table)


@source.command("show")
@click.argument("ref")
@data_option
@sources_option
def source_show(ref: str, data_dir: Path, sources_dir: Path) -> None:
    """Print the sentences REF names (ID, ID#p43 or ID#p43.s6) with locators and hashes.

    \b
    Example:
        kazgraph source show kassenova-2022#p43.s6
    """
    from loader import registry

    for s in registry.show_source(ref, data_dir, sources_dir):
        click.echo(f"{registry.locator(s)}  sha256 {s.sha256}\n  {s.text}")


@source.command("search")
@click.argument("words")
@click.option("--source", "source_id", help="Only this source id.")
@click.option("--anywhere", is_flag=True, help="Match inside words too, not only at their start.")
@data_option
@sources_option
def source_search(
    words: str, source_id: str | None, anywhere: bool, data_dir: Path, sources_dir: Path
) -> None:
    """Find sentences containing every one of WORDS, matched at the start of words.

    \b
    Example:
        kazgraph source search "sanction russ"
    """
    from loader import registry

    found = registry.search_sources(words, data_dir, sources_dir, source_id, anywhere)
    if not found:
        raise click.ClickException(f"no sentence contains all of: {words}")
    for s in found:
        click.echo(f"# {s.text}")
        click.echo(f"- {{source: {s.source}, para: {s.para}, sent: {s.sent}, sha256: {s.sha256}}}")


@main.command()
@click.argument("source_id")
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA_DIR,
    show_default="data/",
    help="Data folder to write entities/ and facts/candidates-<id>.yaml into.",
)
@click.option("--subject", help="Entity the text leaves implicit (default: its registry subject).")
@data_option
@sources_option
def propose(
    source_id: str, output_dir: Path, subject: str | None, data_dir: Path, sources_dir: Path
) -> None:
    """Propose candidate entities and facts from a registered source, for review.

    Every record is marked `candidate:`, so `kazgraph load` refuses them until reviewed
    (see docs/propose.md).

    \b
    Example:
        kazgraph propose kazgraph-notes-2024 -o data/
    """
    from loader.propose import propose as propose_candidates
    from loader.propose import write_proposal

    proposal = propose_candidates(source_id, data_dir, sources_dir, subject=subject)
    for path in write_proposal(proposal, output_dir):
        click.echo(f"wrote {path}")
    click.echo(
        f"{len(proposal.facts)} candidate facts, {len(proposal.entities)} candidate entities: "
        "review them, delete each `candidate:` line, then `kazgraph load`"
    )


# --- loading and exporting the graph -----------------------------------------
def _print_summary(summary: LoadSummary) -> None:
    from rich.table import Table

    table = Table(title="Graph after load")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in summary.labels.items():
        table.add_row("label", label, str(n))
    for rel_type, n in summary.types.items():
        table.add_row("type", rel_type, str(n))
    Console().print(table)
    click.echo(
        f"created {summary.nodes_created} nodes and {summary.relationships_created} "
        f"relationships; deleted {summary.nodes_deleted} nodes and "
        f"{summary.relationships_deleted} relationships"
    )


def check_citations(dataset: Dataset, sources_dir: Path) -> None:
    """Refuse a dataset whose citations do not match the source texts, when they are there."""
    if not sources_dir.is_dir():
        click.echo(
            f"note: no source texts at {sources_dir}: citations were not checked against them "
            "(pass --sources DIR)",
            err=True,
        )
    elif problems := citation_problems(dataset, sources_dir):
        raise ValidationError(problems)


def _waiting(holder: LockHolder) -> None:
    click.echo(f"waiting for another load to finish: {holder} holds the load lock", err=True)


@main.command()
@click.option("--reset", is_flag=True, help="Delete the kazgraph graph before loading.")
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Load a data folder without facts, which empties the graph.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="Wait up to this long for another load to finish (default: fail at once).",
)
@click.option(
    "--break-lock",
    is_flag=True,
    help="Delete the load lock first, when a load died holding it.",
)
@click.option(
    "--bulk",
    is_flag=True,
    help="Into an EMPTY local runner: stop it, neo4j-admin import, start it again.",
)
@data_option
@sources_option
@connection_options
def load(
    settings: Settings,
    data_dir: Path,
    sources_dir: Path,
    reset: bool,
    allow_empty: bool,
    wait: float,
    break_lock: bool,
    bulk: bool,
) -> None:
    """Validate every data file, then bring the graph in line with it.

    Only what changed is written (each row carries a content hash). Up to 20,000 changed
    rows go in one transaction, all or nothing; a larger load commits in batches under a
    `:LoadRun` marker, and an interrupted one is finished by the next load.

    Nothing is written when any file has a problem, or a citation does not match its source
    text (when the texts are there); every problem is listed. A file unchanged since it was
    last read is not parsed again (its records are still checked); the parse cache is in
    KAZGRAPH_CACHE, else ~/.cache/kazgraph (KAZGRAPH_CACHE=off: none).
    A second load changes nothing. One load at a time per database: a second one fails
    at once, naming the first, unless --wait gives it time. A lock left by a load that
    died is taken over when its process is gone from this host or after an hour.

    \b
    Example:
        kazgraph load --reset
        kazgraph load --data /tmp/kazgraph-data --wait 60
    """
    bar = Progress(transient=True, console=Console(stderr=True), disable=not sys.stderr.isatty())
    task = bar.add_task("validating", total=None)

    def phase(name: str, size: int) -> None:
        bar.update(task, description=name, completed=0, total=size or None)

    with bar:
        from loader.parse_cache import cache_folder

        dataset = load_dataset(data_dir, cache=cache_folder())
        check_citations(dataset, sources_dir)
        if bulk:
            from loader.bulk import bulk_load

            phase("bulk import", 0)
            with connect(settings) as driver:
                summary = bulk_load(driver, dataset, settings)
        else:
            with connect(settings) as driver:
                summary = load_graph(
                    driver,
                    dataset,
                    settings.database,
                    reset=reset,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                    allow_empty=allow_empty,
                    wait=wait,
                    break_lock=break_lock,
                    waiting=_waiting,
                    phase=phase,
                )
    _print_summary(summary)
    if summary.nodes_updated or summary.relationships_updated or summary.unchanged:
        click.echo(
            f"updated {summary.nodes_updated} nodes and {summary.relationships_updated} "
            f"relationships; {summary.unchanged} rows unchanged"
        )


# --- saved queries and ad-hoc Cypher ---------------------------------------------------


def _query_folders(
    ctx: click.Context, param: click.Parameter, values: tuple[Path, ...]
) -> tuple[Path, ...]:
    from loader.saved_queries.files import query_folders

    return query_folders(values)


queries_option = click.option(
    "--queries",
    "queries_dir",
    type=click.Path(file_okay=False, path_type=Path),
    multiple=True,
    envvar="KAZGRAPH_QUERIES",
    callback=_query_folders,
    metavar="DIR",
    help="A folder of private saved queries, added to queries/ (repeat for several; "
    "default: KAZGRAPH_QUERIES, folders separated by ':'). A name may not clash.",
)


def _answer_console() -> Console:
    """A console for answers: the terminal's width, or 160 columns when output is piped."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _key_values(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{value}' is not key=value")
        pairs[key.strip()] = text
    return pairs


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "csv", "json", "markdown")),  # loader.output.FORMATS
    default="table",
    show_default=True,
    help="Output format.",
)


def output_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``-o FILE`` (written atomically) and ``--force`` to replace an existing FILE."""
    func = click.option("--force", is_flag=True, help="Replace FILE when it exists.")(func)
    return click.option(
        "-o",
        "--output",
        "output_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the answer to this file instead of the terminal.",
    )(func)


def _print_answer(
    answer: Answer,
    fmt: str,
    output_path: Path | None,
    title: str | None,
    hint: Callable[[], str | None] = lambda: None,
    force: bool = False,
) -> None:
    """Print (or write) an answer in one of the output formats. An empty answer says so,
    with ``hint()``'s reason when it has one: on the table, else on stderr."""
    from rich.markup import escape

    from loader import output

    empty = output.NO_ROWS
    if answer.empty and output_path is None and (why := hint()):
        empty = f"{output.NO_ROWS} {why}"
    if output_path is not None:
        output.write_text_atomically(output_path, output.render(answer, fmt, title), force)
        click.echo(f"wrote {len(answer)} row(s) to {output_path}")
    elif fmt == "table":
        console = _answer_console()
        if answer.empty:
            console.print(f"{escape(title)}\n{escape(empty)}" if title else escape(empty))
        else:
            console.print(output.rich_table(answer, title, console.width))
    else:
        click.echo(output.render(answer, fmt), nl=False)
        if answer.empty:
            click.echo(empty, err=True)


@main.group()
def query() -> None:
    """Saved queries: analysts' questions as Cypher files in queries/, run read-only.

    Each file's header gives its title, description, typed parameters with defaults, tags
    and an example with the rows it must return. --queries DIR (or KAZGRAPH_QUERIES) adds a
    folder of private ones.

    \b
    Example:
        kazgraph query list
        kazgraph query run trade-partners --param year=2018
    """


@query.command(name="list")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@queries_option
def query_list(fmt: str, queries_dir: tuple[Path, ...]) -> None:
    """List the saved queries with their parameters and tags.

    \b
    Example:
        kazgraph query list
        kazgraph query list --format json
    """
    from rich.table import Table

    from loader.saved_queries.examples import catalogue
    from loader.saved_queries.files import load_saved_queries
    from loader.saved_queries.values import value_text

    records = catalogue(load_saved_queries(queries_dir))
    if fmt == "json":
        click.echo(json.dumps(records, indent=1, ensure_ascii=False, default=str))
        return
    table = Table(
        "name",
        "title",
        "params",
        "tags",
        title=f"{len(records)} saved queries",
        title_justify="left",
    )
    for r in records:
        params = ", ".join(
            f"{p['name']}: {p['type']}"
            + (f" = {value_text(p['default'])}" if p["default"] is not None else "")
            for p in r["params"]
        )
        table.add_row(r["name"], r["title"], params, ", ".join(r["tags"]))
    _answer_console().print(table)


@query.command(name="show")
@click.argument("name")
@queries_option
def query_show(name: str, queries_dir: tuple[Path, ...]) -> None:
    """Show a saved query: its header (parameters, examples) and its Cypher.

    \b
    Example:
        kazgraph query show transit-paths
    """
    from rich.markup import escape
    from rich.syntax import Syntax
    from rich.table import Table

    from loader.saved_queries.examples import example_command
    from loader.saved_queries.values import value_text

    saved = find_saved_query(name, queries_dir)
    console = Console(highlight=False)
    console.print(f"[bold]{escape(saved.title)}[/]  ({saved.name}, {_shown(saved.path)})")
    console.print(escape(saved.description))
    if saved.params:
        table = Table("param", "type", "default", "description", title_justify="left")
        for p in saved.params.values():
            default = value_text(p.default)
            table.add_row(p.name, p.type, default or "(required)", p.description)
        console.print(table)
    if saved.tags:
        console.print(f"tags: {', '.join(saved.tags)}")
    for example in saved.examples:
        console.print(
            f"example: {escape(example_command(saved, example))}  "
            f"({len(example.expect)} expected row(s), "
            f"{len(example.absent)} absent)",
            soft_wrap=True,
        )
    if saved.empty:
        console.print(f"when empty: {escape(saved.empty)}", soft_wrap=True)
    console.print(
        Syntax(
            saved.cypher, "cypher", line_numbers=True, start_line=saved.cypher_line, word_wrap=True
        )
    )


@query.command(name="check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def query_check(files: tuple[Path, ...]) -> None:
    """Check query files: header, parameters, examples, without running them.

    Prints OK for each good file, else every problem as file:line. Examples are required
    in the project's queries/ folder and optional elsewhere.

    \b
    Example:
        kazgraph query check ~/my-queries/kaz-china.cypher
        kazgraph query check queries/*.cypher
    """
    from loader.errors import QueryFileError
    from loader.saved_queries.files import parse_saved_query

    bad = 0
    for path in files:
        if not path.is_file():
            click.echo(f"{path}: no such file")
            bad += 1
            continue
        try:
            saved = parse_saved_query(path)
        except QueryFileError as exc:
            click.echo(str(exc))
            bad += 1
            continue
        click.echo(
            f"{path}: OK ({len(saved.params)} parameter(s), {len(saved.examples)} example(s))"
        )
    if bad:
        raise click.ClickException(f"{bad} of {len(files)} file(s) have problems")


@query.command(name="run")
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    callback=_key_values,
    metavar="KEY=VALUE",
    help="A parameter value; repeat for several.",
)
@format_option
@output_option
@queries_option
@connection_options
def query_run(
    settings: Settings,
    name: str,
    params: dict[str, str],
    fmt: str,
    output_path: Path | None,
    force: bool,
    queries_dir: tuple[Path, ...],
) -> None:
    """Run a saved query in a read transaction and print its answer.

    Parameters are checked against the query's header; unset ones take their defaults.
    Entity parameters accept any id, name or alias (TUR, Turkey, Türkiye), or a word that
    starts one entity's name (Xinjiang); a misspelt name gets the closest ones suggested.
    An empty answer says what the graph does hold when the query's header tells how.
    Queries whose answers grow with the graph take a row cap, ``limit``; an answer that
    reaches it says so on stderr.

    \b
    Example:
        kazgraph query run trade-partners --param year=2018
        kazgraph query run transit-paths -p destination=Turkey -p avoid=Russia --format json
        kazgraph query run timeline -p country=China --format markdown -o timeline.md
    """
    from loader.saved_queries.params import row_cap
    from loader.saved_queries.run import empty_hint, run_saved_query

    saved = find_saved_query(name, queries_dir)
    with connect(settings) as driver:
        answer = run_saved_query(driver, settings.database, saved, params)
        _print_answer(
            answer,
            fmt,
            output_path,
            saved.title,
            lambda: empty_hint(driver, settings.database, saved, params),
            force,
        )
    if (cap := row_cap(saved, params)) is not None and len(answer) == cap:
        first = "The first row" if cap == 1 else f"The first {cap} rows"
        click.echo(f"{first} (the query's limit); -p limit=N shows up to N.", err=True)


@query.command(name="run-all")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "markdown"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Print only the graph's counts and three headline answers, with the Browser link.",
)
@queries_option
@connection_options
def query_run_all(
    settings: Settings, fmt: str, summary: bool, queries_dir: tuple[Path, ...]
) -> None:
    """Run every saved query with its default parameters and print each answer.

    With --summary, only what the graph holds and three headline answers (top trade
    partners, routes that bypass Russia, open issues), each with the command for more.

    \b
    Example:
        kazgraph query run-all
        kazgraph query run-all --summary
        kazgraph query run-all --format markdown > answers.md
    """
    from rich.markup import escape

    from loader import output
    from loader.saved_queries.files import load_saved_queries
    from loader.saved_queries.params import parse_params, run_params
    from loader.saved_queries.run import run_saved_query
    from loader.saved_queries.values import value_text

    if summary:
        _print_graph_summary(settings)
        return
    queries = load_saved_queries(queries_dir)
    console = _answer_console()
    with connect(settings) as driver:
        for saved in queries.values():
            params = run_params(saved)
            answer = run_saved_query(driver, settings.database, saved, params)
            called = " ".join(
                [
                    saved.name,
                    *(f"{k}={value_text(v)}" for k, v in parse_params(saved, params).items()),
                ]
            )
            if fmt == "markdown":
                click.echo(output.render(answer, "markdown", f"{saved.title} ({called})"))
                continue
            console.rule(f"[bold]{escape(saved.title)}[/] ({escape(called)})")
            if answer.empty:
                console.print(output.NO_ROWS)
            else:
                console.print(output.rich_table(answer, width=console.width))


def _print_graph_summary(settings: Settings) -> None:
    from loader import browser
    from loader.saved_queries.summary import summarise

    with connect(settings) as driver:
        found = summarise(driver, settings.database)
    labels = ", ".join(f"{n} {label}" for label, n in found.labels.items())
    click.echo(
        f"The graph holds {found.entities} entities, {found.facts} facts and "
        f"{found.sources} sources ({labels})."
    )
    for headline in found.headlines:
        click.echo(f"\n{headline.question}  ({headline.command})")
        for line in headline.lines or ("(none)",):
            click.echo(f"  {line}")
    click.echo("\nEvery saved query: kazgraph query run-all; the list: kazgraph query list")
    click.echo(f"Neo4j Browser: {browser.browser_link(settings).url}")


@main.command()
@click.argument("statement")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    callback=_key_values,
    metavar="KEY[:TYPE]=VALUE",
    help="A parameter, a string unless typed: year:int=2018, country:entity=Turkey "
    "(types: string, int, float, bool, date, entity); repeat for several.",
)
@format_option
@output_option
@connection_options
def cypher(
    settings: Settings,
    statement: str,
    params: dict[str, str],
    fmt: str,
    output_path: Path | None,
    force: bool,
) -> None:
    """Run one Cypher statement read-only and print its answer like a saved query's.

    The plan is checked first, as for saved queries: a statement that writes, loads CSV or
    calls a procedure off the allow-list is refused before it runs, and it runs in a read
    transaction.

    \b
    Example:
        kazgraph cypher "MATCH (c:Country) RETURN c.name AS country ORDER BY country"
        kazgraph cypher 'MATCH ({id: $id})--(m) RETURN m.name AS name' -p id:entity=China
        kazgraph cypher "MATCH ()-[t:TRADES_WITH]-() RETURN t.year, count(*)" --format csv
    """
    from loader.saved_queries.run import run_cypher

    with connect(settings) as driver:
        answer = run_cypher(driver, settings.database, statement, params)
    _print_answer(answer, fmt, output_path, None, force=force)


# --- exports, pictures and Neo4j Browser -----------------------------------------

params_option = click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    callback=_key_values,
    metavar="KEY=VALUE",
    help="A parameter of the saved query; repeat for several.",
)


def _size(n: int) -> str:
    return f"{n / 1024:,.1f} KiB" if n >= 1024 else f"{n} B"


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="json",
    show_default=True,
    help="json, graphml or gexf (networkx, Gephi), csv (a folder "
    "for neo4j-admin database import), cypher (a script that rebuilds the graph).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write (a folder for csv).",
)
@click.option(
    "--query",
    "query_name",
    metavar="NAME",
    help="Export only the subgraph this saved query returns.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing file, or the files an earlier export wrote into the folder "
    "(other files in it are kept).",
)
@params_option
@queries_option
@connection_options
def export(
    settings: Settings,
    fmt: str,
    output: Path,
    query_name: str | None,
    force: bool,
    params: dict[str, str],
    queries_dir: tuple[Path, ...],
) -> None:
    """Export the whole graph, or a saved query's subgraph, to a file.

    Every property is kept, and `basis` tells documented facts from background ones.

    \b
    Example:
        kazgraph export --format json -o kazgraph.json
        kazgraph export --format graphml -o kazgraph.graphml
        kazgraph export --format csv -o import/ && sh import/import.sh
        kazgraph export --format cypher -o kazgraph.cypher && cypher-shell -f kazgraph.cypher
        kazgraph export --format gexf --query routes-bypassing-russia -o routes.gexf
    """
    if params and not query_name:
        raise click.UsageError("--param needs --query NAME")
    check_export_target(fmt, output, force)
    query = find_saved_query(query_name, queries_dir) if query_name else None
    with connect(settings) as driver:
        graph = run_saved_query_graph(driver, settings.database, query, params) if query else None
        summary = export_graph(driver, settings.database, fmt, output, graph, force)
    files = f" in {len(summary.files)} files" if len(summary.files) > 1 else ""
    click.echo(
        f"wrote {summary.nodes} nodes and {summary.relationships} relationships to "
        f"{summary.path} ({fmt}, {_size(summary.bytes)}{files})"
    )
    if fmt == "csv":
        click.echo(f"import it into an empty, stopped database with: sh {summary.path}/import.sh")


@main.command()
@click.argument("name")
@params_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The picture: .html (interactive), .png or .svg.",
)
@click.option("--force", is_flag=True, help="Replace the picture when it exists.")
@queries_option
@connection_options
def viz(
    settings: Settings,
    name: str,
    params: dict[str, str],
    output: Path,
    force: bool,
    queries_dir: tuple[Path, ...],
) -> None:
    """Draw the subgraph a saved query returns.

    .html is an interactive, self-contained page (neo4j-viz): colours by label, a legend,
    and each node's and arrow's properties and provenance on click. .png and .svg are static
    pictures for reports: routes as lanes in route order, paths left to right, anything else
    force-directed; background facts dashed.

    \b
    Example:
        kazgraph viz routes-bypassing-russia -o routes.png
        kazgraph viz transit-paths -p destination=Europe -o paths.svg
        kazgraph viz memberships -o memberships.html
    """
    from loader.output import refuse_existing

    pictures.check_path(output)
    refuse_existing(output, force, "--force")
    query = find_saved_query(name, queries_dir)
    part = output.with_name(f".{output.stem}.part{output.suffix}")  # moved into place whole
    try:
        with connect(settings) as driver:
            picture = pictures.saved_query_picture(driver, settings.database, query, params, part)
        part.replace(output)
    finally:
        part.unlink(missing_ok=True)
    click.echo(
        f"drew {len(picture.names)} nodes and {picture.relationships} relationships "
        f"({picture.layout} layout) to {output}"
    )


@main.command()
@click.option(
    "--http-port",
    type=click.IntRange(1, 65535),
    default=LOCAL_HTTP_PORT,
    show_default=True,
    help="Browser's HTTP port when no local runner is running.",
)
@click.option("--open", "open_it", is_flag=True, help="Open the link in a web browser.")
@click.option(
    "--style-command",
    is_flag=True,
    help="Print only the `:style` command that applies the style sheet.",
)
@click.option(
    "--write-guide",
    is_flag=True,
    help="Regenerate the walk-through cypher/browser-guide.cypher and exit.",
)
@connection_options
def browse(
    settings: Settings, http_port: int, open_it: bool, style_command: bool, write_guide: bool
) -> None:
    """Print the Neo4j Browser link with the connection filled in, and how to style it.

    With the local runner (`kazgraph db start`) the link uses its ports and needs no
    password; with NEO4J_URI and a password, Browser asks for the password. Also writes
    .kazgraph/browser-saved-queries.cypher: every saved query with its parameters, ready to
    paste into Browser.

    \b
    Example:
        kazgraph browse
        kazgraph browse --open
        kazgraph browse --style-command
    """
    from loader import browser

    if write_guide:
        click.echo(f"wrote {_shown(browser.write_guide())}")
        return
    if style_command:
        click.echo(browser.style_command())
        return
    link = browser.browser_link(settings, http_port)
    click.echo(f"Neo4j Browser: {link.url}")
    click.echo(
        "  1. Open it and press Connect"
        + (" (no password)." if "NO_AUTH" in link.url else " with your password.")
    )
    click.echo(
        f"  2. Style: run `:style`, then drag {_shown(link.style_file)} onto the style "
        "frame; or run the output of `kazgraph browse --style-command` in the editor."
    )
    click.echo(
        f"  3. Guide: paste {_shown(link.guide_file)} into the editor and run it "
        "(Ctrl+Enter); each step opens a frame. Or drop it onto the Favorites drawer."
    )
    queries = browser.write_saved_queries_guide(link.saved_queries_file)
    click.echo(
        f"  4. Saved queries: paste {_shown(queries)} (just written from queries/) or "
        "one query from it, with the `:param` lines before it."
    )
    if open_it:
        import webbrowser

        if not webbrowser.open(link.url):
            raise click.ClickException(
                "no web browser could be opened here; open the link above by hand"
            )
