"""Command start-up benchmark: what a whole `kazgraph` process costs, next to bare Python.

    NEO4J_URI=bolt://127.0.0.1:17687 .venv/bin/python -m bench.bench_cli [--runs 5]

Runs each command ``--runs`` times as its own process and reports the medians of wall time
and of CPU time (user + sys of that process alone, from os.wait4), with ratios to
``python -c pass``. ``kazgraph query run trade-partners`` and ``kazgraph cypher`` need the
curated graph, so the benchmark first loads data/ through kazgraph's loader
(bench/adapter.py): it REPLACES the graph in NEO4J_DATABASE. The load average (1, 5 and 15
minutes) is recorded before and after the runs: on a shared machine wall time follows it.

Each command runs once first, uncounted, as an installed kazgraph has run before: its
modules' bytecode is cached (PYTHONDONTWRITEBYTECODE is left out of the commands'
environment, else every run would compile kazgraph's own modules again) and its files are
in the page cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import Any

from bench.measure import PROJECT_ROOT, Target, print_table, run_child, server_info, wipe
from bench.measure import write_json as _write_json

KAZGRAPH = str(Path(sys.executable).with_name("kazgraph"))
COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ("minimal driver client (trade-partners, csv)", [sys.executable, "-m", "bench.minimal_query"]),
    ("kazgraph --help", [KAZGRAPH, "--help"]),
    ("kazgraph query list", [KAZGRAPH, "query", "list"]),
    ("kazgraph query run trade-partners", [KAZGRAPH, "query", "run", "trade-partners"]),
    (
        "kazgraph query run trade-partners --format csv",
        [KAZGRAPH, "query", "run", "trade-partners", "--format", "csv"],
    ),
    (
        "kazgraph cypher (countries, csv)",
        [KAZGRAPH, "cypher", "MATCH (c:Country) RETURN c.name AS name", "--format", "csv"],
    ),
]


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_cli", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    target = Target.from_env()
    with target.driver() as driver:
        info = server_info(driver, target.database)
        wipe(driver, target.database)
        from bench.adapter import kazgraph_load

        kazgraph_load(PROJECT_ROOT / "data", driver, target.database)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"NEO4J_URI": target.uri, "NEO4J_DATABASE": target.database, "COLUMNS": "120"}
    results: list[dict[str, Any]] = []
    load_before = _load_average()
    for name, argv_ in COMMANDS:
        run_child(argv_, timeout=120, env=env)  # warm-up: bytecode and page cache
        runs = [run_child(argv_, timeout=120, env=env) for _ in range(args.runs)]
        failed = [r for r in runs if r.returncode != 0]
        results.append(
            {
                "command": name,
                "wall_ms": round(statistics.median(r.wall_s for r in runs) * 1000, 1),
                "cpu_ms": round(statistics.median(r.cpu_s for r in runs) * 1000, 1),
                "peak_rss_mb": round(max(r.peak_rss_mb for r in runs), 1),
                "status": f"failed: {failed[0].stderr_tail}" if failed else "ok",
            }
        )
        print(f"  {name:<48} {results[-1]['wall_ms']:8.1f} ms", flush=True)
    load_after = _load_average()
    base = results[0]
    rows = [
        [
            r["command"],
            r["wall_ms"],
            f"{r['wall_ms'] / base['wall_ms']:.1f}x",
            r["cpu_ms"],
            f"{r['cpu_ms'] / base['cpu_ms']:.1f}x",
            r["peak_rss_mb"],
            r["status"],
        ]
        for r in results
    ]
    print_table(
        f"Command start-up, medians of {args.runs}, {info['date']}; load average "
        f"{' '.join(map(str, load_before))} before, {' '.join(map(str, load_after))} after",
        ["command", "wall ms", "x python", "CPU ms", "x python", "peak RSS MB", "status"],
        rows,
    )
    _write_json(
        args.json,
        {
            "benchmark": "cli",
            **info,
            "runs": args.runs,
            "load_average": {"before": load_before, "after": load_after},
            "results": results,
        },
    )


if __name__ == "__main__":
    main()
