"""Write a pandas frame to the warehouse as a whole table, atomically."""

from __future__ import annotations

import pandas as pd
import psycopg
from psycopg import sql


def replace_table(dsn: str, schema: str, table: str, frame: pd.DataFrame, types: dict[str, str]):
    """Replace `schema.table` with `frame`'s rows, typed by `types` (column -> SQL type, in
    order). One transaction: readers see the old table or the new one, never a half-written one."""
    missing = [column for column in types if column not in frame.columns]
    if missing:
        raise ValueError(f"{schema}.{table}: the frame lacks the declared columns {missing}")
    target = sql.Identifier(schema, table)
    definitions = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind)) for name, kind in types.items()
    )
    names = sql.SQL(", ").join(map(sql.Identifier, types))
    rows = frame[list(types)].astype(object).where(frame[list(types)].notna(), None)
    with psycopg.connect(dsn) as conn, conn.transaction():
        conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("drop table if exists {}").format(target))
        conn.execute(sql.SQL("create table {} ({})").format(target, definitions))
        with conn.cursor().copy(sql.SQL("copy {} ({}) from stdin").format(target, names)) as copy:
            for row in rows.itertuples(index=False, name=None):
                copy.write_row(row)
