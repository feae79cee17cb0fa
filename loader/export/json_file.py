"""JSON: ``{"nodes": [...], "relationships": [...]}``, as read, in a stable order."""

from __future__ import annotations

import json
from pathlib import Path

from loader.graph import Graph


def write_json(graph: Graph, path: Path) -> list[Path]:
    """``{"nodes": [...], "relationships": [...]}``, stable order, UTF-8."""
    doc = {"nodes": graph.nodes, "relationships": graph.relationships}
    path.write_text(
        json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return [path]
