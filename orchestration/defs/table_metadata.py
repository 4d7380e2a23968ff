"""What a table looks like, for the Dagster UI: its declared columns and a few rows."""

from __future__ import annotations

import dagster as dg
import psycopg
from psycopg import sql

from loaders.core.raw_table import META_COLUMNS
from loaders.core.spec import TableSpec
from orchestration.defs.source_docs import table_docs

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 40
# A preview of a view runs the view's query; give up on one that takes longer than this.
PREVIEW_TIMEOUT_MS = 5_000


def column_schema(spec: TableSpec) -> dg.TableSchema:
    """The raw table's columns as the contract declares them, then the versioning columns,
    each described as in the dbt sources YAML."""
    key = set(spec.contract.natural_key)
    described = table_docs(spec.source.name, spec.name).columns
    columns = [
        dg.TableColumn(
            name=column.name,
            type=column.sql_type,
            description=described.get(column.name) or None,
            constraints=dg.TableColumnConstraints(
                nullable=column.nullable and column.name not in key,
                other=["natural key"] if column.name in key else [],
            ),
        )
        for column in spec.contract.columns
    ]
    ledger = [
        dg.TableColumn(name, sql_type.removesuffix(" not null"), described.get(name) or None)
        for name, sql_type in META_COLUMNS
    ]
    return dg.TableSchema(columns=columns + ledger)


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
