"""Exports and answers written to files: never over a file without --force, never deleting a
file no export wrote, never half-written, always valid XML; names with markup in tables."""

from __future__ import annotations

import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from loader import output
from loader.answer import Answer
from loader.cli import main
from loader.errors import ExportError
from loader.export import write_graph
from loader.export.folder import MANIFEST
from loader.graph import Graph
from loader.output import OutputExists, write_text_atomically

SMALL = Graph(
    [
        {
            "id": "KAZ",
            "labels": ["Country"],
            "properties": {"id": "KAZ", "name": "Kazakhstan", "basis": "documented"},
        },
        {
            "id": "RUS",
            "labels": ["Country"],
            "properties": {"id": "RUS", "name": "Russia", "basis": "documented"},
        },
    ],
    [
        {
            "id": "kaz-rus",
            "type": "BORDERS",
            "start": "KAZ",
            "end": "RUS",
            "properties": {"id": "kaz-rus", "basis": "documented"},
        }
    ],
)


def with_name(name: str) -> Graph:
    first = {**SMALL.nodes[0], "properties": {**SMALL.nodes[0]["properties"], "name": name}}
    return Graph([first, *SMALL.nodes[1:]], SMALL.relationships)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- one file ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "cypher"])
def test_an_existing_file_is_refused_without_force_and_left_as_it_was(
    tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"mine.{fmt}"
    target.write_text("my own notes\n")
    with pytest.raises(OutputExists) as refused:
        write_graph(SMALL, fmt, target)
    assert str(refused.value) == f"{target} already exists; pass --force to replace it"
    assert target.read_text() == "my own notes\n"
    assert os.listdir(tmp_path) == [target.name]  # no temporary file left behind


def test_force_replaces_a_file_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "graph.json"
    target.write_text("old")
    write_graph(SMALL, "json", target, force=True)
    assert '"Kazakhstan"' in target.read_text()
    assert os.listdir(tmp_path) == ["graph.json"]
    mode = stat.S_IMODE(target.stat().st_mode)
    assert mode == 0o666 & ~_umask()  # not the private mode of a temporary file


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_failed_export_leaves_the_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "graph.graphml"
    target.write_text("the previous export")
    with pytest.raises(ExportError):
        write_graph(with_name("Kazakh\x01stan"), "graphml", target, force=True)
    assert target.read_text() == "the previous export"
    assert os.listdir(tmp_path) == [target.name]


def test_the_export_command_names_the_path_and_the_flag(tmp_path: Path) -> None:
    target = tmp_path / "kazgraph.json"
    target.write_text("keep me")
    result = CliRunner().invoke(
        main, ["export", "-o", str(target), "--uri", "bolt://127.0.0.1:1"]
    )  # refused before Neo4j is asked anything
    assert result.exit_code == 1
    assert result.output == f"Error: {target} already exists; pass --force to replace it\n"
    assert target.read_text() == "keep me"


def test_write_text_atomically_refuses_then_replaces_with_force(tmp_path: Path) -> None:
    target = tmp_path / "answer.csv"
    write_text_atomically(target, "a\n")
    with pytest.raises(OutputExists, match=r"answer.csv already exists; pass --force"):
        write_text_atomically(target, "b\n")
    assert target.read_text() == "a\n"
    write_text_atomically(target, "b\n", force=True)
    assert target.read_text() == "b\n" and os.listdir(tmp_path) == ["answer.csv"]


def test_a_folder_is_never_replaced_by_a_file(tmp_path: Path) -> None:
    with pytest.raises(OutputExists, match="is a folder; give a file name"):
        write_text_atomically(tmp_path, "x", force=True)


# --- a folder ---------------------------------------------------------------------------
def test_csv_export_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "nodes-Mine.csv").write_text("my data")
    with pytest.raises(OutputExists) as refused:
        write_graph(SMALL, "csv", folder)
    assert str(refused.value) == (
        f"{folder} is a folder that is not empty; pass --force to replace the files "
        "an earlier export wrote there (other files are kept)"
    )
    assert tree(folder) == {"nodes-Mine.csv": b"my data"}
    assert os.listdir(tmp_path) == ["import"]


def test_csv_export_with_force_keeps_files_it_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "nodes-Mine.csv").write_text("my data")
    write_graph(SMALL, "csv", folder, force=True)
    assert (folder / "nodes-Mine.csv").read_text() == "my data"
    assert {"nodes-Country.csv", "relationships-BORDERS.csv", MANIFEST} <= set(tree(folder))
    script = (folder / "import.sh").read_text()
    assert "--nodes=nodes-Country.csv" in script and "nodes-Mine.csv" not in script
    assert os.listdir(tmp_path) == ["import"]


def test_csv_export_with_force_replaces_only_its_own_earlier_files(tmp_path: Path) -> None:
    folder = tmp_path / "import"
    write_graph(SMALL, "csv", folder)
    (folder / "notes.txt").write_text("mine")
    only_countries = Graph(SMALL.nodes, [])
    write_graph(only_countries, "csv", folder, force=True)
    names = set(tree(folder))
    assert "relationships-BORDERS.csv" not in names  # written by the earlier export: gone
    assert (folder / "notes.txt").read_text() == "mine"
    assert "nodes-Country.csv" in names


def test_csv_export_refuses_to_replace_a_same_named_file_it_did_not_write(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "nodes-Country.csv").write_text("my countries")
    with pytest.raises(ExportError) as refused:
        write_graph(SMALL, "csv", folder, force=True)
    assert str(refused.value) == (
        f"{folder} holds nodes-Country.csv, which no kazgraph export wrote there; "
        "move it away or export to another folder"
    )
    assert tree(folder) == {"nodes-Country.csv": b"my countries"}
    assert os.listdir(tmp_path) == ["import"]


def test_csv_export_into_an_earlier_export_swaps_the_whole_folder(tmp_path: Path) -> None:
    folder = tmp_path / "import"
    write_graph(SMALL, "csv", folder)
    write_graph(SMALL, "csv", folder, force=True)
    assert os.listdir(tmp_path) == ["import"]
    assert "nodes-Country.csv" in tree(folder)


def test_csv_export_refuses_a_file_where_the_folder_goes(tmp_path: Path) -> None:
    target = tmp_path / "import"
    target.write_text("x")
    with pytest.raises(OutputExists, match="is a file; a csv export writes a folder"):
        write_graph(SMALL, "csv", target, force=True)
    assert target.read_text() == "x"


# --- XML --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_control_characters_are_refused_by_name_not_written_as_invalid_xml(
    tmp_path: Path, fmt: str
) -> None:
    with pytest.raises(ExportError) as refused:
        write_graph(with_name("Kazakh\x1bstan"), fmt, tmp_path / f"g.{fmt}")
    name = {"graphml": "GraphML", "gexf": "GEXF"}[fmt]
    assert str(refused.value) == (
        "node 'KAZ', property 'name', holds the character U+001B, which XML 1.0 forbids; "
        f"{name} cannot hold it (json, csv and cypher exports can)"
    )
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_tabs_line_breaks_and_markup_stay_valid_xml(tmp_path: Path, fmt: str) -> None:
    path = write_graph(with_name('Tab\there\nline <b>&"[/]'), fmt, tmp_path / f"g.{fmt}").path
    ET.parse(path)  # parses


# --- tables -----------------------------------------------------------------------------
def test_rich_markup_in_a_name_is_printed_as_written() -> None:
    answer = Answer(["name [x]"], [["Bank [/] of [bold]Astana[/bold]"], ["[red]"]])
    text = output.to_table(answer, title="Names [/]")
    assert "Bank [/] of [bold]Astana[/bold]" in text
    assert "[red]" in text and "name [x]" in text and "Names [/]" in text
