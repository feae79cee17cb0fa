"""Read the graph (or the subgraph a saved query returns) out of Neo4j and write it to files.

Five formats, each keeping every property and the ``basis`` that tells documented facts from
background ones:

- ``json``: ``{"nodes": [...], "relationships": [...]}``, as read.
- ``graphml`` and ``gexf``: through networkx, for Gephi, yEd, Cytoscape or networkx itself.
  Their attributes must be scalars, so lists are written as JSON text. Nodes carry ``labels``
  (``:Entity:Country``, as APOC writes them) and ``label`` (the name, which Gephi shows);
  edges carry ``label`` (the relationship type) and keep their kazgraph id as the edge id.
- ``csv``: a folder in the layout ``neo4j-admin database import full`` reads: one nodes file
  per label, one relationships file per type, typed headers, ``;`` between array elements,
  and ``import.sh`` with the exact command.
- ``cypher``: a script that rebuilds the graph, schema first, in an empty database; literal
  values only, one statement per line.

Labels and relationship types come from :mod:`loader.vocabulary` only: a node or relationship
outside the allow-lists is an :class:`ExportError`, never formatted into a file.
"""

from __future__ import annotations

import json
import math
import shlex
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx

from loader.cypher_text import chunks, cypher_literal, split_statements
from loader.errors import ExportError
from loader.graph import (
    ENTITY_LABEL,
    SOURCE_LABEL,
    Graph,
    caption,
    label_of,
    neo4j_labels,
    type_of,
)
from loader.schema import SCHEMA_FILE, schema_statements

ARRAY_DELIMITER = ";"
SCRIPT_BATCH = 100

_NODES = """
MATCH (n) WHERE n:Entity OR n:Source
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'] AS labels, properties(n) AS properties
ORDER BY id
"""
_RELS = """
MATCH (a)-[r]->(b) WHERE (a:Entity OR a:Source) AND r.id IS NOT NULL
RETURN r.id AS id, type(r) AS type, a.id AS start, b.id AS end, properties(r) AS properties
ORDER BY type, id
"""


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: the format, the path, counts and the files with their sizes."""

    format: str
    path: Path
    nodes: int
    relationships: int
    files: dict[Path, int] = field(default_factory=dict)

    @property
    def bytes(self) -> int:
        return sum(self.files.values())


# --- reading ---------------------------------------------------------------------------
def fetch_graph(driver: neo4j.Driver, database: str) -> Graph:
    """The whole kazgraph graph, read in read transactions."""
    read = neo4j.RoutingControl.READ
    nodes, _, _ = driver.execute_query(_NODES, database_=database, routing_=read)
    rels, _, _ = driver.execute_query(_RELS, database_=database, routing_=read)
    return Graph([r.data() for r in nodes], [r.data() for r in rels])


# --- JSON ------------------------------------------------------------------------------
def write_json(graph: Graph, path: Path) -> list[Path]:
    """``{"nodes": [...], "relationships": [...]}``, stable order, UTF-8."""
    doc = {"nodes": graph.nodes, "relationships": graph.relationships}
    path.write_text(
        json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return [path]


# --- networkx: GraphML and GEXF --------------------------------------------------------
# Attribute names the writers use themselves; a property of that name would be lost.
_NODE_RESERVED = {"labels", "label", "start", "end", "pid", "viz", "spells", "parents", "slices"}
_EDGE_RESERVED = {"label", "weight", "type", "start", "end", "viz", "spells", "slices"}


def _flat(value: Any) -> Any:
    """A property value as a scalar attribute: lists become JSON text."""
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, (str, int, float, bool)):
        return value
    raise ExportError(f"cannot write a {type(value).__name__} property ({value!r})")


def _attrs(props: Mapping[str, Any], reserved: set[str], what: str) -> dict[str, Any]:
    if clash := sorted(reserved & set(props)):
        raise ExportError(
            f"{what} has properties named {', '.join(clash)}, which GraphML/GEXF "
            "attributes use for themselves"
        )
    return {k: _flat(v) for k, v in sorted(props.items())}


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """A networkx multigraph keyed by kazgraph ids, with every property as a scalar attribute."""
    out = nx.MultiDiGraph()
    for node in graph.nodes:
        props = node["properties"]
        out.add_node(
            node["id"],
            labels=":" + ":".join(neo4j_labels(node)),
            label=caption(props, node["id"]),
            **_attrs(props, _NODE_RESERVED, f"node {node['id']!r}"),
        )
    for rel in graph.relationships:
        out.add_edge(
            rel["start"],
            rel["end"],
            key=rel["id"],
            label=type_of(rel),
            **_attrs(rel["properties"], _EDGE_RESERVED, f"relationship {rel['id']!r}"),
        )
    _uniform_attribute_types(out)
    return out


def _uniform_attribute_types(graph: nx.MultiDiGraph) -> None:
    """One type per attribute name: ints become floats where the same name holds floats."""
    for items in (graph.nodes.values(), (d for _, _, d in graph.edges(data=True))):
        items = list(items)
        kinds: dict[str, set[type]] = defaultdict(set)
        for data in items:
            for key, value in data.items():
                kinds[key].add(type(value))
        for key, found in kinds.items():
            if found == {int, float}:
                for data in items:
                    if key in data:
                        data[key] = float(data[key])
            elif len(found) > 1:
                raise ExportError(
                    f"the attribute {key!r} holds values of types "
                    f"{sorted(t.__name__ for t in found)}; GraphML and GEXF "
                    "need one type per attribute"
                )


def write_graphml(graph: Graph, path: Path) -> list[Path]:
    """GraphML (directed multigraph) with typed ``<key>``s; edge ids are kazgraph ids."""
    nx.write_graphml(to_networkx(graph), path, infer_numeric_types=True, named_key_ids=True)
    return [path]


def write_gexf(graph: Graph, path: Path) -> list[Path]:
    """GEXF 1.2 for Gephi; node and edge ids are kazgraph ids."""
    g = to_networkx(graph)
    for start, end, key, data in g.edges(keys=True, data=True):
        data["id"] = key  # the GEXF edge id
        g.edges[start, end, key].update(data)
    nx.write_gexf(g, path)
    return [path]


# --- CSV for neo4j-admin database import -----------------------------------------------
_HEADER_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _column_type(name: str, values: Iterable[Any], where: str) -> str:
    """The neo4j-admin header type of a property: ``string``, ``long``, ``double[]``..."""
    arrays: set[bool] = set()
    kinds: set[type] = set()
    for value in values:
        items = value if isinstance(value, (list, tuple)) else [value]
        arrays.add(isinstance(value, (list, tuple)))
        kinds.update(type(v) for v in items)
    if kinds == {int, float}:
        kinds = {float}
    if len(arrays) > 1 or len(kinds) > 1 or not kinds <= set(_HEADER_TYPES):
        shown = sorted(t.__name__ for t in kinds)
        raise ExportError(
            f"{where}: the property {name!r} mixes types {shown} "
            f"{'and lists ' if len(arrays) > 1 else ''}; neo4j-admin import "
            "needs one type per column"
        )
    return _HEADER_TYPES[kinds.pop()] + ("[]" if arrays.pop() else "")


def _csv_scalar(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ExportError(f"{where}: {value!r} is not a finite number")
        return repr(value)
    return str(value)


def _csv_field(value: Any, where: str) -> str:
    """One CSV field: strings and arrays quoted (RFC 4180), numbers bare, missing empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        parts = [_csv_scalar(v, where) for v in value]
        if any(ARRAY_DELIMITER in p for p in parts):
            raise ExportError(
                f"{where}: an array element contains the array delimiter "
                f"{ARRAY_DELIMITER!r}: {value!r}"
            )
        text = ARRAY_DELIMITER.join(parts)
    elif isinstance(value, str):
        text = value
    else:
        return _csv_scalar(value, where)
    return '"' + text.replace('"', '""') + '"'


@dataclass
class _CsvFile:
    name: str
    header: list[str]
    rows: list[list[str]]

    @property
    def text(self) -> str:
        lines = [",".join(self.header), *(",".join(row) for row in self.rows)]
        return "\n".join(lines) + "\n"


def _property_columns(
    records: list[Mapping[str, Any]], skip: set[str], where: str
) -> list[tuple[str, str]]:
    names = sorted({k for r in records for k in r["properties"]} - skip)
    return [
        (
            name,
            _column_type(
                name, (r["properties"][name] for r in records if name in r["properties"]), where
            ),
        )
        for name in names
    ]


def _id_space(label: str) -> str:
    return SOURCE_LABEL if label == SOURCE_LABEL else ENTITY_LABEL


def csv_files(graph: Graph) -> list[_CsvFile]:
    """The import files: ``nodes-<Label>.csv`` per label, ``relationships-<TYPE>.csv`` per
    type (split by id space only where a type links to both entities and sources)."""
    files = []
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes:
        by_label[label_of(node)].append(node)
    space_of = {}
    for label, nodes in sorted(by_label.items()):
        where = f"nodes-{label}.csv"
        columns = _property_columns(nodes, {"id"}, where)
        header = [
            f"id:ID({_id_space(label)})",
            ":LABEL",
            *(f"{name}:{kind}" for name, kind in columns),
        ]
        rows = []
        for node in sorted(nodes, key=lambda n: str(n["id"])):
            space_of[node["id"]] = _id_space(label)
            props = node["properties"]
            rows.append(
                [
                    _csv_field(str(node["id"]), where),
                    _csv_field(neo4j_labels(node), where),
                    *(_csv_field(props.get(name), f"{where} {node['id']}") for name, _ in columns),
                ]
            )
        files.append(_CsvFile(where, header, rows))
    by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in graph.relationships:
        spaces = (space_of.get(rel["start"]), space_of.get(rel["end"]))
        if None in spaces:
            raise ExportError(f"relationship {rel['id']!r} ends at a node that is not exported")
        by_type[(type_of(rel), *spaces)].append(rel)  # type: ignore[arg-type]
    mixed = {t for t, _, _ in by_type if sum(k[0] == t for k in by_type) > 1}
    for (rel_type, start, end), rels in sorted(by_type.items()):
        suffix = f"-{start}-{end}" if rel_type in mixed else ""
        where = f"relationships-{rel_type}{suffix}.csv"
        columns = _property_columns(rels, set(), where)
        header = [
            f":START_ID({start})",
            f":END_ID({end})",
            ":TYPE",
            *(f"{name}:{kind}" for name, kind in columns),
        ]
        rows = [
            [
                _csv_field(str(r["start"]), where),
                _csv_field(str(r["end"]), where),
                _csv_field(rel_type, where),
                *(
                    _csv_field(r["properties"].get(name), f"{where} {r['id']}")
                    for name, _ in columns
                ),
            ]
            for r in sorted(rels, key=lambda r: str(r["id"]))
        ]
        files.append(_CsvFile(where, header, rows))
    return files


def neo4j_admin_arguments(
    folder: Path, database: str = "neo4j", relative: bool = False
) -> list[str]:
    """The arguments after ``neo4j-admin`` that import a CSV export folder into ``database``;
    file names relative to the folder with ``relative``."""
    folder = Path(folder)

    def shown(p: Path) -> str:
        return p.name if relative else str(p)

    nodes = sorted(folder.glob("nodes-*.csv"))
    rels = sorted(folder.glob("relationships-*.csv"))
    # Descriptions may hold line breaks; the files are small, so always allow them.
    # The database comes first: --nodes and --relationships take several files each.
    return [
        "database",
        "import",
        "full",
        database,
        f"--array-delimiter={ARRAY_DELIMITER}",
        "--id-type=string",
        "--multiline-fields=true",
        *(f"--nodes={shown(p)}" for p in nodes),
        *(f"--relationships={shown(p)}" for p in rels),
    ]


def write_csv(graph: Graph, path: Path) -> list[Path]:
    """A folder for ``neo4j-admin database import full``, with ``import.sh`` and the schema."""
    files = csv_files(graph)  # checks everything before anything is written
    path.mkdir(parents=True, exist_ok=True)
    for stale in (*path.glob("nodes-*.csv"), *path.glob("relationships-*.csv")):
        stale.unlink()
    written = []
    for f in files:
        target = path / f.name
        target.write_text(f.text, encoding="utf-8")
        written.append(target)
    schema = path / "schema.cypher"
    schema.write_text(SCHEMA_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    args = neo4j_admin_arguments(path, relative=True)
    script = path / "import.sh"
    script.write_text(
        "#!/bin/sh\n"
        "# Import this folder into an empty, stopped Neo4j 5 database (default: neo4j), then\n"
        "# start it and apply the schema:  cypher-shell -f schema.cypher\n"
        'cd "$(dirname "$0")" || exit 1\n'
        f'exec neo4j-admin {shlex.join(args[:3])} "${{1:-{args[3]}}}" {shlex.join(args[4:])}\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return [*written, schema, script]


# --- a Cypher script -------------------------------------------------------------------
def cypher_script(graph: Graph) -> str:
    """Statements that rebuild ``graph`` in an empty database, one per line, schema first."""
    lines = [
        "// kazgraph export: rebuilds the graph in an EMPTY Neo4j 5 database.",
        f"// {len(graph.nodes)} nodes, {len(graph.relationships)} relationships; "
        "one statement per line.",
        "// Run it with:  cypher-shell -f FILE   (or paste it into Neo4j Browser)",
        "// The schema (cypher/schema.cypher):",
    ]
    lines += [" ".join(s.split()) + ";" for s in schema_statements()]
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes:
        by_labels[tuple(neo4j_labels(node))].append(node["properties"])
    lines.append("// Nodes, by label:")
    for labels, props in sorted(by_labels.items()):
        for chunk in chunks(props, SCRIPT_BATCH):
            lines.append(
                f"UNWIND {cypher_literal(chunk)} AS props "
                f"CREATE (n:{':'.join(labels)}) SET n = props;"
            )
    space = {n["id"]: _id_space(label_of(n)) for n in graph.nodes}
    by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in graph.relationships:
        if rel["start"] not in space or rel["end"] not in space:
            raise ExportError(f"relationship {rel['id']!r} ends at a node that is not exported")
        by_type[(type_of(rel), space[rel["start"]], space[rel["end"]])].append(
            {"from": rel["start"], "to": rel["end"], "props": rel["properties"]}
        )
    lines.append("// Relationships, by type:")
    for (rel_type, start, end), rows in sorted(by_type.items()):
        for chunk in chunks(rows, SCRIPT_BATCH):
            lines.append(
                f"UNWIND {cypher_literal(chunk)} AS row "
                f"MATCH (a:{start} {{id: row.from}}) MATCH (b:{end} {{id: row.to}}) "
                f"CREATE (a)-[r:{rel_type}]->(b) SET r = row.props;"
            )
    return "\n".join(lines) + "\n"


def run_cypher_script(driver: neo4j.Driver, database: str, path: Path) -> int:
    """Run a Cypher script statement by statement; return how many statements ran."""
    statements = [st for _, st in split_statements(Path(path).read_text(encoding="utf-8"))]
    for statement in statements:
        driver.execute_query(statement, database_=database)
    return len(statements)


def write_cypher(graph: Graph, path: Path) -> list[Path]:
    """A ``.cypher`` script that rebuilds the graph (see :func:`cypher_script`)."""
    text = cypher_script(graph)
    path.write_text(text, encoding="utf-8")
    return [path]


# --- the entry point -------------------------------------------------------------------
WRITERS: dict[str, Callable[[Graph, Path], list[Path]]] = {
    "json": write_json,
    "graphml": write_graphml,
    "gexf": write_gexf,
    "csv": write_csv,
    "cypher": write_cypher,
}


def write_graph(graph: Graph, fmt: str, path: Path) -> ExportSummary:
    """Write ``graph`` in one of :data:`WRITERS`' formats (``csv`` writes a folder)."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r} (known: {', '.join(WRITERS)})")
    path = Path(path)
    for node in graph.nodes:  # checked before any file or folder is made
        label_of(node)
    for rel in graph.relationships:
        type_of(rel)
    if fmt != "csv":
        path.parent.mkdir(parents=True, exist_ok=True)
    files = WRITERS[fmt](graph, path)
    return ExportSummary(
        fmt, path, len(graph.nodes), len(graph.relationships), {f: f.stat().st_size for f in files}
    )


def export(
    driver: neo4j.Driver,
    database: str,
    fmt: str,
    path: Path,
    graph: Graph | None = None,
) -> ExportSummary:
    """Export ``graph`` (say, a saved query's answer), or else the whole graph."""
    return write_graph(graph or fetch_graph(driver, database), fmt, path)
