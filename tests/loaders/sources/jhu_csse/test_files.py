"""Which JHU daily reports a load lists: every one a folder mirror holds, dated by its name;
from a URL, the last days of the publication."""

import gzip
from datetime import date

import pytest

from loaders.core.errors import StructuralError
from loaders.sources.jhu_csse.daily_reports import DAILY_REPORTS_US, list_reports
from tests.loaders.sources.jhu_csse.files import OLD_REPORT, REPORT, REPORTS
from warehouse.settings import Settings, SettingsError

D = date


def test_a_folder_mirror_lists_its_reports_by_date_with_their_vintage(mirror):
    mirror.put("jhu_csse", f"{REPORTS}/04-12-2020.csv", OLD_REPORT)
    mirror.put("jhu_csse", f"{REPORTS}/01-05-2021.csv.gz", gzip.compress(REPORT.encode()))
    mirror.put("jhu_csse", f"{REPORTS}/README.md", "not a report")
    assert [(f.relative_path, f.vintage) for f in DAILY_REPORTS_US.files(mirror.settings)] == [
        (f"{REPORTS}/04-12-2020.csv", "2020-04-12"),
        (f"{REPORTS}/01-05-2021.csv", "2021-01-05"),
    ]


def test_a_report_file_not_named_by_its_date_fails_the_listing(mirror):
    mirror.put("jhu_csse", f"{REPORTS}/2021-01-05.csv", REPORT)
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
