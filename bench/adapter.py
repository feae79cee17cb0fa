"""The one place the benchmarks call kazgraph's loader.

Re-point these functions at the loader's entry points and every benchmark follows. Nothing
else under bench/ imports loader.facts, loader.write or loader.bulk.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import neo4j


def kazgraph_load(data_dir: Path, driver: neo4j.Driver, database: str) -> dict[str, Any]:
    """Validate the data folder and sync it into ``database``, as ``kazgraph load`` does;
    return the time of each phase and what the load did."""
    from loader.facts import load_dataset
    from loader.write import load

    began = time.perf_counter()
    dataset = load_dataset(Path(data_dir))
    validated = time.perf_counter()
    summary = load(driver, dataset, database)
    return {
        "validate_s": round(validated - began, 2),
        "write_s": round(time.perf_counter() - validated, 2),
        "created": summary.nodes_created + summary.relationships_created,
        "updated": summary.nodes_updated + summary.relationships_updated,
        "deleted": summary.nodes_deleted + summary.relationships_deleted,
        "unchanged": summary.unchanged,
        "transactions": summary.transactions,
    }


def kazgraph_bulk(
    data_dir: Path, driver: neo4j.Driver, uri: str, runner_dir: Path
) -> dict[str, Any]:
    """``kazgraph load --bulk`` into the empty local runner of ``runner_dir``."""
    from loader.bulk import bulk_load
    from loader.facts import load_dataset
    from loader.settings import Settings

    began = time.perf_counter()
    dataset = load_dataset(Path(data_dir))
    validated = time.perf_counter()
    bulk_load(driver, dataset, Settings(uri=uri), runner_dir)
    return {
        "validate_s": round(validated - began, 2),
        "import_s": round(time.perf_counter() - validated, 2),
    }
