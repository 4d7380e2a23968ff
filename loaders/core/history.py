"""Views of a raw table's versions in the `history` schema, which the read-only `bi_reader`
role may read (a view runs with its owner's rights; `raw` itself stays closed to the role).

`history.<table>` is every version of every row with the load that brought it and the load
that ended it, dated, so "what did the warehouse say as of time T" is a plain filter:

    select * from history.nyt_covid__us_states
    where _loaded_at <= T and (_superseded_at is null or _superseded_at > T)

`_is_withdrawn` marks a version the publisher dropped from a republished file (see
`Lander.withdraw`): no later version of its key exists.

`history.<table>__revisions` has one row per value that changed between two loads: the table,
the row's key (JSON text) and date, the column, the old and new values as text and the loads'
ids and times; a withdrawn row shows each of its values with a null new value. The
`fct_revisions` mart gathers these views.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from loaders.core.contract import Contract

HISTORY_SCHEMA = "history"
LOG = sql.Identifier("meta", "load_log")


def ensure_history_views(
    conn: psycopg.Connection, raw_schema: str, table: str, contract: Contract
) -> None:
    """Create or replace both views of `raw_schema.table` (inside the caller's transaction)."""
    raw = sql.Identifier(raw_schema, table)
    versions = sql.Identifier(HISTORY_SCHEMA, table)
    revisions = sql.Identifier(HISTORY_SCHEMA, f"{table}__revisions"[:63])
    same_key = _same_key(contract, "n", "o")
    conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(HISTORY_SCHEMA)))
    conn.execute(sql.SQL("drop view if exists {}, {}").format(revisions, versions))
    conn.execute(
        sql.SQL(
            """create view {versions} as
               select {columns},
                   o._load_id, o._loaded_at, o._superseded_load_id,
                   s.finished_at as _superseded_at,
                   o._superseded_load_id is not null and not exists (
                       select from {raw} n
                       where n._load_id = o._superseded_load_id and {same_key}
                   ) as _is_withdrawn
               from {raw} o
               left join {log} s on s.load_id = o._superseded_load_id"""
        ).format(
            versions=versions,
            columns=sql.SQL(", ").join(
                sql.SQL("o.{}").format(sql.Identifier(c)) for c in contract.names
            ),
            raw=raw,
            same_key=same_key,
            log=LOG,
        )
    )
    values = contract.value_columns
    if not values:
        conn.execute(sql.SQL("create view {} as {}").format(revisions, _no_revisions()))
        return
    key = sql.SQL("jsonb_build_object({})::text").format(
        sql.SQL(", ").join(
            sql.SQL("{}, o.{}").format(sql.Literal(k), sql.Identifier(k))
            for k in contract.natural_key
        )
    )
    dates = [k for k in contract.natural_key if contract.column(k).type == "date"]
    row_date = sql.SQL("o.{}").format(sql.Identifier(dates[0])) if dates else sql.SQL("null::date")
    unpivot = sql.SQL(", ").join(
        sql.SQL("({}, o.{}::text, n.{}::text)").format(
            sql.Literal(v), sql.Identifier(v), sql.Identifier(v)
        )
        for v in values
    )
    conn.execute(
        sql.SQL(
            """create view {revisions} as
               select {table} as table_name, {key} as row_key, {row_date} as row_date,
                   c.column_name, c.old_value, c.new_value,
                   case when n._load_id is null then 'withdrawn' else 'revised' end as change,
                   o._load_id as old_load_id, o._loaded_at as old_loaded_at,
                   s.load_id as new_load_id, s.finished_at as new_loaded_at
               from {raw} o
               join {log} s on s.load_id = o._superseded_load_id
               left join {raw} n on n._load_id = o._superseded_load_id and {same_key}
               cross join lateral (values {unpivot}) as c (column_name, old_value, new_value)
               where o._superseded_load_id is not null
                 and (n._load_id is null or c.old_value is distinct from c.new_value)"""
        ).format(
            revisions=revisions,
            table=sql.Literal(table),
            key=key,
            row_date=row_date,
            raw=raw,
            log=LOG,
            same_key=same_key,
            unpivot=unpivot,
        )
    )


def _same_key(contract: Contract, new: str, old: str) -> sql.Composable:
    """Key equality as the merge matches keys (`=`: a hash join)."""
    return sql.SQL(" and ").join(
        sql.SQL("{}.{} = {}.{}").format(
            sql.Identifier(new), sql.Identifier(name), sql.Identifier(old), sql.Identifier(name)
        )
        for name in contract.natural_key
    )


def _no_revisions() -> sql.Composable:
    return sql.SQL(
        "select null::text as table_name, null::text as row_key, null::date as row_date, "
        "null::text as column_name, null::text as old_value, null::text as new_value, "
        "null::text as change, null::bigint as old_load_id, null::timestamptz as old_loaded_at,"
        " null::bigint as new_load_id, null::timestamptz as new_loaded_at where false"
    )
