"""Loading the NYT files into Postgres: a reload changes nothing, a bad file lands nothing, and
a folder mirror without us-counties.csv loads nothing (how the files are read: test_parse.py)."""

import re
from dataclasses import replace

import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.sources.nyt_covid.tables import US_COUNTIES, US_STATES

NYT = "nyt_covid"
STATES = "date,state,fips,cases,deaths\n2020-03-11,Delaware,10,1,0\n2020-03-12,Delaware,10,4,0\n"
HEAD = "date,county,state,fips,cases,deaths\n"
GOOD = "2020-03-20,Kent,Delaware,10001,3,0"


def query(dsn, sql):
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()


def current_states(dsn):
    return query(
        dsn,
        "select date::text, fips, cases from raw.nyt_covid__us_states "
        "where _superseded_load_id is null order by date, fips",
    )


def load_counties(dsn, mirror, content, **changes):
    mirror.put(NYT, US_COUNTIES.file_name, content)
    spec = replace(US_COUNTIES, **changes) if changes else US_COUNTIES
    return load_table(spec, dsn, mirror.settings, force=True)


def test_loading_the_same_file_twice_changes_nothing(dsn, mirror):
    mirror.put(NYT, "us-states.csv", STATES)
    load_table(US_STATES, dsn, mirror.settings)
    before = current_states(dsn)
    [again] = load_table(US_STATES, dsn, mirror.settings, force=True)
    assert (again.rows_added, again.rows_changed) == (0, 0)
    assert current_states(dsn) == before


def test_a_structural_fault_fails_the_load_and_writes_nothing(dsn, mirror):
    with pytest.raises(LoadError, match=re.escape("missing column 'county'")):
        load_counties(dsn, mirror, HEAD.replace("county,", "") + GOOD + "\n")
    assert query(dsn, "select count(*) from raw.nyt_covid__us_counties") == [(0,)]
    assert query(dsn, "select status from meta.load_log") == [("failed",)]


def test_above_the_threshold_nothing_lands(dsn, mirror):
    with pytest.raises(LoadError, match="1 of 2 rows broke the contract"):
        load_counties(dsn, mirror, f"{HEAD}{GOOD}\n2020-03-20,Sussex,Delaware,10005,x,0\n")
    assert query(dsn, "select count(*) from raw.nyt_covid__us_counties") == [(0,)]


def test_a_folder_mirror_without_us_counties_loads_nothing(dsn, mirror):
    assert load_table(US_COUNTIES, dsn, mirror.settings) == []
