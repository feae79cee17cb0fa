"""The package's exceptions: one root, a few specific kinds."""


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


class SchemaError(KazgraphError):
    """The schema could not be applied."""


class DatabaseUnavailable(KazgraphError):
    """Neo4j could not be reached or started."""
