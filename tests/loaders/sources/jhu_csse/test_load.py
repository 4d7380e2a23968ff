"""JHU CSSE loaders: the wide time series unpivoted, FIPS as text, the national row's key, a
corpus of bad files, the daily reports dated by file name, and every real file of the mirror."""

import gzip
import re
from dataclasses import replace
from datetime import date

import pandas as pd
import psycopg
import pytest

from loaders.core.errors import LoadError, StructuralError
from loaders.core.load import load_table
from loaders.sources import jhu_csse
from loaders.sources.jhu_csse.daily_reports import DAILY_REPORTS_US, list_reports
from loaders.sources.jhu_csse.time_series import (
    CONFIRMED_GLOBAL,
    DEATHS_GLOBAL,
    DEATHS_US,
    UID_LOOKUP,
)
from warehouse.settings import Settings, SettingsError

JHU = "jhu_csse"
D = date
GLOBAL_HEAD = "Province/State,Country/Region,Lat,Long,1/22/20,1/23/20,1/24/20\n"
GLOBAL = GLOBAL_HEAD + (
    "Alberta,Canada,53.9333,-116.5765,0,1,3\n"
    "Repatriated Travellers,Canada,,,0,0,2\n"
    ",US,40.0,-100.0,1,1,5\n"
)
US_HEAD = (
    "UID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,Lat,Long_,Combined_Key,"
    "Population,1/22/20,1/23/20\n"
)
KENT = '84010001,US,USA,840,10001.0,Kent,Delaware,US,39.08,-75.56,"Kent, Delaware, US",180786'
US = US_HEAD + (
    f"{KENT},0,1\n"
    '84001001,US,USA,840,1001.0,Autauga,Alabama,US,32.5,-86.6,"Autauga, Alabama, US",55869,'
    "2,2\n"
    '84080010,US,USA,840,80010.0,Out of DE,Delaware,US,0.0,0.0,"Out of DE, Delaware, US",0,'
    "0,3\n"
    '84090010,US,USA,840,90010.0,Unassigned,Delaware,US,0.0,0.0,"Unassigned, Delaware, US",0,'
    "4,1\n"  # cumulative values fall (reassignments): kept as published
    "84070002,US,USA,840,,Dukes and Nantucket,Massachusetts,US,41.4,-70.7,"
    '"Dukes and Nantucket,Massachusetts,US",0,0,\n'  # a blank cell is null
    '16,AS,ASM,16,60.0,,American Samoa,US,-14.27,-170.13,"American Samoa, US",55641,0,0\n'
)
REPORT_HEAD = (
    "Province_State,Country_Region,Last_Update,Lat,Long_,Confirmed,Deaths,Recovered,Active,"
    "FIPS,Incident_Rate,Total_Test_Results,People_Hospitalized,Case_Fatality_Ratio,UID,ISO3,"
    "Testing_Rate,Hospitalization_Rate\n"
)
REPORT = REPORT_HEAD + (
    "Alabama,US,2021-01-05 05:30:33,32.3182,-86.9023,374095,4878,202137.0,167080.0,1.0,"
    "7629.63,1903388.0,,1.30,84000001.0,USA,38819.42,\n"
    "Diamond Princess,US,2021-01-05 05:30:33,,,49,0,,49.0,88888.0,,,,0.0,84088888.0,USA,,\n"
)
OLD_REPORT = (  # the 2020 layout: People_Tested and Mortality_Rate, integers, a negative Active
    "Province_State,Country_Region,Last_Update,Lat,Long_,Confirmed,Deaths,Recovered,Active,"
    "FIPS,Incident_Rate,People_Tested,People_Hospitalized,Mortality_Rate,UID,ISO3,"
    "Testing_Rate,Hospitalization_Rate\n"
    "Alabama,US,2020-04-12 23:18:15,32.3182,-86.9023,3667,93,,3470,1,75.98,21583,437,2.61,"
    "84000001,USA,460.30,12.26\n"
    "Recovered,US,,,,0,0,32988,-32988,,,,,,84070001,USA,,\n"
)


def query(dsn, sql):
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()


def current(dsn, spec, columns, order="1, 2"):
    table = f"raw.{spec.table}"
    return query(
        dsn, f"select {columns} from {table} where _superseded_load_id is null order by {order}"
    )


def rejects(dsn):
    return query(dsn, "select line_number, raw_line, reason from meta.rejected_rows order by 1, 3")


def load(spec, dsn, mirror, content, path=None, **changes):
    mirror.put(JHU, path or spec.file_name, content)
    return load_table(
        replace(spec, **changes) if changes else spec, dsn, mirror.settings, force=True
    )


# The wide time series ---------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [CONFIRMED_GLOBAL, DEATHS_GLOBAL])
def test_global_series_unpivot_and_the_national_row_is_keyed_on_the_country(dsn, mirror, spec):
    [result] = load(spec, dsn, mirror, GLOBAL)
    assert (result.status, result.rows_read, result.rows_rejected) == ("succeeded", 9, 0)
    measure = spec.contract.names[-1]
    rows = current(
        dsn, spec, f"combined_key, date, province_state, country_region, lat, long, {measure}"
    )
    alberta = ("Alberta, Canada", "Alberta", "Canada", 53.9333, -116.5765)
    travellers = ("Repatriated Travellers, Canada", "Repatriated Travellers", "Canada", None, None)
    us = ("US", None, "US", 40.0, -100.0)
    days = [D(2020, 1, 22), D(2020, 1, 23), D(2020, 1, 24)]
    expected = [
        (key, day, *rest, value)
        for (key, *rest), values in [(alberta, (0, 1, 3)), (travellers, (0, 0, 2)), (us, (1, 1, 5))]
        for day, value in zip(days, values, strict=True)
    ]
    assert rows == expected


def test_us_deaths_unpivot_with_fips_as_text_and_pseudo_counties_kept(dsn, mirror):
    [result] = load(DEATHS_US, dsn, mirror, US)
    assert (result.rows_read, result.rows_loaded, result.extra_columns) == (12, 12, [])
    columns = "uid, fips, admin2, province_state, country_region, population, date, deaths"
    rows = current(dsn, DEATHS_US, columns, order="uid, date")
    day1, day2 = D(2020, 1, 22), D(2020, 1, 23)
    assert rows == [
        (16, "60", None, "American Samoa", "US", 55641, day1, 0),
        (16, "60", None, "American Samoa", "US", 55641, day2, 0),
        (84001001, "01001", "Autauga", "Alabama", "US", 55869, day1, 2),
        (84001001, "01001", "Autauga", "Alabama", "US", 55869, day2, 2),
        (84010001, "10001", "Kent", "Delaware", "US", 180786, day1, 0),
        (84010001, "10001", "Kent", "Delaware", "US", 180786, day2, 1),
        (84070002, None, "Dukes and Nantucket", "Massachusetts", "US", 0, day1, 0),
        (84070002, None, "Dukes and Nantucket", "Massachusetts", "US", 0, day2, None),
        (84080010, "80010", "Out of DE", "Delaware", "US", 0, day1, 0),
        (84080010, "80010", "Out of DE", "Delaware", "US", 0, day2, 3),
        (84090010, "90010", "Unassigned", "Delaware", "US", 0, day1, 4),
        (84090010, "90010", "Unassigned", "Delaware", "US", 0, day2, 1),
    ]


def test_the_gzip_copy_loads_and_an_unchanged_file_is_skipped(dsn, mirror):
    mirror.put(JHU, f"{DEATHS_US.file_name}.gz", gzip.compress(US.encode()))
    [first] = load_table(DEATHS_US, dsn, mirror.settings)
    [second] = load_table(DEATHS_US, dsn, mirror.settings)
    assert (first.status, first.rows_added, second.status) == ("succeeded", 12, "unchanged")


def test_a_revised_file_adds_versions_only_for_changed_values(dsn, mirror):
    load(DEATHS_US, dsn, mirror, US_HEAD + f"{KENT},0,1\n")
    [revised] = load(DEATHS_US, dsn, mirror, US_HEAD.replace("1/23/20", "1/23/20,1/24/20") + (
        f"{KENT},0,2,2\n"
    ))  # fmt: skip
    assert (revised.rows_added, revised.rows_changed) == (1, 1)
    assert query(
        dsn,
        f"select date, deaths, _superseded_load_id is null from raw.{DEATHS_US.table} "
        "order by date, _load_id",
    ) == [
        (D(2020, 1, 22), 0, True),
        (D(2020, 1, 23), 1, False),
        (D(2020, 1, 23), 2, True),
        (D(2020, 1, 24), 2, True),
    ]


KENT_LINE = f"{KENT},0,1"
BAD_US_FILES = [
    pytest.param(f"{KENT},0,x\n",
                 [(2, f"{KENT},0,x", "deaths: an integer expected, found x (column 1/23/20)")],
                 id="bad-number-in-a-day-column"),
    pytest.param(f"{KENT},1.5,1\n",
                 [(2, f"{KENT},1.5,1", "deaths: an integer expected, found 1.5 (column 1/22/20)")],
                 id="fractional-value"),
    pytest.param(f"{KENT},-1,1\n",
                 [(2, f"{KENT},-1,1", "deaths: an integer expected, found -1 (column 1/22/20)")],
                 id="negative-cumulative-value"),
    pytest.param(f"{KENT_LINE.replace('84010001', '8401OOO1')}\n",
                 [(2, KENT_LINE.replace("84010001", "8401OOO1"),
                   "uid: an integer expected, found 8401OOO1")] * 2,
                 id="bad-uid-rejects-every-day-of-the-place"),
    pytest.param(f"{KENT_LINE.replace(',Delaware,', ',,')}\n",
                 [(2, KENT_LINE.replace(",Delaware,", ",,"), "missing province_state")] * 2,
                 id="missing-state"),
    pytest.param(f"{KENT},0,1,7\n",
                 [(2, f"{KENT},0,1,7", "expected 14 fields, found 15")],
                 id="extra-field"),
    pytest.param(f"{KENT},0,1\n{KENT},0,2\n",
                 [(3, f"{KENT},0,2", "duplicate key (uid, date): first seen on line 2")] * 2,
                 id="duplicate-place"),
]  # fmt: skip


@pytest.mark.parametrize(("lines", "expected"), BAD_US_FILES)
def test_a_bad_row_or_cell_is_quarantined_and_the_rest_lands(dsn, mirror, lines, expected):
    good = '84001001,US,USA,840,1001.0,Autauga,Alabama,US,32.5,-86.6,"Autauga, AL, US",55869,2,3'
    [result] = load(DEATHS_US, dsn, mirror, f"{US_HEAD}{lines}{good}\n", reject_threshold=1.0)
    assert result.rows_rejected == len(expected)
    assert rejects(dsn) == expected
    kept = current(dsn, DEATHS_US, "uid, date, deaths")
    assert [row for row in kept if row[0] == 84001001] == [
        (84001001, D(2020, 1, 22), 2),
        (84001001, D(2020, 1, 23), 3),
    ]
    kent = {(day, deaths) for uid, day, deaths in kept if uid == 84010001}
    if "column 1/23/20" in expected[0][2]:
        assert kent == {(D(2020, 1, 22), 0)}  # the other day of the place still lands
    if "duplicate" in expected[0][2]:
        assert kent == {(D(2020, 1, 22), 0), (D(2020, 1, 23), 1)}  # the first one wins


def test_above_the_threshold_nothing_lands(dsn, mirror):
    with pytest.raises(LoadError, match=re.escape("1 of 12 rows broke the contract")):
        load(DEATHS_US, dsn, mirror, US.replace("55641,0,0", "55641,0,?"))
    assert query(dsn, f"select count(*) from raw.{DEATHS_US.table}") == [(0,)]
    assert query(dsn, "select reason from meta.rejected_rows") == [
        ("deaths: an integer expected, found ? (column 1/23/20)",)
    ]


BAD_HEADERS = [
    pytest.param(US_HEAD.replace("1/23/20", "1/32/20"),
                 "column 14 '1/32/20': expected a date header M/D/YY, found an impossible date",
                 id="impossible-date-header"),
    pytest.param(US_HEAD.replace("1/23/20", "1/23/20x"),
                 "column 14 '1/23/20x': expected a date header M/D/YY like every column from "
                 "'1/22/20' on", id="garbled-date-header"),
    pytest.param(US_HEAD.replace("1/23/20", "Total"),
                 "column 14 'Total': expected a date header", id="column-after-the-dates"),
    pytest.param(US_HEAD.replace("1/23/20", "01/22/2020"),
                 "columns '1/22/20' and '01/22/2020' (column 14) both hold 2020-01-22",
                 id="same-day-twice"),
    pytest.param(US_HEAD.replace(",1/22/20,1/23/20", ",Deaths,Total"),
                 "expected one column per day headed M/D/YY", id="no-date-columns"),
    pytest.param(US_HEAD.replace("Population,", "Pop,"), "missing column 'Population'",
                 id="missing-place-column"),
]  # fmt: skip


@pytest.mark.parametrize(("header", "error"), BAD_HEADERS)
def test_a_broken_header_fails_the_load_and_writes_nothing(dsn, mirror, header, error):
    with pytest.raises(LoadError, match=re.escape(error)):
        load(DEATHS_US, dsn, mirror, f"{header}{KENT},0,1\n")
    assert query(dsn, f"select count(*) from raw.{DEATHS_US.table}") == [(0,)]
    [(status, logged)] = query(dsn, "select status, error from meta.load_log")
    assert status == "failed" and logged.startswith(f"{JHU}/{DEATHS_US.file_name}: {error}")
    assert query(dsn, "select count(*) from meta.rejected_rows") == [(0,)]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(b"", "found an empty file", id="empty"),
        pytest.param(b"<html><body>Rate limited</body></html>\n", "found an HTML", id="html"),
        pytest.param(gzip.compress(US.encode())[:-30], "truncated or corrupt", id="truncated"),
    ],
)
def test_structural_faults_fail_with_one_line(dsn, mirror, content, error):
    mirror.put(JHU, f"{DEATHS_US.file_name}.gz" if content[:2] == b"\x1f\x8b" else
               DEATHS_US.file_name, content)  # fmt: skip
    with pytest.raises(LoadError, match=error):
        load_table(DEATHS_US, dsn, mirror.settings)
    assert query(dsn, f"select count(*) from raw.{DEATHS_US.table}") == [(0,)]


def test_a_new_place_column_is_reported_and_dates_in_the_future_are_rejected(dsn, mirror):
    content = US_HEAD.replace("Population,", "Population,Region,").replace("1/23/20", "1/23/99")
    [result] = load(DEATHS_US, dsn, mirror, content + f"{KENT},South,0,1\n", reject_threshold=1.0)
    assert result.extra_columns == ["Region"]
    assert current(dsn, DEATHS_US, "uid, date, deaths") == [(84010001, D(2020, 1, 22), 0)]
    assert [reason for *_, reason in rejects(dsn)] == ["date in the future: 2099-01-23"]


# The UID lookup ---------------------------------------------------------------------------------


def test_uid_lookup_pads_fips_by_kind_of_place(dsn, mirror):
    head = "UID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,Lat,Long_,Combined_Key,"
    content = head + "Population\n" + (
        "124,CA,CAN,124,,,,Canada,60,-95,Canada,37855702\n"
        '12413,CA,CAN,124,,,Diamond Princess,Canada,,,"Diamond Princess, Canada",\n'
        '84000001,US,USA,840,1,,Alabama,US,32.3182,-86.9023,"Alabama, US",4903185\n'
        '84001001,US,USA,840,1001,Autauga,Alabama,US,32.54,-86.64,"Autauga, Alabama, US",55869\n'
        '84080010,US,USA,840,80010,Out of DE,Delaware,US,,,"Out of DE, Delaware, US",\n'
    )  # fmt: skip
    [result] = load(UID_LOOKUP, dsn, mirror, content)
    assert (result.rows_loaded, result.rows_rejected) == (5, 0)
    assert current(dsn, UID_LOOKUP, "uid, fips, province_state, combined_key, population") == [
        (124, None, None, "Canada", 37855702),
        (12413, None, "Diamond Princess", "Diamond Princess, Canada", None),
        (84000001, "01", "Alabama", "Alabama, US", 4903185),
        (84001001, "01001", "Alabama", "Autauga, Alabama, US", 55869),
        (84080010, "80010", "Delaware", "Out of DE, Delaware, US", None),
    ]


# The daily US state reports --------------------------------------------------------------------

REPORTS = "csse_covid_19_daily_reports_us"


def test_daily_reports_take_their_date_from_the_file_name(dsn, mirror):
    mirror.put(JHU, f"{REPORTS}/04-12-2020.csv", OLD_REPORT)
    mirror.put(JHU, f"{REPORTS}/01-05-2021.csv.gz", gzip.compress(REPORT.encode()))
    mirror.put(JHU, f"{REPORTS}/README.md", "not a report")
    results = load_table(DAILY_REPORTS_US, dsn, mirror.settings)
    assert [(r.file_name, r.rows_loaded, r.rows_rejected) for r in results] == [
        (f"{REPORTS}/04-12-2020.csv", 2, 0),
        (f"{REPORTS}/01-05-2021.csv", 2, 0),
    ]
    assert query(dsn, "select vintage from meta.load_log order by load_id") == [
        ("2020-04-12",),
        ("2021-01-05",),
    ]
    columns = (
        "report_date, province_state, last_update, confirmed, recovered, active, fips, uid, "
        "total_test_results, people_tested, people_hospitalized, mortality_rate, "
        "case_fatality_ratio, hospitalization_rate"
    )
    assert current(dsn, DAILY_REPORTS_US, columns) == [
        (D(2020, 4, 12), "Alabama", "2020-04-12 23:18:15", 3667, None, 3470, "01", 84000001,
         None, 21583, 437, 2.61, None, 12.26),
        (D(2020, 4, 12), "Recovered", None, 0, 32988, -32988, None, 84070001,
         None, None, None, None, None, None),
        (D(2021, 1, 5), "Alabama", "2021-01-05 05:30:33", 374095, 202137, 167080, "01", 84000001,
         1903388, None, None, None, 1.30, None),
        (D(2021, 1, 5), "Diamond Princess", "2021-01-05 05:30:33", 49, None, 49, "88888",
         84088888, None, None, None, None, 0.0, None),
    ]  # fmt: skip


def test_a_report_file_not_named_by_its_date_fails_the_listing(mirror):
    mirror.put(JHU, f"{REPORTS}/2021-01-05.csv", REPORT)
    with pytest.raises(StructuralError, match="expected a daily report named MM-DD-YYYY.csv"):
        DAILY_REPORTS_US.files(Settings.from_env())


def test_a_folder_mirror_without_reports_lists_none(mirror):
    assert DAILY_REPORTS_US.files(Settings.from_env()) == []


@pytest.mark.parametrize("where", ["", "http://mirror.example/data"])
def test_without_a_folder_the_last_days_of_the_publication_are_listed(monkeypatch, where):
    monkeypatch.setenv("WAREHOUSE_SOURCES", where)
    monkeypatch.setenv("JHU_CSSE_DAILY_REPORT_DAYS", "3")
    files = list_reports(DAILY_REPORTS_US, Settings.from_env(), today=D(2021, 1, 10))
    assert [(f.relative_path, f.vintage) for f in files] == [
        (f"{REPORTS}/01-07-2021.csv", "2021-01-07"),
        (f"{REPORTS}/01-08-2021.csv", "2021-01-08"),
        (f"{REPORTS}/01-09-2021.csv", "2021-01-09"),  # up to yesterday
    ]
    assert files[0].official_url == (
        "https://raw.githubusercontent.com/CSSEGISandData/COVID-19/master/csse_covid_19_data/"
        f"{REPORTS}/01-07-2021.csv"
    )
    late = list_reports(DAILY_REPORTS_US, Settings.from_env(), today=D(2026, 1, 1))
    assert [f.vintage for f in late] == ["2023-03-07", "2023-03-08", "2023-03-09"]
    early = list_reports(DAILY_REPORTS_US, Settings.from_env(), today=D(2020, 4, 14))
    assert [f.vintage for f in early] == ["2020-04-12", "2020-04-13"]
    monkeypatch.setenv("JHU_CSSE_DAILY_REPORT_DAYS", "all")
    every = list_reports(DAILY_REPORTS_US, Settings.from_env(), today=D(2026, 1, 1))
    assert len(every) == (D(2023, 3, 9) - D(2020, 4, 12)).days + 1
    monkeypatch.setenv("JHU_CSSE_DAILY_REPORT_DAYS", "last week")
    with pytest.raises(SettingsError, match="expected a number of days or 'all'"):
        Settings.from_env()


def test_a_revised_report_adds_versions_only_for_its_changed_rows(dsn, mirror):
    mirror.put(JHU, f"{REPORTS}/01-05-2021.csv", REPORT)
    load_table(DAILY_REPORTS_US, dsn, mirror.settings)
    mirror.put(JHU, f"{REPORTS}/01-05-2021.csv", REPORT.replace(",374095,4878,", ",374100,4878,"))
    [revised] = load_table(DAILY_REPORTS_US, dsn, mirror.settings)
    assert (revised.rows_added, revised.rows_changed) == (0, 1)
    assert current(dsn, DAILY_REPORTS_US, "province_state, confirmed") == [
        ("Alabama", 374100),
        ("Diamond Princess", 49),
    ]


# Integration: every file of the real mirror ----------------------------------------------------

DATE_HEADER = re.compile(r"\d{1,2}/\d{1,2}/\d{2}")


def expected_counts(folder):
    """Raw rows per table, counted from the files themselves (places x day columns)."""

    def read(path):
        return pd.read_csv(path, dtype=str, keep_default_na=False)

    counts = {}
    for spec, name in [
        (CONFIRMED_GLOBAL, CONFIRMED_GLOBAL.file_name),
        (DEATHS_GLOBAL, DEATHS_GLOBAL.file_name),
        (DEATHS_US, f"{DEATHS_US.file_name}.gz"),
    ]:
        frame = read(folder / name)
        days = [c for c in frame.columns if DATE_HEADER.fullmatch(c)]
        counts[spec.table] = len(frame) * len(days)
    counts[UID_LOOKUP.table] = len(read(folder / UID_LOOKUP.file_name))
    reports = sorted((folder / REPORTS).glob("*.csv"))
    counts[DAILY_REPORTS_US.table] = sum(len(read(path)) for path in reports)
    return counts


@pytest.mark.integration
def test_every_real_jhu_file_lands_with_no_rejects(dsn, shared_data, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_SOURCES", str(shared_data))
    folder = shared_data / JHU
    for spec in jhu_csse.TABLES:
        load_table(spec, dsn, Settings.from_env())
    on_disk = {
        p.relative_to(folder).as_posix().removesuffix(".gz")
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] != "slices"
    }
    logged = query(dsn, "select file_name, status, rows_rejected from meta.load_log")
    assert {name for name, _, _ in logged} == on_disk
    assert {(status, rejected) for _, status, rejected in logged} == {("succeeded", 0)}
    assert query(dsn, "select count(*) from meta.rejected_rows") == [(0,)]

    found = {
        spec.table: query(
            dsn, f"select count(*) from raw.{spec.table} where _superseded_load_id is null"
        )[0][0]
        for spec in jhu_csse.TABLES
    }
    assert found == expected_counts(folder)

    us_deaths = pd.read_csv(folder / f"{DEATHS_US.file_name}.gz", dtype=str)
    last_day = us_deaths.columns[-1]
    assert last_day == "1/5/21"
    assert query(
        dsn, f"select sum(deaths) from raw.{DEATHS_US.table} where date = '2021-01-05'"
    ) == [(int(us_deaths[last_day].astype(int).sum()),)]
    assert query(
        dsn,
        f"select admin2, fips from raw.{DEATHS_US.table} where date = '2020-01-22' "
        "and admin2 in ('Out of DE', 'Unassigned') and province_state = 'Delaware' order by 1",
    ) == [("Out of DE", "80010"), ("Unassigned", "90010")]
    assert query(
        dsn,
        f"select combined_key, province_state from raw.{CONFIRMED_GLOBAL.table} "
        "where country_region = 'US' group by 1, 2",
    ) == [("US", None)]
    again = [
        r.status for spec in jhu_csse.TABLES for r in load_table(spec, dsn, Settings.from_env())
    ]
    assert set(again) == {"unchanged"}
