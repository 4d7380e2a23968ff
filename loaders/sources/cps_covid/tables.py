"""Chicago Public Schools COVID-19 cases per school, district totals, and school locations.

URL:      https://cpscovid.com — the site's S3 copies of the files (CPS per-school case sheet,
          processed daily by misterjacko/CPS-COVID-BE): https://s3.amazonaws.com/cpscovid.com/data/
          Upstream: the CPS public Google Sheet (docs.google.com/spreadsheets/d/
          1dMtr8hhhKjPyyNg7i6V52iMQXEqa67E9iAmECeOqZ6c, linked from cps.edu/school-reopening-2020);
          school locations from the City of Chicago data portal (data.cityofchicago.org, d2h8-2upd)
          as kept in misterjacko/CPS-COVID-FE (src/data/).
Licence:  no licence file; public CPS and City of Chicago data
Cadence:  daily on school days (2021-01 .. 2021-08 here); the files are overwritten in place
Files -> tables (raw.cps_covid__<table>):
  allCpsCovidData.csv     school_snapshots   one row per school per snapshot (cumulative total)
                          school_case_counts one row per school per snapshot per dated column
  CPStotals.csv           district_totals    one row per day per snapshot
  SchoolLocations.csv, SchoolLocations1.csv  school_locations  one row per school

Quirks handled here:
- the publisher overwrites its files: every capture is a snapshot (see loaders/core/snapshots.py):
  `snapshot_date` is the capture day, `captured_at` orders captures; the root file of a mirror
  is skipped when it equals the newest snapshot. Two captures on one day: both are kept as
  versions (same key, the later one's rows supersede), and staging keeps only the latest
  `captured_at` of each day, so the later capture wins even for rows it no longer has;
- the per-school layout changed (schools.py): the early ID-less layout gets
  its cumulative total as the sum of the quarter columns, its `20210115` baseline lands with
  count_kind `baseline`; schools are keyed on CPS_School_ID (999999 = ADMINISTRATIVE), matched
  by name or location for the early snapshots (ids.py), else flagged
  `unmatched`; dates are YYYYMMDD column names, unpivoted;
- daily counts may be negative (a correction of an earlier day) and are kept as published;
  gTotal may differ from the sum of a school's dated columns (BLAIR: 1 vs 2): kept as published;
- CPStotals.csv gained columns over time (`date,daily,running`, then `7day`, then
  `7DaySum,7DayAvg,14DaySum,14DayAvg`): later columns are optional;
- the two location files spell one header `SchoolHyphen` / `School-Hyphen`, and one was
  re-saved with float noise (41.934126299999996): headers are aliased and coordinates rounded
  to 8 decimals (about 1 mm), so both load as one identical list.
"""

import functools

import pandas as pd

from loaders.core.snapshots import snapshot_files, split_capture
from loaders.core.spec import Source, SourceFile, TableSpec
from loaders.sources.cps_covid import contracts
from loaders.sources.cps_covid.ids import SchoolIds, reference_ids
from loaders.sources.cps_covid.schools import school_case_counts, school_snapshots
from warehouse.settings import Mirror, Settings

DATA_URL = "https://s3.amazonaws.com/cpscovid.com/data"
LOCATIONS_URL = "https://raw.githubusercontent.com/misterjacko/CPS-COVID-FE/HEAD/src/data"
SOURCE = Source(
    name="cps_covid",
    homepage="https://cpscovid.com",
    licence="no licence file; public Chicago Public Schools and City of Chicago data",
    cadence="daily on school days",
    warn_after_days=4,
    error_after_days=10,
)
SCHOOLS_FILE = "allCpsCovidData.csv"
TOTALS_FILE = "CPStotals.csv"
LOCATION_FILES = ("SchoolLocations.csv", "SchoolLocations1.csv")
HEADER_ALIASES = {"School-Hyphen": "SchoolHyphen"}


def _snapshots(spec: TableSpec, settings: Settings) -> list[SourceFile]:
    return snapshot_files(settings.sources, SOURCE.name, spec.file_name, spec.official_url)


def _school_ids(mirror: Mirror):
    """The school IDs of every ID-bearing capture of the per-school file, read once, when an
    ID-less snapshot first needs them."""

    @functools.cache
    def reference() -> SchoolIds:
        files = snapshot_files(mirror, SOURCE.name, SCHOOLS_FILE, f"{DATA_URL}/{SCHOOLS_FILE}")
        return reference_ids(mirror, SOURCE.name, files)

    return reference


def _locations(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.rename(columns=HEADER_ALIASES)
    for column in ("Latitude", "Longitude"):
        if column in frame.columns:
            numbers = pd.to_numeric(frame[column].astype(str).str.strip(), errors="coerce")
            rounded = numbers.round(8).map(repr, na_action="ignore")
            frame[column] = rounded.where(numbers.notna(), frame[column]).astype(object)
    return frame


SCHOOL_SNAPSHOTS = TableSpec(
    source=SOURCE,
    name="school_snapshots",
    file_name=SCHOOLS_FILE,
    official_url=f"{DATA_URL}/{SCHOOLS_FILE}",
    contract=contracts.SCHOOL_SNAPSHOTS,
    reshape_for=lambda mirror: school_snapshots(_school_ids(mirror)),
    list_files=_snapshots,
    vintage_column="captured_at",
)
SCHOOL_CASE_COUNTS = TableSpec(
    source=SOURCE,
    name="school_case_counts",
    file_name=SCHOOLS_FILE,
    official_url=f"{DATA_URL}/{SCHOOLS_FILE}",
    contract=contracts.SCHOOL_CASE_COUNTS,
    reshape_for=lambda mirror: school_case_counts(_school_ids(mirror)),
    list_files=_snapshots,
    vintage_column="captured_at",
)
DISTRICT_TOTALS = TableSpec(
    source=SOURCE,
    name="district_totals",
    file_name=TOTALS_FILE,
    official_url=f"{DATA_URL}/{TOTALS_FILE}",
    contract=contracts.DISTRICT_TOTALS,
    reshape=split_capture,
    list_files=_snapshots,
    vintage_column="captured_at",
)
SCHOOL_LOCATIONS = TableSpec(
    source=SOURCE,
    name="school_locations",
    file_name=LOCATION_FILES[0],
    official_url=f"{LOCATIONS_URL}/{LOCATION_FILES[0]}",
    contract=contracts.SCHOOL_LOCATIONS,
    reshape=_locations,
    list_files=lambda spec, _: [SourceFile(f, f"{LOCATIONS_URL}/{f}") for f in LOCATION_FILES],
)

TABLES = [SCHOOL_SNAPSHOTS, SCHOOL_CASE_COUNTS, DISTRICT_TOTALS, SCHOOL_LOCATIONS]
