"""Typing a chunk of strings against its contract: the values kept and each rejected line's
reason (the first problem found, in contract column order)."""

from datetime import date

import pandas as pd

from loaders.core.contract import Column, Contract
from loaders.core.validate import validate

TODAY = date(2021, 6, 30)


def check(contract, columns: dict[str, list], lines=None):
    size = len(next(iter(columns.values())))
    index = pd.Index(lines or range(2, 2 + size), name="_line")
    frame = pd.DataFrame(columns, index=index, dtype=object)
    good, reasons = validate(frame, contract, TODAY)
    return good, reasons.to_dict()


def test_numbers_with_null_markers_and_thousands_separators():
    contract = Contract(
        (Column("k"), Column("n", "int", non_negative=True), Column("x", "float")),
        natural_key=("k",),
        null_markers=("", "NA", "."),
        thousands_separator=",",
    )
    good, reasons = check(
        contract,
        {
            "k": ["a", "b", "c", "d", "e", "f", "g"],
            "n": ["1,234", " 7 ", "NA", "-1", "1e3", "2.0", "12x"],
            "x": [".", "-0.5", "1,000.25", "1", "nan", "1e-3", "0"],
        },
    )
    assert list(good.index) == [2, 3, 4, 7]
    assert nullable(good["n"]) == [1234, 7, None, 2]
    assert nullable(good["x"]) == [None, -0.5, 1000.25, 0.001]
    assert reasons == {
        5: "negative n: -1",
        6: "x: a number expected, found nan",
        8: "n: an integer expected, found 12x",
    }


def nullable(values: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in values.astype(object)]


def test_dates_in_several_formats_and_not_in_the_future():
    contract = Contract(
        (Column("d", "date", not_future=True, date_formats=("%Y-%m-%d", "%m/%d/%Y")),),
        natural_key=("d",),
    )
    good, reasons = check(contract, {"d": ["2021-06-30", "3/7/2020", "2021-07-01", "7/32/2020"]})
    assert good["d"].dt.strftime("%Y-%m-%d").tolist() == ["2021-06-30", "2020-03-07"]
    assert reasons == {
        4: "d in the future: 2021-07-01",
        5: "d: date %Y-%m-%d or %m/%d/%Y expected, found 7/32/2020",
    }


def test_booleans_and_required_values():
    contract = Contract(
        (Column("k"), Column("flag", "bool"), Column("name", nullable=False)),
        natural_key=("k",),
    )
    good, reasons = check(
        contract,
        {
            "k": ["a", "b", "", "d", "e"],
            "flag": ["Yes", "f", "1", "maybe", "TRUE"],
            "name": ["x", "y", "z", "w", " "],
        },
    )
    assert good["flag"].tolist() == [True, False]
    assert reasons == {
        4: "missing k",
        5: "flag: true/false expected, found maybe",
        6: "missing name",
    }


def test_an_absent_optional_column_is_typed_null_and_an_absent_key_rejects():
    contract = Contract(
        (
            Column("k"),
            Column("when", "date", required=False),
            Column("n", "int", required=False),
        ),
        natural_key=("k",),
    )
    good, reasons = check(contract, {"k": ["a", "b"]})
    assert str(good["when"].dtype).startswith("datetime64") and good["when"].isna().all()
    assert str(good["n"].dtype) == "Int64" and reasons == {}
    keyed = Contract((Column("k"), Column("j", required=False)), natural_key=("k", "j"))
    _, reasons = check(keyed, {"k": ["a"]})
    assert reasons == {2: "missing j"}


def test_lines_shared_by_several_rows_keep_every_reason():
    contract = Contract((Column("k"), Column("n", "int")), natural_key=("k",))
    good, reasons = validate(
        pd.DataFrame(
            {"k": ["a", "b", "c"], "n": ["1", "x", "2"]},
            index=pd.Index([2, 2, 3], name="_line"),
            dtype=object,
        ),
        contract,
        TODAY,
    )
    assert good["k"].tolist() == ["a", "c"]
    assert list(reasons.items()) == [(2, "n: an integer expected, found x")]
