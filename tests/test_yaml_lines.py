"""The quick YAML reader gives exactly what PyYAML's own constructor (LineLoader) gives:
the same data, lines and key lines, or the same error."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from loader.facts import DEFAULT_DATA_DIR
from loader.yaml_lines import LineDict, LineLoader, read_yaml


def reference(text: str) -> Any:
    return yaml.load(text, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader


def assert_same(got: Any, want: Any, where: str = "$") -> None:
    assert type(got) is type(want), where
    if isinstance(want, LineDict):
        assert (got.line, got.key_lines, list(got)) == (want.line, want.key_lines, list(want))
        for key in want:
            assert_same(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        assert len(got) == len(want), where
        for n, (a, b) in enumerate(zip(got, want, strict=True)):
            assert_same(a, b, f"{where}[{n}]")
    elif isinstance(want, float) and math.isnan(want):
        assert math.isnan(got), where
    else:
        assert got == want, where


@pytest.mark.parametrize("path", sorted(DEFAULT_DATA_DIR.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_curated_file_reads_as_pyyaml_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert_same(read_yaml(text).data, reference(text))


DOCUMENTS = [
    "",
    "# a comment only\n",
    "x\n",
    "a: [1, 2.5, .inf, -.inf, .nan, 0x1F, 0o17, 017, 1_000, 1:30, +1, -0, 1e5, .5, 0b101]\n",
    "a: [true, yes, No, on, OFF, y, N, ~, null, '', \"\", -- , Yesterday, nullable, offer]\n",
    "a:\nb: 2019-04-01\nc: 2019-04\nd: '2019'\n",
    "- 1\n- a: b\n  c: [d, {e: f}]\n",
    "{a: b, c: d}\n",
    "? a\n: b\n",
    "'<<': 1\n",
    "'': 1\n",
    "a: 'it''s'\n",
    "a: b # a comment\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: 2\r\n",
    "%YAML 1.1\n---\na: 1\n...\n",
    "a: Ünïcödé ☃ 中国\n",
    # control characters, from escapes, tabs, block scalars and folded blank lines
    'a: "t\\tb"\n',
    'a: "\\x07"\n',
    "a: b\tc\n",
    "a: |\n  x\n  y\n",
    "a: >\n  x\n\n  y\n",
    "a: b\n\n  c\n",
    "a: 'x\n\n  y'\n",
    # left to PyYAML's constructor: it reads them, or says what is wrong
    "1: a\n1.0: b\n",
    "true: 1\nyes: 2\n",
    "a: 1\na: 2\n",
    "a: =\n",
    "=: 1\n",
    "<<: {a: 1}\n",
    "a: !!int 3\n",
    "a: !foo x\n",
    "!!map {a: 1}\n",
    "a: &x 1\nb: *x\n",
    "? [a]\n: 1\n",
    "--- 1\n--- 2\n",
    "a: [\n",
    "a: -\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_a_document_reads_as_pyyaml_reads_it(text: str) -> None:
    try:
        want = reference(text)
    except (yaml.YAMLError, ValueError) as exc:
        with pytest.raises(type(exc)) as caught:
            read_yaml(text)
        assert str(caught.value) == str(exc)
        return
    read = read_yaml(text)
    assert_same(read.data, want)
    assert read.control_characters or not _has_control(want), "a control character missed"


def _has_control(value: Any) -> bool:
    if isinstance(value, str):
        return any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in value)
    if isinstance(value, dict):
        return any(_has_control(k) or _has_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_control(v) for v in value)
    return False


def test_a_document_without_control_characters_says_so() -> None:
    assert not read_yaml("a: [b, 'c d', \"e\"]\nf: {g: 1}\n").control_characters
    assert read_yaml('a: [b, "c\\nd"]\n').control_characters
