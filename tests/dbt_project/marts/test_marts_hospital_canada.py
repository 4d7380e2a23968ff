"""fct_hospital_daily, fct_canada_source_reconciliation and fct_tests_vaccinations_daily
against values computed here from the mirror's HHS, PHAC, JHU and OI files."""

import numpy as np
import pandas as pd
import pytest

from tests.dbt_project.marts import mirror_frames as files
from tests.end_to_end import query

pytestmark = pytest.mark.integration

HHS_FILE = "COVID-19_Reported_Patient_Impact_and_Hospital_Capacity_by_State_Timeseries.csv"


def assert_close(merged: pd.DataFrame, pairs: dict[str, str]) -> None:
    """Each expected column equals its mart column (NaN equals null)."""
    for want_column, got_column in pairs.items():
        want = pd.to_numeric(merged[want_column], errors="coerce").astype(float)
        got = pd.to_numeric(merged[got_column], errors="coerce").astype(float)
        same = np.isclose(want, got, rtol=1e-9, atol=1e-9, equal_nan=True)
        assert same.all(), (want_column, merged.loc[~same].head())


def hhs(data) -> pd.DataFrame:
    """The HHS file: a BOM, YYYY/MM/DD dates, quoted thousands separators."""
    frame = pd.read_csv(data / "hhs_hospital" / HHS_FILE, encoding="utf-8-sig", thousands=",")
    frame["date"] = pd.to_datetime(frame["date"], format="%Y/%m/%d")
    return frame


def test_every_hospital_row_matches_the_hhs_file(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    expected = hhs(shared_data).merge(
        files.state_seed(), left_on="state", right_on="state_abbreviation"
    )
    adult = expected["total_adult_patients_hospitalized_confirmed_covid"]
    pediatric = expected["total_pediatric_patients_hospitalized_confirmed_covid"]
    expected["inpatients"] = adult + pediatric  # NaN unless both are published
    expected["inpatients_per_100k"] = expected["inpatients"] * 100_000 / expected["population"]
    expected["icu_per_100k"] = (
        expected["staffed_icu_adult_patients_confirmed_covid"] * 100_000 / expected["population"]
    )
    expected["used_share"] = (
        expected["inpatient_beds_utilization_numerator"]
        / expected["inpatient_beds_utilization_denominator"]
    )
    mart = query(dsn, "select * from marts.fct_hospital_daily")
    mart["date"] = pd.to_datetime(mart["report_date"])
    assert len(mart) == len(expected) == 3541
    merged = expected.merge(
        mart, on=["state_fips", "date"], how="outer", indicator=True, suffixes=("_file", "")
    )
    assert (merged["_merge"] == "both").all()
    assert_close(
        merged,
        {
            "inpatients": "covid_inpatients",
            "staffed_icu_adult_patients_confirmed_covid": "adult_covid_icu_patients",
            "inpatients_per_100k": "covid_inpatients_per_100k",
            "icu_per_100k": "adult_covid_icu_patients_per_100k",
            "used_share": "inpatient_beds_used_share",
            "inpatient_beds_file": "inpatient_beds",
            "deaths_covid": "covid_deaths",
        },
    )
    # a day read by hand from the file: Pennsylvania, 2021/04/15
    row = mart[(mart["state_abbreviation"] == "PA") & (mart["date"] == "2021-04-15")].iloc[0]
    assert row["covid_inpatients"] == 2663 + 38 and row["adult_covid_icu_patients"] == 580
    assert row["inpatient_beds_used_share"] == pytest.approx(27410 / 33373)


def jhu_canada(data) -> pd.DataFrame:
    """JHU's global confirmed and deaths files, Canada rows, one row per place per day."""
    frames = []
    for name, value in [("confirmed", "cases"), ("deaths", "deaths")]:
        wide = pd.read_csv(data / "jhu_csse" / f"time_series_covid19_{name}_global.csv")
        wide = wide[wide["Country/Region"] == "Canada"].drop(columns=["Lat", "Long"])
        long = wide.melt(id_vars=["Province/State", "Country/Region"], var_name="date")
        long["date"] = pd.to_datetime(long["date"], format="%m/%d/%y")
        frames.append(long.rename(columns={"value": value}).set_index(["Province/State", "date"]))
    return frames[0][["cases"]].join(frames[1][["deaths"]]).reset_index()


def test_canada_reconciliation_matches_phac_against_jhu(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    regions = pd.read_csv(files.ROOT / "seeds" / "canada_regions.csv")
    phac = files.phac(shared_data).merge(regions, on="pruid")
    jhu = jhu_canada(shared_data)
    provinces = jhu.merge(regions, left_on="Province/State", right_on="region_name")
    provinces["comparison"] = "phac_vs_jhu_province"
    canada = jhu.groupby("date")[["cases", "deaths"]].sum().reset_index()
    canada["geo_id"], canada["comparison"] = "CA", "phac_vs_jhu_canada_sum"
    compared = pd.concat([provinces[["geo_id", "date", "comparison", "cases", "deaths"]], canada])
    both = compared.merge(phac, on=["geo_id", "date"])
    expected = pd.concat(
        [
            both.assign(metric="cases", primary=both["numtotal"], compared=both["cases"]),
            both.assign(metric="deaths", primary=both["numdeaths"], compared=both["deaths"]),
        ]
    ).dropna(subset=["primary", "compared"])
    expected["difference"] = expected["compared"] - expected["primary"]
    expected["beyond"] = expected["difference"].abs() > np.maximum(
        0.05 * expected["primary"].abs(), 10
    )
    mart = query(dsn, "select * from marts.fct_canada_source_reconciliation")
    mart["date"] = pd.to_datetime(mart["report_date"])
    keys = ["geo_id", "date", "comparison", "metric"]
    merged = expected.merge(mart, on=keys, how="outer", indicator=True, suffixes=("_expected", ""))
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][keys].head()
    assert len(mart) == len(expected) > 200
    assert_close(merged, {"primary": "primary_value", "compared": "compared_value"})
    assert_close(merged, {"difference_expected": "difference"})
    assert (merged["beyond"] == merged["is_beyond_tolerance"]).all()
    assert merged["beyond"].sum() > 0  # the sources do disagree on some days


def test_tests_and_vaccinations_match_the_oi_file(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    expected = files.oi(shared_data, "COVID - State - Daily.csv")
    expected["state_fips"] = expected["statefips"].astype(int).astype(str).str.zfill(2)
    mart = query(dsn, "select * from marts.fct_tests_vaccinations_daily")
    mart["date"] = pd.to_datetime(mart["report_date"])
    assert len(mart) == len(expected) == 34_935
    merged = expected.merge(mart, on=["state_fips", "date"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    assert_close(
        merged,
        {
            "new_test_count": "tests_new",
            "test_rate": "tests_cumulative_per_100k",
            "vaccine_count": "first_doses_cumulative",
            "fullvaccine_rate": "fully_vaccinated_cumulative_per_100",
        },
    )
    assert mart["first_doses_cumulative"].notna().sum() > 10_000
