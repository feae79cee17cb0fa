"""Check every fact's locators against the source texts, and find sentences to cite."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from loader.facts import FIGURES, Dataset, Fact, Located
from loader.names import searchable
from loader.settings import PROJECT_ROOT
from loader.sources import Sentence, file_hash, sentences

DEFAULT_SOURCES_DIR = PROJECT_ROOT.parent / "shared" / "sources"

Texts = dict[str, dict[tuple[int, int], Sentence]]


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


def _texts(dataset: Dataset, sources_dir: Path, problems: list[str]) -> Texts:
    """The sentences of every registered source whose file exists, by (para, sent)."""
    texts: Texts = {}
    for source in dataset.sources.values():
        path = sources_dir / source.file
        if not path.is_file():
            problems.append(f"source '{source.id}': {path} not found")
            continue
        texts[source.id] = {(s.para, s.sent): s for s in sentences(path, source.id)}
    return texts


def _resolve(fact: Fact, texts: Texts, where: str, problems: list[str]) -> list[Sentence]:
    """The sentences a fact's cites point at; each locator that does not resolve is a problem."""
    found = []
    for cite in fact.cites:
        if cite.source not in texts:
            continue  # the missing file is reported once, for the source
        sentence = texts[cite.source].get((cite.para, cite.sent))
        if sentence is None:
            problems.append(f"{where}: {cite.locator} does not exist in the source")
        elif sentence.sha256 != cite.sha256:
            problems.append(
                f"{where}: {cite.locator} hash mismatch (sentence is "
                f"{sentence.sha256}, locator says {cite.sha256})"
            )
        else:
            found.append(sentence)
    return found


def citation_problems(dataset: Dataset, sources_dir: Path = DEFAULT_SOURCES_DIR) -> list[str]:
    """Every cite whose source file is missing, whose sentence does not exist, or whose
    hash differs; empty when every citation resolves (a load may refuse otherwise)."""
    problems: list[str] = []
    texts = _texts(dataset, sources_dir, problems)
    for item in dataset.facts.values():
        _resolve(item.record, texts, f"{item.file}:{item.line}: fact '{item.record.id}'", problems)
    return problems


class Names:
    """Every entity's names in searchable form, to tell which entities a sentence names.

    A name counts only on word boundaries and only where no longer name of another entity
    covers it ("Washington" inside "George Washington University" names the university).
    """

    def __init__(self, entities: dict[str, Located]) -> None:
        self.names: dict[str, list[str]] = {}
        self.mentions: dict[str, list[str]] = {}
        for eid, item in entities.items():
            entity = item.record
            self.names[eid] = _keys([entity.name, *entity.aliases])
            self.mentions[eid] = _keys(list(entity.mentions))
        self._cache: dict[str, set[str]] = {}

    def named(self, text: str) -> set[str]:
        """Entities whose name, alias or mention occurs in ``text`` (searchable form),
        uncovered by a longer name of another entity."""
        if text in self._cache:
            return self._cache[text]
        names = _spans(self.names, text)
        mentions = _spans(self.mentions, text)
        found = {
            eid
            for a, b, eid in names + mentions
            if not any(c <= a and b <= d and d - c > b - a and e != eid for c, d, e in names)
        }
        self._cache[text] = found
        return found


def _keys(names: list[str]) -> list[str]:
    return [k for k in (searchable(n) for n in names) if k.strip()]


def _spans(keys: dict[str, list[str]], text: str) -> list[tuple[int, int, str]]:
    """(start, end, entity) of every occurrence of every key in ``text``."""
    found = []
    for eid, forms in keys.items():
        for key in forms:
            start = text.find(key)
            while start >= 0:
                found.append((start, start + len(key), eid))
                start = text.find(key, start + 1)
    return found


def _check_fact(
    fact: Fact, cited: list[Sentence], names: Names, subjects: dict[str, str | None], where: str
) -> list[str]:
    problems: list[str] = []
    by_source: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in cited:
        by_source[sentence.source].append(sentence)
    for source, group in by_source.items():
        named = set().union(*(names.named(searchable(s.text)) for s in group))
        for end in (fact.from_, fact.to):
            if end != subjects.get(source) and end not in named:
                problems.append(f"{where}: {source} sentences name no alias of '{end}'")
        text = "".join(searchable(s.text) for s in group)
        for prop in FIGURES:
            value = getattr(fact, prop)
            if value is not None and not all(f" {w} " in text for w in figure_forms(prop, value)):
                problems.append(f"{where}: {source} sentences do not state {prop}={value:g}")
    return problems


def verify(dataset: Dataset, sources_dir: Path = DEFAULT_SOURCES_DIR) -> VerifyReport:
    """Resolve every locator, compare hashes, and check names, mentions and figures occur."""
    report = VerifyReport(sources=len(dataset.sources))
    texts = _texts(dataset, sources_dir, report.mismatches)
    for source in dataset.sources.values():
        path = sources_dir / source.file
        if source.id in texts and file_hash(path) != source.sha256:
            report.mismatches.append(
                f"source '{source.id}': {path} has a different SHA-256 "
                f"({file_hash(path)}, the registry says {source.sha256})"
            )
    names = Names(dataset.entities)
    subjects = {s.id: s.subject for s in dataset.sources.values()}
    used_text: dict[str, str] = defaultdict(str)
    for item in dataset.facts.values():
        fact: Fact = item.record
        report.facts += 1
        report.citations += len(fact.cites)
        if fact.basis == "background":
            report.background += 1
        where = f"{item.file}:{item.line}: fact '{fact.id}'"
        cited = _resolve(fact, texts, where, report.mismatches)
        report.mismatches += _check_fact(fact, cited, names, subjects, where)
        for end in (fact.from_, fact.to):
            used_text[end] += "".join(searchable(s.text) for s in cited)
    for eid, item in dataset.entities.items():
        for mention in item.record.mentions:
            if searchable(mention) not in used_text[eid]:
                report.mismatches.append(
                    f"{item.file}:{item.line}: entity '{eid}': mention '{mention}' occurs in "
                    "no sentence its facts cite; remove it or cite the sentence"
                )
    return report
