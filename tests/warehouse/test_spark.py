"""warehouse/spark.py: the Spark settings dbt reads, and the raw tables' Parquet export (every
type the loaders land, nulls apart from empty text, replacing an earlier export)."""

from __future__ import annotations

import datetime

import psycopg
import pyarrow.parquet as pq
import pytest
import yaml

from warehouse.settings import PROJECT_ROOT, Settings, SettingsError
from warehouse.spark import dbt_target, export_raw, spark_env


def test_the_engine_picks_the_dbt_target():
    assert dbt_target(Settings.from_env({})) == "dev"
    assert dbt_target(Settings.from_env({"WAREHOUSE_ENGINE": "spark"})) == "spark"
    thrift = Settings.from_env(
        {"WAREHOUSE_ENGINE": "spark", "SPARK_THRIFT_URL": "thrift://spark-thrift:10001"}
    )
    assert dbt_target(thrift) == "spark_thrift"
    env = spark_env(thrift)
    assert (env["WAREHOUSE_SPARK_HOST"], env["WAREHOUSE_SPARK_PORT"]) == ("spark-thrift", "10001")


def test_spark_settings_are_checked(tmp_path):
    with pytest.raises(SettingsError, match="WAREHOUSE_ENGINE"):
        Settings.from_env({"WAREHOUSE_ENGINE": "trino"})
    for bad in ("spark-thrift:10000", "thrift://spark-thrift", "http://host:10000"):
        with pytest.raises(SettingsError, match="SPARK_THRIFT_URL"):
            Settings.from_env({"SPARK_THRIFT_URL": bad})
    local = Settings.from_env({"WAREHOUSE_HOME": str(tmp_path)})
    assert spark_env(local)["WAREHOUSE_SPARK_RAW"] == str(tmp_path.resolve() / "spark" / "raw")
    assert "WAREHOUSE_SPARK_HOST" not in spark_env(local)
    elsewhere = Settings.from_env({"SPARK_RAW_LOCATION": "s3://bucket/raw"})
    assert spark_env(elsewhere)["WAREHOUSE_SPARK_RAW"] == "s3://bucket/raw"


def test_export_keeps_every_landed_type_and_null(dsn, tmp_path):
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("create schema raw")
        conn.execute(
            "create table raw.src__things (name text, n bigint, x double precision, d date,"
            " flag boolean, _loaded_at timestamptz not null, _superseded_load_id bigint)"
        )
        conn.execute(
            "insert into raw.src__things values"
            " ('a, \"quoted\"\nline', 12345678901, 0.1, '2020-03-01', true,"
            "  '2021-06-01 12:34:56.789012+02', null),"
            " ('', null, null, null, false, '2021-06-02 00:00:00+00', 7),"
            " (null, -1, 1e-300, '1999-12-31', null, '2021-06-03 00:00:00+00', null)"
        )
        conn.execute("create table raw.src__empty (name text, n bigint)")
    counts = export_raw(dsn, str(tmp_path))
    assert counts == {"src__empty": 0, "src__things": 3}
    table = pq.read_table(tmp_path / "src__things")
    assert [str(t) for t in table.schema.types] == [
        "string",
        "int64",
        "double",
        "date32[day]",
        "bool",
        "timestamp[us, tz=UTC]",
        "int64",
    ]
    rows = sorted(table.to_pylist(), key=lambda r: r["_loaded_at"])
    assert rows[0]["name"] == 'a, "quoted"\nline'
    assert rows[0]["n"] == 12345678901 and rows[0]["x"] == 0.1
    assert rows[0]["d"] == datetime.date(2020, 3, 1) and rows[0]["flag"] is True
    assert rows[0]["_loaded_at"] == datetime.datetime(
        2021, 6, 1, 10, 34, 56, 789012, tzinfo=datetime.UTC
    )
    assert rows[1]["name"] == "" and rows[1]["n"] is None and rows[1]["x"] is None
    assert rows[1]["flag"] is False and rows[1]["_superseded_load_id"] == 7
    assert rows[2]["name"] is None and rows[2]["x"] == 1e-300 and rows[2]["flag"] is None
    empty = pq.read_table(tmp_path / "src__empty")
    assert empty.num_rows == 0 and empty.schema.names == ["name", "n"]

    # A second export replaces the first (no file of it left).
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("delete from raw.src__things where n = -1")
    assert export_raw(dsn, str(tmp_path), tables=["src__things"]) == {"src__things": 2}
    assert pq.read_table(tmp_path / "src__things").num_rows == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src__empty", "src__things"]


def test_the_local_session_prints_no_progress_bar():
    """Spark's console progress bar shares dbt's stdout: glued to dbt's JSON lines, it hid
    models' results from Dagster (found in a `WAREHOUSE_ENGINE=spark make run`)."""
    profiles = yaml.safe_load((PROJECT_ROOT / "dbt_project" / "profiles.yml").read_text())
    session = profiles["covid_warehouse"]["outputs"]["spark"]["server_side_parameters"]
    assert session["spark.ui.showConsoleProgress"] == "false"
