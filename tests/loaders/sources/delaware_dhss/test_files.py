"""Which Delaware files a load lists: the per-ZIP downloads a folder mirror holds (or those
DELAWARE_ZIP_CODES names), and the undated snapshot with the date of its commit."""

from loaders.sources.delaware_dhss.tables import ZIP_CASE_RATES, ZIP_CASES
from tests.loaders.sources.delaware_dhss.files import DOWNLOAD_HEADER
from warehouse.settings import Settings


def test_zip_downloads_are_listed_only_when_present(mirror, monkeypatch):
    assert ZIP_CASES.files(Settings.from_env()) == []
    mirror.put("delaware_dhss", "zip-code-19702/download_covid_19_data/cases", DOWNLOAD_HEADER)
    mirror.put("delaware_dhss", "zip-code-19701/download_covid_19_data/cases.gz", b"")
    assert [f.relative_path for f in ZIP_CASES.files(Settings.from_env())] == [
        "zip-code-19701/download_covid_19_data/cases",
        "zip-code-19702/download_covid_19_data/cases",
    ]
    monkeypatch.delenv("WAREHOUSE_SOURCES")
    monkeypatch.setenv("DELAWARE_ZIP_CODES", "19947, 19701")
    assert [f.official_url for f in ZIP_CASES.files(Settings.from_env())] == [
        "https://myhealthycommunity.dhss.delaware.gov/locations/zip-code-19947/download_covid_19_data/cases",
        "https://myhealthycommunity.dhss.delaware.gov/locations/zip-code-19701/download_covid_19_data/cases",
    ]


def test_the_zip_snapshot_is_dated_by_the_commit_that_holds_it(mirror):
    [snapshot] = ZIP_CASE_RATES.files(mirror.settings)
    assert (snapshot.relative_path, snapshot.vintage) == ("covid_nums.csv", "2021-01-19")
