"""CSV and Parquet copies of each mart for front ends that read files.

Layout under the exports folder (`exports/` at the project's root, or WAREHOUSE_EXPORTS):
`<mart>.csv`, `<mart>.parquet` (every row) and `latest/<mart>.csv|.parquet` (each geography's
row on its last date, for marts listed in LATEST); beside each pair `<mart>.codebook.md`
(publish/codebook.py: columns, types, meanings, sources and their licences, how to read codes).
Exports are stable: columns in the table's order, rows sorted by key then by every column, ISO
dates, `true`/`false`, no index column, so unchanged data gives byte-identical files. A mart is
streamed (COPY to CSV, then CSV to Parquet in blocks), never held in memory whole; its files are
replaced together once all are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from psycopg import sql

from publish.atomic import replacing
from publish.codebook import codebook_markdown, load_manifest, mart_docs

MART_SCHEMA = "marts"
LATEST_FOLDER = "latest"
DATA_SUFFIXES = (".csv", ".parquet")
CODEBOOK = ".codebook.md"  # beside each pair: columns, types, meanings, sources, licences
CSV_BLOCK_BYTES = 8 << 20


@dataclass(frozen=True)
class Latest:
    """How to pick a mart's latest rows: the max `date` per combination of `keys`."""

    keys: tuple[str, ...]
    date: str


# Marts with a geography and a date. The others have no `latest` export: the correlations by
# lag, the undated Delaware ZIP snapshot, dim_geography (no date) and rpt_unmatched_geographies
# (source keys, not geographies).
LATEST: dict[str, Latest] = {
    "fct_cases_daily": Latest(("geo_level", "geo_id"), "report_date"),
    "fct_business_activity_daily": Latest(("geo_level", "geo_id"), "activity_date"),
    "fct_restrictions_daily": Latest(("state_fips",), "calendar_date"),
    "fct_restrictions_timeline": Latest(("state_fips", "category"), "imposed_date"),
    "fct_revenue_event_study": Latest(("state_fips", "category", "event_type"), "event_date"),
    "fct_case_source_reconciliation": Latest(("state_fips", "comparison", "metric"), "report_date"),
    "fct_school_case_changes": Latest(("school_key",), "snapshot_date"),
    "fct_case_forecast": Latest(("state_fips",), "forecast_date"),
    "fct_forecast_backtest": Latest(("state_fips", "method"), "target_date"),
    "fct_hospital_daily": Latest(("state_fips",), "report_date"),
    "fct_tests_vaccinations_daily": Latest(("state_fips",), "report_date"),
    "fct_canada_source_reconciliation": Latest(("geo_id", "comparison", "metric"), "report_date"),
}

ARROW_TYPES = {
    "smallint": pa.int16(),
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "real": pa.float32(),
    "double precision": pa.float64(),
    "numeric": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp without time zone": pa.timestamp("us"),
    "timestamp with time zone": pa.timestamp("us", tz="UTC"),
}
TEXT_TYPES = {"text", "character varying", "character"}


@dataclass(frozen=True)
class ExportResult:
    mart: str
    rows: int
    latest_rows: int | None  # None: the mart has no `latest` export
    files: dict[str, int]  # path relative to the exports folder -> bytes


def mart_tables(dsn: str) -> list[str]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "select table_name from information_schema.tables where table_schema = %s "
            "order by table_name",
            [MART_SCHEMA],
        ).fetchall()
    return [name for (name,) in rows]


def export_mart(dsn: str, mart: str, folder: Path) -> ExportResult:
    """Write the mart's full (and latest) CSV and Parquet files under `folder` (WAREHOUSE_EXPORTS,
    `exports/` by default); returns rows and sizes."""
    latest = LATEST.get(mart)
    with psycopg.connect(dsn) as conn:
        columns = _columns(conn, mart)
        if not columns:
            raise LookupError(
                f"no table {MART_SCHEMA}.{mart} in the warehouse: build it first (make run)"
            )
        if latest and not {*latest.keys, latest.date} <= {name for name, _ in columns}:
            raise LookupError(
                f"{MART_SCHEMA}.{mart} lacks a column publish.exports.LATEST names "
                f"({', '.join([*latest.keys, latest.date])}); found {[n for n, _ in columns]}"
            )
        conn.execute("set datestyle = 'ISO, YMD'; set timezone = 'UTC'; set extra_float_digits = 1")
        queries = {Path(mart): _full_query(mart, columns, latest)}
        if latest:
            queries[Path(LATEST_FOLDER, mart)] = _latest_query(mart, columns, latest)
        data_through = _data_through(conn, mart, latest)
        docs = mart_docs(load_manifest(), mart)
        targets = [
            folder / f"{stem}{suffix}" for stem in queries for suffix in (*DATA_SUFFIXES, CODEBOOK)
        ]
        counts = {}
        with replacing(*targets) as temporaries:
            files = iter(temporaries)
            for stem, query in queries.items():
                csv_path, parquet_path, codebook_path = next(files), next(files), next(files)
                _copy_csv(conn, query, csv_path)
                counts[stem] = _csv_to_parquet(csv_path, parquet_path, _arrow_schema(columns))
                scope = "every row" if stem == Path(mart) else _latest_scope(latest)
                text = codebook_markdown(mart, columns, docs, counts[stem], data_through, scope)
                codebook_path.write_text(text, encoding="utf-8")
    files = {str(t.relative_to(folder)): t.stat().st_size for t in targets}
    latest_rows = counts.get(Path(LATEST_FOLDER, mart))
    return ExportResult(mart, counts[Path(mart)], latest_rows, files)


def _data_through(conn: psycopg.Connection, mart: str, latest: Latest | None) -> str | None:
    """The mart's last date (ISO), for a mart with a date; None otherwise."""
    if latest is None:
        return None
    statement = sql.SQL("select max({})::text from {}").format(
        sql.Identifier(latest.date), sql.Identifier(MART_SCHEMA, mart)
    )
    return conn.execute(statement).fetchone()[0]


def _latest_scope(latest: Latest | None) -> str:
    keys = ", ".join(latest.keys) if latest else ""
    return f"each {keys}'s row(s) on its last {latest.date if latest else 'date'}"


def _columns(conn: psycopg.Connection, mart: str) -> list[tuple[str, str]]:
    return conn.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = %s and table_name = %s order by ordinal_position",
        [MART_SCHEMA, mart],
    ).fetchall()


def _select_list(columns: list[tuple[str, str]]) -> sql.Composable:
    """Columns as they appear in the CSV: booleans as true/false, timestamps as ISO 8601."""
    items = []
    for name, data_type in columns:
        column = sql.Identifier("t", name)
        if data_type == "boolean":
            value = sql.SQL("{}::text").format(column)
        elif data_type == "timestamp with time zone":
            value = sql.SQL("""to_char({} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""")
            value = value.format(column)
        elif data_type == "timestamp without time zone":
            value = sql.SQL("""to_char({}, 'YYYY-MM-DD"T"HH24:MI:SS.US')""").format(column)
        else:
            value = column
        items.append(sql.SQL("{} as {}").format(value, sql.Identifier(name)))
    return sql.SQL(", ").join(items)


def _order_by(columns: list[tuple[str, str]], latest: Latest | None) -> sql.Composable:
    """The key, the date, then every column: a total order that ignores the server's locale."""
    types = dict(columns)
    names = [*(latest.keys if latest else ()), *([latest.date] if latest else [])]
    names += [name for name, _ in columns if name not in names]
    items = [
        sql.SQL('{} collate "C"' if types[name] in TEXT_TYPES else "{}").format(
            sql.Identifier("t", name)
        )
        for name in names
    ]
    return sql.SQL(", ").join(items)


def _full_query(mart: str, columns, latest: Latest | None) -> sql.Composable:
    return sql.SQL("select {} from {} as t order by {}").format(
        _select_list(columns), sql.Identifier(MART_SCHEMA, mart), _order_by(columns, latest)
    )


def _latest_query(mart: str, columns, latest: Latest) -> sql.Composable:
    keys = [sql.Identifier(key) for key in latest.keys]
    date = sql.Identifier(latest.date)
    table = sql.Identifier(MART_SCHEMA, mart)
    return sql.SQL(
        "select {select} from {table} as t where ({t_keys}, t.{date}) in "
        "(select {keys}, max({date}) from {table} group by {keys}) order by {order}"
    ).format(
        select=_select_list(columns),
        table=table,
        t_keys=sql.SQL(", ").join(sql.SQL("t.{}").format(k) for k in keys),
        keys=sql.SQL(", ").join(keys),
        date=date,
        order=_order_by(columns, latest),
    )


def _copy_csv(conn: psycopg.Connection, query: sql.Composable, path: Path) -> None:
    statement = sql.SQL("copy ({}) to stdout (format csv, header true)").format(query)
    with conn.cursor() as cursor, cursor.copy(statement) as copy, path.open("wb") as out:
        for block in copy:
            out.write(block)


def _arrow_schema(columns: list[tuple[str, str]]) -> pa.Schema:
    return pa.schema(
        [(name, ARROW_TYPES.get(data_type, pa.string())) for name, data_type in columns]
    )


def _csv_to_parquet(csv_path: Path, parquet_path: Path, schema: pa.Schema) -> int:
    """Convert block by block; returns the number of rows."""
    reader = pa_csv.open_csv(
        csv_path,
        read_options=pa_csv.ReadOptions(use_threads=False, block_size=CSV_BLOCK_BYTES),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=schema,
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,  # "" is an empty string, an empty field a null
            true_values=["true"],
            false_values=["false"],
        ),
    )
    rows = 0
    with pq.ParquetWriter(parquet_path, schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows
