"""Candidate facts from a new text: propose, refuse the unreviewed file, curate, load, verify."""

from __future__ import annotations

from pathlib import Path

import pytest

from loader.errors import ValidationError
from loader.facts import Entity, Fact, load_dataset
from loader.propose import (
    CUES,
    KnownEntity,
    Matcher,
    figure_kind,
    money,
    partial_date,
    propose,
    write_proposal,
)
from loader.registry import locator, show_source
from loader.verify import verify
from loader.vocabulary import REL_TYPES
from loader.yaml_lines import load_yaml
from tests.third_source import SOURCE_ID, SUBJECT, copy_seed, curate, register


@pytest.fixture
def registered(tmp_path: Path) -> tuple[Path, Path]:
    data_dir, sources_dir = copy_seed(tmp_path)
    register(data_dir, sources_dir)
    return data_dir, sources_dir


def test_the_whole_workflow_add_show_propose_refuse_curate_load_verify(
    registered: tuple[Path, Path],
):
    data_dir, sources_dir = registered
    [first] = show_source(f"{SOURCE_ID}#p2.s1", data_dir, sources_dir)
    assert locator(first) == f"{SOURCE_ID}#p2.s1"

    proposal = propose(SOURCE_ID, data_dir, sources_dir, subject=SUBJECT)
    written = write_proposal(proposal, data_dir)
    with pytest.raises(ValidationError) as refused:
        load_dataset(data_dir)
    assert "candidate" in str(refused.value)
    assert "Extra inputs are not permitted" in str(refused.value)

    for path in written:  # the reviewer keeps what is right: here, the curated fixture
        path.unlink()
    curate(data_dir)
    dataset = load_dataset(data_dir)
    assert SOURCE_ID in dataset.sources
    report = verify(dataset, sources_dir)
    assert report.ok, report.mismatches


def test_every_candidate_validates_once_its_candidate_key_is_removed(
    registered: tuple[Path, Path],
):
    data_dir, sources_dir = registered
    proposal = propose(SOURCE_ID, data_dir, sources_dir, subject=SUBJECT)
    entities_file, facts_file = write_proposal(proposal, data_dir / "proposals")
    facts = load_yaml(facts_file.read_text(encoding="utf-8"))["facts"]
    entities = load_yaml(entities_file.read_text(encoding="utf-8"))["entities"]
    assert facts and entities
    for row in [*facts, *entities]:
        assert set(row["candidate"]) >= {"cue", "confidence"}
    for row in facts:
        Fact.model_validate({k: v for k, v in row.items() if k != "candidate"})
    for row in entities:
        Entity.model_validate({k: v for k, v in row.items() if k != "candidate"})


def _fact(proposal, rel: str, start: str, end: str, loc: str):  # type: ignore[no-untyped-def]
    found = [
        f
        for f in proposal.facts
        if (f.type, f.from_, f.to, f.locator) == (rel, start, end, f"{SOURCE_ID}#{loc}")
    ]
    assert found, f"no {rel} {start}->{end} at {loc}"
    return found[0]


def test_cues_ends_dates_and_figures_make_the_candidates(registered: tuple[Path, Path]):
    proposal = propose(SOURCE_ID, *registered, subject=SUBJECT)
    visit = _fact(proposal, "VISITED", "xi-jinping", "KAZ", "p4.s1")
    assert visit.cue == "visit" and visit.properties["date"] == "2024-07"
    trade = _fact(proposal, "TRADES_WITH", "KAZ", "CHN", "p4.s3")
    assert trade.properties["value_usd"] == 41e9
    assert trade.properties["figure"] == "estimate" and trade.properties["year"] == "2023"
    assert trade.cite["sha256"] == show_source(f"{SOURCE_ID}#p4.s3", *registered)[0].sha256
    asked = _fact(proposal, "REQUESTED", "KAZ", "RUS", "p6.s3")
    assert asked.properties["mode"] == "asked"
    assert _fact(proposal, "MEMBER_OF", "KAZ", "eaeu", "p6.s2").confidence >= 0.5
    confidences = [f.confidence for f in proposal.facts]
    assert confidences == sorted(confidences, reverse=True)


def test_the_implicit_subject_counts_as_named_in_every_sentence(
    registered: tuple[Path, Path],
):
    proposal = propose(SOURCE_ID, *registered, subject=SUBJECT)
    assert SUBJECT in proposal.mentions[f"{SOURCE_ID}#p10.s2"]  # "the country" only
    registry = registered[0] / "sources.yaml"  # a source that names no subject
    registry.write_text(
        "".join(line for line in registry.read_text().splitlines(True) if "subject:" not in line)
    )
    without = propose(SOURCE_ID, *registered, subject=None)
    assert SUBJECT not in without.mentions[f"{SOURCE_ID}#p10.s2"]


def test_new_entities_are_proposed_with_a_guessed_label(registered: tuple[Path, Path]):
    proposal = propose(SOURCE_ID, *registered, subject=SUBJECT)
    new = {e.id: e for e in proposal.entities}
    assert new["DEU"].label == "Country"  # from pycountry
    assert new["middle-corridor"].label == "Route" if "middle-corridor" in new else True
    assert new["olaf-scholz"].label == "Person"
    assert "KAZ" not in new and "CHN" not in new


def test_names_match_on_word_boundaries_ignoring_case_and_accents():
    matcher = Matcher(
        [
            KnownEntity("TUR", "Country", ("Türkiye", "Turkey")),
            KnownEntity("USA", "Country", ("United States", "US")),
            KnownEntity("un", "Organisation", ("United Nations", "UN")),
            KnownEntity("unsc", "Organisation", ("United Nations Security Council",)),
        ]
    )
    assert set(matcher.find("TURKIYE and the United Nations Security Council met.")) == {
        "TUR",
        "unsc",
    }
    assert set(matcher.find("Let us talk about Turkeys.")) == set()  # acronyms keep their case
    assert set(matcher.find("The US and the UN.")) == {"USA", "un"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("trade reached $5 billion", 5e9),
        ("worth US$ 11 bn last year", 11e9),
        ("some 5.4 billion dollars", 5.4e9),
        ("a loan of $300 million", 3e8),
        ("USD 2,000 million", 2e9),
    ],
)
def test_money_figures_are_read_in_dollars(text: str, value: float):
    assert money(text) == [value]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Trade was $5 billion in 2018.", "actual"),
        ("Trade was almost $5 billion.", "estimate"),
        ("They aim for trade to reach $10 billion.", "target"),
        ("Trade should double by 2025.", "target"),
    ],
)
def test_figures_are_told_apart(text: str, kind: str):
    assert figure_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("in July 2024", "2024-07"),
        ("on 15 June 2022", "2022-06-15"),
        ("on June 15, 2022", "2022-06-15"),
        ("in 2019", "2019"),
        ("no date here", None),
    ],
)
def test_dates_are_partial_iso(text: str, date: str | None):
    assert partial_date(text) == date


def test_every_cue_table_entry_is_a_relationship_type():
    assert set(CUES) <= set(REL_TYPES)
