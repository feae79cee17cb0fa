"""The ``kazgraph`` command line: a thin layer over the library's functions."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from loader.errors import KazgraphError
from loader.settings import Settings


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
