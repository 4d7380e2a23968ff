"""New York Times COVID-19 data: cumulative cases and deaths for the nation and the states.

URL:      https://github.com/nytimes/covid-19-data (raw files under raw.githubusercontent.com)
Licence:  CC BY-NC 4.0 (attribution, non-commercial)
Cadence:  daily until 2023-03-23, then frozen
Columns:  us.csv `date,cases,deaths`; us-states.csv `date,state,fips,cases,deaths`

Quirks handled here:
- the copy of us-states.csv in circulation was re-saved by a spreadsheet: dates M/D/YYYY,
  FIPS without the leading zero, CRLF line endings; both that and the original load.
- cumulative counts sometimes fall (corrections): kept as published; marts flag them.
"""

from loaders.base import Source, TableSpec
from loaders.contract import Column, Contract
from loaders.quirks import zero_pad

BASE_URL = "https://raw.githubusercontent.com/nytimes/covid-19-data/master"
SOURCE = Source(
    name="nyt_covid",
    homepage="https://github.com/nytimes/covid-19-data",
    licence="CC BY-NC 4.0",
    cadence="daily",
    warn_after_days=2,
    error_after_days=7,
)
# ISO in the original files; M/D/YYYY in the spreadsheet re-save.
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")

US = TableSpec(
    source=SOURCE,
    name="us",
    file_name="us.csv",
    official_url=f"{BASE_URL}/us.csv",
    description="Cumulative COVID-19 cases and deaths in the United States, one row per day.",
    contract=Contract(
        columns=(
            Column("date", "date", not_future=True, date_formats=DATE_FORMATS),
            Column("cases", "int", non_negative=True),
            Column("deaths", "int", non_negative=True),
        ),
        natural_key=("date",),
    ),
)

US_STATES = TableSpec(
    source=SOURCE,
    name="us_states",
    file_name="us-states.csv",
    official_url=f"{BASE_URL}/us-states.csv",
    description="Cumulative COVID-19 cases and deaths per state or territory, one row per day.",
    reshape=zero_pad("fips", 2),
    contract=Contract(
        columns=(
            Column("date", "date", not_future=True, date_formats=DATE_FORMATS),
            Column("state", "text", nullable=False),
            Column("fips", "text"),
            Column("cases", "int", non_negative=True),
            Column("deaths", "int", non_negative=True),
        ),
        natural_key=("date", "fips"),
    ),
)

TABLES = [US, US_STATES]
