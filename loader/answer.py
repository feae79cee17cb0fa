"""A query's answer as a table: its column names and its rows of plain values.

Saved queries and ``kazgraph cypher`` answer with an :class:`Answer`; :mod:`loader.output`
renders it as a table, CSV, JSON or Markdown, and examples and the summary read it. It is
built from the standard library alone, so that running a query and printing its answer
does not import pandas (about half a second of CPU before the first row). Who wants a
DataFrame asks :meth:`Answer.to_frame`, which imports pandas then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Answer:
    """Column names and rows (one value per column, in column order), never changed.

    Two answers are equal when they have the same columns and the same rows in the same
    order. ``len(answer)`` is the number of rows.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    def __init__(self, columns: Iterable[str], rows: Iterable[Sequence[object]] = ()) -> None:
        columns = tuple(columns)
        rows = tuple(tuple(row) for row in rows)
        if len(set(columns)) != len(columns):
            raise ValueError(f"an answer's columns must differ: {', '.join(columns)}")
        for row in rows:
            if len(row) != len(columns):
                raise ValueError(
                    f"a row has {len(row)} value(s) for {len(columns)} column(s): {row!r}"
                )
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "rows", rows)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, object]]) -> Answer:
        """An answer from dicts: the columns in the order they first appear, a value a
        record lacks as None."""
        records = list(records)
        columns = list(dict.fromkeys(key for record in records for key in record))
        return cls(columns, ([record.get(c) for c in columns] for record in records))

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def empty(self) -> bool:
        """True when the answer has no rows."""
        return not self.rows

    def column(self, name: str) -> tuple[object, ...]:
        """The values of one column, in row order."""
        try:
            index = self.columns.index(name)
        except ValueError:
            raise KeyError(
                f"no column {name!r} (columns: {', '.join(self.columns) or 'none'})"
            ) from None
        return tuple(row[index] for row in self.rows)

    def records(self) -> list[dict[str, object]]:
        """The rows as dicts, column name to value."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def head(self, n: int) -> Answer:
        """The first ``n`` rows."""
        return Answer(self.columns, self.rows[:n])

    def to_frame(self) -> pd.DataFrame:
        """The answer as a pandas DataFrame of Python objects (``dtype=object``), the values
        as they are. Imports pandas, which nothing else on the query path needs."""
        import pandas as pd

        rows = [list(row) for row in self.rows]
        return pd.DataFrame(rows, columns=list(self.columns), dtype=object)
