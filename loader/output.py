"""Render a query's answer (an :class:`~loader.answer.Answer`) as a rich table, CSV, JSON
records or Markdown, and write files the careful way: never over an existing file without
``force``, never half-written (a temporary file in the same folder, then :func:`os.replace`)."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from loader.answer import Answer
from loader.errors import KazgraphError

FORMATS = ("table", "csv", "json", "markdown")
NO_ROWS = "No rows."
MAX_WORD = 24  # columns never get narrower than this to keep a word whole


def _missing(value: object) -> bool:
    """None or NaN: a cell with no value."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def cell(value: object) -> str:
    """A value as table text: empty for missing, thousands separators for numbers."""
    if _missing(value):
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
    return None if _missing(value) else value


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


def rich_table(answer: Answer, title: str | None = None, width: int | None = None) -> Table:
    """A rich Table of the answer, one column per result column.

    Given the console ``width``, the columns share it so that words (a locator, a name)
    wrap whole rather than being cut, as long as that fits.
    """
    table = Table(title=Text(title) if title else None, title_justify="left", show_lines=False)
    columns = [answer.column(name) for name in answer.columns]
    texts = [
        [name, *(cell(v) for v in values)]
        for name, values in zip(answer.columns, columns, strict=True)
    ]
    widths = _widths(texts, width) if width else None
    for i, (name, values) in enumerate(zip(answer.columns, columns, strict=True)):
        numeric = all(
            isinstance(v, (int, float)) and not isinstance(v, bool)
            for v in values
            if not _missing(v)
        )
        table.add_column(
            Text(name),  # text, never markup: a name may hold "[/]"
            justify="right" if numeric else "left",
            overflow="fold",
            width=widths[i] if widths else None,
        )
    for row in answer.rows:
        table.add_row(*(Text(cell(v)) for v in row))
    return table


def to_table(answer: Answer, title: str | None = None, width: int = 160) -> str:
    """The rich table as plain text of the given width (for files and tests)."""
    if answer.empty:
        return f"{title}\n{NO_ROWS}\n" if title else f"{NO_ROWS}\n"
    text = io.StringIO()
    Console(file=text, width=width, color_system=None, highlight=False).print(
        rich_table(answer, title, width)
    )
    return text.getvalue()


def to_csv(answer: Answer) -> str:
    """CSV with a header row; an empty answer is the header alone. Missing values are empty
    fields, others as ``str()`` writes them, quoted by the csv module only where needed
    (a comma, a quote, a line break; a lone empty field as ``""``)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(answer.columns)
    writer.writerows(["" if _missing(v) else v for v in row] for row in answer.rows)
    return text.getvalue()


def to_json(answer: Answer) -> str:
    """A JSON list of records (column: value), UTF-8 kept readable."""
    records = [{k: _plain(v) for k, v in row.items()} for row in answer.records()]
    return json.dumps(records, indent=1, ensure_ascii=False, default=str) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(answer: Answer) -> str:
    """A GitHub-flavoured Markdown table; an empty answer says so."""
    if answer.empty:
        return f"_{NO_ROWS}_\n"
    lines = [
        "| " + " | ".join(_md(c) for c in answer.columns) + " |",
        "|" + "|".join(" --- " for _ in answer.columns) + "|",
    ]
    lines += ["| " + " | ".join(_md(cell(v)) for v in row) + " |" for row in answer.rows]
    return "\n".join(lines) + "\n"


def render(answer: Answer, fmt: str, title: str | None = None) -> str:
    """The answer as text in one of :data:`FORMATS`."""
    if fmt == "table":
        return to_table(answer, title)
    if fmt == "csv":
        return to_csv(answer)
    if fmt == "json":
        return to_json(answer)
    if fmt == "markdown":
        return (f"### {title}\n\n" if title else "") + to_markdown(answer)
    raise ValueError(f"unknown format '{fmt}' (known: {', '.join(FORMATS)})")


class OutputExists(KazgraphError):
    """A file or folder is already where an output would go, and ``force`` was not given."""


def refuse_existing(path: Path, force: bool, flag: str = "--force") -> None:
    """Raise :class:`OutputExists` when ``path`` is a file (or a folder, which is never
    replaced by a file) and ``force`` is not set."""
    path = Path(path)
    if path.is_dir():
        raise OutputExists(f"{path} is a folder; give a file name to write")
    if (path.exists() or path.is_symlink()) and not force:
        raise OutputExists(f"{path} already exists; pass {flag} to replace it")


def write_atomically(
    path: Path, write: Callable[[Path], object], force: bool = False, flag: str = "--force"
) -> Path:
    """Call ``write`` with a temporary path in ``path``'s folder, then move the finished file
    onto ``path`` in one step: a reader sees the old file or the new one, never a part.

    Refuses an existing ``path`` unless ``force`` (see :func:`refuse_existing`); on any
    failure the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    refuse_existing(path, force, flag)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        os.chmod(temp, usual_mode())
        refuse_existing(path, force, flag)  # nothing appeared meanwhile
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return path


def write_text_atomically(path: Path, text: str, force: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; an existing file only with ``force``.

    ``kazgraph query run -o FILE`` writes through this, as every export does.
    """
    return write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"), force)


def usual_mode(folder: bool = False) -> int:
    """The permissions a new file (or folder) gets under the current umask; a temporary one
    is made private, so it takes these before it is moved into place."""
    mask = os.umask(0o022)
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask
