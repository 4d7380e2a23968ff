"""What a table looks like, for the Dagster UI: its declared columns and a few rows."""

from __future__ import annotations

import dagster as dg
import psycopg
from psycopg import sql

from loaders.core.spec import TableSpec

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 40
# A preview of a view runs the view's query; give up on one that takes longer than this.
PREVIEW_TIMEOUT_MS = 5_000

# Columns every versioned raw table has beside the contract's (see loaders/land.py).
LEDGER_COLUMNS = [
    dg.TableColumn("_load_id", "bigint", "The load (meta.load_log) that wrote this version."),
    dg.TableColumn("_loaded_at", "timestamptz", "When this version was written."),
    dg.TableColumn(
        "_superseded_load_id",
        "bigint",
        "The load that replaced this version; null for the current version.",
    ),
]


def column_schema(spec: TableSpec) -> dg.TableSchema:
    """The raw table's columns as the contract declares them, then the versioning columns."""
    key = set(spec.contract.natural_key)
    columns = [
        dg.TableColumn(
            name=column.name,
            type=column.sql_type,
            description=column.description or None,
            constraints=dg.TableColumnConstraints(
                nullable=column.nullable and column.name not in key,
                other=["natural key"] if column.name in key else [],
            ),
        )
        for column in spec.contract.columns
    ]
    return dg.TableSchema(columns=columns + LEDGER_COLUMNS)


def preview(dsn: str, spec: TableSpec, limit: int = PREVIEW_ROWS) -> str:
    """The first `limit` current rows in natural-key order, as a markdown table (empty before
    the table's first file)."""
    names = spec.contract.names
    query = sql.SQL(
        "select {} from {} where _superseded_load_id is null order by {} limit {}"
    ).format(
        sql.SQL(", ").join(map(sql.Identifier, names)),
        sql.Identifier("raw", spec.table),
        sql.SQL(", ").join(map(sql.Identifier, spec.contract.natural_key)),
        sql.Literal(limit),
    )
    with psycopg.connect(dsn) as conn:
        exists = conn.execute("select to_regclass(%s)", [f"raw.{spec.table}"]).fetchone()[0]
        rows = conn.execute(query).fetchall() if exists else []
    return markdown_table(names, rows)


def relation_preview(dsn: str, relation: str, limit: int = PREVIEW_ROWS) -> str:
    """The first `limit` rows of a dbt relation (its quoted `relation_name`), as markdown."""
    query = sql.SQL("select * from {} limit {}").format(sql.SQL(relation), sql.Literal(limit))
    try:
        with psycopg.connect(dsn) as conn:
            conn.execute(sql.SQL("set statement_timeout = {}").format(PREVIEW_TIMEOUT_MS))
            cursor = conn.execute(query)
            names = [column.name for column in cursor.description]
            return markdown_table(names, cursor.fetchall())
    except psycopg.Error as err:
        return f"No preview of {relation}: {type(err).__name__}: {str(err).strip()}"


def markdown_table(names: list[str], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if len(text) > PREVIEW_CELL_CHARS:
        text = text[: PREVIEW_CELL_CHARS - 1] + "…"
    return text.replace("|", "\\|").replace("\n", " ")
