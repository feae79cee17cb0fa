"""The one place the benchmarks call kazgraph's loader.

Re-point these functions at the loader's entry points and every benchmark follows. Nothing
else under bench/ imports loader.facts, loader.write or loader.bulk.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import neo4j


def parse_cache(data_dir: Path) -> Path:
    """The parse cache the benchmark's loads keep for a data folder, in the temporary folder
    (never beside the data: the curated data/ is in the work tree; ``kazgraph load`` keeps
    its own in ~/.cache/kazgraph)."""
    key = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "kazgraph-bench-cache" / f"{Path(data_dir).name}-{key}"


def forget_parsed(data_dir: Path) -> None:
    """Empty the parse cache, so that the next load parses every file."""
    shutil.rmtree(parse_cache(data_dir), ignore_errors=True)


def kazgraph_load(data_dir: Path, driver: neo4j.Driver, database: str) -> dict[str, Any]:
    """Validate the data folder and sync it into ``database``, as ``kazgraph load`` does
    (with a parse cache); return the time of each phase and what the load did."""
    from loader.facts import load_dataset
    from loader.write import load

    began = time.perf_counter()
    dataset = load_dataset(Path(data_dir), cache=parse_cache(data_dir))
    validated = time.perf_counter()
    phases: list[tuple[str, float]] = []
    summary = load(
        driver, dataset, database, phase=lambda name, _: phases.append((name, time.perf_counter()))
    )
    ended = time.perf_counter()
    steps = {  # seconds from each phase's start to the next one's (the last: to the end)
        f"{name.split()[0]}_s": round(end - start, 2)
        for (name, start), (_, end) in zip(phases, [*phases[1:], ("end", ended)], strict=True)
    }
    return {
        "validate_s": round(validated - began, 2),
        "write_s": round(ended - validated, 2),
        **steps,
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
