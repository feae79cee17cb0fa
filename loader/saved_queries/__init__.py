"""Saved queries: Cypher files under queries/ with a comment header, parsed, checked and run.

A saved query is ``queries/<name>.cypher``: a ``//`` YAML header (title, description, typed
params with defaults, tags, examples with the rows they must return) over the Cypher; the
format is described in ``docs/saved-queries.md``. The package reads in one direction:

- :mod:`~loader.saved_queries.values`: parameter types and their values;
- :mod:`~loader.saved_queries.records`: a parsed file as a frozen :class:`SavedQuery` that
  remembers file and line;
- :mod:`~loader.saved_queries.header`: a file's ``//`` YAML header read and checked;
- :mod:`~loader.saved_queries.files`: folders and files found, each parsed once per
  version (through the parse cache across processes);
- :mod:`~loader.saved_queries.params`: given values checked, defaulted, entities resolved;
- :mod:`~loader.saved_queries.run`: read transactions, answers as an
  :class:`~loader.answer.Answer` (columns and rows) or as a :class:`~loader.graph.Graph`
  (columns starting with ``_`` carry it, out of the table);
- :mod:`~loader.saved_queries.examples`: examples checked, the catalogue, example commands.

Names are imported from their modules when first used (``from loader.saved_queries import
catalogue`` reads no driver and no pandas), so that listing and showing queries stays quick.
Nothing here prints. Problems are :class:`~loader.errors.QueryFileError` with file and line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loader.saved_queries.examples import catalogue, check_example, example_command
    from loader.saved_queries.files import (
        as_saved_query,
        find_saved_query,
        load_saved_queries,
        parse_saved_query,
        query_folders,
    )
    from loader.saved_queries.header import used_params
    from loader.saved_queries.params import (
        adhoc_params,
        bind_params,
        parse_params,
        resolve_entity,
        row_cap,
        run_params,
    )
    from loader.saved_queries.records import QUERIES_DIR, Example, Param, SavedQuery
    from loader.saved_queries.run import (
        empty_hint,
        run_cypher,
        run_saved_query,
        run_saved_query_graph,
        shown,
    )
    from loader.saved_queries.summary import Summary, summarise
    from loader.saved_queries.values import PARAM_TYPES, parse_value, value_text

_MODULES = {
    "catalogue": "examples",
    "check_example": "examples",
    "example_command": "examples",
    "QUERIES_DIR": "records",
    "Example": "records",
    "Param": "records",
    "SavedQuery": "records",
    "as_saved_query": "files",
    "find_saved_query": "files",
    "load_saved_queries": "files",
    "parse_saved_query": "files",
    "query_folders": "files",
    "used_params": "header",
    "adhoc_params": "params",
    "bind_params": "params",
    "parse_params": "params",
    "resolve_entity": "params",
    "row_cap": "params",
    "run_params": "params",
    "empty_hint": "run",
    "run_cypher": "run",
    "run_saved_query": "run",
    "run_saved_query_graph": "run",
    "shown": "run",
    "Summary": "summary",
    "summarise": "summary",
    "PARAM_TYPES": "values",
    "parse_value": "values",
    "value_text": "values",
}
__all__ = [
    "Example",
    "PARAM_TYPES",
    "Param",
    "QUERIES_DIR",
    "SavedQuery",
    "Summary",
    "adhoc_params",
    "as_saved_query",
    "bind_params",
    "catalogue",
    "check_example",
    "empty_hint",
    "example_command",
    "find_saved_query",
    "load_saved_queries",
    "parse_params",
    "parse_saved_query",
    "parse_value",
    "query_folders",
    "resolve_entity",
    "run_cypher",
    "row_cap",
    "run_params",
    "run_saved_query",
    "run_saved_query_graph",
    "shown",
    "summarise",
    "used_params",
    "value_text",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value
    return value
