"""Land typed rows in a versioned raw table: COPY into a temporary stage, merge in SQL.

`raw.<source>__<table>` keeps every distinct version of a row. `_load_id` is the load that
brought a version; `_superseded_load_id` the load that replaced it (null for the current one).
A file identical to what is stored adds nothing; a revised one adds versions for changed rows.
A row a republished file drops is withdrawn: superseded by that load, with no newer version.

Into a table with no rows yet, a load COPies straight into the table and builds its current-key
index afterwards (`begin_direct` .. `end_direct`): the index finds any key the file repeats, and
the caller then loads the file again the staged way, which says which lines repeat it. The
(empty) table stays locked, reads included, until that first load commits.
"""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager

import pandas as pd
import psycopg
import pyarrow as pa
from psycopg import sql

from loaders.core.binary_copy import BinaryCopy, arrow_schema, arrow_table
from loaders.core.contract import Contract
from loaders.core.errors import LoadError

RAW_SCHEMA = "raw"
MAX_IDENTIFIER = 63  # Postgres silently truncates longer names

META_COLUMNS = (
    ("_load_id", "bigint not null"),
    ("_loaded_at", "timestamptz not null"),
    ("_superseded_load_id", "bigint"),
)


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
        self.current_key = _short_name(f"{table}__current_key")  # the index of current rows
        self._direct = False  # between begin_direct and end_direct
        self._copy: BinaryCopy | None = None
        self.rows_copied = 0

    def ensure_table(self) -> None:
        if self._is_complete():
            return  # the usual case: no DDL, so none of its exclusive locks on a read table
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
        self._create_current_key()

    def _is_complete(self) -> bool:
        """The table exists with every contract column and its current-key index."""
        names = [*self.contract.names, *(name for name, _ in META_COLUMNS)]
        present, has_key = self.conn.execute(
            """select
                   (select count(*) from pg_attribute
                    where attrelid = to_regclass(%(table)s) and attname = any(%(names)s)
                        and attnum > 0 and not attisdropped),
                   to_regclass(%(key)s) is not null""",
            {
                "table": f'"{self.schema}"."{self.table}"',
                "names": names,
                "key": f'"{self.schema}"."{self.current_key}"',
            },
        ).fetchone()
        return present == len(names) and has_key

    def _create_current_key(self) -> None:
        self.conn.execute(
            sql.SQL(
                "create unique index if not exists {} on {} ({}) where _superseded_load_id is null"
            ).format(
                sql.Identifier(self.current_key),
                self.target,
                sql.SQL(", ").join(map(sql.Identifier, self.contract.natural_key)),
            )
        )

    def is_empty(self) -> bool:
        query = sql.SQL("select not exists (select from {})").format(self.target)
        return self.conn.execute(query).fetchone()[0]

    def begin_direct(self, load_id: int) -> bool:
        """Rows will go straight into the table, stamped with `load_id`, if it has no rows
        (else False, nothing done). Call it in a savepoint: the table is truncated (empty, but
        COPY can then write its rows frozen: later reads need not touch every page again)."""
        self.conn.execute(sql.SQL("lock table {} in access exclusive mode").format(self.target))
        if not self.is_empty():
            return False
        self.conn.execute(sql.SQL("truncate {}").format(self.target))
        self.conn.execute("set local maintenance_work_mem = '512MB'")
        index = sql.Identifier(self.schema, self.current_key)
        self.conn.execute(sql.SQL("drop index if exists {}").format(index))
        # the same two values on every row: defaults for the load, so COPY need not carry them
        self.conn.execute(
            sql.SQL(
                "alter table {} alter column _load_id set default {}, "
                "alter column _loaded_at set default now()"
            ).format(self.target, sql.Literal(load_id))
        )
        self._direct = True
        return True

    def end_direct(self) -> int:
        """Builds the current-key index again: raises UniqueViolation if the file repeats a
        key. Returns the rows added."""
        self._direct = False
        self.conn.execute(
            sql.SQL(
                "alter table {} alter column _load_id drop default, "
                "alter column _loaded_at drop default"
            ).format(self.target)
        )
        self._create_current_key()
        return self.rows_copied

    def open_stage(self) -> None:
        self._direct, self.rows_copied = False, 0
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

    def copying(self) -> AbstractContextManager[BinaryCopy]:
        """The COPY that `copy` writes to: into the stage, or into the table itself between
        `begin_direct` and `end_direct`."""
        if self._direct:
            schema = arrow_schema(self.contract, {})
            self._copy = BinaryCopy(self.conn, self.target, schema, freeze=True)
        else:
            extra = {"_line": pa.int64()}
            self._copy = BinaryCopy(self.conn, self.stage, arrow_schema(self.contract, extra))
        return self._copy

    def copy(self, rows: pd.DataFrame) -> None:
        """COPY a typed frame (index = line numbers), inside `with lander.copying()`."""
        if rows.empty:
            return
        extra = {}
        if not self._direct:
            extra = {"_line": pa.array(rows.index.to_numpy(), type=pa.int64())}
        self._copy.write(arrow_table(rows, self.contract, extra))
        self.rows_copied += len(rows)

    def remove_duplicates(self) -> list[tuple[int, str, str]]:
        """Rows whose natural key already appeared earlier in the file: the first one stays.

        Returns (line, "", reason) per removed row: the raw text is the caller's to fill in.
        """
        key = sql.SQL(", ").join(map(sql.Identifier, self.contract.natural_key))
        if len(self.contract.natural_key) > 1:  # how many distinct keys: the merge's join plan
            statistics = sql.Identifier("pg_temp", _short_name(f"_stage_{self.table}_keys"))
            self.conn.execute(
                sql.SQL("create statistics {} (ndistinct) on {} from {}").format(
                    statistics, key, self.stage
                )
            )
        self.conn.execute(sql.SQL("analyze {}").format(self.stage))
        if self._index_stage_key():  # the usual case: no key repeats
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
        self._index_stage_key()
        key_text = ", ".join(self.contract.natural_key)
        return [
            (line, "", f"duplicate key ({key_text}): first seen on line {first}")
            for line, first in sorted(rows)
        ]

    def _index_stage_key(self) -> bool:
        """A unique index on the stage's natural key, which `withdraw` then uses; False (and
        no index) when a key repeats. Keys are never null: validation rejects those rows."""
        index = sql.Identifier(_short_name(f"_stage_{self.table}_key"))
        key = sql.SQL(", ").join(map(sql.Identifier, self.contract.natural_key))
        try:
            with self.conn.transaction():  # a savepoint: a failed build leaves the load going
                self.conn.execute(
                    sql.SQL("create unique index {} on {} ({})").format(index, self.stage, key)
                )
        except psycopg.errors.UniqueViolation:
            return False
        return True

    def merge(self, load_id: int) -> tuple[int, int]:
        """Supersede changed rows and insert new versions; returns (added, changed).

        One join of the stage with the current rows finds the new and the changed ones (a
        file mostly the same as what is stored: a few); only those are then written."""
        key_match = sql.SQL(" and ").join(
            sql.SQL("r.{0} = s.{0}").format(sql.Identifier(k)) for k in self.contract.natural_key
        )
        values = self.contract.value_columns
        differs = sql.SQL("({}) is distinct from ({})").format(
            sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(v)) for v in values),
            sql.SQL(", ").join(sql.SQL("s.{}").format(sql.Identifier(v)) for v in values),
        )
        if len(values) == 1:
            differs = sql.SQL("r.{0} is distinct from s.{0}").format(sql.Identifier(values[0]))
        elif not values:
            differs = sql.SQL("false")
        delta = sql.Identifier(_short_name(f"_delta_{self.table}"))
        columns = sql.SQL(", ").join(self.columns)
        self.conn.execute(
            sql.SQL(
                "create temporary table {delta} on commit drop as "
                "select {stage_columns}, r.ctid is not null as replaces from {stage} s "
                "left join {target} r on r._superseded_load_id is null and {key_match} "
                "where r.ctid is null or {differs}"
            ).format(
                delta=delta,
                stage_columns=sql.SQL(", ").join(sql.SQL("s.") + c for c in self.columns),
                stage=self.stage,
                target=self.target,
                key_match=key_match,
                differs=differs,
            )
        )
        self.conn.execute(sql.SQL("analyze {}").format(delta))  # few rows: index lookups
        changed = self.conn.execute(
            sql.SQL(
                "update {target} r set _superseded_load_id = %(load_id)s from {delta} s "
                "where s.replaces and r._superseded_load_id is null and {key_match}"
            ).format(target=self.target, delta=delta, key_match=key_match),
            {"load_id": load_id},
        ).rowcount
        inserted = self.conn.execute(
            sql.SQL(
                "insert into {target} ({columns}, _load_id, _loaded_at) "
                "select {columns}, %(load_id)s, now() from {delta}"
            ).format(target=self.target, columns=columns, delta=delta),
            {"load_id": load_id},
        ).rowcount
        return inserted - changed, changed

    def withdraw(self, load_id: int) -> int:
        """After `merge`: current rows whose key the stage (the whole republished file) lacks
        are superseded by `load_id` with no new version. Returns how many."""
        key_match = sql.SQL(" and ").join(
            sql.SQL("s.{0} = r.{0}").format(sql.Identifier(k)) for k in self.contract.natural_key
        )
        return self.conn.execute(
            sql.SQL(
                "update {target} r set _superseded_load_id = %(load_id)s "
                "where r._superseded_load_id is null and r._load_id <> %(load_id)s "
                "and not exists (select from {stage} s where {key_match})"
            ).format(target=self.target, stage=self.stage, key_match=key_match),
            {"load_id": load_id},
        ).rowcount
