"""COPY typed rows to Postgres in its binary format, encoded from Arrow, sent from a thread.

Binary COPY spares the server parsing text (a date or a timestamp costs it more than the row's
bytes); `pgpq` encodes Arrow record batches to that format. While the server takes one batch,
the loader goes on with the next: a sender thread writes to the connection, with at most
`QUEUED_BATCHES` batches waiting, so memory stays bounded whatever the file's size.
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

from loaders.contract import Contract

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


def copy_binary(conn: psycopg.Connection, target: sql.Composable, table: pa.Table) -> None:
    """COPY `table` (its column names are the target's) into `target`."""
    if table.num_rows == 0:
        return
    columns = sql.SQL(", ").join(map(sql.Identifier, table.column_names))
    statement = sql.SQL("copy {} ({}) from stdin (format binary)").format(target, columns)
    encoder = ArrowToPostgresBinaryEncoder(table.schema)
    batches = table.to_batches(max_chunksize=BATCH_ROWS)
    with conn.cursor().copy(statement) as copy:
        sender = _Sender(copy.write)
        try:
            for number, batch in enumerate(batches):
                buffer = encoder.write_header() if number == 0 else b""
                buffer += encoder.write_batch(batch)
                if number == len(batches) - 1:
                    buffer += encoder.finish()
                sender.put(buffer)
        except BaseException:
            sender.close(discard=True)  # the COPY is abandoned: the error says why
            raise
        sender.close()


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
