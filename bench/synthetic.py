"""Synthetic data folders in kazgraph's own format, with the mix of the curated data/.

    python -m bench.synthetic --facts 100000 -o /tmp/kz-100k [--seed 1] [--sources DIR]

writes ``sources.yaml``, ``entities/*.yaml`` and ``facts/*.yaml`` exactly as a curator
would, plus the generated source texts they cite (``<out>/sources`` unless ``--sources``),
so ``kazgraph load --data DIR`` and ``kazgraph verify --data DIR --sources DIR/sources``
both pass. ``manifest.json`` records what was written: counts by label and type, and the
number of derived rows (route legs, source mentions) the loader will add.

The mix is read from the curated data/ at run time, never hard-coded: every synthetic fact
copies the type, the labels at either end and the type-specific properties of one curated
fact (cycling through them, so the relationship-type and label mix is the curated one), and
every synthetic route copies the shape of one curated route (ordered steps 1..n through
countries, seas and places). Kazakhstan (KAZ) stays the hub it is in the curated data:
an end that is KAZ in the curated fact is KAZ in the synthetic one; every other end is a
synthetic entity of the same label (countries are the real ISO 3166 ones, so there are at
most about 250). Entities are created in the curated ratio of entities to fact ends per
label, and each is used by at least one fact. Cited facts have 1.5 citations on average,
each pointing at a generated sentence that names both ends and states every figure.

YAML is written as text, a record at a time, so a million facts take about a minute.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pycountry
import yaml

from loader.names import lookup_keys
from loader.sources import file_hash, sentence_hash

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = PROJECT_ROOT / "data"
HUB = "KAZ"
FACTS_PER_FILE = 50_000
ENTITIES_PER_FILE = 50_000
# figures a cited sentence must state (as `kazgraph verify` checks them)
FIGURES = ("value_usd", "value_max_usd", "share_pct", "personnel", "count")
# keys of a curated fact that are not copied into the synthetic one
NOT_COPIED = {"id", "type", "from", "to", "cites", "background", "description"}
WORD = {
    "Organisation": "Council",
    "Company": "Holding",
    "Bank": "Bank",
    "Place": "Port",
    "Sea": "Sea",
    "Infrastructure": "Terminal",
    "Route": "Corridor",
    "Agreement": "Accord",
    "Event": "Summit",
    "Issue": "Dispute",
    "Programme": "Programme",
}
_CONSONANTS, _VOWELS = "bdfgklmnprstvz", "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]


# --- reading the curated mix ----------------------------------------------------------
def read_yaml_list(path: Path, key: str) -> list[dict[str, Any]]:
    """The top-level list of one data file, parsed with libyaml."""
    with path.open(encoding="utf-8") as handle:
        doc = yaml.load(handle, Loader=yaml.CSafeLoader)  # noqa: S506 (CSafeLoader is safe)
    return list(doc.get(key) or [])


def read_folder(data_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every entity and fact record of a data folder, as plain dicts."""
    entities = [
        e
        for p in sorted((data_dir / "entities").glob("*.yaml"))
        for e in read_yaml_list(p, "entities")
    ]
    facts = [
        f for p in sorted((data_dir / "facts").glob("*.yaml")) for f in read_yaml_list(p, "facts")
    ]
    return entities, facts


@dataclass(frozen=True)
class Template:
    """A curated fact reduced to what a synthetic one copies: type, end labels, properties."""

    type: str
    start: str  # a label, or HUB
    end: str
    props: dict[str, Any]
    background: bool


@dataclass
class Mix:
    """The shape of the curated data: fact templates, route shapes, entities per end."""

    templates: list[Template]
    routes: list[list[Template]]
    route_share: float
    entity_ratio: dict[str, float]
    entity_examples: dict[str, list[dict[str, Any]]]

    def summary(self) -> dict[str, Any]:
        types = Counter(t.type for t in self.templates)
        types["ROUTE_STEP"] += sum(len(r) for r in self.routes)
        return {
            "types": dict(types.most_common()),
            "routes": len(self.routes),
            "entity_ratio": {k: round(v, 3) for k, v in sorted(self.entity_ratio.items())},
        }


def read_mix(data_dir: Path = REAL_DATA) -> Mix:
    """Templates and ratios computed from a curated data folder."""
    entities, facts = read_folder(data_dir)
    label = {e["id"]: e["label"] for e in entities}

    def end(eid: str) -> str:
        return HUB if eid == HUB else label[eid]

    templates, steps = [], defaultdict(list)
    picks: Counter[str] = Counter()
    for fact in facts:
        tpl = Template(
            fact["type"],
            end(fact["from"]),
            end(fact["to"]),
            {k: v for k, v in fact.items() if k not in NOT_COPIED},
            bool(fact.get("background")),
        )
        picks.update(e for e in (tpl.start, tpl.end) if e != HUB)
        if fact["type"] == "ROUTE_STEP":
            steps[fact["from"]].append(tpl)
        else:
            templates.append(tpl)
    routes = [sorted(s, key=lambda t: t.props["order"]) for _, s in sorted(steps.items())]
    owned = Counter(e["label"] for e in entities if e["id"] != HUB)
    examples: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entities:
        examples[e["label"]].append(e)
    return Mix(
        templates=templates,
        routes=routes,
        route_share=sum(map(len, routes)) / len(facts),
        entity_ratio={lab: owned[lab] / n for lab, n in picks.items()},
        entity_examples=dict(examples),
    )


# --- names ----------------------------------------------------------------------------
def syllables(i: int) -> str:
    """A pronounceable word, different for every i (bijective base-70, two syllables up)."""
    n, out = i + len(_SYLLABLES), []
    while n:
        n, r = divmod(n - 1, len(_SYLLABLES))
        out.append(_SYLLABLES[r])
    return "".join(reversed(out)).capitalize()


def countries() -> list[tuple[str, str, list[str]]]:
    """Every ISO country as (alpha-3, name, aliases), whose names a sentence can carry
    (no full stops) and whose look-up keys name no other country."""
    seen: set[str] = set()
    out = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        name = getattr(c, "common_name", None) or c.name
        aliases = [a for a in (getattr(c, "official_name", None),) if a and a != name]
        keys = lookup_keys([name, *aliases])
        if "." in name or any(k in seen for k in keys):
            continue
        seen.update(keys)
        out.append((c.alpha_3, name, aliases))
    return out


# --- writing YAML as text -------------------------------------------------------------
def scalar(value: Any) -> str:
    """One YAML value: strings double-quoted (JSON escapes are YAML escapes), lists in flow."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def entity_line(record: dict[str, Any]) -> str:
    return "  - {" + ", ".join(f"{k}: {scalar(v)}" for k, v in record.items()) + "}\n"


def figure_words(name: str, value: float) -> str:
    """A figure as `kazgraph verify` looks for it (11 billion, 2.1 billion, 13.5)."""
    if name.endswith("usd"):
        for scale, word in ((1e9, "billion"), (1e6, "million")):
            if value >= scale:
                return f"{value / scale:g} {word}"
    return f"{value:g}"


@dataclass
class SourceText:
    """One generated source: its text file, written a paragraph at a time."""

    id: str
    path: Path
    handle: TextIO
    paragraphs: int = 0

    def paragraph(self, sentences: list[str]) -> list[tuple[str, int, int, str]]:
        """Append a paragraph; return the locator (source, para, sent, sha256) of each sentence."""
        self.paragraphs += 1
        self.handle.write(("\n\n" if self.paragraphs > 1 else "") + " ".join(sentences))
        return [
            (self.id, self.paragraphs, s, sentence_hash(text))
            for s, text in enumerate(sentences, start=1)
        ]


@dataclass
class DataWriter:
    """Writes a data folder: entities and facts as YAML text, and the sources they cite."""

    out: Path
    sources_dir: Path
    seed: int = 1
    cites_per_fact: float = 1.5
    base_sources: list[dict[str, Any]] = field(default_factory=list)
    n_sources: int = 2
    facts_per_file: int = FACTS_PER_FILE
    counts: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    route_legs: int = 0
    _entities: dict[str, list[str]] = field(default_factory=dict)
    _mentioned: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _sources: list[SourceText] = field(default_factory=list)
    _facts_file: TextIO | None = None
    _facts_in_file: int = 0
    _files: int = 0
    _cited: int = 0
    _citations: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        for sub in ("entities", "facts"):
            shutil.rmtree(self.out / sub, ignore_errors=True)
            (self.out / sub).mkdir(parents=True, exist_ok=True)
        self.sources_dir.mkdir(parents=True, exist_ok=True)
        for k in range(self.n_sources):
            sid = f"synthetic-{chr(ord('a') + k)}"
            path = self.sources_dir / f"{sid}.txt"
            text = SourceText(sid, path, path.open("w", encoding="utf-8"))
            text.paragraph(
                [
                    f"Generated source {sid} for kazgraph load benchmarks.",
                    "Every sentence below was written by a program.",
                ]
            )
            self._sources.append(text)

    # entities are kept until close(): they are few next to the facts
    def entity(self, file: str, record: dict[str, Any]) -> None:
        self._entities.setdefault(file, []).append(entity_line(record))
        self.labels[record["label"]] += 1

    def fact(
        self,
        fid: str,
        ftype: str,
        start: tuple[str, str],
        end: tuple[str, str],
        props: dict[str, Any],
        description: str,
        background: bool = False,
    ) -> None:
        """One fact; ``start`` and ``end`` are (id, name). Cited unless ``background``."""
        if self._facts_file is None or self._facts_in_file >= self.facts_per_file:
            self._next_facts_file()
        assert self._facts_file is not None
        lines = [f"  - id: {fid}\n    type: {ftype}\n    from: {start[0]}\n    to: {end[0]}\n"]
        lines += [f"    {k}: {scalar(v)}\n" for k, v in props.items()]
        lines.append(f"    description: {scalar(description)}\n")
        if background:
            lines.append('    background: "Generated for benchmarks; no source states it."\n')
        else:
            lines.append("    cites:\n")
            for source, para, sent, sha in self._cite(start[1], end[1], props):
                lines.append(
                    f"      - {{source: {source}, para: {para}, sent: {sent}, sha256: {sha}}}\n"
                )
                self._mentioned[start[0]].add(source)
                self._mentioned[end[0]].add(source)
        self._facts_file.write("".join(lines))
        self._facts_in_file += 1
        self.counts[ftype] += 1

    def _cite(self, a: str, b: str, props: dict[str, Any]) -> list[tuple[str, int, int, str]]:
        self._cited += 1
        k = self._cited
        figures = [
            f"{f.replace('_', ' ')} of {figure_words(f, props[f])}"
            for f in FIGURES
            if props.get(f) is not None
        ]
        first = f"{a} and {b} appear together in generated record {k}"
        first += (", with " + " and ".join(figures) if figures else "") + "."
        sentences = [first]
        if self.rng.random() < self.cites_per_fact - 1:
            sentences.append(f"Record {k} was drawn by the generator with seed {self.seed}.")
        self._citations += len(sentences)
        source = self._sources[k % len(self._sources)]
        return source.paragraph(sentences)

    def _next_facts_file(self) -> None:
        if self._facts_file is not None:
            self._facts_file.close()
        self._files += 1
        path = self.out / "facts" / f"part-{self._files:03d}.yaml"
        self._facts_file = path.open("w", encoding="utf-8")
        self._facts_file.write("# Generated by bench/synthetic.py for load benchmarks.\nfacts:\n")
        self._facts_in_file = 0

    def close(self, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
        """Finish every file, write sources.yaml and manifest.json; return the manifest."""
        if self._facts_file is not None:
            self._facts_file.close()
        for file, lines in self._entities.items():
            for part, start in enumerate(range(0, len(lines), ENTITIES_PER_FILE), start=1):
                name = file if len(lines) <= ENTITIES_PER_FILE else f"{file}-{part:03d}"
                with (self.out / "entities" / f"{name}.yaml").open("w", encoding="utf-8") as h:
                    h.write("# Generated by bench/synthetic.py for load benchmarks.\nentities:\n")
                    h.writelines(lines[start : start + ENTITIES_PER_FILE])
        registry = list(self.base_sources)
        for text in self._sources:
            text.handle.write("\n")
            text.handle.close()
            registry.append(
                {
                    "id": text.id,
                    "file": text.path.name,
                    "author": "kazgraph bench",
                    "title": f"Generated source {text.id}",
                    "date": "2024-01",
                    "sha256": file_hash(text.path),
                }
            )
        with (self.out / "sources.yaml").open("w", encoding="utf-8") as handle:
            handle.write("# Generated sources: texts written by bench/synthetic.py.\nsources:\n")
            for src in registry:
                handle.write(
                    "  - " + "\n    ".join(f"{k}: {scalar(v)}" for k, v in src.items()) + "\n"
                )
        facts = sum(self.counts.values())
        out = {
            "facts": facts,
            "entities": sum(self.labels.values()),
            "sources": len(registry),
            "labels": dict(self.labels.most_common()),
            "types": dict(self.counts.most_common()),
            "route_legs": self.route_legs,
            "documented_in": sum(len(s) for s in self._mentioned.values()),
            "citations_per_cited_fact": round(self._citations / max(self._cited, 1), 3),
            **(manifest or {}),
        }
        out["nodes"] = out["entities"] + out["sources"]
        out["relationships"] = facts + out["route_legs"] + out["documented_in"]
        (self.out / "manifest.json").write_text(json.dumps(out, indent=2) + "\n")
        return out


# --- choosing ends --------------------------------------------------------------------
class Pool:
    """Entities of one label, handed out in shuffled rounds so every one gets used."""

    def __init__(self, ids: list[str], names: list[str], rng: random.Random) -> None:
        self.ids, self.names, self.rng = ids, names, rng
        self.order: list[int] = []

    def pick(self, avoid: str | None = None) -> tuple[str, str]:
        if not self.order:
            self.order = list(range(len(self.ids)))
            self.rng.shuffle(self.order)
        k = self.order.pop()
        if self.ids[k] == avoid and len(self.ids) > 1:
            if not self.order:
                self.order = [j for j in range(len(self.ids)) if j != k]
                self.rng.shuffle(self.order)
            k, other = self.order.pop(), k
            self.order.append(other)
        return self.ids[k], self.names[k]


def _rounds(items: list[Any], rng: random.Random) -> Iterator[Any]:
    """``items`` over and over, shuffled each round: an exact mix in random order."""
    while True:
        batch = list(items)
        rng.shuffle(batch)
        yield from batch


def entity_record(label: str, i: int, example: dict[str, Any]) -> dict[str, Any]:
    """A synthetic entity of ``label``: id, name, one alias, and the example's kind and date."""
    word = syllables(i)
    if label == "Person":
        name, alias = f"{word} {syllables(i * 7 + 3)}", f"Minister {word}"
    else:
        name, alias = f"{word} {WORD[label]}", f"{WORD[label]} {word}"
    record: dict[str, Any] = {"id": f"{label.lower()}-{i}", "label": label}
    if example.get("kind"):
        record["kind"] = example["kind"]
    record |= {"name": name, "aliases": [alias]}
    if example.get("date"):
        record["date"] = example["date"]
    record["description"] = f"Generated {label.lower()} number {i} for load benchmarks."
    return record


def generate(
    n_facts: int,
    out: Path,
    seed: int = 1,
    sources_dir: Path | None = None,
    cites_per_fact: float = 1.5,
    data_dir: Path = REAL_DATA,
) -> dict[str, Any]:
    """Write a data folder of ``n_facts`` facts with the curated mix; return its manifest."""
    mix = read_mix(data_dir)
    rng = random.Random(seed)
    # the plan: route shapes first (their share of the facts), then the other templates
    n_steps = round(n_facts * mix.route_share)
    routes: list[list[Template]] = []
    shapes, planned = _rounds(mix.routes, rng), 0
    while planned < n_steps:  # the last route may be cut short: its orders stay 1..k
        routes.append(next(shapes)[: n_steps - planned])
        planned += len(routes[-1])
    plain = list(itertools.islice(_rounds(mix.templates, rng), n_facts - n_steps))
    picks: Counter[str] = Counter()
    for tpl in plain + [s for r in routes for s in r]:
        picks.update(e for e in (tpl.start, tpl.end) if e not in (HUB, "Route"))
    picks["Route"] = sum(1 for t in plain for e in (t.start, t.end) if e == "Route")

    writer = DataWriter(
        out, sources_dir or out / "sources", seed=seed, cites_per_fact=cites_per_fact
    )
    pools: dict[str, Pool] = {}
    world = countries()
    rng.shuffle(world)
    hub = next(c for c in countries() if c[0] == HUB)
    writer.entity("countries", {"id": HUB, "label": "Country", "name": hub[1], "aliases": hub[2]})
    world = [c for c in world if c[0] != HUB]
    for label in sorted(picks):
        if not picks[label] and not (label == "Route" and routes):
            continue
        if label == "Route" and routes:
            size = len(routes)
        else:
            want = round(picks[label] * mix.entity_ratio.get(label, 1.0))
            size = max(1, min(picks[label], want))
        if label == "Country":
            size = min(size, len(world))
            chosen = world[:size]
            for iso, name, aliases in chosen:
                writer.entity(
                    "countries",
                    {
                        "id": iso,
                        "label": "Country",
                        "name": name,
                        **({"aliases": aliases} if aliases else {}),
                    },
                )
            pools[label] = Pool([c[0] for c in chosen], [c[1] for c in chosen], rng)
            continue
        examples = mix.entity_examples[label]
        records = [entity_record(label, i, examples[i % len(examples)]) for i in range(size)]
        for record in records:
            writer.entity(label.lower(), record)
        pools[label] = Pool([r["id"] for r in records], [r["name"] for r in records], rng)
    hub_end = (HUB, hub[1])

    def end_of(spec: str, avoid: str | None = None) -> tuple[str, str]:
        return hub_end if spec == HUB else pools[spec].pick(avoid)

    n = 0
    route_pool = pools.get("Route")
    for k, shape in enumerate(routes):
        assert route_pool is not None
        route = (route_pool.ids[k], route_pool.names[k])
        previous: str | None = None
        for tpl in shape:
            n += 1
            place = end_of(tpl.end, avoid=previous)
            writer.fact(
                f"syn-step-{n}",
                "ROUTE_STEP",
                route,
                place,
                tpl.props,
                f"Step {tpl.props['order']} of generated route {k}.",
                tpl.background,
            )
            previous = place[0]
        writer.route_legs += len(shape) - 1
    if route_pool is not None:
        route_pool.order = []
    for tpl in plain:
        n += 1
        start = end_of(tpl.start)
        end = end_of(tpl.end, avoid=start[0])
        slug = tpl.type.lower().replace("_", "-")
        writer.fact(
            f"syn-{slug}-{n}",
            tpl.type,
            start,
            end,
            tpl.props,
            f"Generated {tpl.type.lower().replace('_', ' ')} record {n}.",
            tpl.background,
        )
    return writer.close(
        {"generator": "bench.synthetic", "seed": seed, "curated_mix": mix.summary()}
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--facts", type=int, required=True, help="number of facts (1k to 1M)")
    parser.add_argument("-o", "--out", type=Path, required=True, help="data folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sources", type=Path, help="where the source texts go (<out>/sources)")
    parser.add_argument("--cites-per-fact", type=float, default=1.5)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    manifest = generate(args.facts, args.out, args.seed, args.sources, args.cites_per_fact)
    print(
        f"{manifest['facts']} facts, {manifest['entities']} entities in {args.out} "
        f"({time.perf_counter() - start:.1f} s)"
    )


if __name__ == "__main__":
    main()
