"""What the loader is compared with: `psql \\copy` of its final rows into an unindexed table (the
limit of this machine), and pandas' `DataFrame.to_sql` (what the replaced systems did)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pandas as pd
import psycopg
from psycopg import sql

from bench.server import psql_path
from loaders.sources.jhu_csse.time_series import DEATHS_US
from warehouse.database import as_url

COLUMNS = DEATHS_US.contract.names
RAW_TABLE = sql.Identifier("raw", DEATHS_US.table)


def _psql(dsn: str, command: str) -> None:
    subprocess.run(
        [psql_path(), "-X", "-q", "-v", "ON_ERROR_STOP=1", dsn, "-c", command], check=True
    )


def export_final_rows(dsn: str, path: Path) -> int:
    """The loaded table's current rows, contract columns only, as CSV (not timed)."""
    with psycopg.connect(dsn) as conn:
        query = sql.SQL("select {} from {} where _superseded_load_id is null").format(
            sql.SQL(", ").join(map(sql.Identifier, COLUMNS)), RAW_TABLE
        )
        _psql(dsn, f"\\copy ({query.as_string(conn)}) to '{path}' csv")
        return conn.execute(sql.SQL("select count(*) from {}").format(RAW_TABLE)).fetchone()[0]


def create_plain_table(dsn: str, name: str = "plain_copy") -> str:
    """An unindexed table with the contract's columns and types."""
    definitions = ", ".join(f'"{c.name}" {c.sql_type}' for c in DEATHS_US.contract.columns)
    with psycopg.connect(dsn) as conn:
        conn.execute(f'create table "{name}" ({definitions})')
    return name


def psql_copy_seconds(dsn: str, rows_csv: Path) -> float:
    """`psql \\copy` of the rows into a new unindexed table; the psql process's wall time."""
    table = create_plain_table(dsn)
    started = time.perf_counter()
    _psql(dsn, f"\\copy \"{table}\" from '{rows_csv}' csv")
    return time.perf_counter() - started


def read_rows(rows_csv: Path, limit: int) -> pd.DataFrame:
    """The first `limit` final rows, typed as the loader types them (not timed)."""
    frame = pd.read_csv(
        rows_csv,
        names=COLUMNS,
        nrows=limit,
        dtype={"uid": "int64", "population": "Int64", "deaths": "Int64", "fips": "str"},
        keep_default_na=False,
        na_values={"fips": [""], "admin2": [""], "population": [""], "deaths": [""]},
    )
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d").dt.date
    return frame


def to_sql_seconds(dsn: str, frame: pd.DataFrame) -> float:
    """pandas' `to_sql` of `frame` into a new table (psycopg2 driver, default method)."""
    from sqlalchemy import create_engine

    engine = create_engine(as_url(dsn).replace("postgresql://", "postgresql+psycopg2://", 1))
    try:
        started = time.perf_counter()
        frame.to_sql("to_sql_rows", engine, if_exists="append", index=False)
        return time.perf_counter() - started
    finally:
        engine.dispose()
