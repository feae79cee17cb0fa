"""Side-by-side timing of the load: batched UNWIND (the loader) against one row per round trip.

Usage: .venv/bin/python bench/bench_load.py [--runs N]
Needs a running Neo4j (NEO4J_URI, or `kazgraph db start`); it REPLACES the kazgraph
graph there. Both variants run in the same process against the same server, alternating,
and the ratio of medians is printed.
"""

from __future__ import annotations

import argparse
import statistics
import time

from loader.database import connect
from loader.facts import load_dataset
from loader.settings import Settings
from loader.write import load


def timed_load(driver, dataset, database: str, batch_size: int) -> float:  # type: ignore[no-untyped-def]
    """Seconds for one full load (after a reset) with the given batch size."""
    load(driver, dataset, database, reset=True)  # same starting state and warm caches
    start = time.perf_counter()
    load(driver, dataset, database, reset=True, batch_size=batch_size)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings = Settings.resolve()
    dataset = load_dataset()
    rows = len(dataset.facts) + len(dataset.entities)
    times: dict[int, list[float]] = {500: [], 1: []}
    with connect(settings) as driver:
        for _ in range(args.runs):
            for size in times:
                times[size].append(timed_load(driver, dataset, settings.database, size))
    batched, single = (statistics.median(times[s]) for s in (500, 1))
    print(f"{rows} curated rows, {args.runs} runs each, medians:")
    print(f"  batched UNWIND (500 rows/query): {batched * 1000:8.1f} ms")
    print(f"  one row per query:               {single * 1000:8.1f} ms")
    print(f"  ratio one-per-row / batched:     {single / batched:8.1f}x")


if __name__ == "__main__":
    main()
