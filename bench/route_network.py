"""A route network of a given size, in kazgraph's data format, for the path queries.

    python -m bench.route_network --nodes 10000 -o /tmp/kz-net-10k [--seed 1]

writes a data folder holding the curated data/ (so every saved query's default names still
resolve: Russia, Türkiye, EU, Xi Jinping, Putin) plus a network of ``--nodes`` location nodes:
the curated countries, seas and places, the other ISO countries, and generated places (each
LOCATED_IN a country, a tenth of them in Russia) and seas (each bordered by a country).
Every node gets a point on a rough map (Kazakhstan in the middle, Russia to the north,
China to the east, Türkiye and Europe to the west) and routes are random walks of 3 to 8
steps between near neighbours, so each node lies on about two routes and ROUTE_LEG links
form one connected web. A quarter of the routes start in Kazakhstan; routes through Russian
places are EXPOSED_TO Western sanctions; half have an operator. Three quarters of the steps
are cited (generated sentences, as in bench/synthetic.py), the rest are background.

routes-bypassing-russia and routes-through-russia then answer with thousands of routes (a
tenth of the places lie in Russia); transit-paths and shortest-connection search a web of
thousands of legs.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.synthetic import REAL_DATA, DataWriter, countries, read_folder, read_yaml_list, syllables
from loader.names import lookup_keys

SHARED_SOURCES = REAL_DATA.parent.parent / "shared" / "sources"
NEIGHBOURS = 6
# rough map positions (x west→east, y south→north) of the places the saved queries name
ANCHORS = {
    "KAZ": (0.60, 0.50),
    "RUS": (0.60, 0.80),
    "CHN": (0.85, 0.50),
    "TUR": (0.25, 0.45),
    "europe": (0.08, 0.62),
    "caspian-sea": (0.45, 0.50),
    "black-sea": (0.30, 0.55),
    "AZE": (0.40, 0.46),
    "GEO": (0.35, 0.50),
    "IRN": (0.45, 0.35),
    "TKM": (0.50, 0.40),
    "UZB": (0.55, 0.42),
    "KGZ": (0.68, 0.42),
    "TJK": (0.62, 0.38),
    "AFG": (0.55, 0.30),
    "UKR": (0.30, 0.68),
}
ROUTE_KINDS = ("transport_corridor", "rail_link", "oil_pipeline", "trade_route")


def _names(entities: list[dict[str, Any]]) -> set[str]:
    return {k for e in entities for k in lookup_keys([e["name"], *e.get("aliases", [])])}


class Namer:
    """Generated names no curated entity uses, one per (word, index)."""

    def __init__(self, taken: set[str]) -> None:
        self.taken, self.next = taken, 0

    def __call__(self, word: str) -> str:
        while True:
            name = f"{syllables(self.next)} {word}"
            self.next += 1
            keys = lookup_keys([name])
            if not self.taken.intersection(keys):
                self.taken.update(keys)
                return name


def neighbours(points: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """Indexes of each point's k nearest other points (brute force, in chunks)."""
    out = np.empty((len(points), k), dtype=np.int64)
    for start in range(0, len(points), 1000):
        chunk = points[start : start + 1000]
        d = ((chunk[:, None, :] - points[None, :, :]) ** 2).sum(-1)
        d[np.arange(len(chunk)), np.arange(start, start + len(chunk))] = np.inf
        near = np.argpartition(d, k, axis=1)[:, :k]
        order = np.take_along_axis(d, near, axis=1).argsort(axis=1)
        out[start : start + len(chunk)] = np.take_along_axis(near, order, axis=1)
    return out


def generate_network(
    n_nodes: int,
    out: Path,
    seed: int = 1,
    data_dir: Path = REAL_DATA,
    shared_sources: Path = SHARED_SOURCES,
) -> dict[str, Any]:
    """Write the curated data plus a route network of ``n_nodes`` locations; return the manifest."""
    rng = random.Random(seed)
    entities, facts = read_folder(data_dir)
    by_id = {e["id"]: e for e in entities}
    namer = Namer(_names(entities))
    writer = DataWriter(
        out,
        out / "sources",
        seed=seed,
        cites_per_fact=1.5,
        base_sources=read_yaml_list(data_dir / "sources.yaml", "sources"),
    )
    for kind in ("entities", "facts"):
        for path in sorted((data_dir / kind).glob("*.yaml")):
            shutil.copy(path, out / kind / f"curated-{path.name}")
    if shared_sources.is_dir():
        for path in shared_sources.glob("*.txt"):
            shutil.copy(path, out / "sources" / path.name)

    # the nodes: curated locations, other countries, then generated places and seas
    nodes: list[tuple[str, str, str]] = [
        (e["id"], e["name"], e["label"])
        for e in entities
        if e["label"] in ("Country", "Place", "Sea")
    ]
    taken = {n[0] for n in nodes}
    for iso, name, aliases in countries():
        if (
            iso in taken
            or len(nodes) >= n_nodes
            or namer.taken.intersection(lookup_keys([name, *aliases]))
        ):
            continue
        namer.taken.update(lookup_keys([name, *aliases]))
        record = {"id": iso, "label": "Country", "name": name}
        writer.entity("network-countries", record | ({"aliases": aliases} if aliases else {}))
        nodes.append((iso, name, "Country"))
    country_ids = [n[0] for n in nodes if n[2] == "Country"]
    point: dict[str, tuple[float, float]] = {}
    for eid, _, _ in nodes:
        point[eid] = ANCHORS.get(eid, (rng.random(), rng.random()))
    extra = max(0, n_nodes - len(nodes))
    russian = {"RUS"} | {f["from"] for f in facts if f["type"] == "LOCATED_IN" and f["to"] == "RUS"}
    n_seas = extra // 20
    for i in range(extra):
        if i < n_seas:
            name = namer("Sea")
            eid = f"net-sea-{i}"
            writer.entity(
                "network-seas",
                {"id": eid, "label": "Sea", "name": name, "description": "A generated sea."},
            )
            point[eid] = (rng.random(), rng.random())
            nodes.append((eid, name, "Sea"))
            continue
        country = "RUS" if rng.random() < 0.1 else rng.choice(country_ids)
        if country == "RUS":
            russian.add(f"net-place-{i}")
        spread = 0.08 if country == "RUS" else 0.025
        cx, cy = point[country]
        name = namer("Junction")
        eid = f"net-place-{i}"
        writer.entity(
            "network-places",
            {
                "id": eid,
                "label": "Place",
                "kind": "city",
                "name": name,
                "description": "A generated place.",
            },
        )
        point[eid] = (
            min(1.0, max(0.0, rng.gauss(cx, spread))),
            min(1.0, max(0.0, rng.gauss(cy, spread))),
        )
        nodes.append((eid, name, "Place"))
        _fact(writer, "LOCATED_IN", (eid, name), (country, _name(by_id, nodes, country)))
    names = {n[0]: n[1] for n in nodes}
    coords = np.array([point[n[0]] for n in nodes])
    near = neighbours(coords, min(NEIGHBOURS, len(nodes) - 1))
    countries_only = np.array([n[2] == "Country" for n in nodes])
    for i, (eid, name, label) in enumerate(nodes):
        if label == "Sea" and eid.startswith("net-"):
            d = ((coords - coords[i]) ** 2).sum(1)
            d[~countries_only] = np.inf
            c = nodes[int(d.argmin())][0]
            _fact(writer, "BORDERS", (c, names[c]), (eid, name))

    # the routes: random walks between near neighbours until every node lies on one
    index = {n[0]: i for i, n in enumerate(nodes)}
    uncovered = list(range(len(nodes)))
    rng.shuffle(uncovered)
    covered: set[int] = set()
    n_routes = math.ceil(2 * len(nodes) / 5.5)
    operators: list[tuple[str, str]] = []
    used: set[str] = set()
    steps = legs = 0
    for r in range(n_routes * 4):
        while uncovered and uncovered[-1] in covered:
            uncovered.pop()
        if r >= n_routes and not uncovered:
            break
        if r % 4 == 0:
            start = index["KAZ"]
        elif uncovered:
            start = uncovered.pop()
        else:
            start = rng.randrange(len(nodes))
        walk = [start]
        for _ in range(rng.randint(2, 7)):
            options = [int(j) for j in near[walk[-1]] if int(j) not in walk]
            if not options:
                break
            walk.append(rng.choice(options))
        if len(walk) < 2:
            continue
        covered.update(walk)
        rid, rname = f"net-route-{r}", namer("Corridor")
        writer.entity(
            "network-routes",
            {
                "id": rid,
                "label": "Route",
                "kind": ROUTE_KINDS[r % len(ROUTE_KINDS)],
                "name": rname,
                "description": "A generated route.",
            },
        )
        for order, j in enumerate(walk, start=1):
            eid = nodes[j][0]
            role = "origin" if order == 1 else "destination" if order == len(walk) else "transit"
            _fact(
                writer,
                "ROUTE_STEP",
                (rid, rname),
                (eid, names[eid]),
                {"order": order, "role": role},
                background=rng.random() < 0.25,
            )
        steps += len(walk)
        legs += len(walk) - 1
        if rng.random() < 0.5:
            if not operators or rng.random() < 0.1:
                operators.append((f"net-operator-{len(operators)}", namer("Logistics")))
                writer.entity(
                    "network-companies",
                    {
                        "id": operators[-1][0],
                        "label": "Company",
                        "kind": "operator",
                        "name": operators[-1][1],
                        "description": "A generated route operator.",
                    },
                )
            operator = operators[-1] if operators[-1][0] not in used else rng.choice(operators)
            used.add(operator[0])
            _fact(writer, "OPERATED_BY", (rid, rname), operator)
        if russian.intersection(nodes[j][0] for j in walk) and rng.random() < 0.5:
            _fact(
                writer,
                "EXPOSED_TO",
                (rid, rname),
                ("western-sanctions", by_id["western-sanctions"]["name"]),
                {"channel": "transit"},
            )
    writer.route_legs = legs
    return writer.close(
        {
            "generator": "bench.route_network",
            "seed": seed,
            "network_nodes": len(nodes),
            "routes": writer.labels["Route"],
            "route_steps": steps,
        }
    )


def _name(by_id: dict[str, dict[str, Any]], nodes: list[tuple[str, str, str]], eid: str) -> str:
    if eid in by_id:
        return str(by_id[eid]["name"])
    return next(n[1] for n in nodes if n[0] == eid)


def _fact(
    writer: DataWriter,
    ftype: str,
    start: tuple[str, str],
    end: tuple[str, str],
    props: dict[str, Any] | None = None,
    background: bool = False,
) -> None:
    n = sum(writer.counts.values()) + 1
    slug = ftype.lower().replace("_", "-")
    writer.fact(
        f"net-{slug}-{n}",
        ftype,
        start,
        end,
        props or {},
        f"Generated network {ftype.lower().replace('_', ' ')} {n}.",
        background,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.route_network", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--nodes", type=int, required=True, help="location nodes (1k, 10k)")
    parser.add_argument("-o", "--out", type=Path, required=True, help="data folder to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    manifest = generate_network(args.nodes, args.out, args.seed)
    print(
        f"{manifest['network_nodes']} locations, {manifest['route_steps']} route steps, "
        f"{manifest['facts']} generated facts in {args.out} "
        f"({time.perf_counter() - start:.1f} s)"
    )


if __name__ == "__main__":
    main()
