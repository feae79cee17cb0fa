"""How well ``propose`` finds the curated facts of each seed source, knowing only what the
other seed source taught.

For each seed source S: the known entities are those used by facts citing the other seed
source, plus the subject (KAZ); ``propose`` reads S with them. A curated documented fact citing
S counts when both its ends are known (or are countries pycountry finds), and is found when a
candidate names the same pair of entities in one of the sentences it cites. Precision is the
share of candidates (pair, sentence) that match some curated fact citing that sentence.
Printed as a table, per source and overall, for every candidate and for those at or above a
confidence threshold.

    python bench/bench_propose.py [--data data] [--sources ../shared/sources]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pycountry

from loader.facts import DEFAULT_DATA_DIR, Dataset, Fact, load_dataset
from loader.propose import KnownEntity, Proposal, propose
from loader.verify import DEFAULT_SOURCES_DIR

SEEDS = ("sanchez-2020", "kassenova-2022")
SUBJECT = "KAZ"
THRESHOLDS = (0.0, 0.5, 0.6)


@dataclass(frozen=True)
class Score:
    source: str
    threshold: float
    curated: int
    found: int
    proposed: int
    correct: int
    seconds: float

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 0.0


def restricted_entities(dataset: Dataset, other: str) -> dict[str, KnownEntity]:
    """Entities used by facts citing ``other``, plus the subject."""
    used = {SUBJECT}
    for item in dataset.facts.values():
        fact: Fact = item.record
        if any(c.source == other for c in fact.cites):
            used |= {fact.from_, fact.to}
    out = {}
    for eid in used:
        record = dataset.entities[eid].record
        out[eid] = KnownEntity(eid, record.label, (record.name, *record.aliases))
    return out


def _is_country(eid: str) -> bool:
    return eid.isupper() and pycountry.countries.get(alpha_3=eid) is not None


def score(
    dataset: Dataset, source: str, proposal: Proposal, known: Iterable[str], threshold: float
) -> Score:
    known = set(known)
    truth: dict[tuple[frozenset[str], str], str] = {}
    scorable: dict[str, set[tuple[frozenset[str], str]]] = {}
    for item in dataset.facts.values():
        fact: Fact = item.record
        cites = [c for c in fact.cites if c.source == source]
        if not cites or fact.from_ == fact.to:
            continue
        pair = frozenset((fact.from_, fact.to))
        keys = {(pair, c.locator) for c in cites}
        for key in keys:
            truth[key] = fact.id
        if all(e in known or _is_country(e) for e in pair):
            scorable[fact.id] = keys
    chosen = [f for f in proposal.facts if f.confidence >= threshold]
    got = {(f.pair, f.locator) for f in chosen}
    found = sum(1 for keys in scorable.values() if keys & got)
    correct = sum(1 for key in got if key in truth)
    return Score(source, threshold, len(scorable), found, len(got), correct, 0.0)


def run(data_dir: Path, sources_dir: Path) -> list[Score]:
    dataset = load_dataset(data_dir)
    scores = []
    for source in SEEDS:
        other = next(s for s in SEEDS if s != source)
        known = restricted_entities(dataset, other)
        start = time.perf_counter()
        proposal = propose(source, data_dir, sources_dir, entities=known, subject=SUBJECT)
        seconds = time.perf_counter() - start
        for threshold in THRESHOLDS:
            s = score(dataset, source, proposal, known, threshold)
            scores.append(
                Score(s.source, threshold, s.curated, s.found, s.proposed, s.correct, seconds)
            )
    return scores


def table(scores: list[Score]) -> str:
    head = (
        f"{'source':<16} {'conf>=':>6} {'curated':>7} {'found':>5} {'recall':>7} "
        f"{'proposed':>8} {'correct':>7} {'precision':>9} {'seconds':>7}"
    )
    lines = [head, "-" * len(head)]
    for threshold in THRESHOLDS:
        rows = [s for s in scores if s.threshold == threshold]
        total = Score(
            "overall",
            threshold,
            sum(s.curated for s in rows),
            sum(s.found for s in rows),
            sum(s.proposed for s in rows),
            sum(s.correct for s in rows),
            sum(s.seconds for s in rows),
        )
        for s in [*rows, total]:
            lines.append(
                f"{s.source:<16} {s.threshold:>6.2f} {s.curated:>7} {s.found:>5} "
                f"{s.recall:>7.1%} {s.proposed:>8} {s.correct:>7} {s.precision:>9.1%} "
                f"{s.seconds:>7.2f}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES_DIR)
    args = parser.parse_args()
    print(table(run(args.data, args.sources)))


if __name__ == "__main__":
    main()
