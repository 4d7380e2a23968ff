"""Run by test_killed_load as a separate process: loads the test table from the mirror, and in
the middle of the third chunk's COPY (half of it sent to the server) writes a marker file and
waits to be killed.

Usage: python -m tests.loaders.core.slow_load <dsn> <marker file>
"""

import dataclasses
import sys
import time
from pathlib import Path

import psycopg

from loaders.core.load import load_table
from tests.loaders.core.lifecycle_spec import SPEC
from warehouse.settings import Settings

CHUNK_ROWS = 5_000
PAUSE_AT_WRITE = 3


def main(dsn: str, marker: Path) -> None:
    original = psycopg.Copy.write
    writes = 0

    def write_then_stall(self, buffer):
        nonlocal writes
        writes += 1
        if writes == PAUSE_AT_WRITE:
            original(self, buffer[: len(buffer) // 2])
            self.connection.pgconn.flush()
            marker.write_text("copying")
            time.sleep(120)  # the test kills us long before
        return original(self, buffer)

    psycopg.Copy.write = write_then_stall
    load_table(dataclasses.replace(SPEC, chunk_rows=CHUNK_ROWS), dsn, Settings.from_env())


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
