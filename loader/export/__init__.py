"""Read the graph (or take the subgraph a saved query returns) and write it to files.

One module per format, each keeping every property and the ``basis`` that tells documented
facts from background ones:

- ``json`` (:mod:`~loader.export.json_file`): ``{"nodes": [...], "relationships": [...]}``;
- ``graphml`` and ``gexf`` (:mod:`~loader.export.networkx_files`): through networkx, for
  Gephi, yEd or Cytoscape, lists as JSON text;
- ``csv`` (:mod:`~loader.export.neo4j_admin`): a folder for ``neo4j-admin database import``;
- ``cypher`` (:mod:`~loader.export.cypher_script`): a script that rebuilds the graph.

Labels and relationship types come from :mod:`loader.vocabulary` only: a node or relationship
outside the allow-lists is an :class:`~loader.errors.ExportError`, never formatted into a file.
A new format is one module and one entry in :data:`WRITERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import neo4j

from loader.database import read
from loader.errors import ExportError
from loader.export.cypher_script import write_cypher
from loader.export.folder import write_folder_atomically
from loader.export.json_file import write_json
from loader.export.neo4j_admin import write_csv
from loader.export.networkx_files import write_gexf, write_graphml
from loader.graph import Graph, label_of, type_of
from loader.output import OutputExists, refuse_existing, write_atomically

WRITERS: dict[str, Callable[[Graph, Path], list[Path]]] = {
    "json": write_json,
    "graphml": write_graphml,
    "gexf": write_gexf,
    "csv": write_csv,
    "cypher": write_cypher,
}

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


def fetch_graph(driver: neo4j.Driver, database: str) -> Graph:
    """The whole kazgraph graph, read in read transactions."""
    nodes = read(driver, database, _NODES, transformer=neo4j.Result.data)
    rels = read(driver, database, _RELS, transformer=neo4j.Result.data)
    return Graph(nodes, rels)


FOLDER_FORMATS = ("csv",)


def check_target(fmt: str, path: Path, force: bool = False) -> None:
    """Refuse, before anything is read, a target that :func:`write_graph` would refuse: an
    existing file, or a folder that is not empty, without ``force``."""
    path = Path(path)
    if fmt in FOLDER_FORMATS:
        if path.exists() and not path.is_dir():
            raise OutputExists(f"{path} is a file; a {fmt} export writes a folder")
        if path.is_dir() and any(path.iterdir()) and not force:
            raise OutputExists(
                f"{path} is a folder that is not empty; pass --force to replace the files "
                "an earlier export wrote there (other files are kept)"
            )
    else:
        refuse_existing(path, force)


def write_graph(graph: Graph, fmt: str, path: Path, force: bool = False) -> ExportSummary:
    """Write ``graph`` in one of :data:`WRITERS`' formats (``csv`` writes a folder).

    An existing file, or a folder that is not empty, is refused unless ``force``; files are
    written beside their target and moved into place, so a failed export leaves it as it was
    (see :func:`loader.output.write_atomically` and :mod:`loader.export.folder`).
    """
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r} (known: {', '.join(WRITERS)})")
    path = Path(path)
    for node in graph.nodes:  # checked before any file or folder is made
        label_of(node)
    for rel in graph.relationships:
        type_of(rel)
    check_target(fmt, path, force)
    writer = WRITERS[fmt]
    if fmt in FOLDER_FORMATS:
        files = write_folder_atomically(path, fmt, lambda temp: writer(graph, temp), force)
    else:
        files = [write_atomically(path, lambda temp: writer(graph, temp), force)]
    return ExportSummary(
        fmt, path, len(graph.nodes), len(graph.relationships), {f: f.stat().st_size for f in files}
    )


def export(
    driver: neo4j.Driver,
    database: str,
    fmt: str,
    path: Path,
    graph: Graph | None = None,
    force: bool = False,
) -> ExportSummary:
    """Export ``graph`` (say, a saved query's answer), or else the whole graph."""
    if graph is None:
        graph = fetch_graph(driver, database)
    return write_graph(graph, fmt, path, force)


__all__ = [
    "FOLDER_FORMATS",
    "WRITERS",
    "ExportSummary",
    "check_target",
    "export",
    "fetch_graph",
    "write_graph",
]
