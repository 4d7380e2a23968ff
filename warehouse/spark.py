"""The Spark engine (WAREHOUSE_ENGINE=spark): dbt's connection variables for the `spark` and
`spark_thrift` targets (dbt_project/profiles.yml), and the raw tables exported from the
Postgres landing store as Parquet, which the Spark sources read.

The loaders keep landing in Postgres: the ledger, the row versions (`_superseded_load_id` is
set by an UPDATE) and the quarantine stay where they are transactional. Spark reads a Parquet
copy of every raw table, written whole after the loads (`export_raw`), so it needs no JDBC
driver, no database password in its metastore and no route to the landing store."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from urllib.parse import urlsplit

import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.fs as pafs
import pyarrow.parquet as pq
from psycopg import sql

from warehouse.settings import Settings

# Postgres column types of the raw tables -> Arrow (Spark reads them as string, bigint,
# double, date, boolean and timestamp).
ARROW_TYPES = {
    "text": pa.string(),
    "character varying": pa.string(),
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "smallint": pa.int16(),
    "double precision": pa.float64(),
    "real": pa.float32(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
    "timestamp with time zone": pa.timestamp("us", tz="UTC"),
    "timestamp without time zone": pa.timestamp("us"),
}


def dbt_target(settings: Settings) -> str:
    """The dbt target (profiles.yml) for the engine."""
    if settings.engine != "spark":
        return "dev"
    return "spark_thrift" if settings.spark_thrift_url else "spark"


def spark_env(settings: Settings) -> dict[str, str]:
    """What the Spark targets read: the raw export, the local session's home, the Thrift
    server's host and port."""
    env = {
        "WAREHOUSE_SPARK_RAW": settings.spark_raw,
        "WAREHOUSE_SPARK_HOME": str(settings.spark_home),
    }
    if settings.spark_thrift_url:
        parts = urlsplit(settings.spark_thrift_url)
        env["WAREHOUSE_SPARK_HOST"] = parts.hostname or ""
        env["WAREHOUSE_SPARK_PORT"] = str(parts.port)
    return env


def raw_tables(conn: psycopg.Connection, schema: str = "raw") -> list[str]:
    rows = conn.execute(
        "select table_name from information_schema.tables"
        " where table_schema = %s and table_type = 'BASE TABLE' order by table_name",
        (schema,),
    ).fetchall()
    return [name for (name,) in rows]


def arrow_schema(conn: psycopg.Connection, schema: str, table: str) -> pa.Schema:
    rows = conn.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = %s and table_name = %s order by ordinal_position",
        (schema, table),
    ).fetchall()
    fields = []
    for name, data_type in rows:
        if data_type not in ARROW_TYPES:
            raise TypeError(f"{schema}.{table}.{name}: no Parquet type for {data_type}")
        fields.append(pa.field(name, ARROW_TYPES[data_type]))
    return pa.schema(fields)


def export_raw(
    dsn: str, location: str, tables: Iterable[str] | None = None, schema: str = "raw"
) -> dict[str, int]:
    """Writes each table of `schema` (or `tables`) as `<location>/<table>/` Parquet, replacing
    what was there; returns table -> rows. An empty table still gets a file (its columns)."""
    filesystem, root = pafs.FileSystem.from_uri(_as_uri(location))
    counts = {}
    with psycopg.connect(dsn) as conn:
        for table in tables if tables is not None else raw_tables(conn, schema):
            counts[table] = _export_table(conn, schema, table, filesystem, root)
    return counts


def _as_uri(location: str) -> str:
    if "://" in location:
        return location
    from pathlib import Path

    return Path(location).resolve().as_uri()


def _export_table(conn, schema: str, table: str, filesystem, root: str) -> int:
    """COPY the table out as CSV and convert it in Arrow (no Python per row)."""
    arrow = arrow_schema(conn, schema, table)
    columns = []
    for f in arrow:
        column = sql.Identifier(f.name)
        if pa.types.is_timestamp(f.type):  # UTC, in a form Arrow parses
            column = sql.SQL("to_char({} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')").format(
                column
            )
        columns.append(column)
    query = sql.SQL("copy (select {} from {}.{}) to stdout (format csv)").format(
        sql.SQL(", ").join(columns), sql.Identifier(schema), sql.Identifier(table)
    )
    data = bytearray()
    with conn.cursor().copy(query) as copy:
        for chunk in copy:
            data += chunk
    as_read = pa.schema(
        [
            pa.field(f.name, pa.timestamp("us")) if pa.types.is_timestamp(f.type) else f
            for f in arrow
        ]
    )
    rows = (
        arrow.empty_table()
        if not data
        else pa_csv.read_csv(
            pa.BufferReader(bytes(data)),
            read_options=pa_csv.ReadOptions(column_names=arrow.names),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=as_read,
                null_values=[""],
                quoted_strings_can_be_null=False,  # "" is an empty text, an empty field is null
                strings_can_be_null=True,
                true_values=["t"],
                false_values=["f"],
            ),
        ).cast(arrow)
    )
    folder = f"{root.rstrip('/')}/{table}"
    staged = f"{root.rstrip('/')}/.{table}.{uuid.uuid4().hex[:8]}"
    filesystem.create_dir(staged, recursive=True)
    with filesystem.open_output_stream(f"{staged}/part-0.parquet") as stream:
        pq.write_table(rows, stream)
    # Replace the table's folder by the staged one (a run registering it afterwards reads one
    # whole export).
    if filesystem.get_file_info(folder).type != pafs.FileType.NotFound:
        filesystem.delete_dir(folder)
    filesystem.move(staged, folder)
    return rows.num_rows
