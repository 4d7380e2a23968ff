"""The load ledger: `meta.load_log` has one row per load, `meta.rejected_rows` every row
quarantined by a load, with its line, its raw text and the reason."""

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
    extra_columns text[],
    status text not null check (
        status in ('running', 'succeeded', 'failed', 'unchanged', 'abandoned')
    ),
    error text,
    started_at timestamptz not null default now(),
    finished_at timestamptz
);
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


def start(conn: psycopg.Connection, *, source, table_name, file_name, url, vintage) -> int:
    row = conn.execute(
        """insert into meta.load_log (source, table_name, file_name, url, vintage, status)
           values (%s, %s, %s, %s, %s, 'running') returning load_id""",
        [source, table_name, file_name, url, vintage],
    ).fetchone()
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
            copy.write_row((load_id, source, table_name, line, raw, reason))


def abandon_stale(conn, table_name: str, current_load_id: int) -> int:
    """Loads of `table_name` still marked running while we hold its lock died mid-way."""
    cursor = conn.execute(
        """update meta.load_log set status = 'abandoned', finished_at = now(),
               error = 'the process running this load stopped before it finished'
           where table_name = %s and status = 'running' and load_id <> %s""",
        [table_name, current_load_id],
    )
    return cursor.rowcount


def previous_fetch(conn, table_name: str, url: str) -> dict | None:
    """The last successful load of this URL into this table: its checksum and HTTP validators."""
    row = conn.execute(
        """select sha256, etag, last_modified from meta.load_log
           where table_name = %s and url = %s and status in ('succeeded', 'unchanged')
             and sha256 is not null
           order by load_id desc limit 1""",
        [table_name, url],
    ).fetchone()
    if row is None:
        return None
    return {"sha256": row[0], "etag": row[1], "last_modified": row[2]}
