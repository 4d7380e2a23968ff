"""New York Times COVID-19 data: cumulative cases and deaths for the nation, the states
and the counties.

URL:      https://github.com/nytimes/covid-19-data (raw files under raw.githubusercontent.com)
Licence:  CC BY-NC 4.0 (attribution, non-commercial)
Cadence:  daily until 2023-03-23, then frozen
Columns:  us.csv `date,cases,deaths`; us-states.csv `date,state,fips,cases,deaths`;
          us-counties.csv `date,county,state,fips,cases,deaths`

Quirks handled here:
- the copy of us-states.csv in circulation was re-saved by a spreadsheet: dates M/D/YYYY,
  FIPS without the leading zero, CRLF line endings; both that and the original load.
- cumulative counts sometimes fall (corrections): kept as published; marts flag them.
- us-counties.csv has the same format variants (ISO or M/D/YYYY dates, FIPS possibly unpadded:
  padded to 5 digits). Some of its places have no FIPS: "New York City" (the five boroughs
  together), "Unknown" (cases not assigned to a county, one per state), Kansas City and
  Joplin (Missouri); so a county row is keyed on (date, state, county), fips null there.
  Deaths may be blank (Puerto Rico's municipalities): null. The file is large (~2.5 M rows)
  and no copy survives in the mirror: a folder mirror loads it only when it holds one.
"""

from loaders.core.contract import Column, Contract
from loaders.core.fips import fips_column
from loaders.core.spec import Source, SourceFile, TableSpec
from warehouse.settings import Settings

BASE_URL = "https://raw.githubusercontent.com/nytimes/covid-19-data/master"
SOURCE = Source(
    name="nyt_covid",
    homepage="https://github.com/nytimes/covid-19-data",
    licence="CC BY-NC 4.0",
    cadence="daily until 2023-03-23, then frozen",
    warn_after_days=2,
    error_after_days=7,
    ended="2023-03-23",  # the last day the NYT published; its files no longer change
)
# ISO in the original files; M/D/YYYY in the spreadsheet re-save.
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")

US = TableSpec(
    source=SOURCE,
    name="us",
    file_name="us.csv",
    official_url=f"{BASE_URL}/us.csv",
    full_republication=True,
    contract=Contract(
        columns=(
            Column("date", "date", not_future=True, date_formats=DATE_FORMATS),
            Column("cases", "int", non_negative=True),
            Column("deaths", "int", non_negative=True),
        ),
        natural_key=("date",),
        ends_with_newline=True,  # the publisher's files end with one
    ),
)

US_STATES = TableSpec(
    source=SOURCE,
    name="us_states",
    file_name="us-states.csv",
    official_url=f"{BASE_URL}/us-states.csv",
    full_republication=True,
    reshape=fips_column("fips", 2),
    contract=Contract(
        columns=(
            Column("date", "date", not_future=True, date_formats=DATE_FORMATS),
            Column("state", "text", nullable=False),
            Column("fips", "text"),
            Column("cases", "int", non_negative=True),
            Column("deaths", "int", non_negative=True),
        ),
        natural_key=("date", "fips"),
        ends_with_newline=True,  # the publisher's files end with one
    ),
)


def _counties_file(spec: TableSpec, settings: Settings) -> list[SourceFile]:
    """The file, except from a folder mirror that holds no copy of it (then nothing loads)."""
    if settings.sources.lacks(SOURCE.name, spec.file_name):
        return []
    return [SourceFile(spec.file_name, spec.official_url)]


US_COUNTIES = TableSpec(
    source=SOURCE,
    name="us_counties",
    file_name="us-counties.csv",
    official_url=f"{BASE_URL}/us-counties.csv",
    full_republication=True,
    reshape=fips_column("fips", 5),
    list_files=_counties_file,
    contract=Contract(
        columns=(
            Column("date", "date", not_future=True, date_formats=DATE_FORMATS),
            Column("county", "text", nullable=False),
            Column("state", "text", nullable=False),
            Column("fips", "text"),
            Column("cases", "int", non_negative=True),
            Column("deaths", "int", non_negative=True),
        ),
        natural_key=("date", "state", "county"),
        ends_with_newline=True,  # the publisher's files end with one
    ),
)

TABLES = [US, US_STATES, US_COUNTIES]
