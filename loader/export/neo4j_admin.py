"""CSV for ``neo4j-admin database import full``: one nodes file per label, one relationships
file per type, typed headers, ``;`` between array elements, and ``import.sh`` with the exact
command.

Fields are written by :mod:`csv` (quoted only where needed); a missing property is an empty
field, which neo4j-admin reads as no property.
"""

from __future__ import annotations

import csv
import math
import shlex
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loader.errors import ExportError
from loader.export.folder import written_by_export
from loader.graph import Graph, label_of, neo4j_labels, type_of
from loader.schema import SCHEMA_FILE

ARRAY_DELIMITER = ";"
_HEADER_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


@dataclass(frozen=True)
class CsvFile:
    """One import file: its name, typed header and rows of field text."""

    name: str
    header: list[str]
    rows: list[list[str]]


def _column_type(name: str, values: Iterable[object], where: str) -> str:
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


def _scalar(value: object, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise ExportError(f"{where}: {value!r} is not a finite number")
    return str(value)


def _field(value: object, where: str) -> str:
    """One field's text: arrays joined by the array delimiter, missing values empty."""
    if value is None:
        return ""
    if not isinstance(value, (list, tuple)):
        return _scalar(value, where)
    parts = [_scalar(v, where) for v in value]
    if any(ARRAY_DELIMITER in p for p in parts):
        raise ExportError(
            f"{where}: an array element contains the array delimiter {ARRAY_DELIMITER!r}: {value!r}"
        )
    return ARRAY_DELIMITER.join(parts)


def _property_columns(
    records: Sequence[Mapping[str, Any]], skip: set[str], where: str
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


def csv_files(graph: Graph) -> list[CsvFile]:
    """The import files: ``nodes-<Label>.csv`` per label, ``relationships-<TYPE>.csv`` per
    type (split by id space only where a type links to both entities and sources)."""
    files = []
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes:
        by_label[label_of(node)].append(node)
    space_of = {}
    for label, nodes in sorted(by_label.items()):
        where = f"nodes-{label}.csv"
        space = neo4j_labels(nodes[0])[0]  # the id space: Entity or Source
        columns = _property_columns(nodes, {"id"}, where)
        header = [f"id:ID({space})", ":LABEL", *(f"{n}:{k}" for n, k in columns)]
        rows = []
        for node in sorted(nodes, key=lambda n: str(n["id"])):
            space_of[node["id"]] = space
            props = node["properties"]
            rows.append(
                [
                    str(node["id"]),
                    _field(neo4j_labels(node), where),
                    *(_field(props.get(name), f"{where} {node['id']}") for name, _ in columns),
                ]
            )
        files.append(CsvFile(where, header, rows))
    by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in graph.relationships:
        start, end = space_of.get(rel["start"]), space_of.get(rel["end"])
        if start is None or end is None:
            raise ExportError(f"relationship {rel['id']!r} ends at a node that is not exported")
        by_type[(type_of(rel), start, end)].append(rel)
    mixed = {t for t, _, _ in by_type if sum(k[0] == t for k in by_type) > 1}
    for (rel_type, start, end), rels in sorted(by_type.items()):
        suffix = f"-{start}-{end}" if rel_type in mixed else ""
        where = f"relationships-{rel_type}{suffix}.csv"
        columns = _property_columns(rels, set(), where)
        header = [f":START_ID({start})", f":END_ID({end})", ":TYPE"]
        header += [f"{name}:{kind}" for name, kind in columns]
        rows = [
            [
                str(r["start"]),
                str(r["end"]),
                rel_type,
                *(_field(r["properties"].get(name), f"{where} {r['id']}") for name, _ in columns),
            ]
            for r in sorted(rels, key=lambda r: str(r["id"]))
        ]
        files.append(CsvFile(where, header, rows))
    return files


def neo4j_admin_arguments(
    folder: Path,
    database: str = "neo4j",
    relative: bool = False,
    names: Iterable[str] | None = None,
) -> list[str]:
    """The arguments after ``neo4j-admin`` that import a CSV export folder into ``database``;
    file names relative to the folder with ``relative``.

    The files are ``names`` when given, else those the export listed in the folder's
    manifest, else every ``nodes-*.csv`` and ``relationships-*.csv`` in it.
    """
    folder = Path(folder)

    def shown(p: Path) -> str:
        return p.name if relative else str(p)

    listed = sorted(names if names is not None else written_by_export(folder))
    files = [folder / n for n in listed] or sorted(folder.glob("*.csv"))
    nodes = [p for p in files if p.name.startswith("nodes-") and p.suffix == ".csv"]
    rels = [p for p in files if p.name.startswith("relationships-") and p.suffix == ".csv"]
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
    """A folder for ``neo4j-admin database import full``, with ``import.sh`` and the schema.

    ``path`` is a new, empty folder (:func:`loader.export.write_graph` moves it into place).
    """
    files = csv_files(graph)  # checks everything before anything is written
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for f in files:
        target = path / f.name
        with target.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out, lineterminator="\n").writerows([f.header, *f.rows])
        written.append(target)
    schema = path / "schema.cypher"
    schema.write_text(SCHEMA_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    args = neo4j_admin_arguments(path, relative=True, names=[f.name for f in files])
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
