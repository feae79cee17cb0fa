"""Cypher as text: literals, names, statement splitting and chunking.

Only values kazgraph itself holds (exported properties, allow-listed labels and types) are
ever formatted into Cypher text; user input always travels as parameters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

from loader.errors import ExportError

T = TypeVar("T")

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
# Comments and string literals, which may hold a ';' that does not end a statement.
_LEADING = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)
_SKIP = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", re.S)


def cypher_name(name: str) -> str:
    """A name as a Cypher identifier, backtick-quoted unless it is a plain identifier."""
    return name if _IDENTIFIER.match(name) else "`" + name.replace("`", "``") + "`"


def cypher_literal(value: Any) -> str:
    """A value as a Cypher literal: strings single-quoted and escaped, lists and maps nested."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"{value!r} has no Cypher literal")
        text = repr(value)
        if "e" in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}E{int(exponent)}"
        return text
    if isinstance(value, str):
        escaped = (_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 else c) for c in value)
        return "'" + "".join(escaped) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        pairs = (f"{cypher_name(str(k))}: {cypher_literal(v)}" for k, v in sorted(value.items()))
        return "{" + ", ".join(pairs) + "}"
    raise ExportError(f"cannot write a {type(value).__name__} ({value!r}) as Cypher")


def split_statements(text: str) -> list[tuple[int, str]]:
    """The statements of a Cypher script with the line each starts on (from 1).

    Statements end at a ``;`` outside comments, strings and quoted names. Comments before
    a statement are dropped; comments inside one are kept as written. Browser commands
    (``:param x => 1;``) come back as statements of their own.
    """
    found: list[tuple[int, str]] = []
    start = pos = 0
    while pos <= len(text):
        match = _SKIP.search(text, pos)
        end = text.find(";", pos, match.start() if match else len(text))
        if end == -1 and match:
            pos = match.end()
            continue
        stop = end if end != -1 else len(text)
        body = text[start:stop]
        lead = _LEADING.match(body)
        offset = lead.end() if lead else 0
        if body[offset:].strip():
            line = text.count("\n", 0, start + offset) + 1
            found.append((line, body[offset:].strip()))
        if end == -1:
            break
        start = pos = end + 1
    return found


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of ``items`` of at most ``size`` elements."""
    for begin in range(0, len(items), size):
        yield items[begin : begin + size]
