"""One more day in every daily file of a mirror: what each publisher's next update would add.

A long file (a row per place and day) gets a copy of its last day's rows dated a day later,
appended, the rest of the file byte for byte as it was; a wide JHU time series (a column per
day) gets a column repeating its last. Files that are not daily are left as they are: the
places and lookups, the policy timelines, OI's weekly county spend, Delaware's undated ZIP
snapshot, the CPS schools file (its total columns must agree with its day columns) and JHU's
per-day state reports (a frozen publication: its last report is fixed).

Every file written is a new file in the mirror: a link to the real one is replaced, never
written through. These files are GENERATED; they stay in the bench's work folder.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.inputs import day_header
from loaders.sources.jhu_csse.wide import date_columns


@dataclass(frozen=True)
class LongFile:
    path: str  # under the mirror
    columns: tuple[str, ...]  # the date's column, or its year, month and day columns
    read: str = ""  # strptime format of a single date column
    write: str = ""  # strftime format it is written back in

    def day(self, row: list[str], at: list[int]) -> date:
        if len(at) == 3:
            return date(*(int(row[i]) for i in at))
        return datetime.strptime(row[at[0]], self.read).date()

    def dated(self, row: list[str], at: list[int], day: date) -> list[str]:
        values = [day.strftime(self.write)] if len(at) == 1 else [day.year, day.month, day.day]
        row = list(row)
        for i, value in zip(at, values, strict=True):
            row[i] = str(value)
        return row


YEAR_MONTH_DAY = ("year", "month", "day")
LONG_FILES = (
    LongFile("nyt_covid/us.csv", ("date",), "%Y-%m-%d", "%Y-%m-%d"),
    LongFile("nyt_covid/us-states.csv", ("date",), "%m/%d/%Y", "%-m/%-d/%Y"),
    LongFile("nyt_covid/us-counties.csv", ("date",), "%Y-%m-%d", "%Y-%m-%d"),
    LongFile(
        "hhs_hospital/COVID-19_Reported_Patient_Impact_and_Hospital_Capacity_by_State_Timeseries.csv",
        ("date",),
        "%Y/%m/%d",
        "%Y/%m/%d",
    ),
    LongFile("phac_canada/covid19.csv", ("date",), "%d-%m-%Y", "%d-%m-%Y"),
    LongFile("cps_covid/CPStotals.csv", ("date",), "%Y%m%d", "%Y%m%d"),
    LongFile("oi_economic_tracker/COVID - State - Daily.csv", YEAR_MONTH_DAY),
    LongFile("oi_economic_tracker/Affinity - State - Daily.csv", YEAR_MONTH_DAY),
    LongFile("oi_economic_tracker/Womply Revenue - State - Daily.csv", YEAR_MONTH_DAY),
    LongFile("oi_economic_tracker/Womply Revenue - County - Daily.csv", YEAR_MONTH_DAY),
    LongFile("oi_economic_tracker/Womply Merchants - County - Daily.csv", YEAR_MONTH_DAY),
)
WIDE_FILES = (
    "jhu_csse/time_series_covid19_deaths_global.csv",
    "jhu_csse/time_series_covid19_confirmed_global.csv",
)


def add_day(mirror: Path) -> list[str]:
    """One more day in each daily file present in `mirror`; returns the files changed. (The
    JHU US deaths file, generated at each size, is `inputs.longer`'s.)"""
    changed = []
    for long in LONG_FILES:
        if (mirror / long.path).is_file():
            _add_day_long(mirror / long.path, long)
            changed.append(long.path)
    for wide in WIDE_FILES:
        if (mirror / wide).is_file():
            _add_day_wide(mirror / wide)
            changed.append(wide)
    return changed


def _add_day_long(path: Path, spec: LongFile) -> None:
    data = path.read_bytes()
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    at = [header.index(column) for column in spec.columns]
    days = [spec.day(row, at) if row else None for row in rows]
    last = max(day for day in days if day)
    newline = "\r\n" if b"\r\n" in data[:4096] else "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    for row, day in zip(rows, days, strict=True):
        if day == last:
            writer.writerow(spec.dated(row, at, last + timedelta(days=1)))
    ending = b"" if data.endswith(b"\n") else newline.encode()
    _replace(path, data + ending + out.getvalue().encode())


def _add_day_wide(path: Path) -> None:
    data = path.read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header = rows[0]
    last = date.fromisoformat(list(date_columns(header).values())[-1]) + timedelta(days=1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*header, day_header(last)])
    for row in rows[1:]:
        writer.writerow([*row, row[-1]])
    _replace(path, out.getvalue().encode())


def _replace(path: Path, content: bytes) -> None:
    """`content` as a new file at `path`: a link there is removed, not written through."""
    path.unlink()
    path.write_bytes(content)
