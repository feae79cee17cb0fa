"""Saved-query benchmark: every query in queries/ against a route network of a given size.

    NEO4J_URI=bolt://127.0.0.1:17687 .venv/bin/python -m bench.bench_queries \\
        --nodes 1000,10000 --runs 5 --timeout 60 --json /tmp/kazgraph-bench/queries.json

For each size, a route network (bench/route_network.py: the curated data plus generated
routes) is loaded through kazgraph's loader (bench/adapter.py; the minimal client if that
fails), then each saved query runs once to warm up and ``--runs`` times more, with its
default parameters (or its first example's where there is no default; entity names
resolved to ids as ``kazgraph query run`` does). Times are the server's own:
``result_available_after + result_consumed_after`` from the result summary, so neither
the driver nor Python is counted. A query that runs past ``--timeout`` seconds is stopped
by the server (``neo4j.Query(timeout=…)``) and reported as "timeout".
The benchmark REPLACES the graph in NEO4J_DATABASE: point it at a scratch server.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import neo4j
from neo4j.exceptions import ClientError, Neo4jError

from bench.measure import PROJECT_ROOT, Target, graph_size, print_table, server_info, wipe
from bench.measure import write_json as _write_json
from bench.route_network import generate_network

WORK_DIR = Path("/tmp/kazgraph-bench")
QUERIES_DIR = PROJECT_ROOT / "queries"


def saved_queries(driver: neo4j.Driver, database: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, Cypher, bound parameters) of every saved query, as `kazgraph query run` binds
    them with no parameters given."""
    from loader.saved_queries import bind_params, load_saved_queries, run_params

    out = []
    for name, query in sorted(load_saved_queries(QUERIES_DIR).items()):
        out.append((name, query.cypher, bind_params(driver, database, query, run_params(query))))
    return out


def load_network(
    nodes: int, seed: int, work: Path, driver: neo4j.Driver, database: str, loader: str = "kazgraph"
) -> dict[str, Any]:
    """Generate (once) and load the route network; say which loader did it and how long."""
    folder = work / f"network-{nodes}-seed{seed}"
    if not (folder / "manifest.json").exists():
        print(f"generating a route network of {nodes} nodes in {folder} …", flush=True)
        generate_network(nodes, folder, seed=seed)
    wipe(driver, database)
    start = time.perf_counter()
    used = loader
    if loader == "kazgraph":
        from bench.adapter import kazgraph_load

        try:
            kazgraph_load(folder, driver, database)
        except Exception as exc:  # noqa: BLE001 - fall back and say so
            print(f"kazgraph load failed ({exc}); loading with the minimal client")
            used = f"minimal client (kazgraph failed: {type(exc).__name__})"
            wipe(driver, database)
    if used != "kazgraph":
        from bench.minimal_client import minimal_load

        minimal_load(folder, driver, database)
        used = used if used.startswith("minimal client") else "minimal client"
    seconds = time.perf_counter() - start
    n, r = graph_size(driver, database)
    return {
        "folder": str(folder),
        "loader": used,
        "load_s": round(seconds, 2),
        "graph_nodes": n,
        "graph_relationships": r,
    }


def time_query(
    session: neo4j.Session, cypher: str, params: dict[str, Any], timeout: float
) -> tuple[float, int]:
    """Server-side milliseconds and rows of one run."""
    result = session.run(neo4j.Query(cypher, timeout=timeout), params)
    rows = len(list(result))
    summary = result.consume()
    return (summary.result_available_after or 0) + (summary.result_consumed_after or 0), rows


def _runs(
    target: Target,
    cypher: str,
    params: dict[str, Any],
    runs: int,
    timeout: float,
    state: dict[str, Any],
) -> None:
    """The warm-up and timed runs of one query, in a worker thread; results go to ``state``."""
    try:
        with (
            target.driver() as driver,
            driver.session(
                database=target.database, default_access_mode=neo4j.READ_ACCESS
            ) as session,
        ):
            for i in range(runs + 1):  # the first run warms the plan cache and is dropped
                state["started"] = time.monotonic()
                ms, state["rows"] = time_query(session, cypher, params, timeout)
                if i:
                    state["times"].append(ms)
    except ClientError as exc:
        timed_out = "Timeout" in (exc.code or "") or "timed out" in str(exc)
        state["status"] = f"timeout (> {timeout:g} s)" if timed_out else f"error: {exc.code}"
    except Neo4jError as exc:
        state["status"] = f"error: {exc.code}"
    except Exception as exc:  # noqa: BLE001 - reported in the table, the others still run
        state["status"] = f"error: {type(exc).__name__}: {exc}"[:200]
    state["started"] = None


def bench_queries(
    queries: list[tuple[str, str, dict[str, Any]]],
    target: Target,
    runs: int,
    timeout: float,
    grace: float = 30,
) -> list[dict[str, Any]]:
    """Time every query; one the server fails to stop within ``grace`` seconds of its
    timeout is abandoned (its worker thread and connection left behind) and reported."""
    out = []
    for name, cypher, params in queries:
        state: dict[str, Any] = {"times": [], "rows": None, "status": "ok", "started": None}
        worker = threading.Thread(
            target=_runs, daemon=True, args=(target, cypher, params, runs, timeout, state)
        )
        worker.start()
        while worker.is_alive():
            worker.join(0.5)
            started = state["started"]
            if started is not None and time.monotonic() - started > timeout + grace:
                state["status"] = (
                    f"timeout (> {timeout:g} s; the server had not stopped it {grace:g} s later)"
                )
                break
        times = state["times"]
        out.append(
            {
                "query": name,
                "status": state["status"],
                "rows": state["rows"],
                "runs": len(times),
                "p50_ms": round(statistics.median(times), 1) if times else None,
                "p95_ms": round(_percentile(times, 95), 1) if times else None,
                "max_ms": round(max(times), 1) if times else None,
            }
        )
        print(f"  {name:<28} p50 {out[-1]['p50_ms']} ms  {state['status']}", flush=True)
    return out


def _percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 5 runs is the slowest)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_queries", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--nodes", default="1000", help="network sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per query run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=WORK_DIR, help="generated data cache")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--no-load",
        action="store_true",
        help="the graph already holds the network: time the queries only",
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    target = Target.from_env()
    payload: dict[str, Any] = {
        "benchmark": "queries",
        "runs": args.runs,
        "timeout_s": args.timeout,
        "networks": [],
    }
    rows: list[list[Any]] = []
    with target.driver() as driver:
        payload |= server_info(driver, target.database)
        for nodes in (int(n) for n in args.nodes.split(",")):
            if args.no_load:
                n, r = graph_size(driver, target.database)
                network = {
                    "loader": "already loaded",
                    "load_s": None,
                    "graph_nodes": n,
                    "graph_relationships": r,
                }
            else:
                network = load_network(
                    nodes, args.seed, args.work, driver, target.database, args.loader
                )
            print(
                f"{nodes} nodes: loaded {network['graph_nodes']} nodes and "
                f"{network['graph_relationships']} relationships with {network['loader']} "
                f"in {network['load_s']} s",
                flush=True,
            )
            results = bench_queries(
                saved_queries(driver, target.database),
                target,
                args.runs,
                args.timeout,
            )
            payload["networks"].append({"nodes": nodes, **network, "queries": results})
            rows += [
                [
                    f"{nodes:,}",
                    r["query"],
                    r["rows"],
                    r["p50_ms"],
                    r["p95_ms"],
                    r["max_ms"],
                    r["status"],
                ]
                for r in results
            ]
        wipe(driver, target.database)
    print_table(
        f"Saved queries, server time in ms, {payload['date']} ({args.runs} runs after a warm-up)",
        ["network nodes", "query", "rows", "p50 ms", "p95 ms", "max ms", "status"],
        rows,
    )
    _write_json(args.json, payload)


if __name__ == "__main__":
    main()
