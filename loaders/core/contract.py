"""A declared contract: the columns a raw table holds, their types, and its natural key.

Columns are matched to the file by header name, never by position; a column the contract does
not know is reported, not an error; a required column that is missing fails the load.

A contract also says what a whole file looks like: `ends_with_newline` when the publisher's
files always end with one (a last line without it was cut short: the load fails), and
`min_rows`, the fewest data rows a complete file has (0: it may be empty). Below `min_rows` the
load fails, or, with `too_few_rows="warn"`, lands with a warning that never counts as fresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SQL_TYPES = {
    "text": "text",
    "int": "bigint",
    "float": "double precision",
    "date": "date",
    "bool": "boolean",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    header: str | None = None  # the file's header for this column; defaults to `name`
    required: bool = True  # must the file have it?
    nullable: bool = True
    non_negative: bool = False
    not_future: bool = False  # a date that cannot be after the load
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)

    def __post_init__(self):
        if self.type not in SQL_TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")

    @property
    def source_header(self) -> str:
        return self.header or self.name

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Contract:
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    null_markers: tuple[str, ...] = ("",)
    thousands_separator: str | None = None
    extra: dict = field(default_factory=dict)
    ends_with_newline: bool = False  # the publisher's files always end with a newline
    min_rows: int = 1  # the fewest data rows a complete file has; 0: it may be empty
    too_few_rows: str = "fail"  # or "warn": land it, say so in the ledger, never fresh

    def __post_init__(self):
        names = {c.name for c in self.columns}
        missing = [k for k in self.natural_key if k not in names]
        if missing:
            raise ValueError(f"natural key {missing} not among the contract's columns")
        if self.too_few_rows not in ("fail", "warn"):
            raise ValueError(f"too_few_rows must be 'fail' or 'warn', not {self.too_few_rows!r}")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def value_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.name not in self.natural_key]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)
