"""A generic event export (docs/exports.md, `generic/`) as the conformance engine's input.

The file is read and checked by the shared ad-hoc reader (pipeline/funnels/event_files.py:
person_id, event, timestamp; a bad row stops the command naming file, row and field). Here each
event gets its stage and touchpoint: an event belongs to a stage if its name equals the stage's
name (a stage marker), or to a touchpoint (and so its stage) if its name equals the
touchpoint's id or one of its event names.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline import sql
from pipeline.conformance.ideal import IdealMap
from pipeline.funnels.event_files import EventFileError
from pipeline.funnels.event_files import load_events as read_event_file

__all__ = ["EventFileError", "event_names", "load_events"]


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
    cols = list(zip(*rows.values())) if rows else [[]] * 5
    return pa.table({
        "event_name": pa.array(list(rows), pa.string()),
        "stage": pa.array(cols[0], pa.string()),
        "stage_index": pa.array(cols[1], pa.int32()),
        "touchpoint_id": pa.array(cols[2], pa.string()),
        "department": pa.array(cols[3], pa.string()),
        "is_stage_marker": pa.array(cols[4], pa.bool_()),
    })


def load_events(conn: duckdb.DuckDBPyConnection, path: Path, ideal: IdealMap) -> None:
    """Fill `conformance_events` from the file."""
    read_event_file(conn, Path(path), table="event_file")
    conn.register("_event_names", event_names(ideal))
    try:
        sql.run(conn, "conformance/stg_event_file__events")
    finally:
        conn.unregister("_event_names")
