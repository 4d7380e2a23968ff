"""dim_geography and rpt_unmatched_geographies against the seeds and the mirror's files."""

import json

import pandas as pd
import pytest

from tests.dbt_project.marts import mirror_frames as files
from tests.end_to_end import query

pytestmark = pytest.mark.integration


def county_fips(values: pd.Series) -> pd.Series:
    """JHU's float FIPS (`10001.0`) as five-digit text; null stays null."""
    return values.dropna().astype(int).astype(str).str.zfill(5)


def expected_counties(data) -> set[str]:
    """Five-digit codes of the JHU lookup, JHU deaths and OI GeoIDs files under a seeded state."""
    lookup = pd.read_csv(data / "jhu_csse" / "UID_ISO_FIPS_LookUp_Table.csv")
    lookup = lookup[(lookup["Country_Region"] == "US") & lookup["Admin2"].notna()]
    deaths = files.jhu_county_deaths(data).drop_duplicates("UID")
    deaths = deaths[deaths["Admin2"].notna()]
    oi = pd.read_csv(data / "oi_economic_tracker" / "GeoIDs - County.csv")
    codes = set(county_fips(lookup["FIPS"])) | set(county_fips(deaths["FIPS"]))
    codes |= set(county_fips(oi["countyfips"]))
    states = set(files.state_seed()["state_fips"])
    return {code for code in codes if len(code) == 5 and code[:2] in states}


def test_every_level_holds_what_the_seeds_and_files_hold(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    dim = query(dsn, "select * from marts.dim_geography")
    by_level = {level: rows for level, rows in dim.groupby("geo_level")}
    seed = files.state_seed()
    states = by_level["state"].set_index("geo_id")
    assert set(states.index) == set(seed["state_fips"]) and len(states) == 56
    assert states.loc["10", "geo_code"] == "DE" and states.loc["10", "parent_geo_id"] == "US"
    assert states.loc["10", "population"] == seed.set_index("state_fips").loc["10", "population"]
    nations = by_level["nation"].set_index("geo_id")["population"]
    assert nations["US"] == seed["population"].sum() and nations["CA"] == 38_005_238
    provinces = by_level["province"].set_index("geo_id")
    assert len(provinces) == 13 and set(provinces["parent_geo_id"]) == {"CA"}
    counties = by_level["county"].set_index("geo_id")
    assert set(counties.index) == expected_counties(shared_data)
    assert (counties["parent_geo_id"] == counties.index.str[:2]).all()
    lookup = pd.read_csv(shared_data / "jhu_csse" / "UID_ISO_FIPS_LookUp_Table.csv")
    kent = lookup[lookup["FIPS"] == 10001.0].iloc[0]
    assert counties.loc["10001", "geo_name"] == kent["Admin2"] == "Kent"
    assert counties.loc["10001", "population"] == kent["Population"]
    markers = json.loads((shared_data / "delaware_dhss" / "markers.json").read_text())
    rates = pd.read_csv(shared_data / "delaware_dhss" / "covid_nums.csv", dtype={"Zipcode": str})
    zips = by_level["zip"].set_index("geo_id")
    assert set(zips.index) == set(markers) | set(rates["Zipcode"])
    assert set(zips["parent_geo_id"]) == {"10"}
    assert zips.loc["19901", "latitude"] == pytest.approx(markers["19901"][0])


def test_every_fact_geography_is_in_the_dimension(built_warehouse):
    """The has_geography tests pass (Dagster ran them as checks), and independently: every
    (geo_level, geo_id) of the cases facts is a row of dim_geography."""
    dsn, result = built_warehouse
    checks = [
        evaluation
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name.startswith("has_geography")
    ]
    assert len(checks) >= 10 and all(check.passed for check in checks)
    missing = query(
        dsn,
        "select distinct geo_level, geo_id from marts.fct_cases_daily "
        "except select geo_level, geo_id from marts.dim_geography",
    )
    assert missing.empty


def test_unmatched_jhu_counties_are_reported_not_dropped(built_warehouse, shared_data):
    """Every place of JHU's deaths_US file that is not a county of its named state is a row
    of the report, with its days; together with the county facts they are the whole file."""
    dsn, _ = built_warehouse
    places = files.jhu_county_deaths(shared_data).drop_duplicates("UID")
    seed = files.state_seed()
    places = places.merge(seed, left_on="Province_State", right_on="state_name", how="left")
    code = places["FIPS"].astype("Int64").astype(str)
    code = code.where(places["FIPS"].notna())
    five = code.str.zfill(5)
    is_county = five.str[:2].eq(places["state_fips"]) & (code.str.len() >= 3)
    unmatched = places[~is_county.fillna(False)]
    report = query(
        dsn,
        "select * from marts.rpt_unmatched_geographies "
        "where source_model = 'stg_jhu_csse__county_deaths'",
    )
    assert len(report) == len(unmatched) == 118
    assert set(report["n_rows"]) == {350}  # every day of the file
    reasons = report.groupby("reason").size()
    assert reasons.filter(like="pseudo-county").iloc[0] == 102  # Out of / Unassigned, 51 states
    assert reasons.filter(like="no FIPS code").iloc[0] == 10
    counted = query(
        dsn,
        "select count(distinct geo_id) as n from marts.fct_cases_daily where geo_level = 'county'",
    )
    assert counted["n"].iloc[0] + len(report) == len(places) == 3340


def test_repatriated_travellers_and_cruise_ships_are_reported(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    report = query(dsn, "select * from marts.rpt_unmatched_geographies").set_index(
        ["source_model", "source_key"]
    )
    phac = files.phac(shared_data)
    travellers = report.loc[("stg_phac_canada__regions", "99")]
    assert travellers["n_rows"] == (phac["pruid"] == 99).sum() > 0
    canada = report.loc["stg_jhu_csse__global_cases"]
    assert set(canada.index) == {"Diamond Princess", "Grand Princess", "Repatriated Travellers"}
