"""COPY typed rows to Postgres in its binary format, encoded from Arrow, sent from a thread.

Binary COPY spares the server parsing text (a date or a timestamp costs it more than the row's
bytes); `pgpq` encodes Arrow record batches to that format. One COPY takes a whole file, chunk
after chunk: while the server stores one batch, the loader goes on with the next (a sender
thread writes to the connection, with at most `QUEUED_BATCHES` batches waiting, so memory stays
bounded whatever the file's size).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
from pgpq import ArrowToPostgresBinaryEncoder
from psycopg import sql

from loaders.core.contract import Contract

BATCH_ROWS = 65_536  # about 7 MB of COPY data for a ten-column row
QUEUED_BATCHES = 3
ARROW_TYPES = {
    "text": pa.large_string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
}


def arrow_table(rows: pd.DataFrame, contract: Contract, extra: dict[str, pa.Array]) -> pa.Table:
    """The contract's columns of `rows` in the types of the raw table, then `extra` columns."""
    arrays = [_arrow_column(rows[c.name], c.type) for c in contract.columns]
    arrays += list(extra.values())
    return pa.Table.from_arrays(arrays, names=[*contract.names, *extra])


def _arrow_column(values: pd.Series, kind: str) -> pa.Array:
    if kind == "date":  # datetime64 values at midnight
        return pc.cast(pa.array(values, from_pandas=True), pa.date32(), safe=False)
    if kind == "text" and values.dtype == object:
        values = values.where(values.notna(), None)
    array = pa.array(values, type=ARROW_TYPES[kind], from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


class BinaryCopy:
    """One COPY of many Arrow tables into `target`, open from `with` to its end: while the
    server stores one chunk the caller parses the next. An error inside `with` aborts it."""

    def __init__(
        self,
        conn: psycopg.Connection,
        target: sql.Composable,
        schema: pa.Schema,
        *,
        freeze: bool = False,
    ):
        columns = sql.SQL(", ").join(map(sql.Identifier, schema.names))
        options = sql.SQL(", freeze" if freeze else "")
        self._statement = sql.SQL("copy {} ({}) from stdin (format binary{})").format(
            target, columns, options
        )
        self._conn, self._schema = conn, schema
        self._encoder = ArrowToPostgresBinaryEncoder(schema)
        self._header = self._encoder.write_header()  # sent with the first rows

    def __enter__(self) -> BinaryCopy:
        self._copying = self._conn.cursor().copy(self._statement)
        self._sender = _Sender(self._copying.__enter__().write)
        return self

    def write(self, table: pa.Table) -> None:
        for batch in table.cast(self._schema).to_batches(max_chunksize=BATCH_ROWS):
            self._sender.put(self._header + self._encoder.write_batch(batch))
            self._header = b""

    def __exit__(self, kind, error, traceback) -> None:
        if error is None:
            try:
                self._sender.put(self._header + self._encoder.finish())
                self._sender.close()
            except BaseException as failed:
                self._copying.__exit__(type(failed), failed, failed.__traceback__)
                raise
        else:
            self._sender.close(discard=True)  # the COPY is abandoned: the error says why
        self._copying.__exit__(kind, error, traceback)


def arrow_schema(contract: Contract, extra: dict[str, pa.DataType]) -> pa.Schema:
    fields = [pa.field(c.name, ARROW_TYPES[c.type]) for c in contract.columns]
    return pa.schema(fields + [pa.field(name, kind) for name, kind in extra.items()])


class _Sender:
    """Calls `write` with each buffer put, in a thread; re-raises its error in the caller."""

    def __init__(self, write: Callable[[bytes], None]):
        self._write = write
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED_BATCHES)
        self._error: BaseException | None = None
        self._discard = False
        self._thread = threading.Thread(target=self._run, name="copy sender", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (buffer := self._queue.get()) is not None:
            if self._error is None and not self._discard:
                try:
                    self._write(buffer)
                except BaseException as err:  # the server refused the data: tell the caller
                    self._error = err

    def put(self, buffer: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(buffer)

    def close(self, *, discard: bool = False) -> None:
        """Waits until every buffer put is written (or, with `discard`, dropped)."""
        self._discard = discard
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and not discard:
            raise self._error
