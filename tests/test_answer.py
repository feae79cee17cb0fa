"""An answer is a small immutable record of columns and rows; pandas only when asked for."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from loader.answer import Answer

ANSWER = Answer(["partner", "value_usd"], [["Russia", 18e9], ["China", None]])


def test_an_answer_has_its_columns_rows_and_length() -> None:
    assert ANSWER.columns == ("partner", "value_usd")
    assert ANSWER.rows == (("Russia", 18e9), ("China", None))
    assert len(ANSWER) == 2 and not ANSWER.empty
    assert Answer(["partner"]).empty and len(Answer(["partner"])) == 0


def test_a_column_gives_its_values_in_row_order() -> None:
    assert ANSWER.column("partner") == ("Russia", "China")
    with pytest.raises(KeyError, match=r"no column 'year' \(columns: partner, value_usd\)"):
        ANSWER.column("year")


def test_records_are_dicts_in_column_order() -> None:
    assert ANSWER.records() == [
        {"partner": "Russia", "value_usd": 18e9},
        {"partner": "China", "value_usd": None},
    ]
    assert [list(r) for r in ANSWER.records()] == [["partner", "value_usd"]] * 2


def test_from_records_takes_columns_in_first_seen_order_and_fills_gaps_with_none() -> None:
    answer = Answer.from_records([{"b": 1, "a": 2}, {"a": 3, "c": 4}])
    assert answer == Answer(["b", "a", "c"], [[1, 2, None], [None, 3, 4]])


def test_head_keeps_the_columns_and_the_first_rows() -> None:
    assert ANSWER.head(1) == Answer(["partner", "value_usd"], [["Russia", 18e9]])
    assert ANSWER.head(0) == Answer(["partner", "value_usd"])


def test_answers_are_equal_by_columns_and_rows_and_cannot_be_changed() -> None:
    assert Answer(("partner", "value_usd"), (("Russia", 18e9), ("China", None))) == ANSWER
    assert Answer(["partner", "value_usd"], [["China", None], ["Russia", 18e9]]) != ANSWER
    with pytest.raises(dataclasses.FrozenInstanceError):
        ANSWER.rows = ()  # type: ignore[misc]


def test_a_row_of_the_wrong_length_or_a_repeated_column_is_refused() -> None:
    with pytest.raises(ValueError, match=r"a row has 1 value\(s\) for 2 column\(s\)"):
        Answer(["a", "b"], [[1]])
    with pytest.raises(ValueError, match="an answer's columns must differ: a, a"):
        Answer(["a", "a"], [])


def test_to_frame_is_a_dataframe_of_the_values_as_they_are() -> None:
    frame = ANSWER.to_frame()
    assert list(frame.columns) == ["partner", "value_usd"]
    assert [str(t) for t in frame.dtypes] == ["object", "object"]
    assert frame.to_dict("records") == ANSWER.records()
    assert list(Answer(["partner"]).to_frame().columns) == ["partner"]


def test_the_record_and_its_renderings_import_no_pandas() -> None:
    probe = (
        "import json, sys\n"
        "from loader.answer import Answer\n"
        "from loader import output\n"
        "from loader.saved_queries import examples\n"
        "a = Answer(['x'], [[1]])\n"
        "[output.render(a, f) for f in output.FORMATS]\n"
        "print(json.dumps(sorted(m for m in ('pandas', 'numpy') if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []
