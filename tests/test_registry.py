"""The source registry: register a text, list, show and search the registered ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loader.facts import load_dataset, load_sources
from loader.registry import (
    RegistryError,
    add_source,
    list_sources,
    locator,
    read_registry,
    search_sources,
    show_source,
)
from loader.sources import file_hash, sentence_hash
from tests.third_source import SOURCE_ID, TEXT, copy_seed, register


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, Path]:
    return copy_seed(tmp_path)


def _add(data_dir: Path, sources_dir: Path, file: Path = TEXT, **kw: str) -> object:
    args = {"id": "notes-2024", "author": "A. Writer", "title": "Notes", "date": "2024-12"}
    args.update(kw)
    return add_source(file, data_dir=data_dir, sources_dir=sources_dir, **args)  # type: ignore[arg-type]


def test_add_source_appends_an_entry_and_keeps_the_registry_text(seeded: tuple[Path, Path]):
    data_dir, sources_dir = seeded
    before = (data_dir / "sources.yaml").read_text(encoding="utf-8")
    source = register(data_dir, sources_dir)
    after = (data_dir / "sources.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # comments and layout untouched: the entry is appended
    assert source.sha256 == file_hash(TEXT)
    assert (sources_dir / TEXT.name).read_bytes() == TEXT.read_bytes()
    assert SOURCE_ID in load_sources(data_dir)


def test_subject_is_written_only_when_given(seeded: tuple[Path, Path]):
    data_dir, sources_dir = seeded
    _add(data_dir, sources_dir)
    entry = (data_dir / "sources.yaml").read_text(encoding="utf-8").split("- id: notes-2024")[1]
    assert "subject" not in entry
    other = sources_dir.parent / "other.txt"
    other.write_text("A different text.\n", encoding="utf-8")
    _add(data_dir, sources_dir, other, id="other-2024", subject="KAZ")
    assert read_registry(data_dir)["other-2024"].subject == "KAZ"
    assert read_registry(data_dir)["notes-2024"].subject is None


def test_a_duplicate_id_is_refused(seeded: tuple[Path, Path]):
    data_dir, sources_dir = seeded
    with pytest.raises(RegistryError, match="'sanchez-2020' is already registered"):
        _add(data_dir, sources_dir, id="sanchez-2020")


def test_a_registered_file_whose_content_changed_is_refused(seeded: tuple[Path, Path]):
    data_dir, sources_dir = seeded
    changed = sources_dir.parent / "changed" / "000_218dca49edb06294.txt"
    changed.parent.mkdir()
    changed.write_text("Edited text.\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="already registered as 'sanchez-2020'.*differs"):
        _add(data_dir, sources_dir, changed)


def test_the_same_text_twice_is_refused(seeded: tuple[Path, Path]):
    data_dir, sources_dir = seeded
    _add(data_dir, sources_dir)
    with pytest.raises(RegistryError, match="already registered as 'notes-2024'"):
        _add(data_dir, sources_dir, id="notes-again")


def test_a_different_file_of_the_same_name_is_never_overwritten(seeded: tuple[Path, Path]):
    data_dir, sources_dir = seeded
    (sources_dir / TEXT.name).write_text("Someone else's text.\n", encoding="utf-8")
    before = (data_dir / "sources.yaml").read_text(encoding="utf-8")
    with pytest.raises(RegistryError, match="never overwritten"):
        _add(data_dir, sources_dir)
    assert (sources_dir / TEXT.name).read_text(encoding="utf-8") == "Someone else's text.\n"
    assert (data_dir / "sources.yaml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("id", "Notes 2024", "not a slug"), ("date", "2024-13", "not a real date")],
)
def test_a_bad_id_or_date_is_refused(
    seeded: tuple[Path, Path], field: str, value: str, message: str
):
    data_dir, sources_dir = seeded
    with pytest.raises(RegistryError, match=message):
        _add(data_dir, sources_dir, **{field: value})
    assert not (sources_dir / TEXT.name).exists()


def test_show_a_sentence_gives_its_locator_and_full_hash(seeded: tuple[Path, Path]):
    data_dir, sources_dir = seeded
    register(data_dir, sources_dir)
    [sentence] = show_source(f"{SOURCE_ID}#p2.s1", data_dir, sources_dir)
    assert locator(sentence) == f"{SOURCE_ID}#p2.s1"
    assert sentence.sha256 == sentence_hash(sentence.text) and len(sentence.sha256) == 64
    assert len(show_source(f"{SOURCE_ID}#p3", data_dir, sources_dir)) == 3
    assert len(show_source(SOURCE_ID, data_dir, sources_dir)) > 20


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("kassenova-2022#p99", "kassenova-2022 has 72 paragraphs"),
        ("kassenova-2022#p43.s9", r"kassenova-2022#p43 has 7 sentences"),
        ("nobody-2020", r"unknown source 'nobody-2020' \(registered: kassenova-2022, sanchez"),
        ("kassenova-2022#43", "is not a reference"),
    ],
)
def test_an_unknown_reference_names_what_exists(seeded: tuple[Path, Path], ref: str, message: str):
    with pytest.raises(RegistryError, match=message):
        show_source(ref, *seeded)


def test_search_matches_the_start_of_words_and_optionally_inside_them(
    seeded: tuple[Path, Path],
):
    data_dir, sources_dir = seeded
    register(data_dir, sources_dir)
    found = search_sources("hydrog", data_dir, sources_dir, source_id=SOURCE_ID)
    assert [locator(s) for s in found] == [f"{SOURCE_ID}#p7.s3"]
    assert search_sources("ydrogen", data_dir, sources_dir, source_id=SOURCE_ID) == []
    inside = search_sources("ydrogen", data_dir, sources_dir, SOURCE_ID, anywhere=True)
    assert inside == found
    assert search_sources("summit shanghai", data_dir, sources_dir, source_id=SOURCE_ID)


def test_list_sources_counts_sentences_facts_and_verified_citations(
    seeded: tuple[Path, Path],
):
    data_dir, sources_dir = seeded
    rows = {r.id: r for r in list_sources(data_dir, sources_dir)}
    assert set(rows) == {"sanchez-2020", "kassenova-2022"}
    assert rows["sanchez-2020"].sentences and rows["sanchez-2020"].facts > 0
    assert rows["kassenova-2022"].verified_share == 1.0
    shutil.copyfile(TEXT, sources_dir / "003_7e5e0359ffc86ee3.txt")  # the text changed
    assert list_sources(load_dataset(data_dir), sources_dir)[1].verified_share == 0.0
