"""`dlt`, the Python data-loading library, landing the same rows in the same Postgres: the peer
a user would pick instead of this loader.

Its fastest documented way into Postgres: Arrow record batches written as Parquet and loaded
with ADBC (`loader_file_format="parquet"`). It reads the loader's final rows (already long, one
row per place and day: dlt is spared the reshaping the loader does), streamed from CSV. A first
load appends into a new dataset; the daily re-load is the same rows plus one more day with the
`merge` write disposition (delete-insert on the natural key), what a republished file costs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
from psycopg.conninfo import conninfo_to_dict
from pyarrow import csv

from loaders.core.binary_copy import arrow_schema
from loaders.sources.jhu_csse.time_series import DEATHS_US

COLUMNS = DEATHS_US.contract.names
KEY = list(DEATHS_US.contract.natural_key)
DATASET = "dlt_raw"


def _schema() -> pa.Schema:
    return arrow_schema(DEATHS_US.contract, {})


def batches(rows_csv: Path) -> Iterator[pa.RecordBatch]:
    """The rows of a headerless CSV of the contract's columns, typed, a block at a time."""
    schema = _schema()
    reader = csv.open_csv(
        rows_csv,
        read_options=csv.ReadOptions(column_names=COLUMNS, block_size=32 << 20),
        convert_options=csv.ConvertOptions(
            column_types={name: schema.field(name).type for name in COLUMNS},
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )
    yield from reader


def with_one_more_day(rows_csv: Path, out: Path) -> int:
    """Writes `rows_csv` and, after it, its last day's rows again dated a day later (the file
    republished with one more day); returns the rows written (not timed)."""
    table = pa.Table.from_batches(list(batches(rows_csv)), schema=_schema())
    last = pc.max(table["date"]).as_py()
    day = table.filter(pc.equal(table["date"], pa.scalar(last, table.schema.field("date").type)))
    dates = pa.array([last + timedelta(days=1)] * len(day), type=table.schema.field("date").type)
    day = day.set_column(day.schema.get_field_index("date"), "date", dates)
    options = csv.WriteOptions(include_header=False)
    with out.open("wb") as sink:
        csv.write_csv(pa.concat_tables([table, day]), sink, options)
    return len(table) + len(day)


def load_seconds(dsn: str, rows_csv: Path, pipelines: Path, disposition: str) -> float:
    """One `pipeline.run` of the rows (extract, normalize and load), timed; `disposition` is
    "append" (a first load) or "merge" (a re-load into what the pipeline loaded before)."""
    import dlt

    pipeline = dlt.pipeline(
        pipeline_name="bench_peer",
        pipelines_dir=str(pipelines),
        destination=dlt.destinations.postgres(credentials=_credentials(dsn)),
        dataset_name=DATASET,
        progress=None,
    )
    logging.getLogger("dlt").setLevel(logging.ERROR)  # not a warning per Arrow batch
    resource = dlt.resource(
        batches(rows_csv), name=DEATHS_US.table, write_disposition=disposition, primary_key=KEY
    )
    started = time.perf_counter()
    info = pipeline.run(resource, loader_file_format="parquet")
    seconds = time.perf_counter() - started
    info.raise_on_failed_jobs()
    return seconds


def _credentials(dsn: str) -> dict:
    """dlt's credential fields for `dsn`; a socket folder goes in the URL's query, where libpq
    reads it (dlt drops it as the host)."""
    parts = conninfo_to_dict(dsn)
    host = parts.get("host") or "localhost"
    return {
        "host": "localhost" if host.startswith("/") else host,
        "query": {"host": host} if host.startswith("/") else {},
        "port": int(parts.get("port") or 5432),
        "username": parts.get("user") or "postgres",
        "password": parts.get("password") or "",
        "database": parts.get("dbname") or "postgres",
    }


def current_rows(dsn: str) -> int:
    """The rows dlt's table holds (to check a run landed what it was given)."""
    with psycopg.connect(dsn) as conn:
        query = f'select count(*) from "{DATASET}"."{DEATHS_US.table}"'
        return conn.execute(query).fetchone()[0]
