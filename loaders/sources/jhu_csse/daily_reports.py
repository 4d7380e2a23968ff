"""JHU CSSE per-day US state reports: `csse_covid_19_daily_reports_us/MM-DD-YYYY.csv`.

One file per day (2020-04-12 .. 2023-03-09), one row per state, territory or special entity
(cruise ships, "Recovered"). The report date is only in the file name: each file is loaded
as its own vintage and `report_date` is filled from it (`Last_Update` is a UTC timestamp,
usually the next day's). JHU revised past files in place; a revised file adds new versions.

Which files load:
- a folder mirror: every `MM-DD-YYYY.csv` (or `.csv.gz`) in its folder
  `jhu_csse/csse_covid_19_daily_reports_us/`, oldest first (none without that folder); a
  `.csv` there whose name is not a valid MM-DD-YYYY date fails the listing;
- the official repository or an HTTP mirror cannot be listed, and fetching every day since
  2020-04-12 would be ~1,060 requests per run: only the last JHU_CSSE_DAILY_REPORT_DAYS
  reports of the publication are fetched (`Settings.jhu_daily_report_days`, default 7, up to
  its last day 2023-03-09); `all` fetches every one. Unchanged files are skipped cheaply
  (conditional GET, checksum).

Quirks handled: numbers mix integers and floats (`202137.0`, FIPS `1.0`, UID `84000001.0`:
whole floats load as integers, FIPS as 2-digit text); `People_Hospitalized` and
`Hospitalization_Rate` are blank since 2020-08-31 (null); `People_Tested`/`Mortality_Rate`
were renamed `Total_Test_Results`/`Case_Fatality_Ratio` in late 2020: both names are optional
columns; `Active` may be negative (the "Recovered" row carries minus the recoveries).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

from loaders.core.contract import Column, Contract
from loaders.core.errors import StructuralError
from loaders.core.spec import SourceFile, TableSpec
from loaders.sources.jhu_csse.source import DATA, SOURCE, url, with_fips_text
from warehouse.settings import Settings

FOLDER = "csse_covid_19_daily_reports_us"
FIRST_REPORT = date(2020, 4, 12)
LAST_REPORT = date(2023, 3, 9)  # the repository stopped updating on 2023-03-10
REPORT_NAME = re.compile(r"(\d{2}-\d{2}-\d{4})\.csv(?:\.gz)?")


def report_file(day: date) -> SourceFile:
    relative_path = f"{FOLDER}/{day:%m-%d-%Y}.csv"
    return SourceFile(relative_path, url(DATA, relative_path), day.isoformat())


def list_reports(
    spec: TableSpec, settings: Settings, today: date | None = None
) -> list[SourceFile]:
    if settings.sources.is_local:
        folder = settings.sources.folder(SOURCE.name)
        return [report_file(day) for day in _mirrored_days(folder and folder / FOLDER)]
    last = min(LAST_REPORT, (today or date.today()) - timedelta(days=1))
    days = settings.jhu_daily_report_days or (LAST_REPORT - FIRST_REPORT).days + 1
    first = max(FIRST_REPORT, last - timedelta(days=days - 1))
    return [report_file(first + timedelta(days=n)) for n in range((last - first).days + 1)]


def _mirrored_days(folder: Path | None) -> list[date]:
    days = set()
    names = sorted(p.name for p in folder.iterdir()) if folder and folder.is_dir() else []
    for name in names:
        if not name.endswith((".csv", ".csv.gz")):
            continue
        match = REPORT_NAME.fullmatch(name)
        try:
            days.add(datetime.strptime(match.group(1), "%m-%d-%Y").date())
        except (AttributeError, ValueError):
            raise StructuralError(
                f"{SOURCE.name}/{FOLDER}/{name}: expected a daily report named MM-DD-YYYY.csv "
                "(the report date is taken from the name)"
            ) from None
    return sorted(days)


def _optional(name: str, header: str, kind: str = "float", **options) -> Column:
    return Column(name, kind, header=header, required=False, **options)


DAILY_REPORTS_US = TableSpec(
    source=SOURCE,
    name="daily_reports_us",
    file_name=f"{FOLDER}/MM-DD-YYYY.csv",
    official_url=url(DATA, f"{FOLDER}/MM-DD-YYYY.csv"),
    reshape=with_fips_text,
    list_files=list_reports,
    vintage_column="report_date",
    contract=Contract(
        columns=(
            Column("report_date", "date", not_future=True),
            Column("province_state", header="Province_State", nullable=False),
            Column("country_region", header="Country_Region"),
            Column("last_update", header="Last_Update"),
            _optional("lat", "Lat"),
            _optional("long", "Long_"),
            Column("confirmed", "int", header="Confirmed", non_negative=True),
            Column("deaths", "int", header="Deaths", non_negative=True),
            _optional("recovered", "Recovered", "int", non_negative=True),
            _optional("active", "Active", "int"),
            _optional("fips", "FIPS", "text"),
            _optional("incident_rate", "Incident_Rate"),
            _optional("total_test_results", "Total_Test_Results", "int", non_negative=True),
            _optional("people_tested", "People_Tested", "int", non_negative=True),
            _optional("people_hospitalized", "People_Hospitalized", "int", non_negative=True),
            _optional("case_fatality_ratio", "Case_Fatality_Ratio"),
            _optional("mortality_rate", "Mortality_Rate"),
            _optional("uid", "UID", "int"),
            _optional("iso3", "ISO3", "text"),
            _optional("testing_rate", "Testing_Rate"),
            _optional("hospitalization_rate", "Hospitalization_Rate"),
        ),
        natural_key=("report_date", "province_state"),
        ends_with_newline=True,  # the publisher's files end with one
    ),
)
