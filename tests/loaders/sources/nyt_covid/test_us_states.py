import psycopg

from loaders.core.load import load_table
from loaders.sources.nyt_covid.tables import US_STATES

ORIGINAL = "date,state,fips,cases,deaths\n2020-03-11,Delaware,10,1,0\n2020-03-12,Delaware,10,4,0\n"
RESAVED = "date,state,fips,cases,deaths\r\n3/11/2020,Delaware,10,1,0\r\n3/12/2020,Alabama,1,4,0\r\n"


def rows(dsn):
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select date::text, fips, cases from raw.nyt_covid__us_states "
            "where _superseded_load_id is null order by date, fips"
        ).fetchall()


def test_both_layouts_land_with_padded_fips(dsn, mirror):
    mirror.put("nyt_covid", "us-states.csv", RESAVED)
    [result] = load_table(US_STATES, dsn, mirror.settings)
    assert result.status == "succeeded"
    assert rows(dsn) == [("2020-03-11", "10", 1), ("2020-03-12", "01", 4)]


def test_loading_the_same_file_twice_changes_nothing(dsn, mirror):
    mirror.put("nyt_covid", "us-states.csv", ORIGINAL)
    load_table(US_STATES, dsn, mirror.settings)
    before = rows(dsn)
    [again] = load_table(US_STATES, dsn, mirror.settings, force=True)
    assert (again.rows_added, again.rows_changed) == (0, 0)
    assert rows(dsn) == before
