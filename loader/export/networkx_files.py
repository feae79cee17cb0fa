"""GraphML and GEXF through networkx, for Gephi, yEd, Cytoscape or networkx itself.

Their attributes must be scalars, so lists are written as JSON text. Nodes carry ``labels``
(``:Entity:Country``, as APOC writes them) and ``label`` (the name, which Gephi shows); edges
carry ``label`` (the relationship type) and keep their kazgraph id as the edge id.
"""

from __future__ import annotations

import json
import re
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
# What XML 1.0 cannot hold, even escaped: most control characters, surrogates, U+FFFE/FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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


def check_xml_text(graph: nx.MultiDiGraph[str], fmt: str) -> None:
    """An :class:`ExportError` naming the node or edge, the attribute and the character when
    any id, attribute name or text holds a character XML 1.0 forbids (U+0000-U+001F but tab,
    line feed and carriage return; surrogates; U+FFFE, U+FFFF): such a file would not parse."""

    def check(text: object, where: str) -> None:
        if isinstance(text, str) and (bad := _NOT_XML.search(text)):
            raise ExportError(
                f"{where} holds the character U+{ord(bad.group()):04X}, which XML 1.0 "
                f"forbids; {fmt} cannot hold it (json, csv and cypher exports can)"
            )

    def own_first(data: Mapping[str, object]) -> list[tuple[str, object]]:
        """The properties before ``label``, which repeats one of them."""
        return sorted(data.items(), key=lambda item: item[0] in ("label", "labels"))

    for node, data in graph.nodes(data=True):
        check(node, f"the node id {node!r}")
        for key, value in own_first(data):
            check(key, f"node {node!r}: a property name {key!r}")
            check(value, f"node {node!r}, property {key!r},")
    for _, _, edge, data in graph.edges(keys=True, data=True):
        check(edge, f"the relationship id {edge!r}")
        for key, value in own_first(data):
            check(key, f"relationship {edge!r}: a property name {key!r}")
            check(value, f"relationship {edge!r}, property {key!r},")


def write_graphml(graph: Graph, path: Path) -> list[Path]:
    """GraphML (directed multigraph) with typed ``<key>``s; edge ids are kazgraph ids."""
    g = to_networkx(graph)
    check_xml_text(g, "GraphML")
    nx.write_graphml(g, path, infer_numeric_types=True, named_key_ids=True)
    return [path]


def write_gexf(graph: Graph, path: Path) -> list[Path]:
    """GEXF 1.2 for Gephi; node and edge ids are kazgraph ids."""
    g = to_networkx(graph)
    check_xml_text(g, "GEXF")
    for _, _, key, data in g.edges(keys=True, data=True):
        data["id"] = key  # the GEXF edge id
    nx.write_gexf(g, path)
    return [path]
