"""Which NYT files a load lists: us-counties.csv (no copy survives in the mirror) only when a
folder mirror holds it, always when reading a URL."""

import gzip

from loaders.core.spec import SourceFile
from loaders.sources.nyt_covid.tables import US_COUNTIES
from warehouse.settings import Settings

COUNTIES = "date,county,state,fips,cases,deaths\n2020-03-20,Kent,Delaware,10001,3,0\n"


def test_us_counties_is_listed_only_when_a_folder_mirror_holds_it(mirror, monkeypatch):
    assert US_COUNTIES.files(Settings.from_env()) == []
    official = SourceFile("us-counties.csv", US_COUNTIES.official_url)
    mirror.put("nyt_covid", "us-counties.csv.gz", gzip.compress(COUNTIES.encode()))
    assert US_COUNTIES.files(Settings.from_env()) == [official]
    for elsewhere in ("", "http://mirror.example/data"):
        monkeypatch.setenv("WAREHOUSE_SOURCES", elsewhere)
        assert US_COUNTIES.files(Settings.from_env()) == [official]
    assert official.official_url.endswith("/nytimes/covid-19-data/master/us-counties.csv")
