"""Shared parts of the JHU CSSE loaders: the source, its URLs, and its FIPS quirk.

See `loaders/sources/jhu_csse/__init__.py` for provenance and the list of tables.
"""

from __future__ import annotations

from urllib.parse import quote

from loaders.core.fips import fips_column
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
    ended="2023-03-10",  # CSSE stopped collecting data; its files no longer change
)


def url(folder: str, relative_path: str) -> str:
    return f"{folder}/{quote(relative_path)}"


# JHU writes FIPS as floats (`10001.0`, `1.0`) or integers without leading zeros, states and
# counties in one column; its own five-digit codes (`80010` "Out of DE", `90010` "Unassigned",
# `88888` Diamond Princess) are kept.
with_fips_text = fips_column("FIPS", width=None)
