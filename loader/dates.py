"""Partial ISO dates: ``2018``, ``2019-04`` or ``2022-06-15``, always real calendar dates."""

from __future__ import annotations

import datetime as dt
import functools
import re

PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_partial_date(value: object) -> str | None:
    """Accept '2018', '2019-04' or '2022-06-15' (a real calendar date); reject the rest."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        value = value.isoformat()
    return _checked(str(value))


@functools.lru_cache(maxsize=8192)  # dates repeat: each is checked once (a refusal is not kept)
def _checked(text: str) -> str:
    if not PARTIAL_DATE.match(text):
        raise ValueError(f"'{text}' is not a date like 2018, 2019-04 or 2022-06-15")
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a real date ({exc})") from None
    return text
