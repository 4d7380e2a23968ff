"""Johns Hopkins CSSE COVID-19 data: cumulative confirmed cases and deaths over time, for
countries and provinces (global files) and US counties, the UID/FIPS lookup, and per-day US
state reports.

URL:      https://github.com/CSSEGISandData/COVID-19 (files under csse_covid_19_data/)
Licence:  CC BY 4.0 (attribution: "COVID-19 Data Repository by the Center for Systems Science
          and Engineering (CSSE) at Johns Hopkins University")
Cadence:  daily until 2023-03-10, then frozen
Columns:  global time series `Province/State,Country/Region,Lat,Long,1/22/20,...`;
          time_series_covid19_deaths_US.csv `UID,iso2,iso3,code3,FIPS,Admin2,Province_State,
          Country_Region,Lat,Long_,Combined_Key,Population,1/22/20,...`;
          UID_ISO_FIPS_LookUp_Table.csv `UID,iso2,iso3,code3,FIPS,Admin2,Province_State,
          Country_Region,Lat,Long_,Combined_Key,Population`; daily reports: see
          daily_reports.py

Files (raw table = raw.jhu_csse__<name>):
  UID_ISO_FIPS_LookUp_Table.csv              uid_lookup          one row per UID
  time_series_covid19_confirmed_global.csv   confirmed_global    one row per place per day
  time_series_covid19_deaths_global.csv      deaths_global       one row per place per day
  time_series_covid19_deaths_US.csv          deaths_us           one row per UID per day
  csse_covid_19_daily_reports_us/<date>.csv  daily_reports_us    one row per state per report

Quirks handled here (the unpivot's rules are in wide.py):
- the time series are wide, one column per day headed M/D/YY: unpivoted chunk by chunk, each
  chunk at most `chunk_cells` fields (~1,400 places at 350 days, ~140 at 3,500), so memory
  does not grow with the number of days;
- a global row has a blank Province/State when it covers a whole country (the US): the key is
  `combined_key`, built the way JHU builds Combined_Key ("Alberta, Canada", or "US" alone),
  and province_state stays null; Canada's non-geographic rows ("Diamond Princess", "Grand
  Princess", "Repatriated Travellers", lat/long 0 or blank) are kept as published;
- FIPS is written as a float (`10001.0`) or without leading zeros: stored as text, 2 digits
  for a state or territory (`60`), 5 for a county (`01001`), null when blank (e.g. "Dukes and
  Nantucket", the Utah health districts); JHU's pseudo-counties "Out of DE" (`80010`) and
  "Unassigned" (`90010`) are kept, as rows of their state;
- Combined_Key is quoted (it contains commas): the CSV reader handles it; deaths_us keeps
  UID, FIPS, Admin2, state, country and population per row; iso codes, lat/long and
  Combined_Key are per UID in uid_lookup;
- cumulative values sometimes fall (corrections): kept as published;
- a mirror's `slices/` folder (subsets for quick tests) is never read.
"""

import pandas as pd

from loaders.core.contract import Column, Contract
from loaders.core.quirks import require_headers
from loaders.core.spec import TableSpec
from loaders.sources.jhu_csse.daily_reports import DAILY_REPORTS_US
from loaders.sources.jhu_csse.source import DATA, SOURCE, TIME_SERIES, url, with_fips_text
from loaders.sources.jhu_csse.wide import unpivot

__all__ = ["SOURCE", "TABLES"]

US_PER_UID = ("iso2", "iso3", "code3", "Lat", "Long_", "Combined_Key")  # see uid_lookup


def _combined_key(frame: pd.DataFrame) -> pd.DataFrame:
    require_headers(frame, ["Province/State", "Country/Region"])
    province = frame["Province/State"].astype(str).str.strip()
    country = frame["Country/Region"].astype(str).str.strip()
    return frame.assign(combined_key=(province + ", " + country).where(province != "", country))


def _global_series(name: str, file_name: str, measure: str) -> TableSpec:
    return TableSpec(
        source=SOURCE,
        name=name,
        file_name=file_name,
        official_url=url(TIME_SERIES, file_name),
        reshape=unpivot(measure, prepare=_combined_key),
        contract=Contract(
            columns=(
                Column("province_state", header="Province/State"),
                Column("country_region", header="Country/Region", nullable=False),
                Column("combined_key", nullable=False),
                Column("lat", "float", header="Lat"),
                Column("long", "float", header="Long"),
                Column("date", "date", not_future=True),
                Column(measure, "int", non_negative=True),
            ),
            natural_key=("combined_key", "date"),
            ends_with_newline=True,  # the publisher's files end with one
        ),
    )


CONFIRMED_GLOBAL = _global_series(
    "confirmed_global", "time_series_covid19_confirmed_global.csv", "confirmed"
)
DEATHS_GLOBAL = _global_series("deaths_global", "time_series_covid19_deaths_global.csv", "deaths")

DEATHS_US = TableSpec(
    source=SOURCE,
    name="deaths_us",
    file_name="time_series_covid19_deaths_US.csv",
    official_url=url(TIME_SERIES, "time_series_covid19_deaths_US.csv"),
    full_republication=True,
    reshape=unpivot("deaths", dropped=US_PER_UID, prepare=with_fips_text),
    contract=Contract(
        columns=(
            Column("uid", "int", header="UID", nullable=False),
            Column("fips", header="FIPS"),
            Column("admin2", header="Admin2"),
            Column("province_state", header="Province_State", nullable=False),
            Column("country_region", header="Country_Region", nullable=False),
            Column("population", "int", header="Population", non_negative=True),
            Column("date", "date", not_future=True),
            Column("deaths", "int", non_negative=True),
        ),
        natural_key=("uid", "date"),
        ends_with_newline=True,  # the publisher's files end with one
    ),
)

UID_LOOKUP = TableSpec(
    source=SOURCE,
    name="uid_lookup",
    file_name="UID_ISO_FIPS_LookUp_Table.csv",
    official_url=url(DATA, "UID_ISO_FIPS_LookUp_Table.csv"),
    reshape=with_fips_text,
    contract=Contract(
        columns=(
            Column("uid", "int", header="UID", nullable=False),
            Column("iso2"),
            Column("iso3"),
            Column("code3", "int"),
            Column("fips", header="FIPS"),
            Column("admin2", header="Admin2"),
            Column("province_state", header="Province_State"),
            Column("country_region", header="Country_Region", nullable=False),
            Column("lat", "float", header="Lat"),
            Column("long", "float", header="Long_"),
            Column("combined_key", header="Combined_Key", nullable=False),
            Column("population", "int", header="Population", non_negative=True),
        ),
        natural_key=("uid",),
        ends_with_newline=True,  # the publisher's files end with one
    ),
)

# The lookup first, so a run that stops midway still has its place names.
TABLES = [UID_LOOKUP, CONFIRMED_GLOBAL, DEATHS_GLOBAL, DEATHS_US, DAILY_REPORTS_US]
