"""The parse cache: an unchanged file is not parsed again, a changed or damaged entry is
ignored, and records from the cache are validated as if just parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import loader.facts
from loader import parse_cache
from loader.errors import ValidationError
from loader.facts import load_dataset
from tests.datasets import FACTS, problems_for, write_dataset


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The YAML texts parsed from here on (their first 30 characters)."""
    seen: list[str] = []
    real = loader.facts.read_yaml

    def counting(text: str) -> object:
        seen.append(text[:30])
        return real(text)

    monkeypatch.setattr(loader.facts, "read_yaml", counting)
    return seen


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "parsed").glob("*.json"))


def test_an_unchanged_folder_is_read_from_the_cache(tmp_path: Path, parses: list[str]) -> None:
    data, cache = write_dataset(tmp_path / "data"), tmp_path / "cache"
    first = load_dataset(data, cache=cache)
    assert len(parses) == 3 and len(entries(cache)) == 3  # sources, entities, facts
    again = load_dataset(data, cache=cache)
    assert len(parses) == 3
    assert again == first


def test_a_changed_file_is_parsed_again(tmp_path: Path, parses: list[str]) -> None:
    data, cache = write_dataset(tmp_path / "data"), tmp_path / "cache"
    load_dataset(data, cache=cache)
    changed = FACTS.replace("value_usd: 11000000000", "value_usd: 12000000000")
    write_dataset(tmp_path / "data", facts=changed)
    dataset = load_dataset(data, cache=cache)
    assert len(parses) == 4
    assert dataset.facts["t-trade-chn-2018"].record.value_usd == 12e9
    assert len(entries(cache)) == 3  # the stale entry was replaced, not added to


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b'{"reader": "x"}\n[]', b"\xff\xfe garbage"],
    ids=["empty", "not-json", "wrong-header", "not-utf8"],
)
def test_a_damaged_entry_is_ignored(tmp_path: Path, parses: list[str], damage: bytes) -> None:
    data, cache = write_dataset(tmp_path / "data"), tmp_path / "cache"
    first = load_dataset(data, cache=cache)
    for entry in entries(cache):
        entry.write_bytes(damage)
    assert load_dataset(data, cache=cache) == first
    assert len(parses) == 6


def test_a_truncated_entry_is_ignored(tmp_path: Path, parses: list[str]) -> None:
    data, cache = write_dataset(tmp_path / "data"), tmp_path / "cache"
    first = load_dataset(data, cache=cache)
    for entry in entries(cache):
        entry.write_bytes(entry.read_bytes()[:-5])
    assert load_dataset(data, cache=cache) == first
    assert len(parses) == 6


def test_records_from_the_cache_are_validated_again(tmp_path: Path) -> None:
    """An entry whose checksums hold but whose record is wrong is caught by validation."""
    data, cache = write_dataset(tmp_path / "data"), tmp_path / "cache"
    load_dataset(data, cache=cache)
    facts_file = data / "facts" / "test.yaml"
    kept = parse_cache.ParseCache(cache)
    digest = parse_cache.file_digest(facts_file.read_bytes())
    records = kept.get(facts_file, digest, "facts")
    records["rows"][0]["value_usd"] = -5
    kept.put(facts_file, digest, "facts", records)
    with pytest.raises(ValidationError) as caught:
        load_dataset(data, cache=cache)
    assert caught.value.problems == [
        f"{facts_file}:3: record 't-trade-chn-2018': value_usd: "
        "Input should be greater than or equal to 0"
    ]


def test_a_file_with_a_problem_is_not_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    bad = FACTS.replace("value_usd: 11000000000", "value_usd: -5")
    first = problems_for(tmp_path / "data", facts=bad)
    with pytest.raises(ValidationError) as caught:
        load_dataset(tmp_path / "data", cache=cache)
    assert caught.value.problems == first
    assert len(entries(cache)) == 2  # sources and entities only


def test_an_entry_from_another_reader_is_stale(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, cache = write_dataset(tmp_path / "data"), tmp_path / "cache"
    load_dataset(data, cache=cache)
    monkeypatch.setattr(parse_cache, "reader_fingerprint", lambda reader: "another reader")
    load_dataset(data, cache=cache)
    assert len(parses) == 6
    header = json.loads(entries(cache)[0].read_bytes().partition(b"\n")[0])
    assert header["reader"] == "another reader"


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAZGRAPH_CACHE", str(tmp_path / "mine"))
    assert parse_cache.cache_folder() == tmp_path / "mine"
    monkeypatch.setenv("KAZGRAPH_CACHE", "off")
    assert parse_cache.cache_folder() is None
    monkeypatch.delenv("KAZGRAPH_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert parse_cache.cache_folder() == tmp_path / "xdg" / "kazgraph"
