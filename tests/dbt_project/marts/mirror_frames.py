"""The mirror's files read straight into pandas, for recomputing marts independently of the
loaders and SQL: each reader applies only what the publisher documents (SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.conftest import ROOT


def state_seed() -> pd.DataFrame:
    return pd.read_csv(ROOT / "seeds" / "states.csv", dtype={"state_fips": str})


def nyt_states(data: Path) -> pd.DataFrame:
    """us-states.csv (a spreadsheet re-save: M/D/YYYY dates, FIPS without leading zeros)."""
    frame = pd.read_csv(data / "nyt_covid" / "us-states.csv", dtype={"fips": str})
    frame["date"] = pd.to_datetime(frame["date"], format="%m/%d/%Y")
    frame["geo_id"] = frame["fips"].str.zfill(2)
    return frame


def nyt_nation(data: Path) -> pd.DataFrame:
    frame = pd.read_csv(data / "nyt_covid" / "us.csv")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["geo_id"] = "US"
    return frame


def jhu_county_deaths(data: Path) -> pd.DataFrame:
    """time_series_covid19_deaths_US unpivoted: one row per place per day."""
    wide = pd.read_csv(data / "jhu_csse" / "time_series_covid19_deaths_US.csv.gz")
    ids = ["UID", "FIPS", "Admin2", "Province_State", "Population"]
    long = wide.drop(columns=["iso2", "iso3", "code3", "Country_Region", "Lat", "Long_"])
    long = long.drop(columns=["Combined_Key"]).melt(
        id_vars=ids, var_name="date", value_name="deaths"
    )
    long["date"] = pd.to_datetime(long["date"], format="%m/%d/%y")
    return long


def phac(data: Path) -> pd.DataFrame:
    """covid19.csv: DD-MM-YYYY dates; numtotal = cases, numdeaths = deaths."""
    frame = pd.read_csv(data / "phac_canada" / "covid19.csv", encoding="utf-8")
    frame["date"] = pd.to_datetime(frame["date"], format="%d-%m-%Y")
    return frame


def oi(data: Path, name: str, date_columns=("year", "month", "day")) -> pd.DataFrame:
    """An Opportunity Insights file: `.` is missing; the date is split into integer columns."""
    frame = pd.read_csv(data / "oi_economic_tracker" / name, na_values=".")
    parts = frame[list(date_columns)].set_axis(["year", "month", "day"], axis=1)
    frame["date"] = pd.to_datetime(parts)
    return frame


def daily_diffs(frame: pd.DataFrame, key: str, cases: str | None, deaths: str) -> pd.DataFrame:
    """New values, corrections, gaps and 7-day figures, as fct_cases_daily documents them."""
    frame = frame.sort_values([key, "date"]).copy()
    grouped = frame.groupby(key)
    previous_date = grouped["date"].shift()
    frame["days_since_previous_report"] = (frame["date"] - previous_date).dt.days
    frame["is_gap_fill"] = frame["days_since_previous_report"] > 1
    frame["new_deaths"] = grouped[deaths].diff().fillna(frame[deaths])
    falls = grouped[deaths].diff() < 0
    # the 7 days ending on the day, each with a new value covering that day alone
    one_day = (frame["days_since_previous_report"] == 1).astype(int)
    steps = one_day.groupby(frame[key]).transform(lambda s: s.rolling(7).sum())
    death_sums = frame.groupby(key)["new_deaths"].transform(lambda s: s.rolling(7).sum())
    frame["new_deaths_7d_sum"] = death_sums.where(steps == 7)
    frame["new_deaths_7d_avg"] = frame["new_deaths_7d_sum"] / 7
    if cases is None:
        frame["new_cases"] = float("nan")
        frame["new_cases_7d_avg"] = float("nan")
        frame["new_cases_7d_sum"] = float("nan")
    else:
        frame["new_cases"] = grouped[cases].diff().fillna(frame[cases])
        falls |= grouped[cases].diff() < 0
        sums = frame.groupby(key)["new_cases"].transform(lambda s: s.rolling(7).sum())
        frame["new_cases_7d_sum"] = sums.where(steps == 7)
        frame["new_cases_7d_avg"] = frame["new_cases_7d_sum"] / 7
    frame["is_correction"] = falls
    return frame
