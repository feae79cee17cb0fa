"""A saved query's parameters: given values checked against the header, defaults filled in,
entity names resolved to ids."""

from __future__ import annotations

from collections.abc import Mapping

import neo4j

from loader.database import read
from loader.errors import QueryFileError
from loader.names import lookup_key
from loader.saved_queries.files import SavedQuery
from loader.saved_queries.values import Value, parse_value

Params = dict[str, Value | None]

_RESOLVE = """
MATCH (n:Entity) WHERE n.id IN $ids OR $key IN n.lookup
RETURN n.id AS id, n.name AS name, n.id IN $ids AS by_id ORDER BY id
"""


def parse_params(query: SavedQuery, given: Mapping[str, object]) -> Params:
    """Typed values for every declared parameter: given values over the header's defaults.

    Entity parameters are still names here; :func:`bind_params` turns them into ids.
    """
    problems = []
    valid = ", ".join(query.params) or "none"
    for name in given:
        if name not in query.params:
            takes = f"it takes: {valid}" if query.params else "it takes no parameters"
            problems.append(f"saved query '{query.name}' has no parameter '{name}'; {takes}")
    values: Params = {}
    for name, param in query.params.items():
        if name not in given:
            if param.required:
                problems.append(
                    f"saved query '{query.name}' needs parameter '{name}' ({param.type})"
                )
            values[name] = param.default
            continue
        try:
            values[name] = parse_value(param.type, given[name])
        except ValueError as exc:
            problems.append(f"parameter '{name}' of saved query '{query.name}': {exc}")
    if problems:
        raise QueryFileError("\n".join(problems))
    return values


def resolve_entity(driver: neo4j.Driver, database: str, name: str) -> str:
    """The id of the one entity whose id, name or alias is ``name`` (normalised as ``lookup``)."""
    ids = [name.strip(), name.strip().upper()]
    params = {"ids": ids, "key": lookup_key(name)}
    records = read(driver, database, _RESOLVE, params, neo4j.Result.data)
    exact = [r for r in records if r["by_id"]]
    if len(exact) == 1 or len(records) == 1:
        return str((exact or records)[0]["id"])
    if not records:
        raise QueryFileError(f"no entity has the id, name or alias '{name}'")
    found = ", ".join(f"{r['name']} ({r['id']})" for r in records)
    raise QueryFileError(f"'{name}' names more than one entity: {found}; pass an id")


def bind_params(
    driver: neo4j.Driver, database: str, query: SavedQuery, given: Mapping[str, object]
) -> Params:
    """The parameters sent to Neo4j: typed, defaulted, entity names resolved to ids."""
    values = parse_params(query, given)
    for name, param in query.params.items():
        value = values[name]
        if param.type == "entity" and value is not None:
            values[name] = resolve_entity(driver, database, str(value))
    return values


def run_params(query: SavedQuery) -> dict[str, str]:
    """Parameters for a run without any given: the first example's for params with no default."""
    example = query.examples[0].params if query.examples else {}
    return {n: example[n] for n, p in query.params.items() if p.required and n in example}
