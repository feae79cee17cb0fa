"""The answer graph: nodes and relationships as plain records keyed by kazgraph ids.

Saved queries build it, exports write it, pictures draw it. Labels and types are checked
against :mod:`loader.vocabulary` before anything formats them into a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loader.errors import ExportError
from loader.vocabulary import DERIVED_TYPES, LABELS, REL_TYPES

SOURCE_LABEL = "Source"
ENTITY_LABEL = "Entity"


@dataclass(frozen=True)
class Graph:
    """Nodes and relationships keyed by their kazgraph ids, as plain records.

    A node is ``{"id", "labels", "properties"}`` (``labels`` without ``Entity``); a
    relationship is ``{"id", "type", "start", "end", "properties"}``.
    """

    nodes: list[dict[str, Any]]
    relationships: list[dict[str, Any]]

    def closed(self) -> Graph:
        """Without nodes that have no id and relationships whose ends are not among the nodes.

        A query that returns a relationship but not its end nodes leaves such ends behind;
        every file format needs both ends of each relationship.
        """
        nodes = [n for n in self.nodes if n.get("id") is not None]
        ids = {n["id"] for n in nodes}
        rels = [
            r
            for r in self.relationships
            if r.get("id") is not None and r["start"] in ids and r["end"] in ids
        ]
        return Graph(nodes, rels)


def label_of(node: Mapping[str, Any]) -> str:
    """The node's one kazgraph label (an allow-listed label, or ``Source``)."""
    labels = [label for label in node["labels"] if label != ENTITY_LABEL]
    if len(labels) != 1 or (labels[0] not in LABELS and labels[0] != SOURCE_LABEL):
        raise ExportError(
            f"node {node.get('id')!r} has labels {labels}; exports write only "
            "one label from loader/vocabulary.py (or Source) per node"
        )
    return str(labels[0])


def neo4j_labels(node: Mapping[str, Any]) -> list[str]:
    """Every label the node has in Neo4j: ``["Entity", "Country"]`` or ``["Source"]``."""
    label = label_of(node)
    return [label] if label == SOURCE_LABEL else [ENTITY_LABEL, label]


def type_of(rel: Mapping[str, Any]) -> str:
    """The relationship's type, checked against the allow-lists."""
    rel_type = rel["type"]
    if rel_type not in REL_TYPES and rel_type not in DERIVED_TYPES:
        raise ExportError(
            f"relationship {rel.get('id')!r} has the type {rel_type!r}, which is "
            "not in loader/vocabulary.py"
        )
    return str(rel_type)


def caption(props: Mapping[str, Any], fallback: Any = None) -> str:
    """What to call a node: its name, a source's title, else its id."""
    return str(props.get("name") or props.get("title") or props.get("id") or fallback)
