"""A declared contract: the columns a raw table holds, their types, and its natural key.

Columns are matched to the file by header name, never by position; a column the contract does
not know is reported, not an error; a required column that is missing fails the load.
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

    def __post_init__(self):
        names = {c.name for c in self.columns}
        missing = [k for k in self.natural_key if k not in names]
        if missing:
            raise ValueError(f"natural key {missing} not among the contract's columns")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def value_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.name not in self.natural_key]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)
