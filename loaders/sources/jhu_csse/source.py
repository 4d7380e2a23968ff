"""Shared parts of the JHU CSSE loaders: the source, its URLs, and its FIPS quirk.

See `loaders/jhu_csse.py` for provenance and the list of tables.
"""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd

from loaders.core.spec import Source

REPOSITORY = "https://raw.githubusercontent.com/CSSEGISandData/COVID-19/master"
DATA = f"{REPOSITORY}/csse_covid_19_data"
TIME_SERIES = f"{DATA}/csse_covid_19_time_series"
SOURCE = Source(
    name="jhu_csse",
    homepage="https://github.com/CSSEGISandData/COVID-19",
    licence="CC BY 4.0",
    cadence="daily until 2023-03-10, then frozen",
    warn_after_days=2,
    error_after_days=7,
)
INTEGER_WRITTEN_AS_FLOAT = r"(?P<digits>\d+)(?:\.0*)?"


def url(folder: str, relative_path: str) -> str:
    return f"{folder}/{quote(relative_path)}"


def fips_text(values: pd.Series) -> pd.Series:
    """JHU writes FIPS as floats (`10001.0`, `1.0`) or integers without leading zeros.

    One or two digits are a state or territory code, padded to two (`1.0` -> `01`, `60` ->
    `60`); four digits are a county that lost its leading zero (`1001` -> `01001`); five are
    kept (`10001`, and JHU's own codes: `80010` "Out of DE", `90010` "Unassigned", `88888`
    Diamond Princess). Blank stays blank (null); anything else is left as found.
    """
    text = values.astype(str).str.strip()
    digits = text.str.extract(f"^{INTEGER_WRITTEN_AS_FLOAT}$")["digits"]
    length = digits.str.len()
    padded = digits.where(length > 2, digits.str.zfill(2))
    padded = padded.where(length != 4, digits.str.zfill(5))
    return padded.where(digits.notna(), text)


def with_fips_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A reshape: the `FIPS` column, when the file has one, as `fips_text`."""
    return frame.assign(FIPS=fips_text(frame["FIPS"])) if "FIPS" in frame.columns else frame
