"""Delaware DHSS: the state's COVID-19 mitigation timeline and ZIP-level case data.

URL:      https://myhealthycommunity.dhss.delaware.gov (My Healthy Community, Delaware DHSS);
          the timeline, the per-ZIP snapshot and the ZIP centroids survive only as files
          committed to github.com/deanastuart/DE_COVID_small_business_project (read here at
          the commits they were found at)
Licence:  no licence file in that repository; the data is Delaware DHSS's public dashboard
          (acceptable-use terms on the site)
Cadence:  the dashboard's per-ZIP download was daily; the three committed files are static
Columns:  DE_Mitigation_Timeline.csv `Mitigation,Start,Until`; covid_nums.csv `,Zipcode,Value`;
          markers.json `{"<ZIP>": [lat, lon]}`; the dashboard's per-ZIP download
          `Location,County,Statistic,Value,Year,Month,Day,Date used,Unit,Age adjusted`

Quirks handled here:
- timeline dates have no year (`Jun 22`). Rule: a `Start` is the first such day on or after
  TIMELINE_BEGINS (2020-03-01, the month Delaware declared its State of Emergency), so the
  timeline may span at most twelve months (a `Jan 05` would be 2021); an `Until` is the first
  such day on or after its row's `Start`. This needs no row order (the file lists the newest
  first) and works chunk by chunk. A date that carries a year (ISO, `Jun 22, 2020`) is kept;
  an impossible day (`Feb 30`) is rejected. `Until` = `Further Notice` becomes a null
  until_date with until_further_notice true; the text keeps its UTF-8 en-dashes;
- covid_nums.csv is one undated snapshot: its leading unnamed pandas index column is dropped,
  its value is a rate (cases per 10,000 people, not a count), and `snapshot_date` is the date
  of the commit that holds it (SNAPSHOT_DATE: the latest day the snapshot can describe);
- markers.json is a JSON object, read by `loaders.core.json_reader`;
- the per-ZIP download (`zip-code-<ZIP>/download_covid_19_data/cases`) is opt-in, since no copy
  of it survives: a local mirror loads the ZIP folders it holds; otherwise
  DELAWARE_ZIP_CODES=19701,19702,... names the ZIPs to download, and without it no file is
  listed (the table then stays absent and nothing fails).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from loaders.core.contract import Column, Contract
from loaders.core.fips import fips_column
from loaders.core.json_reader import JsonTableSpec
from loaders.core.quirks import date_from_parts, require_headers
from loaders.core.spec import Source, SourceFile, TableSpec
from warehouse.settings import Settings

REPOSITORY = "https://raw.githubusercontent.com/deanastuart/DE_COVID_small_business_project"
DASHBOARD = "https://myhealthycommunity.dhss.delaware.gov/locations"
SNAPSHOT_DATE = "2021-01-19"  # commit 810e5223a373 of covid_nums.csv; the file has no date
TIMELINE_BEGINS = date(2020, 3, 1)
YEAR_FORMATS = ("%Y-%m-%d", "%b %d, %Y", "%b %d %Y")  # when a timeline date does carry a year
SOURCE = Source(
    name="delaware_dhss",
    homepage="https://myhealthycommunity.dhss.delaware.gov",
    licence="Delaware DHSS public dashboard (acceptable-use terms on the site); no repo licence",
    cadence="daily (per-ZIP download); the timeline, snapshot and centroids are static",
    warn_after_days=2,
    error_after_days=7,
)

MONTH_DAY = re.compile(r"\s*([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})\s*")


def day_on_or_after(text: str, earliest: date) -> str:
    """`Jun 22` -> the ISO date of the first 22 June on or after `earliest`; other text as is."""
    match = MONTH_DAY.fullmatch(text)
    if not match:
        return text
    for year in (earliest.year, earliest.year + 1):
        try:
            day = datetime.strptime(f"{match[1]} {match[2]} {year}", "%b %d %Y").date()
        except ValueError:  # `Feb 29` in a common year, `Feb 30`
            continue
        if day >= earliest:
            return day.isoformat()
    return text


def timeline_dates(start: str, until: str, flag: str, begins: date = TIMELINE_BEGINS):
    """Give the timeline's `Start` and `Until` days a year; `Further Notice` -> flag true."""

    def reshape(frame: pd.DataFrame) -> pd.DataFrame:
        require_headers(frame, [start, until])
        starts = [day_on_or_after(s.strip(), begins) for s in frame[start].astype(str)]
        further = frame[until].astype(str).str.strip().str.casefold() == "further notice"
        untils = [
            "" if open_ended else day_on_or_after(u.strip(), _as_date(s) or begins)
            for u, s, open_ended in zip(frame[until].astype(str), starts, further, strict=True)
        ]
        return frame.assign(
            **{start: starts, until: untils, flag: further.map({True: "true", False: "false"})}
        )

    return reshape


def _as_date(text: str) -> date | None:
    for fmt in YEAR_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


MITIGATION_TIMELINE = TableSpec(
    source=SOURCE,
    name="mitigation_timeline",
    file_name="DE_Mitigation_Timeline.csv",
    official_url=f"{REPOSITORY}/7f1ccdb54d912a61611201e17151b8e065208d66/DE_Mitigation_Timeline.csv",
    reshape=timeline_dates("Start", "Until", "until_further_notice"),
    contract=Contract(
        columns=(
            Column("mitigation", header="Mitigation", nullable=False),
            Column("start_date", "date", header="Start", date_formats=YEAR_FORMATS),
            Column("until_date", "date", header="Until", date_formats=YEAR_FORMATS),
            Column("until_further_notice", "bool", nullable=False),
        ),
        natural_key=("mitigation", "start_date"),
        ends_with_newline=True,  # the publisher's files end with one
    ),
)


def _drop_index_column(frame: pd.DataFrame) -> pd.DataFrame:
    """covid_nums.csv was written by pandas with its index: a first column with no header."""
    require_headers(frame, ["Zipcode"])
    # ZIP codes lose their leading zeros the way FIPS codes do: the same rule.
    return fips_column("Zipcode", 5)(frame.drop(columns=[c for c in frame.columns if c == ""]))


ZIP_CASE_RATES = TableSpec(
    source=SOURCE,
    name="zip_case_rates",
    file_name="covid_nums.csv",
    official_url=f"{REPOSITORY}/810e5223a37318d5fcdba2f085e2cb25fb384aae/covid_nums.csv",
    reshape=_drop_index_column,
    list_files=lambda spec, _: [SourceFile(spec.file_name, spec.official_url, SNAPSHOT_DATE)],
    vintage_column="snapshot_date",
    contract=Contract(
        columns=(
            Column("snapshot_date", "date"),
            Column("zip_code", header="Zipcode"),
            Column("cases_per_10k", "float", header="Value", non_negative=True),
        ),
        natural_key=("snapshot_date", "zip_code"),
        ends_with_newline=True,  # the publisher's files end with one
    ),
)

ZIP_CENTROIDS = JsonTableSpec(
    source=SOURCE,
    name="zip_centroids",
    file_name="markers.json",
    official_url=f"{REPOSITORY}/3b5e649fc56023135ed3f2a29bb5ee2bb65f24ea/app/markers.json",
    key_header="zip_code",
    value_headers=("latitude", "longitude"),
    contract=Contract(
        columns=(
            Column("zip_code"),
            Column("latitude", "float", nullable=False),
            Column("longitude", "float", nullable=False),
        ),
        natural_key=("zip_code",),
    ),
)


def zip_download_path(zip_code: str) -> str:
    return f"zip-code-{zip_code}/download_covid_19_data/cases"


def _zip_download_files(spec: TableSpec, settings: Settings) -> list[SourceFile]:
    if settings.sources.is_local:
        folder = settings.sources.folder(SOURCE.name)
        found = folder.glob("zip-code-*/download_covid_19_data/cases*") if folder else []
        zips = sorted({p.parents[1].name.removeprefix("zip-code-") for p in found})
    else:
        zips = list(settings.delaware_zip_codes)
    return [
        SourceFile(zip_download_path(z), f"{DASHBOARD}/{zip_download_path(z)}") for z in zips if z
    ]


def _zip_from_location(frame: pd.DataFrame) -> pd.DataFrame:
    """`Location` is `Zip Code 19701`; anything else leaves zip_code empty (rejected)."""
    require_headers(frame, ["Location"])
    zips = frame["Location"].astype(str).str.extract(r"(?i)^\s*zip code\s+(\d{5})\s*$")[0]
    frame = date_from_parts("Year", "Month", "Day")(frame.drop(columns=["Location"]))
    return frame.assign(zip_code=zips.fillna(""))


ZIP_CASES = TableSpec(
    source=SOURCE,
    name="zip_cases",
    file_name="cases",
    official_url=f"{DASHBOARD}/zip-code-<ZIP>/download_covid_19_data/cases",
    reshape=_zip_from_location,
    list_files=_zip_download_files,
    contract=Contract(
        columns=(
            Column("zip_code"),
            Column("county", header="County"),
            Column("statistic", header="Statistic"),
            Column("value", "float", header="Value"),
            Column("date", "date", not_future=True),
            Column("date_used", header="Date used"),
            Column("unit", header="Unit"),
            Column("age_adjusted", "bool", header="Age adjusted"),
        ),
        natural_key=("zip_code", "date", "statistic", "unit", "age_adjusted", "date_used"),
    ),
)

TABLES = [MITIGATION_TIMELINE, ZIP_CASE_RATES, ZIP_CENTROIDS, ZIP_CASES]
