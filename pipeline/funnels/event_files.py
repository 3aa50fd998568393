"""Read a generic event export (CSV, JSON lines, Parquet) into DuckDB for an ad-hoc funnel.

A file has `person_id`, `event` and `timestamp`; every other column is a property. Timestamps are
ISO 8601 (an offset is converted to UTC; none means UTC) or epoch seconds. Bad rows are never
skipped: the error names the file, the row and the field.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.funnels.matching import quote

READERS = {".csv": "read_csv", ".jsonl": "read_json", ".ndjson": "read_json",
           ".json": "read_json", ".parquet": "read_parquet"}
MAX_REPORTED = 5


class EventFileError(ValueError):
    pass


def _reader(path: Path) -> str:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise EventFileError(f"{path}: unknown format '{path.suffix}'; use .csv, .jsonl "
                             f"(.ndjson, .json) or .parquet")
    if not path.is_file():
        raise EventFileError(f"{path}: no such file")
    options = {"read_csv": ", header = true", "read_json": ", format = 'newline_delimited'",
               "read_parquet": ""}[reader]
    return f"{reader}($path{options})"


def _row_label(path: Path, row: int) -> str:
    # Rows are 1-based data rows; in a CSV the header is line 1.
    return f"{path}: row {row}" + (f" (line {row + 1})" if path.suffix.lower() == ".csv" else "")


def _load_raw(conn: duckdb.DuckDBPyConnection, path: Path, table: str) -> list[tuple[str, str]]:
    try:
        conn.execute(f"create or replace temp table {table} as "
                     f"select row_number() over () as fn_row, * from {_reader(path)}",
                     {"path": str(path)})
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        raise EventFileError(f"{path}: cannot be read: {first}") from None
    return [(d[0], d[1]) for d in conn.execute(
        "select column_name, data_type from information_schema.columns where table_name = $t "
        "order by ordinal_position", {"t": table}).fetchall()]


def _fail_rows(conn, path: Path, table: str, condition: str, what: str) -> None:
    bad = conn.execute(f"select fn_row from {table} where {condition} order by fn_row "
                       f"limit {MAX_REPORTED + 1}").fetchall()
    if bad:
        total = conn.execute(f"select count(*) from {table} where {condition}").fetchall()[0][0]
        lines = [f"{_row_label(path, r)}: {what}" for (r,) in bad[:MAX_REPORTED]]
        if total > MAX_REPORTED:
            lines.append(f"... and {total - MAX_REPORTED} more row(s)")
        raise EventFileError("\n".join(lines))


def load_events(conn: duckdb.DuckDBPyConnection, path: Path, table: str = "events") -> str:
    """Create `table(fn_row, person_id, event, timestamp TIMESTAMP, <properties>)`."""
    path = Path(path)
    raw = f"{table}_raw"
    cols = dict(_load_raw(conn, path, raw))
    missing = [c for c in ("person_id", "event", "timestamp") if c not in cols]
    if missing:
        raise EventFileError(f"{path}: no column {', '.join(repr(m) for m in missing)} "
                             f"(columns: {', '.join(c for c in cols if c != 'fn_row')})")
    _fail_rows(conn, path, raw, "person_id is null or trim(person_id::varchar) = ''",
               "person_id is empty")
    _fail_rows(conn, path, raw, "event is null", "event is empty")
    kind = cols["timestamp"].upper()
    if kind.startswith("TIMESTAMP WITH TIME ZONE"):
        ts = "timezone('UTC', timestamp)"
    elif kind.startswith("TIMESTAMP") or kind == "DATE":
        ts = "timestamp::timestamp"
    elif kind in ("BIGINT", "INTEGER", "DOUBLE", "FLOAT", "DECIMAL", "HUGEINT", "UBIGINT") \
            or kind.startswith("DECIMAL"):
        ts = "timezone('UTC', to_timestamp(timestamp::double))"
    else:
        ts = "timezone('UTC', try_cast(timestamp::varchar as timestamptz))"
    _fail_rows(conn, path, raw, f"timestamp is null or ({ts}) is null",
               "timestamp is missing or not a time (ISO 8601 or epoch seconds)")
    others = [quote(c) for c in cols if c not in ("fn_row", "person_id", "event", "timestamp")]
    conn.execute(f"""
        create or replace temp table {table} as
        select fn_row, person_id::varchar as person_id, event::varchar as event,
               {ts} as timestamp{''.join(', ' + c for c in others)}
        from {raw}
    """)
    conn.execute(f"drop table {raw}")
    return table


def load_persons(conn: duckdb.DuckDBPyConnection, path: Path, table: str = "persons") -> str:
    """Create `table(person_id, <properties>)`; one row per person."""
    path = Path(path)
    raw = f"{table}_raw"
    cols = dict(_load_raw(conn, path, raw))
    if "person_id" not in cols:
        raise EventFileError(f"{path}: no column 'person_id' "
                             f"(columns: {', '.join(c for c in cols if c != 'fn_row')})")
    _fail_rows(conn, path, raw, "person_id is null or trim(person_id::varchar) = ''",
               "person_id is empty")
    _fail_rows(conn, path, raw, "fn_row > (select min(fn_row) from " + raw +
               " r where r.person_id = " + raw + ".person_id)",
               "person_id appears on an earlier row too")
    others = [quote(c) for c in cols if c not in ("fn_row", "person_id")]
    conn.execute(f"create or replace temp table {table} as select person_id::varchar as "
                 f"person_id{''.join(', ' + c for c in others)} from {raw}")
    conn.execute(f"drop table {raw}")
    return table
