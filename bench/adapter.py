"""The one place the benchmarks call kazgraph's loader.

The loader is being rewritten for speed; re-point ``kazgraph_load`` at its new entry point
and every benchmark follows. Nothing else under bench/ imports loader.facts or loader.write.
"""

from __future__ import annotations

from pathlib import Path

import neo4j


def kazgraph_load(data_dir: Path, driver: neo4j.Driver, database: str) -> None:
    """Validate the data folder and sync it into ``database``, as ``kazgraph load`` does."""
    from loader.facts import load_dataset
    from loader.write import load

    load(driver, load_dataset(Path(data_dir)), database)
