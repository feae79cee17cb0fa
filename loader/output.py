"""Render a query's answer (a DataFrame) as a rich table, CSV, JSON records or Markdown."""

from __future__ import annotations

import io
import json
import math

import pandas as pd
from rich.console import Console
from rich.table import Table

FORMATS = ("table", "csv", "json", "markdown")
NO_ROWS = "No rows."
MAX_WORD = 24  # columns never get narrower than this to keep a word whole


def cell(value: object) -> str:
    """A value as table text: empty for missing, thousands separators for numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1000 else f"{value:g}"
    return str(value)


def _plain(value: object) -> object:
    """A value for JSON: missing as null, everything else as the driver gave it."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _widths(texts: list[list[str]], width: int) -> list[int] | None:
    """Column widths that fit ``width``: the widest columns give way first, none narrower
    than its longest word (up to :data:`MAX_WORD`); None when even that cannot fit."""
    natural = [max((len(t) for t in col), default=1) or 1 for col in texts]
    floor = [
        min(max((len(w) for t in col for w in t.split()), default=1), MAX_WORD, n)
        for col, n in zip(texts, natural, strict=True)
    ]
    room = width - (3 * len(texts) + 1)  # one space either side and a rule per column
    if sum(floor) > room:
        return None

    def fitted(level: int) -> list[int]:
        return [max(f, min(n, level)) for f, n in zip(floor, natural, strict=True)]

    level = max(natural)
    while level > 1 and sum(fitted(level)) > room:
        level -= 1
    return fitted(level)


def rich_table(frame: pd.DataFrame, title: str | None = None, width: int | None = None) -> Table:
    """A rich Table of the answer, one column per result column.

    Given the console ``width``, the columns share it so that words (a locator, a name)
    wrap whole rather than being cut, as long as that fits.
    """
    table = Table(title=title, title_justify="left", show_lines=False)
    texts = [[str(column), *(cell(v) for v in frame[column])] for column in frame.columns]
    widths = _widths(texts, width) if width else None
    for i, column in enumerate(frame.columns):
        values = [v for v in frame[column] if _plain(v) is not None]
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        table.add_column(
            str(column),
            justify="right" if numeric else "left",
            overflow="fold",
            width=widths[i] if widths else None,
        )
    for row in frame.itertuples(index=False):
        table.add_row(*(cell(v) for v in row))
    return table


def to_table(frame: pd.DataFrame, title: str | None = None, width: int = 160) -> str:
    """The rich table as plain text of the given width (for files and tests)."""
    if frame.empty:
        return f"{title}\n{NO_ROWS}\n" if title else f"{NO_ROWS}\n"
    text = io.StringIO()
    Console(file=text, width=width, color_system=None, highlight=False).print(
        rich_table(frame, title, width)
    )
    return text.getvalue()


def to_csv(frame: pd.DataFrame) -> str:
    """CSV with a header row; an empty answer is the header alone."""
    return frame.to_csv(index=False, lineterminator="\n")


def to_json(frame: pd.DataFrame) -> str:
    """A JSON list of records (column: value), UTF-8 kept readable."""
    records = [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    return json.dumps(records, indent=1, ensure_ascii=False, default=str) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; an empty answer says so."""
    if frame.empty:
        return f"_{NO_ROWS}_\n"
    lines = [
        "| " + " | ".join(_md(str(c)) for c in frame.columns) + " |",
        "|" + "|".join(" --- " for _ in frame.columns) + "|",
    ]
    lines += [
        "| " + " | ".join(_md(cell(v)) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join(lines) + "\n"


def render(frame: pd.DataFrame, fmt: str, title: str | None = None) -> str:
    """The answer as text in one of :data:`FORMATS`."""
    if fmt == "table":
        return to_table(frame, title)
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "json":
        return to_json(frame)
    if fmt == "markdown":
        return (f"### {title}\n\n" if title else "") + to_markdown(frame)
    raise ValueError(f"unknown format '{fmt}' (known: {', '.join(FORMATS)})")
