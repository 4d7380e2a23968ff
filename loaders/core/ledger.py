"""The load ledger: `meta.load_log` has one row per load, `meta.rejected_rows` every row
quarantined by a load, with its line, its raw text and the reason.

A load holds a session advisory lock on its load_id for as long as it runs (`start`), so a row
still 'running' whose lock is free belongs to a process that died: `abandon_stale` marks it
'abandoned'. A load that is merely slow keeps its lock and is left alone.
"""

from __future__ import annotations

import psycopg

DDL = """
create schema if not exists meta;
create table if not exists meta.load_log (
    load_id bigserial primary key,
    source text not null,
    table_name text not null,
    file_name text not null,
    url text not null,
    vintage text,
    sha256 text,
    bytes bigint,
    etag text,
    last_modified text,
    rows_read bigint,
    rows_loaded bigint,
    rows_added bigint,
    rows_changed bigint,
    rows_rejected bigint,
    rows_withdrawn bigint,
    extra_columns text[],
    contract text,
    status text not null check (
        status in ('running', 'succeeded', 'failed', 'unchanged', 'abandoned')
    ),
    error text,
    warning text,
    started_at timestamptz not null default now(),
    finished_at timestamptz
);
-- warehouses created before the column existed
alter table meta.load_log add column if not exists contract text;
alter table meta.load_log add column if not exists warning text;
alter table meta.load_log add column if not exists rows_withdrawn bigint;
create index if not exists load_log__table on meta.load_log (table_name, started_at);
create table if not exists meta.rejected_rows (
    load_id bigint not null references meta.load_log (load_id),
    source text not null,
    table_name text not null,
    line_number bigint not null,
    raw_line text not null,
    reason text not null
);
create index if not exists rejected_rows__load on meta.rejected_rows (load_id);
"""


def ensure_ledger(conn: psycopg.Connection) -> None:
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(hashtext('meta.ledger ddl'))")
        conn.execute(DDL)


LIVENESS_LOCKS = 20_513  # first key of the two-key advisory locks that say "load N is alive"


def start(
    conn: psycopg.Connection, *, source, table_name, file_name, url, vintage, contract=None
) -> int:
    """A 'running' row for a new load; `conn` (autocommit) must stay open while it runs.
    `contract` fingerprints the contract the file is read with (see TableSpec)."""
    row = conn.execute(
        """insert into meta.load_log
               (source, table_name, file_name, url, vintage, contract, status)
           values (%s, %s, %s, %s, %s, %s, 'running') returning load_id""",
        [source, table_name, file_name, url, vintage, contract],
    ).fetchone()
    conn.execute("select pg_advisory_lock(%s, (%s %% 2147483647)::int)", [LIVENESS_LOCKS, row[0]])
    return row[0]


def finish(conn: psycopg.Connection, load_id: int, status: str, **fields) -> None:
    assignments = ", ".join(f"{name} = %({name})s" for name in fields)
    extra = f", {assignments}" if assignments else ""
    conn.execute(
        f"update meta.load_log set status = %(status)s, finished_at = now(){extra} "
        "where load_id = %(load_id)s",
        {"status": status, "load_id": load_id, **fields},
    )


def record_rejects(conn, load_id: int, source: str, table_name: str, rejects) -> None:
    """`rejects`: (line_number, raw_line, reason) tuples."""
    if not rejects:
        return
    with conn.cursor().copy(
        "copy meta.rejected_rows (load_id, source, table_name, line_number, raw_line, reason) "
        "from stdin"
    ) as copy:
        for line, raw, reason in rejects:
            copy.write_row((load_id, source, table_name, line, _storable(raw), _storable(reason)))


def _storable(text: str) -> str:
    """Postgres text cannot hold NUL: it is stored as the four characters `\\x00`."""
    return text.replace("\x00", "\\x00")


def abandon_stale(conn, table_name: str, current_load_id: int) -> int:
    """Marks 'abandoned' the loads of `table_name` still 'running' whose process is gone."""
    with conn.transaction():  # the probe locks, if taken, are released at once
        cursor = conn.execute(
            """update meta.load_log set status = 'abandoned', finished_at = now(),
                   error = 'the process running this load stopped before it finished; '
                           || 'nothing of it was written'
               where table_name = %s and status = 'running' and load_id <> %s
                 and pg_try_advisory_xact_lock(%s, (load_id %% 2147483647)::int)""",
            [table_name, current_load_id, LIVENESS_LOCKS],
        )
    return cursor.rowcount


def fail(conn, load_id: int, error: str, rejects=(), *, source: str, table_name: str, **fields):
    """Marks a load failed and keeps the rows it rejected, for diagnosis, in one transaction."""
    with conn.transaction():
        record_rejects(conn, load_id, source, table_name, rejects)
        finish(conn, load_id, "failed", error=error, **fields)


def previous_fetch(conn, table_name: str, url: str, contract: str | None = None) -> dict | None:
    """The last successful load of this URL into this table under the same contract: its
    checksum and HTTP validators. A changed contract (a new column, say) reads the file anew,
    and so does a load that landed with a warning (it is judged again each time)."""
    row = conn.execute(
        """select sha256, etag, last_modified, bytes from meta.load_log
           where table_name = %s and url = %s and status in ('succeeded', 'unchanged')
             and sha256 is not null and contract is not distinct from %s and warning is null
           order by load_id desc limit 1""",
        [table_name, url, contract],
    ).fetchone()
    if row is None:
        return None
    return {"sha256": row[0], "etag": row[1], "last_modified": row[2], "bytes": row[3]}
