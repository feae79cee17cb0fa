"""The ``kazgraph`` command line: a thin layer over the library's functions."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from loader.errors import KazgraphError
from loader.facts import DEFAULT_DATA_DIR, load_dataset, load_sources
from loader.settings import Settings
from loader.verify import DEFAULT_SOURCES_DIR, find_citations
from loader.verify import verify as verify_facts


def connection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --uri/--user/--password/--database and pass a resolved ``settings``."""

    @click.option("--uri", help="Bolt URI (default: NEO4J_URI, else the local runner).")
    @click.option("--user", help="User name (default: NEO4J_USER, else neo4j).")
    @click.option("--password", help="Password (default: NEO4J_PASSWORD; none for local).")
    @click.option("--database", help="Database name (default: NEO4J_DATABASE, else neo4j).")
    @functools.wraps(func)
    def wrapper(uri: str | None, user: str | None, password: str | None,
                database: str | None, **kwargs: Any) -> Any:
        settings = Settings.resolve(uri=uri, user=user, password=password, database=database)
        return func(settings=settings, **kwargs)

    return wrapper


class KazgraphGroup(click.Group):
    """Turn the package's own errors into clean click errors."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KazgraphError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=KazgraphGroup)
@click.version_option(package_name="kazgraph")
def main() -> None:
    """A knowledge graph of Kazakhstan's foreign relations, in Neo4j."""


# --- db: the local Neo4j runner ---------------------------------------------
# (commands for `kazgraph db start|stop|status` go here)


# --- curating and checking facts ---------------------------------------------
data_option = click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA_DIR, show_default="data/", help="Folder of curated facts.")
sources_option = click.option(
    "--sources", "sources_dir", type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_SOURCES_DIR, show_default="../shared/sources",
    help="Folder holding the source text files.")


@main.command()
@click.argument("words")
@click.option("--source", "source_id", help="Only this source id.")
@data_option
@sources_option
def cite(words: str, source_id: str | None, data_dir: Path, sources_dir: Path) -> None:
    """Find sentences containing every one of WORDS and print their locators.

    Paste a printed locator into a fact's `cites:` list.

    Example:

        kazgraph cite "Khorgos dry port"
    """
    found = find_citations(load_sources(data_dir), words, sources_dir, source_id)
    if not found:
        raise click.ClickException(f"no sentence contains all of: {words}")
    for s in found:
        click.echo(f"# {s.text}")
        click.echo(f"- {{source: {s.source}, para: {s.para}, sent: {s.sent}, "
                   f"sha256: {s.sha256}}}")


@main.command()
@data_option
@sources_option
def verify(data_dir: Path, sources_dir: Path) -> None:
    """Check every fact's locators, hashes, names and figures against the sources.

    Example:

        kazgraph verify --sources ../shared/sources
    """
    report = verify_facts(load_dataset(data_dir), sources_dir)
    click.echo(f"{report.sources} sources, {report.facts} facts "
               f"({report.background} background), {report.citations} citations checked")
    for problem in report.mismatches:
        click.echo(f"  MISMATCH {problem}")
    if not report.ok:
        raise click.ClickException(f"{len(report.mismatches)} mismatch(es)")
    click.echo("every fact verified")
