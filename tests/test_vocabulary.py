"""The vocabulary is the single source of truth: docs, schema and style follow from it."""

from __future__ import annotations

from loader import browser, vocabulary
from loader.vocabulary import DERIVED_TYPES, LABELS, REL_TYPES, SOURCE, all_types


def test_model_doc_holds_the_current_tables() -> None:
    doc = vocabulary.MODEL_DOC.read_text(encoding="utf-8")
    assert vocabulary.markdown_tables() in doc, (
        "docs/model.md is stale; regenerate it: python -m loader.vocabulary"
    )


def test_tables_give_every_label_and_type_its_meaning_ends_and_properties() -> None:
    tables = vocabulary.markdown_tables()
    for label, meaning in LABELS.items():
        assert f"| {label} | {meaning} |" in tables
    assert "| SECURITY_TIE | " in tables and "`kind` (required)" in tables
    assert "| ROUTE_LEG (derived) |" in tables


def test_schema_file_is_generated_from_the_vocabulary() -> None:
    assert vocabulary.SCHEMA_FILE.read_text(encoding="utf-8") == vocabulary.schema_cypher(), (
        "cypher/schema.cypher is stale; regenerate it: python -m loader.vocabulary"
    )


def test_every_type_has_exactly_one_id_constraint() -> None:
    schema = vocabulary.schema_cypher()
    for name in all_types():
        assert schema.count(f"FOR ()-[r:{name}]-() REQUIRE r.id IS UNIQUE") == 1, name
    assert "FOR (n:Entity) REQUIRE n.id IS UNIQUE" in schema
    assert "FOR (n:Source) REQUIRE n.id IS UNIQUE" in schema


def test_indexes_name_known_labels_and_types() -> None:
    known = {*LABELS, *REL_TYPES, *DERIVED_TYPES, vocabulary.ENTITY, SOURCE}
    assert {target for target, _ in vocabulary.INDEXES} <= known


def test_style_sheet_has_a_rule_for_every_label_and_type() -> None:
    rules = browser.read_style()
    for label in [*LABELS, SOURCE]:
        assert f"node.{label}" in rules, label
    for name in all_types():
        assert "caption" in rules[f"relationship.{name}"], name


def test_style_sheet_file_is_generated() -> None:
    assert browser.STYLE_FILE.read_text(encoding="utf-8") == browser.style_sheet(), (
        "cypher/browser-style.grass is stale; regenerate it: python -m loader.browser"
    )


def test_default_captions_show_the_type_and_its_required_properties() -> None:
    rules = browser.read_style()
    assert rules["relationship.REQUESTED"]["caption"] == "REQUESTED {mode}"
    assert rules["relationship.ABOUT"]["caption"] == "ABOUT"


def test_every_type_told_apart_is_explained_in_the_model_doc() -> None:
    doc = vocabulary.MODEL_DOC.read_text(encoding="utf-8")
    why = doc[doc.index("## Why some types are told apart") :]
    for name in ["BUILT_BY", "OPERATED_BY", "REQUESTED", "BID_FOR", "NOMINATED_FOR"]:
        assert f"**{name}" in why or f"{name}**" in why or f" {name} " in why, name
    for name in ["PLEDGED", "SIGNED", "CONCLUDED_AT", "ABOUT", "held_by"]:
        assert name in why, name
