"""The package's exceptions: one root, a few specific kinds. The CLI turns the root into a
one-paragraph message; nothing below it prints."""

from __future__ import annotations


class KazgraphError(Exception):
    """Root of every error kazgraph raises on purpose; the CLI turns it into a message."""


class ValidationError(KazgraphError):
    """Curated data failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the data, nothing was written:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


class QueryFileError(KazgraphError):
    """A saved query file is malformed, or a saved query was called wrongly."""


class ExportError(KazgraphError):
    """The graph holds something an export format cannot write faithfully."""


class DatabaseError(KazgraphError):
    """Neo4j could not do what was asked; the subclasses say why."""


class DatabaseUnavailable(DatabaseError):
    """Neo4j could not be reached, started, or stopped answering."""


class UnknownDatabase(DatabaseError):
    """The server has no database of the name asked for."""


class AuthFailed(DatabaseError):
    """The server refused the user name and password."""


class QueryError(DatabaseError):
    """The server refused or failed one statement; ``code`` is Neo4j's status code."""

    def __init__(self, message: str, code: str | None = None, server_message: str = "") -> None:
        self.code = code
        self.server_message = server_message
        super().__init__(message)


class LoadError(DatabaseError):
    """A load (or its schema step) failed in Neo4j and was rolled back."""


class LoadLocked(LoadError):
    """Another load holds the database's load lock; nothing was written."""
