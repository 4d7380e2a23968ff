"""The same dbt project on Spark (WAREHOUSE_ENGINE=spark): it builds from empty raw tables
(`dbt build --empty`: every seed, model and unit test), and on the mirror's data (with the
project's singular data tests) every mart built on Spark equals the Postgres build of this
session (`built_warehouse`) row for row.

One local Spark session for the module, inside this process: dbt runs in-process
(dbtRunner), so the marts it writes are read back through the same session. The raw tables
reach Spark as export_raw writes them (Parquet from the landing store), as in a real run.

Marts are every model of schema `marts` in the manifest, so a new mart is compared without a
change here. Equality: the same columns, the same number of rows, and the same multiset of
rows; numbers compare as numbers (Postgres numeric and Spark decimal or double alike), floats
within FLOAT_TOLERANCE relative (1e-9: the two engines sum doubles in different orders, which
moves the last digits only), all else exactly."""

from __future__ import annotations

import datetime
import decimal
import json
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pytest

from loaders.core.raw_table import Lander
from loaders.registry import TABLES
from tests.conftest import ROOT, require_binary
from tests.end_to_end import query
from warehouse.settings import Settings
from warehouse.spark import export_raw, spark_env

pytestmark = pytest.mark.integration

DBT_PROJECT = ROOT / "dbt_project"
FLOAT_TOLERANCE = 1e-9


def dbt(args: list[str], target_path: Path) -> None:
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [
            *args,
            "--target",
            "spark",
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(target_path),
        ]
    )
    failed = [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) in ("error", "fail")
    ]
    assert result.success and not failed, (result.exception, failed)


def empty_raw_database(postgres_server) -> str:
    """A database with every loader's raw table, empty (as the loaders create them)."""
    name = "spark_empty_raw"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")
        conn.execute(f"create database {name}")
    dsn = psycopg.conninfo.make_conninfo(postgres_server, dbname=name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        for spec in TABLES:
            Lander(conn, "raw", spec.table, spec.contract).ensure_table()
    return dsn


@pytest.fixture(scope="module")
def spark_build(built_warehouse, postgres_server, tmp_path_factory):
    """`dbt build --empty` on empty raw tables, then the raw tables of the session's Postgres
    build exported over them and every model built on the data: (dsn, manifest, spark,
    statuses of the empty build)."""
    require_binary("java", "openjdk-17-jre-headless")
    dsn, _ = built_warehouse
    home = tmp_path_factory.mktemp("spark")
    settings = Settings(home=home, engine="spark")
    empty = export_raw(empty_raw_database(postgres_server), settings.spark_raw)
    assert set(empty) == {spec.table for spec in TABLES} and not any(empty.values())
    target = home / "target"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in spark_env(settings).items():
            patch.setenv(name, value)
        patch.chdir(home)  # Spark's derby.log and spark-warehouse fall here, not in the checkout
        # Seeds, models and unit tests; the generic data tests (dbt's own SQL) are left to
        # the Postgres build, where they check data: on empty tables they check nothing.
        dbt(["build", "--empty", "--exclude-resource-type", "test"], target)
        built_empty = _row_counts(target)
        # The tables the session's build loaded (the others stay empty), read afresh by the
        # next run; the incremental marts exist (empty), so it builds them incrementally.
        assert export_raw(dsn, settings.spark_raw)["nyt_covid__us_states"] > 0
        # Seeds, models and the project's own (singular) data tests, on the data.
        dbt(
            ["build", "--exclude", "test_type:generic", "--exclude-resource-type", "unit_test"],
            target,
        )
        built_full = _row_counts(target)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()  # the session dbt started in this process
    manifest = json.loads((target / "manifest.json").read_text())
    yield dsn, manifest, spark, (built_empty, built_full)
    spark.stop()


def _row_counts(target: Path) -> dict[str, str]:
    results = json.loads((target / "run_results.json").read_text())
    return {r["unique_id"]: r["status"] for r in results["results"]}


def marts(manifest: dict) -> list[str]:
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["schema"] == "marts"
    )


def test_the_project_builds_on_spark_from_empty_raw_tables(spark_build):
    _, manifest, spark, (empty, full) = spark_build
    kinds = {}
    for unique_id, status in empty.items():
        kinds.setdefault(unique_id.split(".")[0], set()).add(status)
    # every seed, model and unit test ran on empty raw tables, and none failed
    assert {"seed", "model", "unit_test"} <= set(kinds)
    kinds.pop("exposure", None)  # exposures are no-ops
    assert all(s <= {"success", "pass"} for s in kinds.values()), kinds
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert {f"model.covid_warehouse.{n['name']}" for n in models} <= set(empty)
    assert len(marts(manifest)) >= 9
    # the project's singular tests ran on the data (a warning is a finding, not a failure)
    singular = [
        n["unique_id"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and "test_metadata" not in n
    ]
    assert singular and all(full[t] in ("pass", "warn") for t in singular), full


def canonical(column: pd.Series) -> pd.Series:
    """One form per kind of value: numbers as float64, dates and times as ISO text, booleans
    as nullable booleans, the rest as text; nulls as NA."""
    present = column.dropna()
    if present.empty:
        return pd.Series(pd.NA, index=column.index, dtype="object")
    sample = present.iloc[0]
    if isinstance(sample, bool | np.bool_):
        return column.astype("boolean")
    if isinstance(sample, int | float | decimal.Decimal | np.integer | np.floating):
        return column.map(lambda v: None if v is None else float(v)).astype("float64")
    if isinstance(sample, datetime.date | pd.Timestamp | np.datetime64):
        return pd.to_datetime(column).dt.strftime("%Y-%m-%dT%H:%M:%S.%f").astype("string")
    return column.astype("string")


def differences(postgres: pd.DataFrame, spark: pd.DataFrame) -> list[str]:
    """What differs between the two tables as multisets of rows (empty: equal)."""
    if sorted(postgres.columns) != sorted(spark.columns):
        return [f"columns: {sorted(postgres.columns)} vs {sorted(spark.columns)}"]
    if len(postgres) != len(spark):
        return [f"rows: {len(postgres)} vs {len(spark)}"]
    columns = sorted(postgres.columns)
    a = pd.DataFrame({c: canonical(postgres[c]) for c in columns})
    b = pd.DataFrame({c: canonical(spark[c]) for c in columns})
    numeric = [c for c in columns if a[c].dtype == "float64" or b[c].dtype == "float64"]
    # Sorted on every column, numbers rounded far inside the tolerance, so equal rows meet.
    keys = {c: (a[c].round(6) if c in numeric else a[c]) for c in columns}
    order_a = pd.DataFrame(keys).sort_values(columns, na_position="first").index
    keys = {c: (b[c].round(6) if c in numeric else b[c]) for c in columns}
    order_b = pd.DataFrame(keys).sort_values(columns, na_position="first").index
    a = a.loc[order_a].reset_index(drop=True)
    b = b.loc[order_b].reset_index(drop=True)
    found = []
    for c in columns:
        if c in numeric:
            if a[c].dtype != "float64" or b[c].dtype != "float64":
                found.append(f"{c}: {a[c].dtype} vs {b[c].dtype}")
                continue
            x, y = a[c].to_numpy(), b[c].to_numpy()
            integral = np.all(np.isnan(x) | (x == np.round(x))) and np.all(
                np.isnan(y) | (y == np.round(y))
            )
            tolerance = 0 if integral else FLOAT_TOLERANCE
            same = np.isclose(x, y, rtol=tolerance, atol=0, equal_nan=True)
        else:
            same = ((a[c] == b[c]) | (a[c].isna() & b[c].isna())).fillna(False).to_numpy()
        if not same.all():
            i = int(np.argmin(same))
            found.append(f"{c}: {int((~same).sum())} rows, e.g. {a.at[i, c]!r} vs {b.at[i, c]!r}")
    return found


def test_every_mart_on_spark_equals_the_postgres_build(spark_build):
    dsn, manifest, spark, _ = spark_build
    result = {}
    for name in marts(manifest):
        postgres = query(dsn, f"select * from marts.{name}")
        on_spark = spark.table(f"marts.{name}").toPandas()
        result[name] = (len(postgres), differences(postgres, on_spark))
    print({name: (diff or "equal", rows) for name, (rows, diff) in result.items()})
    assert {name: diff for name, (_, diff) in result.items() if diff} == {}
    # fct_revisions is empty on both: the mirror build loads each file once, so no value changes.
    assert all(rows > 0 for name, (rows, _) in result.items() if name != "fct_revisions"), result
