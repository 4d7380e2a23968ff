"""Column conversion: the Arrow fast path and the pandas rules agree value for value, and a
reshape's typed or categorical columns are checked without being parsed again."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from loaders.core import convert as convert_module
from loaders.core.contract import Column, Contract
from loaders.core.validate import validate

TODAY = date(2021, 6, 30)
CONTRACT = Contract(
    (
        Column("k"),
        Column("n", "int", non_negative=True),
        Column("x", "float"),
        Column("d", "date", not_future=True),
    ),
    natural_key=("k",),
    null_markers=("", "NA"),
)
COLUMNS = {  # every value here is one the fast path takes
    "k": ["a", " b ", "c", "d"],
    "n": ["1", " 22 ", "NA", "007"],
    "x": ["0.5", "-1e3", "", "3"],
    "d": ["2020-01-31", "2021-06-30", "", "1999-12-01"],
}


def frame(columns, dtype=object):
    index = pd.Index(range(2, 2 + len(next(iter(columns.values())))), name="_line")
    return pd.DataFrame(columns, index=index, dtype=dtype)


def as_lists(good: pd.DataFrame) -> dict:
    return {c: [None if pd.isna(v) else v for v in good[c].astype(object)] for c in good}


def test_the_fast_path_gives_what_the_pandas_rules_give(monkeypatch):
    fast, fast_reasons = validate(frame(COLUMNS), CONTRACT, TODAY)
    monkeypatch.setattr(convert_module, "_fast", lambda candidates, column: None)
    slow, slow_reasons = validate(frame(COLUMNS), CONTRACT, TODAY)
    assert as_lists(fast) == as_lists(slow)
    assert fast_reasons.to_dict() == slow_reasons.to_dict() == {}
    assert as_lists(fast)["n"] == [1, 22, None, 7]
    assert as_lists(fast)["x"] == [0.5, -1000.0, None, 3.0]
    assert [str(d)[:10] for d in as_lists(fast)["d"]] == [
        "2020-01-31",
        "2021-06-30",
        "None",
        "1999-12-01",
    ]  # noqa: E501
    assert as_lists(fast)["k"] == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("n", "0x1F", "n: an integer expected, found 0x1F"),  # Arrow would read hex
        ("n", "-3", "negative n: -3"),
        ("n", "2.0", None),  # pandas' rule: a whole float is an integer
        ("x", "inf", "x: a number expected, found inf"),
        ("d", "0000-01-01", None),  # year 0: left to pandas' rule, which takes it
        ("d", "2021-07-01", "d in the future: 2021-07-01"),
        ("d", "2021-2-3", None),  # not ISO: the pandas rule reads it
    ],
)
def test_values_the_fast_path_leaves_to_the_pandas_rules(column, value, reason):
    columns = {name: values[:1] for name, values in COLUMNS.items()}
    columns[column] = [value]
    good, reasons = validate(frame(columns), CONTRACT, TODAY)
    assert reasons.to_dict() == ({2: reason} if reason else {})
    assert len(good) == (0 if reason else 1)


def test_typed_and_categorical_columns_are_checked_like_text():
    lines = pd.Index([7, 7, 8, 8], name="_line")
    typed = pd.DataFrame(
        {
            "k": pd.Categorical.from_codes([0, 0, 1, -1], categories=[" a", "b"]),
            "n": pd.array([1, -2, None, 4], dtype="Int64"),
            "x": pd.Categorical.from_codes([0, 0, 1, 1], categories=["1.5", "y"]),
            "d": np.array(["2020-01-01", "2020-01-02", "2021-07-02", "NaT"], "datetime64[s]"),
        },
        index=lines,
    )
    good, reasons = validate(typed, CONTRACT, TODAY)
    assert as_lists(good) == {"k": ["a"], "n": [1], "x": [1.5], "d": [pd.Timestamp("2020-01-01")]}
    assert list(reasons.items()) == [
        (7, "negative n: -2"),
        (8, "x: a number expected, found y"),
        (8, "missing k"),
    ]
