"""bench/dlt_peer.py: dlt lands the rows it is given, and its merge re-load replaces rows by
key (the bench's ratios would compare unlike work otherwise)."""

from datetime import date

import psycopg

from bench import dlt_peer

ROWS = (
    "84001001,01001,Autauga,Alabama,US,55869,2020-03-01,0\n"
    "84001001,01001,Autauga,Alabama,US,55869,2020-03-02,1\n"
    '84001003,,"Baldwin, County",Alabama,US,,2020-03-02,\n'
)


def test_one_more_day_repeats_the_last_days_rows_a_day_later(tmp_path):
    rows, republished = tmp_path / "rows.csv", tmp_path / "republished.csv"
    rows.write_text(ROWS)
    assert dlt_peer.with_one_more_day(rows, republished) == 5
    table = [b.to_pylist() for b in dlt_peer.batches(republished)]
    added = [row for batch in table for row in batch if row["date"] == date(2020, 3, 3)]
    assert sorted((r["uid"], r["deaths"], r["admin2"]) for r in added) == [
        (84001001, 1, "Autauga"),
        (84001003, None, "Baldwin, County"),
    ]


def test_a_first_load_then_a_merge_keeps_one_row_per_key(dsn, tmp_path):
    rows, republished = tmp_path / "rows.csv", tmp_path / "republished.csv"
    rows.write_text(ROWS)
    dlt_peer.with_one_more_day(rows, republished)
    pipelines = tmp_path / "pipelines"
    assert dlt_peer.load_seconds(dsn, rows, pipelines, "append") > 0
    assert dlt_peer.current_rows(dsn) == 3
    dlt_peer.load_seconds(dsn, republished, pipelines, "merge")
    with psycopg.connect(dsn) as conn:
        keys = conn.execute(
            f'select uid, date, deaths from "{dlt_peer.DATASET}"."jhu_csse__deaths_us" '
            "order by uid, date"
        ).fetchall()
    assert keys == [
        (84001001, date(2020, 3, 1), 0),
        (84001001, date(2020, 3, 2), 1),
        (84001001, date(2020, 3, 3), 1),
        (84001003, date(2020, 3, 2), None),
        (84001003, date(2020, 3, 3), None),
    ]
