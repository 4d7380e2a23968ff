"""The unpivot hands validation typed values when every cell is plain digits, and annotated
text otherwise; either way validation reaches the same values and reasons."""

from datetime import date

import pandas as pd

from loaders.core.validate import validate
from loaders.sources.jhu_csse.time_series import DEATHS_US

HEADER = ["UID", "FIPS", "Admin2", "Province_State", "Country_Region", "Population"]
PLACE = ["84010001", "10001.0", "Kent", "Delaware", "US", "180786"]


def wide(*cells: str, lines=(2, 3)) -> pd.DataFrame:
    rows = [PLACE + [cells[0], cells[1]], [*PLACE[:0], "84010003", *PLACE[1:], *cells[2:]]]
    return pd.DataFrame(
        rows, columns=[*HEADER, "1/22/20", "1/23/20"], index=pd.Index(lines, name="_line")
    )


def unpivot_and_validate(frame: pd.DataFrame):
    long = DEATHS_US.reshape(frame)
    mapping = {c.source_header: c.name for c in DEATHS_US.contract.columns}
    good, reasons = validate(long.rename(columns=mapping), DEATHS_US.contract, date(2021, 1, 1))
    return long, good, reasons


def test_plain_digits_come_typed_and_blank_is_null():
    long, good, reasons = unpivot_and_validate(wide("0", " 12 ", "", "7"))
    assert str(long["deaths"].dtype) == "Int64"
    assert str(long["date"].dtype) == "datetime64[s]"
    assert [None if pd.isna(v) else v for v in good["deaths"]] == [0, 12, None, 7]
    assert reasons.empty


def test_any_other_cell_makes_the_chunk_text_and_gets_its_column_named():
    long, good, reasons = unpivot_and_validate(wide("12.0", "-0", "0x1F", "3"))
    assert long["deaths"].tolist() == ["12.0", "-0 (column 1/23/20)", "0x1F (column 1/22/20)", "3"]
    assert good["deaths"].tolist() == [12, 3]
    assert list(reasons.items()) == [
        (2, "deaths: an integer expected, found -0 (column 1/23/20)"),
        (3, "deaths: an integer expected, found 0x1F (column 1/22/20)"),
    ]


def test_a_cell_holding_a_comma_stays_one_cell():
    long, _, reasons = unpivot_and_validate(wide("1,5", "2", "3", "4"))
    assert long["deaths"].tolist() == ["1,5 (column 1/22/20)", "2", "3", "4"]
    assert list(reasons.items()) == [(2, "deaths: an integer expected, found 1,5 (column 1/22/20)")]
