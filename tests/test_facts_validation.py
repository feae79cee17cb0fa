"""Curated data is validated before anything is written; every problem is named."""

from __future__ import annotations

from pathlib import Path

from loader.facts import load_dataset
from tests.datasets import ENTITIES, FACTS, problems_for, write_dataset


def test_the_small_dataset_is_valid(tmp_path: Path) -> None:
    dataset = load_dataset(write_dataset(tmp_path))
    assert set(dataset.facts) == {"t-trade-chn-2018", "t-khorgos-in-kaz"}


def test_unknown_entity_reference_names_file_line_and_end(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, facts=FACTS.replace("to: CHN", "to: XYZ"))
    assert problems == [
        f"{tmp_path}/facts/test.yaml:3: fact 't-trade-chn-2018': unknown entity 'XYZ' in 'to'",
        f"{tmp_path}/entities/test.yaml:4: entity 'CHN' is used by no fact, "
        "so nothing documents it",
    ]


def test_duplicate_id_points_at_both_records(tmp_path: Path) -> None:
    facts = FACTS.replace("id: t-khorgos-in-kaz", "id: t-trade-chn-2018")
    assert problems_for(tmp_path, facts=facts) == [
        f"{tmp_path}/facts/test.yaml:15: duplicate fact id 't-trade-chn-2018' "
        f"(first at {tmp_path}/facts/test.yaml:3)"
    ]


def test_bad_date_is_rejected_with_the_reason(tmp_path: Path) -> None:
    [problem] = problems_for(tmp_path, facts=FACTS.replace('year: "2018"', 'year: "2018-13"'))
    assert problem.startswith(f"{tmp_path}/facts/test.yaml:3: record 't-trade-chn-2018': year:")
    assert "'2018-13' is not a real date" in problem


def test_negative_value_is_rejected(tmp_path: Path) -> None:
    [problem] = problems_for(tmp_path, facts=FACTS.replace("11000000000", "-5"))
    assert (
        "record 't-trade-chn-2018': value_usd: Input should be greater than or equal to 0"
        in problem
    )


def test_unknown_relationship_type_lists_the_known_ones(tmp_path: Path) -> None:
    [problem] = problems_for(tmp_path, facts=FACTS.replace("type: LOCATED_IN", "type: LIKES"))
    assert "record 't-khorgos-in-kaz': unknown relationship type 'LIKES' (known: ABOUT," in problem


def test_malformed_file_is_reported_with_its_line(tmp_path: Path) -> None:
    [problem] = problems_for(tmp_path, facts=FACTS + "  - {id: [unclosed\n")
    assert problem.startswith(f"{tmp_path}/facts/test.yaml:")
    assert "malformed YAML" in problem


def test_misspelt_key_is_an_error_not_silence(tmp_path: Path) -> None:
    [problem] = problems_for(tmp_path, facts=FACTS.replace("figure: actual", "figur: actual"))
    assert "figur: Extra inputs are not permitted" in problem


def test_targets_and_actuals_must_be_told_apart(tmp_path: Path) -> None:
    [problem] = problems_for(tmp_path, facts=FACTS.replace("    figure: actual\n", ""))
    assert "TRADES_WITH needs figure" in problem


def test_a_fact_needs_citations_or_a_background_basis(tmp_path: Path) -> None:
    facts = FACTS.replace(
        "    background: Khorgos lies on the Kazakh side of the border with China.\n", ""
    )
    [problem] = problems_for(tmp_path, facts=facts)
    assert "needs cites (documented) or background (with its basis)" in problem


def test_endpoint_labels_are_checked_against_the_type(tmp_path: Path) -> None:
    facts = FACTS.replace("from: khorgos-gateway\n    to: KAZ", "from: KAZ\n    to: CHN")
    problems = problems_for(tmp_path, facts=facts)
    assert any("LOCATED_IN cannot have a Country at 'from'" in p for p in problems)


def test_country_ids_must_be_iso_codes(tmp_path: Path) -> None:
    entities = ENTITIES.replace("id: CHN", "id: XXX").replace("name: China", "name: Nowhere")
    problems = problems_for(tmp_path, entities=entities, facts=FACTS.replace("to: CHN", "to: XXX"))
    assert any("country id 'XXX' is not an ISO 3166-1 alpha-3 code" in p for p in problems)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    facts = FACTS.replace("to: CHN", "to: XYZ").replace("type: LOCATED_IN", "type: LIKES")
    problems = problems_for(tmp_path, facts=facts)
    assert len(problems) == 2
    assert "unknown relationship type 'LIKES'" in problems[0]
    assert "unknown entity 'XYZ' in 'to'" in problems[1]


def test_the_curated_data_is_valid() -> None:
    dataset = load_dataset()
    assert len(dataset.facts) > 100


def test_an_alias_may_name_one_entity_only(tmp_path: Path) -> None:
    entities = ENTITIES.replace("aliases: [Beijing]", "aliases: [Beijing, Astana]")
    assert problems_for(tmp_path, entities=entities) == [
        f"{tmp_path}/entities/test.yaml:4: entity 'CHN': name or alias 'astana' already names 'KAZ'"
    ]
