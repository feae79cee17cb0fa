"""Parameter values: a raw value (a command-line string or a YAML scalar) as its type's value,
and back as text."""

from __future__ import annotations

import math
import re

from loader.dates import check_partial_date

PARAM_TYPES = ("string", "int", "float", "bool", "date", "entity")
Value = str | int | float | bool
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def parse_value(kind: str, raw: object) -> Value:
    """A raw value (a command-line string or a YAML scalar) as the parameter type's value."""
    if isinstance(raw, bool) and kind != "bool" or isinstance(raw, (dict, list)):
        raise ValueError(f"expected {_article(kind)}, got {raw!r}")
    text = str(raw).strip()
    if kind == "int":
        if isinstance(raw, float) or not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(f"expected an int, got {raw!r}")
        return int(text)
    if kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"expected a float, got {raw!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"expected a finite float, got {raw!r}")
        return value
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ValueError(f"expected a bool (true/false), got {raw!r}")
    if kind == "date":
        check_partial_date(text)
        return text
    if not text:
        raise ValueError(f"expected {_article(kind)}, got an empty value")
    return str(raw) if kind == "string" else text


def _article(kind: str) -> str:
    name = {
        "date": "date like 2018, 2019-04 or 2022-06-15",
        "entity": "entity id, name or alias",
    }.get(kind, kind)
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def value_text(value: Value | None) -> str:
    """A parameter value as it is typed on the command line (true/false for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
