"""A third source written in the project's own words, with its curated data, for tests.

``kazgraph-notes-2024.txt`` is a short text about Kazakhstan's diplomacy in 2024 written for
these tests (it copies no article). ``data/`` holds its curated entities and facts, with real
locators and hashes. ``third_source_data(tmp)`` builds a complete data folder and sources
folder with it added the way a curator would: register the text, add the curated files, and
add the text's citation to the one existing fact it corroborates.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from loader.facts import DEFAULT_DATA_DIR, Source
from loader.registry import add_source, read_registry
from loader.verify import DEFAULT_SOURCES_DIR

HERE = Path(__file__).resolve().parent
TEXT = HERE / "kazgraph-notes-2024.txt"
CURATED = HERE / "data"
SOURCE_ID = "kazgraph-notes-2024"
SUBJECT = "KAZ"
# the existing fact this text also states, and the sentence that states it
CORROBORATED = "sec-kaz-member-eaeu"
CORROBORATING_CITE = (
    "{source: kazgraph-notes-2024, para: 6, sent: 2, "
    "sha256: 28060233dadd50cb08fb23ff093c5d3dddc1564e9aeafede022b84d37f3c5688}"
)


def copy_seed(tmp: Path) -> tuple[Path, Path]:
    """A copy of data/ and of the seed source texts, under ``tmp``."""
    data_dir, sources_dir = tmp / "data", tmp / "sources"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    sources_dir.mkdir(parents=True, exist_ok=True)
    for entry in read_registry(data_dir).values():
        shutil.copyfile(DEFAULT_SOURCES_DIR / entry.file, sources_dir / entry.file)
    return data_dir, sources_dir


def register(data_dir: Path, sources_dir: Path) -> Source:
    """Register the third text (with its subject, once the Source model takes one)."""
    subject = SUBJECT if "subject" in Source.model_fields else None
    return add_source(
        TEXT,
        id=SOURCE_ID,
        author="kazgraph project",
        title="Kazakhstan's Diplomacy in 2024: A Year of Summits and Balance",
        date="2024-12",
        subject=subject,
        data_dir=data_dir,
        sources_dir=sources_dir,
    )


def add_cite(data_dir: Path, fact_id: str, cite: str) -> None:
    """Append one flow-style citation to the ``cites:`` list of an existing fact."""
    for path in sorted((data_dir / "facts").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        starts = [i for i, line in enumerate(lines) if line.strip() == f"- id: {fact_id}"]
        if not starts:
            continue
        i = lines.index(next(x for x in lines[starts[0] :] if x.strip() == "cites:"), starts[0])
        j = i + 1
        while j < len(lines) and lines[j].lstrip().startswith("- {source:"):
            j += 1
        indent = lines[i + 1][: len(lines[i + 1]) - len(lines[i + 1].lstrip())]
        lines.insert(j, f"{indent}- {cite}\n")
        path.write_text("".join(lines), encoding="utf-8")
        return
    raise LookupError(f"no fact '{fact_id}' under {data_dir / 'facts'}")


def curate(data_dir: Path) -> None:
    """Add the curated entities and facts of the third text to a data folder."""
    for folder in ("entities", "facts"):
        for path in (CURATED / folder).glob("*.yaml"):
            shutil.copyfile(path, data_dir / folder / path.name)
    add_cite(data_dir, CORROBORATED, CORROBORATING_CITE)


def third_source_data(tmp: Path) -> tuple[Path, Path]:
    """(data folder, sources folder) under ``tmp``: the seed data plus the third source,
    registered, curated and ready to load and verify."""
    data_dir, sources_dir = copy_seed(tmp)
    register(data_dir, sources_dir)
    curate(data_dir)
    return data_dir, sources_dir
