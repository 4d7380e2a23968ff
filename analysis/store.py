"""Write pandas frames to the warehouse as whole tables, atomically."""

from __future__ import annotations

import pandas as pd
import psycopg
from psycopg import sql

# table -> (its rows, column -> SQL type in order)
Tables = dict[str, tuple[pd.DataFrame, dict[str, str]]]


def replace_tables(dsn: str, schema: str, tables: Tables) -> None:
    """Replace each `schema.table` with its frame's rows, typed as declared. One transaction for
    all: readers see the old tables or the new ones, never a half-written or mixed set."""
    for table, (frame, types) in tables.items():
        missing = [column for column in types if column not in frame.columns]
        if missing:
            raise ValueError(f"{schema}.{table}: the frame lacks the declared columns {missing}")
    with psycopg.connect(dsn) as conn, conn.transaction():
        conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
        for table, (frame, types) in tables.items():
            _replace(conn, sql.Identifier(schema, table), frame, types)


def _replace(conn: psycopg.Connection, target: sql.Identifier, frame, types: dict[str, str]):
    definitions = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind)) for name, kind in types.items()
    )
    names = sql.SQL(", ").join(map(sql.Identifier, types))
    rows = frame[list(types)].astype(object).where(frame[list(types)].notna(), None)
    conn.execute(sql.SQL("drop table if exists {}").format(target))
    conn.execute(sql.SQL("create table {} ({})").format(target, definitions))
    with conn.cursor().copy(sql.SQL("copy {} ({}) from stdin").format(target, names)) as copy:
        for row in rows.itertuples(index=False, name=None):
            copy.write_row(row)
