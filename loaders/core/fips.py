"""The one FIPS rule, applied by the loaders; `dbt_project/macros/fips_text.sql` is the same
rule in SQL, and tests/loaders/core/test_fips.py runs both on the same cases.

A FIPS code is text with its leading zeros. Publishers write it as an integer (`1` for `01`),
as a float (`1.0`, `10001.0`) or re-saved by a spreadsheet that dropped the zero. So: trim;
blank is null; a whole number (optionally `.0`) is zero-padded to `width` digits (never cut);
anything else (`US`, `1.5`, `-1`) is kept as found, for the contract and the tests to flag.
"""

from __future__ import annotations

import pandas as pd

WHOLE_NUMBER = r"(?P<digits>\d+)(?:\.0*)?"
STATE_WIDTH = 2
COUNTY_WIDTH = 5


def fips_text(values: pd.Series, width: int | None) -> pd.Series:
    """`values` as FIPS text padded to `width`; `width=None` for a column that mixes states and
    counties (JHU): one or two digits are a state (2), three to five a county (5)."""
    text = values.astype("string").str.strip()
    digits = text.str.extract(f"^{WHOLE_NUMBER}$")["digits"]
    if width is None:
        padded = digits.str.zfill(STATE_WIDTH).where(
            digits.str.len() <= STATE_WIDTH, digits.str.zfill(COUNTY_WIDTH)
        )
    else:
        padded = digits.str.zfill(width)
    result = padded.where(digits.notna(), text)
    return result.mask(text.fillna("") == "").astype(object).where(lambda s: s.notna(), None)


def fips_column(column: str, width: int | None):
    """A reshape: `column`, when the chunk has it, as `fips_text`."""

    def reshape(frame: pd.DataFrame) -> pd.DataFrame:
        if column not in frame.columns:
            return frame
        return frame.assign(**{column: fips_text(frame[column], width)})

    return reshape
