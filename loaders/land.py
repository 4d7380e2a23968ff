"""Land typed rows in a versioned raw table: COPY into a temporary stage, merge in SQL.

`raw.<source>__<table>` keeps every distinct version of a row. `_load_id` is the load that
brought a version; `_superseded_load_id` the load that replaced it (null for the current one).
A file identical to what is stored adds nothing; a revised one adds versions for changed rows.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv
from psycopg import sql

from loaders.contract import Contract
from loaders.errors import LoadError

RAW_SCHEMA = "raw"
MAX_IDENTIFIER = 63  # Postgres silently truncates longer names

META_COLUMNS = (
    ("_load_id", "bigint not null"),
    ("_loaded_at", "timestamptz not null"),
    ("_superseded_load_id", "bigint"),
)


ARROW_TYPES = {"text": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}


def _arrow_column(values: pd.Series, kind: str) -> pa.Array:
    if kind == "date":  # datetime64 values at midnight
        return pa_compute.cast(pa.array(values, from_pandas=True), pa.date32(), safe=False)
    return pa.array(values, type=ARROW_TYPES[kind], from_pandas=True)


def ensure_schema(conn: psycopg.Connection, schema: str) -> None:
    """Create `schema` once, serialised, so concurrent first loads do not collide."""
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(hashtext('loaders schema ddl'))")
        conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))


def _short_name(name: str) -> str:
    """`name`, or a prefix of it with a hash of the whole when it is too long for Postgres."""
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: MAX_IDENTIFIER - 9]}_{digest}"


class Lander:
    def __init__(self, conn: psycopg.Connection, schema: str, table: str, contract: Contract):
        if len(table) > MAX_IDENTIFIER:
            raise LoadError(
                f"raw table name {table!r} has {len(table)} characters; Postgres keeps only "
                f"{MAX_IDENTIFIER}: shorten the table's name"
            )
        self.conn = conn
        self.contract = contract
        self.target = sql.Identifier(schema, table)
        self.schema, self.table = schema, table
        self.columns = [sql.Identifier(name) for name in contract.names]
        self.stage = sql.Identifier(_short_name(f"_stage_{table}"))

    def ensure_table(self) -> None:
        definitions = [
            sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.sql_type))
            for c in self.contract.columns
        ] + [sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t in META_COLUMNS]
        self.conn.execute(
            sql.SQL("create schema if not exists {}").format(sql.Identifier(self.schema))
        )
        self.conn.execute(
            sql.SQL("create table if not exists {} ({})").format(
                self.target, sql.SQL(", ").join(definitions)
            )
        )
        for column in self.contract.columns:  # columns added to a contract later
            self.conn.execute(
                sql.SQL("alter table {} add column if not exists {} {}").format(
                    self.target, sql.Identifier(column.name), sql.SQL(column.sql_type)
                )
            )
        self.conn.execute(
            sql.SQL(
                "create unique index if not exists {} on {} ({}) where _superseded_load_id is null"
            ).format(
                sql.Identifier(_short_name(f"{self.table}__current_key")),
                self.target,
                sql.SQL(", ").join(map(sql.Identifier, self.contract.natural_key)),
            )
        )

    def open_stage(self) -> None:
        # a big file's stage and its sorts stay in memory rather than spill to disk
        self.conn.execute("set local temp_buffers = '512MB'")
        self.conn.execute("set local work_mem = '256MB'")
        definitions = [
            sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.sql_type))
            for c in self.contract.columns
        ]
        self.conn.execute(
            sql.SQL("create temporary table {} ({}, _line bigint) on commit drop").format(
                self.stage, sql.SQL(", ").join(definitions)
            )
        )

    def copy(self, rows: pd.DataFrame) -> None:
        """COPY a typed frame (index = line numbers) into the stage, encoded by Arrow's CSV
        writer: nulls unquoted and empty, floats in their shortest exact form."""
        if rows.empty:
            return
        arrays = [_arrow_column(rows[c.name], c.type) for c in self.contract.columns]
        arrays.append(pa.array(rows.index, type=pa.int64()))
        table = pa.Table.from_arrays(arrays, names=[*self.contract.names, "_line"])
        encoded = pa.BufferOutputStream()
        pa_csv.write_csv(table, encoded, pa_csv.WriteOptions(include_header=False))
        statement = sql.SQL("copy {} ({}, _line) from stdin (format csv)").format(
            self.stage, sql.SQL(", ").join(self.columns)
        )
        with self.conn.cursor().copy(statement) as copy:
            copy.write(memoryview(encoded.getvalue()))

    def remove_duplicates(self) -> list[tuple[int, str, str]]:
        """Rows whose natural key already appeared earlier in the file: the first one stays.

        Returns (line, "", reason) per removed row: the raw text is the caller's to fill in.
        """
        key = sql.SQL(", ").join(map(sql.Identifier, self.contract.natural_key))
        self.conn.execute(sql.SQL("analyze {}").format(self.stage))
        any_duplicate = sql.SQL(
            "select exists (select from {} group by {} having count(*) > 1)"
        ).format(self.stage, key)
        if not self.conn.execute(any_duplicate).fetchone()[0]:  # the usual case: a hash, no sort
            return []
        rows = self.conn.execute(
            sql.SQL(
                """with ranked as (
                       select ctid as row_id, _line,
                              min(_line) over (partition by {key}) as first_line,
                              row_number() over (partition by {key} order by _line) as position
                       from {stage})
                   delete from {stage} s using ranked r
                   where s.ctid = r.row_id and r.position > 1
                   returning s._line, r.first_line"""
            ).format(key=key, stage=self.stage)
        ).fetchall()
        key_text = ", ".join(self.contract.natural_key)
        return [
            (line, "", f"duplicate key ({key_text}): first seen on line {first}")
            for line, first in sorted(rows)
        ]

    def merge(self, load_id: int) -> tuple[int, int]:
        """Supersede changed rows and insert new versions; returns (added, changed)."""
        key_match = sql.SQL(" and ").join(
            sql.SQL("r.{0} = s.{0}").format(sql.Identifier(k)) for k in self.contract.natural_key
        )
        values = self.contract.value_columns
        if values:
            differs = sql.SQL("({}) is distinct from ({})").format(
                sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(v)) for v in values),
                sql.SQL(", ").join(sql.SQL("s.{}").format(sql.Identifier(v)) for v in values),
            )
            if len(values) == 1:
                differs = sql.SQL("r.{0} is distinct from s.{0}").format(sql.Identifier(values[0]))
            changed = self.conn.execute(
                sql.SQL(
                    "update {target} r set _superseded_load_id = %(load_id)s from {stage} s "
                    "where r._superseded_load_id is null and {key_match} and {differs}"
                ).format(
                    target=self.target, stage=self.stage, key_match=key_match, differs=differs
                ),
                {"load_id": load_id},
            ).rowcount
        else:
            changed = 0
        inserted = self.conn.execute(
            sql.SQL(
                "insert into {target} ({columns}, _load_id, _loaded_at) "
                "select {columns}, %(load_id)s, now() from {stage} s where not exists ("
                "select 1 from {target} r where r._superseded_load_id is null and {key_match})"
            ).format(
                target=self.target,
                stage=self.stage,
                columns=sql.SQL(", ").join(self.columns),
                key_match=key_match,
            ),
            {"load_id": load_id},
        ).rowcount
        return inserted - changed, changed
