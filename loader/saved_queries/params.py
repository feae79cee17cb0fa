"""A saved query's parameters: given values checked against the header, defaults filled in,
entity names resolved to ids."""

from __future__ import annotations

from collections.abc import Mapping

import neo4j

from loader.database import read
from loader.errors import QueryError, QueryFileError
from loader.names import closest, lookup_key
from loader.saved_queries.files import or_list
from loader.saved_queries.records import SavedQuery
from loader.saved_queries.values import PARAM_TYPES, Value, parse_value

Params = dict[str, Value | None]

# By id, or by a look-up key through the keyword full-text index entity_lookup (a key is
# a whole term there: quoted, with any quote or backslash escaped), not by reading every
# entity's lookup list.
_RESOLVE = r"""
CALL () {
  MATCH (n:Entity) WHERE n.id IN $ids
  RETURN n
  UNION
  CALL db.index.fulltext.queryNodes('entity_lookup',
    '"' + replace(replace($key, '\\', '\\\\'), '"', '\\"') + '"')
    YIELD node
  WITH node AS n
  WHERE $key <> '' AND n:Entity AND $key IN n.lookup
  RETURN n
}
RETURN n.id AS id, n.name AS name, n.id IN $ids AS by_id ORDER BY id
"""
# The same for a graph loaded before entity_lookup existed (the next load creates it).
_RESOLVE_BY_SCAN = """
MATCH (n:Entity) WHERE n.id IN $ids OR $key IN n.lookup
RETURN n.id AS id, n.name AS name, n.id IN $ids AS by_id ORDER BY id
"""
_EVERY_NAME = """
MATCH (n:Entity)
RETURN n.id AS id, n.name AS name, coalesce(n.aliases, []) AS aliases ORDER BY id
"""
SUGGESTIONS = 3  # entities suggested for a name that matches none
CLOSE = 90.0  # a score (0-100) at which a suggestion crowds out the looser ones
LISTED = 8  # entities listed for a name that starts words in several


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
    """The id of the one entity ``name`` stands for, found in three steps:

    1. its id, name or an alias (normalised as ``lookup``): ``TUR``, ``Turkey``, ``Türkiye``;
    2. else the one entity with a name or alias that has ``name`` at the start of a word
       (``Xinjiang`` for "Detention of Uyghurs ... in Xinjiang camps");
    3. else an error suggesting the closest names (:func:`loader.names.closest`): a guess is
       never taken silently. Several matches in step 1 or 2 are an error listing them.
    """
    ids = [name.strip(), name.strip().upper()]
    params = {"ids": ids, "key": lookup_key(name)}
    try:
        records = read(driver, database, _RESOLVE, params, neo4j.Result.data)
    except QueryError as exc:
        if "entity_lookup" not in exc.server_message:
            raise
        records = read(driver, database, _RESOLVE_BY_SCAN, params, neo4j.Result.data)
    exact = [r for r in records if r["by_id"]]
    if len(exact) == 1 or len(records) == 1:
        return str((exact or records)[0]["id"])
    if records:
        found = ", ".join(_named(r) for r in records)
        raise QueryFileError(f"'{name}' names more than one entity: {found}; pass an id")
    entities = read(driver, database, _EVERY_NAME, {}, neo4j.Result.data)
    starting = _word_starts(name, entities)
    if len(starting) == 1:
        return str(starting[0]["id"])
    missing = f"no entity has the id, name or alias '{name}'"
    if starting:
        listed = ", ".join(_named(r) for r in starting[:LISTED])
        more = f" and {len(starting) - LISTED} more" if len(starting) > LISTED else ""
        raise QueryFileError(
            f"{missing}; it starts a word in the names of {listed}{more}; pass one of them"
        )
    if near := _closest_entities(name, entities):
        raise QueryFileError(f"{missing}; did you mean {or_list([_named(r) for r in near])}?")
    raise QueryFileError(missing)


def _named(entity: Mapping[str, object]) -> str:
    return f"{entity['name']} ({entity['id']})"


def _names(entity: Mapping[str, object]) -> list[str]:
    aliases = entity.get("aliases")
    return [str(entity["name"]), *(map(str, aliases) if isinstance(aliases, list) else ())]


def _word_starts(name: str, entities: list[dict[str, object]]) -> list[dict[str, object]]:
    """The entities with a name or alias in which ``name`` (normalised) starts a word."""
    key = lookup_key(name)
    if not key:
        return []
    return [e for e in entities if any(f" {key}" in f" {lookup_key(n)}" for n in _names(e))]


def _closest_entities(name: str, entities: list[dict[str, object]]) -> list[dict[str, object]]:
    """Up to :data:`SUGGESTIONS` entities whose id, name or alias looks most like ``name``."""
    owners: dict[str, list[dict[str, object]]] = {}
    for entity in entities:
        for text in [str(entity["id"]), *_names(entity)]:
            owners.setdefault(text, []).append(entity)
    # the close ones when there are any (a missing letter), else the looser ones
    texts = closest(name, owners, limit=SUGGESTIONS * 3, cutoff=CLOSE) or closest(
        name, owners, limit=SUGGESTIONS * 3
    )
    found: list[dict[str, object]] = []
    for text in texts:
        for entity in owners[text]:
            if entity not in found:
                found.append(entity)
    return found[:SUGGESTIONS]


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


def adhoc_params(driver: neo4j.Driver, database: str, given: Mapping[str, str]) -> Params:
    """Parameters for ad-hoc Cypher: ``name`` is a string, ``name:type`` one of
    :data:`~loader.saved_queries.values.PARAM_TYPES` (``year:int``, ``country:entity``,
    resolved like a saved query's entity parameter)."""
    values: Params = {}
    problems = []
    for key, raw in given.items():
        name, _, kind = (part.strip() for part in key.partition(":"))
        kind = kind or "string"
        if kind not in PARAM_TYPES:
            problems.append(
                f"parameter '{key}': unknown type '{kind}' (known: {', '.join(PARAM_TYPES)})"
            )
            continue
        try:
            values[name] = parse_value(kind, raw)
        except ValueError as exc:
            problems.append(f"parameter '{name}': {exc}")
    if problems:
        raise QueryFileError("\n".join(problems))
    for key in given:
        name, _, kind = (part.strip() for part in key.partition(":"))
        if kind == "entity":
            values[name] = resolve_entity(driver, database, str(values[name]))
    return values


def row_cap(query: SavedQuery, given: Mapping[str, object]) -> int | None:
    """The most rows the query returns with these parameters: its ``limit`` (an int
    parameter that caps answers which grow with the graph), or None when it has none."""
    if "limit" not in query.params or query.params["limit"].type != "int":
        return None
    value = parse_params(query, given)["limit"]
    return value if isinstance(value, int) else None


def run_params(query: SavedQuery) -> dict[str, str]:
    """Parameters for a run without any given: the first example's for params with no default."""
    example = query.examples[0].params if query.examples else {}
    return {n: example[n] for n, p in query.params.items() if p.required and n in example}
