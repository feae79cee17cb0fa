"""Values that cannot surprise: numbers, text, names and YAML are refused with file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from loader.errors import ValidationError
from loader.facts import load_dataset
from tests.datasets import ENTITIES, FACTS, problems_for, write_dataset

TRADE = "record 't-trade-chn-2018'"


def one_problem(tmp_path: Path, old: str, new: str, entities: bool = False) -> str:
    """The problem a change makes (for an entity, the first: its facts then point nowhere)."""
    if entities:
        problems = problems_for(tmp_path, entities=ENTITIES.replace(old, new))
        assert "unknown entity 'CHN'" in problems[-1], problems
        return problems[0]
    problems = problems_for(tmp_path, facts=FACTS.replace(old, new))
    assert len(problems) == 1, problems
    return problems[0]


# --- numbers ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN"])
def test_infinite_and_nan_figures_are_refused(tmp_path: Path, value: str) -> None:
    problem = one_problem(tmp_path, "value_usd: 11000000000", f"value_usd: {value}")
    assert problem.startswith(f"{tmp_path}/facts/test.yaml:3: {TRADE}: value_usd:")


@pytest.mark.parametrize("value", ["true", "false", "yes"])
def test_a_boolean_is_not_a_number(tmp_path: Path, value: str) -> None:
    problem = one_problem(tmp_path, "value_usd: 11000000000", f"value_usd: {value}")
    assert f"{TRADE}: value_usd: Input should be a valid number" in problem


def test_a_yaml_integer_is_still_a_valid_float(tmp_path: Path) -> None:
    dataset = load_dataset(write_dataset(tmp_path))
    assert dataset.facts["t-trade-chn-2018"].record.value_usd == 11e9


def test_a_figure_given_as_text_is_refused(tmp_path: Path) -> None:
    problem = one_problem(tmp_path, "value_usd: 11000000000", 'value_usd: "11000000000"')
    assert "value_usd: Input should be a valid number" in problem


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e23", "Input should be a valid integer"),
        ("100000000000000000000000", "Input should be less than or equal to 1000000000000"),
        ("true", "Input should be a valid integer"),
        ("2.5", "Input should be a valid integer"),
        ("-1", "Input should be greater than or equal to 0"),
    ],
)
def test_counts_are_bounded_integers(tmp_path: Path, value: str, reason: str) -> None:
    problem = one_problem(
        tmp_path, "    figure: actual\n", f"    figure: actual\n    count: {value}\n"
    )
    assert f"{TRADE}: count: {reason}" in problem


def test_a_route_step_order_is_bounded(tmp_path: Path) -> None:
    facts = FACTS.replace(
        "type: LOCATED_IN\n    from: khorgos-gateway\n    to: KAZ",
        "type: ROUTE_STEP\n    from: khorgos-gateway\n    to: KAZ\n    order: 99999999999999999999",
    )
    problems = problems_for(tmp_path, facts=facts)
    assert any("order: Input should be less than or equal to 1000000" in p for p in problems)


def test_a_locator_index_is_bounded(tmp_path: Path) -> None:
    problem = one_problem(tmp_path, "para: 7", "para: 1e300")
    assert "cites.0.para: Input should be a valid integer" in problem


# --- text ------------------------------------------------------------------------------
@pytest.mark.parametrize("char", ["\\0", "\\a", "\\e", "\\x7f", "\\t", "\\n"])
def test_control_characters_are_refused_in_any_text(tmp_path: Path, char: str) -> None:
    problem = one_problem(tmp_path, "name: China,", f'name: "Chi{char}na",', entities=True)
    assert problem.startswith(f"{tmp_path}/entities/test.yaml:4: record 'CHN': name: control")


def test_control_characters_are_refused_in_a_fact_description(tmp_path: Path) -> None:
    facts = FACTS.replace("    figure: actual\n", '    figure: actual\n    description: "a\\bb"\n')
    [problem] = problems_for(tmp_path, facts=facts)
    assert f"{TRADE}: description: control character U+0008" in problem


def test_names_are_stored_nfc_normalised(tmp_path: Path) -> None:
    decomposed = "Tu\u0308rkiye"
    entities = ENTITIES.replace("name: China,", f"name: China, aliases: [{decomposed}],")
    entities = entities.replace(", aliases: [Beijing]", "")
    dataset = load_dataset(write_dataset(tmp_path, entities=entities))
    assert dataset.entities["CHN"].record.aliases == ("T\u00fcrkiye",)


def test_a_latin_name_with_a_cyrillic_look_alike_is_refused(tmp_path: Path) -> None:
    problem = one_problem(tmp_path, "name: China,", "name: Chin\u0430,", entities=True)
    assert "record 'CHN': name: 'Chin\u0430' mixes scripts (CYRILLIC, LATIN)" in problem


def test_a_name_wholly_in_one_non_latin_script_is_fine(tmp_path: Path) -> None:
    entities = ENTITIES.replace("aliases: [Beijing]", "aliases: [Beijing, 中国, Китай]")
    assert load_dataset(write_dataset(tmp_path, entities=entities))


@pytest.mark.parametrize("name", ['""', '"   "', '"\\u3000"'])
def test_a_blank_name_is_refused(tmp_path: Path, name: str) -> None:
    problem = one_problem(tmp_path, "name: China,", f"name: {name},", entities=True)
    assert "record 'CHN': name: a name may not be blank" in problem


def test_non_latin_aliases_of_two_entities_collide(tmp_path: Path) -> None:
    entities = ENTITIES.replace("aliases: [Beijing]", "aliases: [Beijing, Китай]").replace(
        "aliases: [Astana, Nur-Sultan]", "aliases: [Astana, Nur-Sultan, КИТАЙ]"
    )
    assert problems_for(tmp_path, entities=entities) == [
        f"{tmp_path}/entities/test.yaml:4: entity 'CHN': name or alias 'китай' already names 'KAZ'"
    ]


def test_an_alias_repeating_a_name_of_its_own_entity_is_reported(tmp_path: Path) -> None:
    entities = ENTITIES.replace("aliases: [Beijing]", "aliases: [Beijing, CHINA]")
    assert problems_for(tmp_path, entities=entities) == [
        f"{tmp_path}/entities/test.yaml:4: entity 'CHN': 'CHINA' repeats 'China'"
    ]


# --- YAML ------------------------------------------------------------------------------
def fact_file_problems(tmp_path: Path, text: bytes | str, name: str = "test.yaml") -> list[str]:
    root = write_dataset(tmp_path)
    target = root / "facts" / name
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    if name != "test.yaml":
        (root / "facts" / "test.yaml").unlink()
    with pytest.raises(ValidationError) as caught:
        load_dataset(root)
    return caught.value.problems


def test_a_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    text = FACTS.replace("    figure: actual\n", "    figure: actual\n    figure: target\n")
    problems = fact_file_problems(tmp_path, text)
    assert problems[0] == (
        f"{tmp_path}/facts/test.yaml:9: malformed YAML "
        "(key 'figure' appears twice in one mapping (lines 8 and 9))"
    )


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    text = FACTS.replace("to: CHN", "to: &c CHN").replace("to: KAZ", "to: *c")
    [problem] = fact_file_problems(tmp_path, text)
    # the line of the anchored value (line 6), which the alias would have copied
    assert problem == (
        f"{tmp_path}/facts/test.yaml:6: malformed YAML "
        "(aliases (*name) are not allowed in kazgraph files; write the value out)"
    )


def test_a_second_top_level_key_is_refused(tmp_path: Path) -> None:
    problems = fact_file_problems(tmp_path, FACTS + "entities: []\n")
    assert problems == [
        f"{tmp_path}/facts/test.yaml:20: unknown top-level key 'entities' "
        "(a facts file holds only 'facts:')"
    ]


def test_yml_files_are_read(tmp_path: Path) -> None:
    problems = fact_file_problems(tmp_path, FACTS.replace("to: CHN", "to: XYZ"), "test.yml")
    assert problems[0] == (
        f"{tmp_path}/facts/test.yml:3: fact 't-trade-chn-2018': unknown entity 'XYZ' in 'to'"
    )


def test_a_file_that_is_not_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    text = FACTS.encode("utf-8").replace(b"actual", b"actu\xe9l")
    assert fact_file_problems(tmp_path, text) == [
        f"{tmp_path}/facts/test.yaml:8: not UTF-8 text (byte 114); save it as UTF-8"
    ]


def test_a_directory_named_like_a_data_file_is_reported(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    (root / "facts" / "x.yaml").mkdir()
    with pytest.raises(ValidationError) as caught:
        load_dataset(root)
    assert f"{root}/facts/x.yaml: cannot be read (Is a directory)" in caught.value.problems


def test_a_dangling_symlink_is_reported(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    os.symlink(root / "nowhere.yaml", root / "facts" / "x.yaml")
    with pytest.raises(ValidationError) as caught:
        load_dataset(root)
    assert f"{root}/facts/x.yaml: cannot be read (No such file or directory)" in (
        caught.value.problems
    )


def test_deeply_nested_yaml_is_refused(tmp_path: Path) -> None:
    text = "facts:\n  - id: t-deep\n    description: " + "[" * 5000 + "]" * 5000 + "\n"
    problems = fact_file_problems(tmp_path, text)
    assert problems == [
        f"{tmp_path}/facts/test.yaml:3: malformed YAML (exceeded maximum nesting depth)"
    ]


def test_an_unquoted_impossible_date_names_file_and_line(tmp_path: Path) -> None:
    text = FACTS.replace("    figure: actual\n", "    figure: actual\n    date: 2019-13-45\n")
    [problem] = fact_file_problems(tmp_path, text)
    assert problem.startswith(f"{tmp_path}/facts/test.yaml:3: {TRADE}: date:")
    assert "'2019-13-45' is not a real date" in problem


# --- the error message -----------------------------------------------------------------
@pytest.mark.xfail(strict=True, reason="needs the cap in loader/errors.py (ValidationError)")
def test_the_message_shows_the_first_50_problems_and_counts_the_rest() -> None:
    error = ValidationError([f"problem {n}" for n in range(1, 121)])
    message = str(error)
    assert "problem 50\n" in message and "problem 51\n" not in message
    assert message.rstrip().endswith("… and 70 more")
    assert len(error.problems) == 120
