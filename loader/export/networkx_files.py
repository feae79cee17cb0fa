"""GraphML and GEXF through networkx, for Gephi, yEd, Cytoscape or networkx itself.

Their attributes must be scalars, so lists are written as JSON text. Nodes carry ``labels``
(``:Entity:Country``, as APOC writes them) and ``label`` (the name, which Gephi shows); edges
carry ``label`` (the relationship type) and keep their kazgraph id as the edge id.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from loader.errors import ExportError
from loader.graph import Graph, caption, neo4j_labels, type_of

Scalar = str | int | float | bool
# Attribute names the writers use themselves; a property of that name would be lost.
_NODE_RESERVED = {"labels", "label", "start", "end", "pid", "viz", "spells", "parents", "slices"}
_EDGE_RESERVED = {"label", "weight", "type", "start", "end", "viz", "spells", "slices"}


def _flat(value: object) -> Scalar:
    """A property value as a scalar attribute: lists become JSON text."""
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, (str, int, float, bool)):
        return value
    raise ExportError(f"cannot write a {type(value).__name__} property ({value!r})")


def _attrs(props: Mapping[str, object], reserved: set[str], what: str) -> dict[str, Scalar]:
    if clash := sorted(reserved & set(props)):
        raise ExportError(
            f"{what} has properties named {', '.join(clash)}, which GraphML/GEXF "
            "attributes use for themselves"
        )
    return {k: _flat(v) for k, v in sorted(props.items())}


def to_networkx(graph: Graph) -> nx.MultiDiGraph[str]:
    """A networkx multigraph keyed by kazgraph ids, with every property as a scalar attribute."""
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
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


def _uniform_attribute_types(graph: nx.MultiDiGraph[str]) -> None:
    """One type per attribute name: ints become floats where the same name holds floats."""
    for items in (list(graph.nodes.values()), [d for _, _, d in graph.edges(data=True)]):
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
    for _, _, key, data in g.edges(keys=True, data=True):
        data["id"] = key  # the GEXF edge id
    nx.write_gexf(g, path)
    return [path]
