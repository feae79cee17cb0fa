"""Load benchmark: kazgraph's loader against a minimal client and the server's own ceiling.

    NEO4J_URI=bolt://127.0.0.1:17687 .venv/bin/python -m bench.bench_load \\
        --sizes 1000,10000,100000 --json /tmp/kazgraph-bench/load.json

For each size (facts in a synthetic data folder, see bench/synthetic.py), against one
server, with the graph wiped before each alternative:

  kazgraph         kazgraph's load end to end, through bench/adapter.py
  kazgraph reload  the same load again on the loaded graph: nothing changes (the files it
                   reads are in the parse cache the first load left)
  minimal client   libyaml, plain dict rows, UNWIND … MERGE in 10k-row transactions
  server ceiling   the same number of nodes and relationships built by Cypher alone
  kazgraph bulk    kazgraph load --bulk: neo4j-admin import into the emptied local runner
                   (only with --runner-dir, the runner's data folder)

Each alternative runs in its own Python process, so its wall time includes start-up and
imports, and its peak RSS and CPU time are its own (os.wait4). A failure (a timeout, the
server's transaction memory) is recorded as "failed: reason" in the table.
The benchmark REPLACES the graph in NEO4J_DATABASE: point it at a scratch server.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import traceback
from pathlib import Path
from typing import Any

from bench.adapter import forget_parsed
from bench.measure import (
    Run,
    Target,
    graph_size,
    print_table,
    python_child,
    run_child,
    server_info,
    wipe,
    write_json,
)

WORK_DIR = Path("/tmp/kazgraph-bench")
ALTERNATIVES = ("kazgraph", "kazgraph reload", "minimal client", "server ceiling", "kazgraph bulk")
CHILD = {
    "kazgraph": "kazgraph",
    "kazgraph reload": "kazgraph",
    "minimal client": "minimal",
    "server ceiling": "ceiling",
    "kazgraph bulk": "bulk",
}


# --- in the child process -------------------------------------------------------------
def child(kind: str, data_dir: Path, result: Path, batch: int, runner_dir: Path | None) -> int:
    """Run one alternative against NEO4J_URI; write {"status", ...phases} to ``result``."""
    target = Target.from_env()
    report: dict[str, Any] = {}
    try:
        with target.driver() as driver:
            if kind == "kazgraph":
                from bench.adapter import kazgraph_load

                report |= kazgraph_load(data_dir, driver, target.database)
            elif kind == "bulk":
                from bench.adapter import kazgraph_bulk

                assert runner_dir is not None
                report |= kazgraph_bulk(data_dir, driver, target.uri, runner_dir)
            elif kind == "minimal":
                from bench.minimal_client import minimal_load

                report |= minimal_load(data_dir, driver, target.database, batch)
            else:
                from bench.server_ceiling import ceiling_load

                manifest = json.loads((data_dir / "manifest.json").read_text())
                report |= ceiling_load(manifest, driver, target.database, batch)
        report["status"] = "ok"
    except Exception as exc:  # noqa: BLE001 - the benchmark records any failure and goes on
        traceback.print_exc()
        message = " ".join(str(exc).split())
        report["status"] = f"failed: {type(exc).__name__}: {message}"[:300]
    result.write_text(json.dumps(report))
    return 0 if report["status"] == "ok" else 1


# --- in the parent --------------------------------------------------------------------
def dataset(size: int, seed: int, work: Path) -> Path:
    """The synthetic folder for ``size`` facts, generated once and reused."""
    folder = work / f"synthetic-{size}-seed{seed}"
    manifest = folder / "manifest.json"
    if not manifest.exists() or json.loads(manifest.read_text()).get("facts") != size:
        from bench.synthetic import generate

        print(f"generating {size} facts in {folder} …", flush=True)
        generate(size, folder, seed=seed)
    return folder


def measure(
    alternative: str,
    data_dir: Path,
    work: Path,
    batch: int,
    timeout: float,
    runner_dir: Path | None = None,
) -> Run:
    result = work / "child-result.json"
    argv = python_child(
        "bench.bench_load",
        "--child",
        CHILD[alternative],
        "--data",
        str(data_dir),
        "--result",
        str(result),
        "--batch",
        str(batch),
        *(["--runner-dir", str(runner_dir)] if runner_dir else []),
    )
    return run_child(argv, timeout=timeout, result=result)


def bench_size(size: int, args: argparse.Namespace, target: Target) -> list[dict[str, Any]]:
    data_dir = dataset(size, args.seed, args.work)
    manifest = json.loads((data_dir / "manifest.json").read_text())
    rows: list[dict[str, Any]] = []
    with target.driver() as driver:
        for alternative in ALTERNATIVES:
            if alternative == "kazgraph bulk" and not args.runner_dir:
                continue  # needs the local runner's data folder, to stop and start it
            runs: list[Run] = []
            for _ in range(args.runs):
                if alternative == "kazgraph":
                    forget_parsed(data_dir)  # a first load parses every file
                if alternative != "kazgraph reload":
                    wipe(driver, target.database)
                elif rows[0]["status"] != "ok":
                    break  # nothing loaded, nothing to reload
                print(f"{size:>9,} facts  {alternative:<16}", end=" ", flush=True)
                run = measure(
                    alternative, data_dir, args.work, args.batch, args.timeout, args.runner_dir
                )
                print(f"{run.wall_s:8.2f} s  {run.status}", flush=True)
                runs.append(run)
                if run.status != "ok":
                    break
            nodes, rels = graph_size(driver, target.database)
            rows.append(summarise(size, alternative, runs, manifest, nodes, rels))
        wipe(driver, target.database)
    minimal = next(r for r in rows if r["alternative"] == "minimal client")
    ceiling = next(r for r in rows if r["alternative"] == "server ceiling")
    first = rows[0]
    for row in rows:
        row["x_minimal"] = _div(row["wall_s"], minimal["wall_s"])
        row["x_ceiling"] = _div(row["wall_s"], ceiling["wall_s"])
        row["x_first"] = _div(row["wall_s"], first["wall_s"])
    return rows


def _div(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 2)


def summarise(
    size: int, alternative: str, runs: list[Run], manifest: dict[str, Any], nodes: int, rels: int
) -> dict[str, Any]:
    ok = [r for r in runs if r.status == "ok"]
    status = (
        "ok"
        if runs and len(ok) == len(runs)
        else (runs[-1].status if runs else "skipped: the first load failed")
    )
    wall = statistics.median(r.wall_s for r in ok) if ok else None
    expected = manifest["nodes"] + manifest["relationships"]
    return {
        "facts": size,
        "alternative": alternative,
        "status": status,
        "rows": expected,
        "graph_nodes": nodes,
        "graph_relationships": rels,
        "wall_s": None if wall is None else round(wall, 3),
        "rows_per_s": None if not wall else round(expected / wall),
        "cpu_s": round(statistics.median(r.cpu_s for r in ok), 3) if ok else None,
        "peak_rss_mb": round(max(r.peak_rss_mb for r in runs), 1) if runs else None,
        "failed_after_s": round(runs[-1].wall_s, 1) if runs and not ok else None,
        "runs": len(runs),
        "phases": [r.report for r in runs],
    }


def table_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    out = []
    for r in rows:
        wall = r["wall_s"]
        out.append(
            [
                f"{r['facts']:,}",
                r["alternative"],
                f"{r['rows']:,}",
                f"{wall:.2f}" if wall is not None else None,
                f"{r['rows_per_s']:,}" if r["rows_per_s"] else None,
                f"{r['cpu_s']:.2f}" if r["cpu_s"] is not None else None,
                f"{r['peak_rss_mb']:.0f}" if r["peak_rss_mb"] is not None else None,
                _times(r["x_minimal"]),
                _times(r["x_ceiling"]),
                _times(r["x_first"]),
                _phases(r),
                _status(r),
            ]
        )
    return out


def _times(x: float | None) -> str | None:
    return None if x is None else f"{x:.2f}x"


def _phases(row: dict[str, Any]) -> str:
    """The phase times a kazgraph child reported (validate, write or import), last run."""
    report = row["phases"][-1] if row["phases"] else {}
    keys = (
        "validate_s", "rows_s", "reading_s", "writing_s", "write_s", "import_s",
        "updated", "created", "unchanged",
    )  # fmt: skip
    return " ".join(f"{k.removesuffix('_s')} {report[k]}" for k in keys if k in report)


def _status(row: dict[str, Any]) -> str:
    if row["failed_after_s"] is None:
        return str(row["status"])
    return f"{row['status']} (after {row['failed_after_s']} s)"


COLUMNS = [
    "facts",
    "alternative",
    "rows",
    "wall s",
    "rows/s",
    "client CPU s",
    "peak RSS MB",
    "x minimal",
    "x ceiling",
    "x first load",
    "phases",
    "status",
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="facts per synthetic folder, comma-separated (1000,10000)",
    )
    parser.add_argument("--runs", type=int, default=1, help="runs per alternative (median)")
    parser.add_argument(
        "--batch",
        type=int,
        default=10_000,
        help="rows per transaction for the minimal client and the ceiling",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    parser.add_argument("--work", type=Path, default=WORK_DIR, help="synthetic data cache")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--runner-dir",
        type=Path,
        help="data folder of the local runner at NEO4J_URI: adds the bulk path "
        "(kazgraph load --bulk stops and starts it)",
    )
    parser.add_argument("--child", choices=sorted(set(CHILD.values())), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.exit(child(args.child, args.data, args.result, args.batch, args.runner_dir))
    args.work.mkdir(parents=True, exist_ok=True)
    target = Target.from_env()
    with target.driver() as driver:
        info = server_info(driver, target.database)
    print(f"{info['server']} at {target.uri}, {info['cpus']} CPUs, Python {info['python']}")
    results: list[dict[str, Any]] = []
    for size in (int(s) for s in args.sizes.split(",")):
        results += bench_size(size, args, target)
    print_table(
        f"Load, {info['date']} ({args.runs} run(s) each; rows = nodes + relationships)",
        COLUMNS,
        table_rows(results),
    )
    write_json(
        args.json,
        {"benchmark": "load", **info, "uri": target.uri, "batch": args.batch, "results": results},
    )


if __name__ == "__main__":
    main()
