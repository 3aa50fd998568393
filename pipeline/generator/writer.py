"""Write export files from Arrow row tables through an in-memory DuckDB connection.

Row order is decided before the rows reach DuckDB (tables arrive sorted), and every query here
is a plain projection, so DuckDB's insertion-order guarantee keeps the bytes deterministic.
A JSON shape lives in `sql/<shape>.sql` and selects `line` and `_truncate` from `rows`; a CSV
shape selects its header names as column aliases, plus `_fields` (keep only that many fields:
a deliberately short row).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SQL_DIR = Path(__file__).parent / "sql"
BOM = b"\xef\xbb\xbf"
# Lines fetched per Arrow batch: small enough that a batch of long JSON lines stays a few MB.
BATCH_ROWS = 16_384


@cache
def shape_sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class Writer:
    def __init__(self, out_dir: Path, threads: int = 2):
        self.out_dir = Path(out_dir)
        self.con = duckdb.connect()
        self.con.execute(f"set threads = {int(threads)}")
        self.con.execute("set preserve_insertion_order = true")
        self.con.execute("set TimeZone = 'UTC'")
        self.con.execute("set enable_progress_bar = false")
        self.con.execute(shape_sql("macros"))

    def close(self) -> None:
        self.con.close()

    def path(self, relative: str) -> Path:
        p = self.out_dir / relative
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def jsonl(self, relative: str, rows: pa.Table, shape: str) -> int:
        """Write one JSON object per line; rows flagged `_truncate` are cut mid-object."""
        query = (
            "select case when _truncate then left(line, (length(line) * 3) // 5) else line end"
            f" as line from ({shape_sql(shape)})"
        )
        return self._write(relative, rows, query)

    def csv(self, relative: str, rows: pa.Table, shape: str, bom: bool = False,
            append: bool = False) -> int:
        """Write a CSV (or append rows to one, writing the header only into a new file)."""
        self.con.register("rows", rows)
        try:
            columns = [c for c in self.con.sql(shape_sql(shape)).columns if not c.startswith("_")]
            short = "_fields" in self.con.sql(shape_sql(shape)).columns
        finally:
            self.con.unregister("rows")
        fields = [
            f"case when _fields is null or _fields >= {i + 1} then {_field(c)} end"
            if i and short else _field(c)
            for i, c in enumerate(columns)
        ]
        query = f"select concat_ws(',', {', '.join(fields)}) as line from ({shape_sql(shape)})"
        path = self.path(relative)
        fresh = not append or not path.exists() or path.stat().st_size == 0
        head = ",".join(_csv_header(c) for c in columns) if fresh else None
        return self._write(relative, rows, query, head=head, bom=bom and fresh, append=append)

    def _write(self, relative: str, rows: pa.Table, query: str, head: str | None = None,
               bom: bool = False, append: bool = False) -> int:
        count = 0
        self.con.register("rows", rows)
        try:
            reader = self.con.sql(query).to_arrow_reader(BATCH_ROWS)
            with open(self.path(relative), "ab" if append else "wb") as f:
                if bom:
                    f.write(BOM)
                if head is not None:
                    f.write(head.encode() + b"\n")
                for batch in reader:
                    if batch.num_rows:
                        f.write(_lines(batch.column(0)))
                        count += batch.num_rows
        finally:
            self.con.unregister("rows")
        return count


def _field(column: str) -> str:
    return f"csv_field(cast({_quote(column)} as varchar))"


def _csv_header(name: str) -> str:
    return f'"{name}"' if any(ch in name for ch in ',"') else name


def _lines(column: pa.Array) -> memoryview:
    """The column's values, each followed by a newline, as one contiguous buffer."""
    if column.type not in (pa.string(), pa.large_string()):
        column = column.cast(pa.large_string())
    joined = pc.binary_join_element_wise(column, "", "\n")
    offsets_type = np.int64 if joined.type == pa.large_string() else np.int32
    offsets = np.frombuffer(joined.buffers()[1], dtype=offsets_type)
    start, end = offsets[joined.offset], offsets[joined.offset + len(joined)]
    return memoryview(joined.buffers()[2])[start:end]
