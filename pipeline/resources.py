"""The project's DuckDB resource.

Dagster's own DuckDBResource cannot open read-only, leaks the connection when the body raises,
and cannot pin the session time zone (see ../shared/reference/dagster-duckdb-notes.md §4.2). This
one opens the file, pins UTC, bounds memory and threads, spills to a temp directory beside the
database, and always closes.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from pipeline import settings


def connect(
    database: str | Path,
    *,
    read_only: bool = False,
    memory_limit: str = settings.DUCKDB_MEMORY_LIMIT,
    threads: int = settings.DUCKDB_THREADS,
) -> duckdb.DuckDBPyConnection:
    """Open the database with the project's session settings.

    UTC is pinned right after connecting: naive TIMESTAMP columns hold UTC, and a session zone
    other than UTC would shift comparisons against partition bounds.
    """
    path = Path(database)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(path), read_only=read_only)
    try:
        conn.execute("set TimeZone = 'UTC'")
        conn.execute(f"set memory_limit = '{memory_limit}'")
        conn.execute(f"set threads = {int(threads)}")
        conn.execute(f"set temp_directory = '{path.with_suffix('.duckdb.tmp')}'")
        conn.execute("set preserve_insertion_order = false")
    except Exception:
        conn.close()
        raise
    return conn


class JourneysDuckDB(dg.ConfigurableResource):
    """The embedded DuckDB file. Every asset that opens it sits in the `duckdb` pool."""

    database: str
    read_only: bool = False
    memory_limit: str = settings.DUCKDB_MEMORY_LIMIT
    threads: int = settings.DUCKDB_THREADS

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        started = time.monotonic()
        conn = connect(
            self.database,
            read_only=self.read_only,
            memory_limit=self.memory_limit,
            threads=self.threads,
        )
        waited = time.monotonic() - started
        if waited > 1.0:
            dg.get_dagster_logger().warning(f"waited {waited:.1f}s to open {self.database}")
        try:
            yield conn
        finally:
            conn.close()
