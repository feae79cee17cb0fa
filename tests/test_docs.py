"""Documentation that nothing else checks: every command has help and an example."""

from __future__ import annotations

import re

import click
import pytest

from loader.cli import main
from loader.facts import load_dataset
from loader.settings import PROJECT_ROOT


def leaf_commands(group: click.Group, prefix: str = "kazgraph") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            out += leaf_commands(command, path)
        else:
            out.append((path, command))
    return out


COMMANDS = leaf_commands(main)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_has_help_and_an_example(path: str, command: click.Command) -> None:
    assert command.help and len(command.help.split()) >= 5, f"{path} has no help text"
    example = re.search(r"Example:\s*\n\s*\n?\s*(kazgraph [^\n]+)", command.help)
    assert example, f"{path} has no Example: block"
    assert example.group(1).startswith(path), f"{path}'s example runs another command"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{path} option {param.opts[0]} has no help"


def test_the_readme_names_both_commands_and_every_top_level_command() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for name in main.commands:
        assert f"kazgraph {name}" in readme, f"README does not mention `kazgraph {name}`"


def test_the_ci_script_runs_the_readme_test_command() -> None:
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_coverage_checklist_names_only_facts_that_exist() -> None:
    text = (PROJECT_ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:dip|econ|sec)-[a-z0-9-]+)`", text))
    assert named, "docs/coverage.md lists the facts covering each paragraph"
    assert sorted(named - set(load_dataset().facts)) == []
