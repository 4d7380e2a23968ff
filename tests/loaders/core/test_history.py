"""Revisions people can query: the `history` views (as of a load, as `bi_reader`), each
changed value between loads, and rows a republished file drops marked withdrawn."""

from __future__ import annotations

import dataclasses
import time

import psycopg

from loaders.core.load import load_table
from tests.loaders.core.lifecycle_spec import HEADER, SPEC, TABLE, query
from warehouse.roles import BI_READER, ensure_bi_reader

REPUBLISHED = dataclasses.replace(SPEC, full_republication=True)
FIRST = HEADER + "2020-03-01,A,1,0.5\n2020-03-01,B,2,1.5\n2020-03-02,A,3,2.5\n"
# A revises 2020-03-02's count 3 -> 30; B's 2020-03-01 row is gone; a new day is added.
REVISED = HEADER + "2020-03-01,A,1,0.5\n2020-03-02,A,30,2.5\n2020-03-03,A,4,3.5\n"


def as_bi_reader(dsn: str, statement: str, params=()) -> list[tuple]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"set role {BI_READER}")
        return conn.execute(statement, params).fetchall()


def load_twice(dsn, mirror, spec) -> tuple[int, int, object]:
    """Load FIRST then REVISED; returns both load ids and a time between them."""
    mirror.put("toy", "readings.csv", FIRST)
    [first] = load_table(spec, dsn, mirror.settings)
    between = query(dsn, "select clock_timestamp()")[0][0]
    time.sleep(0.05)
    mirror.put("toy", "readings.csv", REVISED)
    [second] = load_table(spec, dsn, mirror.settings)
    return first.load_id, second, between


def test_as_of_the_first_load_bi_reader_sees_the_value_before_its_revision(dsn, mirror):
    first_id, second, between = load_twice(dsn, mirror, SPEC)
    assert second.rows_changed == 1 and second.rows_withdrawn == 0  # not republished: kept
    ensure_bi_reader(dsn, None)
    as_of = """select day::text, station, count from history.toy__readings
               where _loaded_at <= %(t)s and (_superseded_at is null or _superseded_at > %(t)s)
               order by day, station"""
    assert as_bi_reader(dsn, as_of, {"t": between}) == [
        ("2020-03-01", "A", 1),
        ("2020-03-01", "B", 2),
        ("2020-03-02", "A", 3),  # before the revision
    ]
    now = query(dsn, "select clock_timestamp()")[0][0]
    assert as_bi_reader(dsn, as_of, {"t": now}) == [
        ("2020-03-01", "A", 1),
        ("2020-03-01", "B", 2),  # a snapshot-like table keeps a row the file no longer has
        ("2020-03-02", "A", 30),
        ("2020-03-03", "A", 4),
    ]
    by_load = as_bi_reader(
        dsn,
        "select count from history.toy__readings where day = '2020-03-02' and _load_id <= %s "
        "and (_superseded_load_id is null or _superseded_load_id > %s)",
        [first_id, first_id],
    )
    assert by_load == [(3,)]


def test_each_changed_value_is_a_revision_with_both_loads(dsn, mirror):
    first_id, second, _ = load_twice(dsn, mirror, SPEC)
    ensure_bi_reader(dsn, None)
    rows = as_bi_reader(
        dsn,
        "select table_name, row_key, row_date::text, column_name, old_value, new_value, change,"
        " old_load_id, new_load_id, old_loaded_at < new_loaded_at "
        "from history.toy__readings__revisions",
    )
    assert rows == [
        (
            "toy__readings",
            '{"day": "2020-03-02", "station": "A"}',
            "2020-03-02",
            "count",
            "3",
            "30",
            "revised",
            first_id,
            second.load_id,
            True,
        )
    ]  # `level` did not change: no row for it


def test_a_row_a_republished_file_drops_is_withdrawn_not_current(dsn, mirror):
    first_id, second, between = load_twice(dsn, mirror, REPUBLISHED)
    assert (second.rows_added, second.rows_changed, second.rows_withdrawn) == (1, 1, 1)
    current = query(
        dsn,
        f"select day::text, station, count from {TABLE} where _superseded_load_id is null "
        "order by day, station",
    )
    assert current == [("2020-03-01", "A", 1), ("2020-03-02", "A", 30), ("2020-03-03", "A", 4)]
    assert query(
        dsn, "select rows_withdrawn from meta.load_log where load_id = %s", [second.load_id]
    ) == [(1,)]
    ensure_bi_reader(dsn, None)
    withdrawn = as_bi_reader(
        dsn,
        "select day::text, station, _superseded_load_id from history.toy__readings "
        "where _is_withdrawn",
    )
    assert withdrawn == [("2020-03-01", "B", second.load_id)]
    changes = as_bi_reader(
        dsn,
        "select row_key, column_name, old_value, new_value, change "
        "from history.toy__readings__revisions order by change, column_name",
    )
    assert changes == [
        ('{"day": "2020-03-02", "station": "A"}', "count", "3", "30", "revised"),
        ('{"day": "2020-03-01", "station": "B"}', "count", "2", None, "withdrawn"),
        ('{"day": "2020-03-01", "station": "B"}', "level", "1.5", None, "withdrawn"),
    ]
    # The next load that lists it again brings it back as a new current version.
    mirror.put("toy", "readings.csv", REVISED + "2020-03-01,B,2,1.5\n")
    [third] = load_table(REPUBLISHED, dsn, mirror.settings)
    assert (third.rows_added, third.rows_withdrawn) == (1, 0)


def test_a_republished_file_with_rejected_rows_withdraws_nothing(dsn, mirror):
    mirror.put("toy", "readings.csv", FIRST)
    load_table(REPUBLISHED, dsn, mirror.settings)
    rows = "".join(f"2020-04-{d:02},A,{d},0\n" for d in range(1, 29))  # keeps rejects <= 1%...
    lenient = dataclasses.replace(REPUBLISHED, reject_threshold=0.5)
    mirror.put("toy", "readings.csv", HEADER + rows + "2020-03-01,B,-2,1.5\n")  # ...B rejected
    [result] = load_table(lenient, dsn, mirror.settings)
    assert (result.rows_rejected, result.rows_withdrawn) == (1, 0)
    assert query(dsn, f"select count(*) from {TABLE} where _superseded_load_id is null") == [(31,)]
