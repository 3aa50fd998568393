"""Read a generic event export (docs/exports.md, `generic/`) into the conformance engine's input.

Columns `person_id`, `event`, `timestamp` are required; others are ignored. CSV, JSON lines and
Parquet are read by suffix. A row with an empty person or event, or a time that does not parse,
stops the command with an error naming the file, row and field: nothing is dropped silently.
An event belongs to a stage if its name equals the stage's name (a stage marker), or to a
touchpoint (and so its stage) if its name equals the touchpoint's id or one of its event names.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from pipeline import sql
from pipeline.conformance.ideal import IdealMap

REQUIRED = ("person_id", "event", "timestamp")
SHOWN_PROBLEMS = 20


class EventFileError(ValueError):
    pass


def read_table(path: Path) -> pa.Table:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise EventFileError(f"{path}: no such file")
    try:
        if suffix == ".csv":
            # Text, so a time is parsed (and reported) by us, not guessed by the CSV reader.
            table = pa_csv.read_csv(path, convert_options=pa_csv.ConvertOptions(
                column_types={c: pa.string() for c in REQUIRED}, strings_can_be_null=False))
        elif suffix in (".jsonl", ".json", ".ndjson"):
            table = pa_json.read_json(path)
        elif suffix == ".parquet":
            table = pq.read_table(path)
        else:
            raise EventFileError(f"{path}: unknown format '{suffix}'; use .csv, .jsonl or "
                                 f".parquet")
    except (pa.ArrowInvalid, OSError) as exc:
        raise EventFileError(f"{path}: cannot be read: {exc}") from None
    missing = [c for c in REQUIRED if c not in table.column_names]
    if missing:
        raise EventFileError(f"{path}: missing column(s) {', '.join(missing)}; a generic event "
                             f"file needs {', '.join(REQUIRED)}")
    columns = [table[c].cast(pa.string()) for c in REQUIRED]
    return pa.table(columns, names=list(REQUIRED)).append_column(
        "_row", pa.array(range(1, table.num_rows + 1), pa.int64()))


def event_names(ideal: IdealMap) -> pa.Table:
    """Which event name means which stage or touchpoint. A name used twice is an error."""
    index = {s.name: k for k, s in enumerate(ideal.order.stages)}
    rows: dict[str, tuple] = {}
    for stage, k in index.items():
        rows[stage] = (stage, k, None, None, True)
    for tp in ideal.touchpoints:
        for name in (tp.id, *tp.event_names):
            entry = (tp.stage, index.get(tp.stage), tp.id, tp.department, False)
            if name in rows and rows[name] != entry:
                raise EventFileError(f"ideal map {ideal.name}: event name '{name}' means both "
                                     f"{rows[name][2] or rows[name][0]} and {tp.id}")
            rows[name] = entry
    names = list(rows)
    cols = list(zip(*rows.values())) if rows else [[]] * 5
    return pa.table({
        "event_name": pa.array(names, pa.string()),
        "stage": pa.array(cols[0], pa.string()),
        "stage_index": pa.array(cols[1], pa.int32()),
        "touchpoint_id": pa.array(cols[2], pa.string()),
        "department": pa.array(cols[3], pa.string()),
        "is_stage_marker": pa.array(cols[4], pa.bool_()),
    })


def load_events(conn: duckdb.DuckDBPyConnection, path: Path, ideal: IdealMap) -> int:
    """Fill `conformance_events` from the file; returns the number of events."""
    conn.register("_event_file", read_table(path))
    conn.register("_event_names", event_names(ideal))
    try:
        sql.run(conn, "conformance/stg_event_file__events")
    finally:
        conn.unregister("_event_file")
        conn.unregister("_event_names")
    problems = conn.execute("select _row, field, problem from event_file_problems "
                            "order by _row, field").fetchall()
    if problems:
        lines = [f"{path}: row {row}: {field} {problem}"
                 for row, field, problem in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(f"... and {len(problems) - SHOWN_PROBLEMS} more")
        raise EventFileError(f"{path}: {len(problems)} bad row(s)\n" + "\n".join(lines))
    return conn.execute("select count(*) from conformance_events").fetchall()[0][0]
