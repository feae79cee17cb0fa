"""Saved queries: Cypher files under queries/ with a comment header, parsed, checked and run.

A saved query is ``queries/<name>.cypher``: a ``//`` YAML header (title, description, typed
params with defaults, tags, examples with the rows they must return) over the Cypher; the
format is described in ``docs/saved-queries.md``. The package reads in one direction:

- :mod:`~loader.saved_queries.values`: parameter types and their values;
- :mod:`~loader.saved_queries.files`: a file's header parsed into a frozen
  :class:`SavedQuery` that remembers file and line (cached per file version);
- :mod:`~loader.saved_queries.params`: given values checked, defaulted, entities resolved;
- :mod:`~loader.saved_queries.run`: read transactions, answers as DataFrames or as a
  :class:`~loader.graph.Graph` (columns starting with ``_`` carry it, out of the table);
- :mod:`~loader.saved_queries.examples`: examples checked, the catalogue, example commands.

Nothing here prints. Problems are :class:`~loader.errors.QueryFileError` with file and line.
"""

from loader.saved_queries.examples import catalogue, check_example, example_command
from loader.saved_queries.files import (
    QUERIES_DIR,
    Example,
    Param,
    SavedQuery,
    as_saved_query,
    find_saved_query,
    load_saved_queries,
    parse_saved_query,
    used_params,
)
from loader.saved_queries.params import bind_params, parse_params, resolve_entity, run_params
from loader.saved_queries.run import run_saved_query, run_saved_query_graph, shown
from loader.saved_queries.values import PARAM_TYPES, parse_value, value_text

__all__ = [
    "PARAM_TYPES",
    "QUERIES_DIR",
    "Example",
    "Param",
    "SavedQuery",
    "as_saved_query",
    "bind_params",
    "catalogue",
    "check_example",
    "example_command",
    "find_saved_query",
    "load_saved_queries",
    "parse_params",
    "parse_saved_query",
    "parse_value",
    "resolve_entity",
    "run_params",
    "run_saved_query",
    "run_saved_query_graph",
    "shown",
    "used_params",
    "value_text",
]
