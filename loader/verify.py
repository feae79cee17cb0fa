"""Check every fact's locators against the source texts, and find sentences to cite."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from loader.facts import FIGURES, Dataset, Fact, Source
from loader.names import searchable
from loader.settings import PROJECT_ROOT
from loader.sources import Sentence, file_hash, find, sentences

DEFAULT_SOURCES_DIR = PROJECT_ROOT.parent / "shared" / "sources"
# the subject of both articles, often named only as "the country" or "the government"
IMPLICIT_ENTITIES = frozenset({"KAZ"})


@dataclass
class VerifyReport:
    """What ``verify`` checked and every mismatch it found."""

    sources: int = 0
    facts: int = 0
    citations: int = 0
    background: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def figure_forms(name: str, value: float) -> list[str]:
    """The words a sentence must contain to state a figure, in searchable form."""
    if name.endswith("usd"):
        for scale, word in ((1e9, "billion"), (1e6, "million")):
            if value >= scale:
                return [f"{value / scale:g}", word]
    return [f"{value:g}"]


def _source_sentences(source: Source, sources_dir: Path) -> dict[tuple[int, int], Sentence]:
    path = sources_dir / source.file
    return {(s.para, s.sent): s for s in sentences(path, source.id)}


def _check_fact(
    fact: Fact,
    names: dict[str, list[str]],
    texts: dict[str, dict[tuple[int, int], Sentence]],
    where: str,
) -> list[str]:
    problems: list[str] = []
    cited: dict[str, str] = defaultdict(str)
    for cite in fact.cites:
        sentence = texts.get(cite.source, {}).get((cite.para, cite.sent))
        if sentence is None:
            problems.append(f"{where}: {cite.locator} does not exist in the source")
        elif sentence.sha256 != cite.sha256:
            problems.append(
                f"{where}: {cite.locator} hash mismatch (sentence is "
                f"{sentence.sha256[:12]}…, locator says {cite.sha256[:12]}…)"
            )
        else:
            cited[cite.source] += searchable(sentence.text)
    for source, text in cited.items():
        for end in (fact.from_, fact.to):
            if end in IMPLICIT_ENTITIES:
                continue
            if not any(searchable(n) in text for n in names[end]):
                problems.append(f"{where}: {source} sentences name no alias of '{end}'")
        for prop in FIGURES:
            value = getattr(fact, prop)
            if value is not None and not all(f" {w} " in text for w in figure_forms(prop, value)):
                problems.append(f"{where}: {source} sentences do not state {prop}={value:g}")
    return problems


def verify(dataset: Dataset, sources_dir: Path = DEFAULT_SOURCES_DIR) -> VerifyReport:
    """Resolve every locator, compare hashes, and check names and figures occur."""
    report = VerifyReport(sources=len(dataset.sources))
    texts: dict[str, dict[tuple[int, int], Sentence]] = {}
    for source in dataset.sources.values():
        path = sources_dir / source.file
        if not path.is_file():
            report.mismatches.append(f"source '{source.id}': {path} not found")
            continue
        if file_hash(path) != source.sha256:
            report.mismatches.append(f"source '{source.id}': {path} has a different SHA-256")
        texts[source.id] = _source_sentences(source, sources_dir)
    names = {
        eid: [item.record.name, *item.record.aliases, *item.record.mentions]
        for eid, item in dataset.entities.items()
    }
    for item in dataset.facts.values():
        fact: Fact = item.record
        report.facts += 1
        report.citations += len(fact.cites)
        if fact.basis == "background":
            report.background += 1
        where = f"{item.file}:{item.line}: fact '{fact.id}'"
        report.mismatches += _check_fact(fact, names, texts, where)
    return report


def find_citations(
    dataset_sources: dict[str, Source],
    words: str,
    sources_dir: Path = DEFAULT_SOURCES_DIR,
    source_id: str | None = None,
) -> list[Sentence]:
    """Sentences of the registered sources that contain every one of ``words``."""
    found: list[Sentence] = []
    for source in dataset_sources.values():
        if source_id in (None, source.id):
            found += find(sources_dir / source.file, source.id, words)
    return found
