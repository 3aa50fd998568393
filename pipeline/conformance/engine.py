"""Conformance of journeys to an ideal stage order, set-based in DuckDB, aligned per variant.

The caller fills two temp tables on the connection:
- `conformance_events(person_id, occurred_at, event_order, event_name, stage, stage_index,
  touchpoint_id, department, is_stage_marker)`: every event of every journey, with the stage and
  touchpoint it belongs to (null when unmatched);
- `conformance_open_cases(person_id)`: journeys still in progress (aligned as prefixes).

`measure()` then builds, as temp tables: int_conformance_steps, int_conformance_traces,
int_conformance_variants, int_conformance_variant_alignments, int_conformance_follow_up_checks,
fct_conformance_journeys, fct_conformance_summary, fct_conformance_dfg, fct_conformance_touchpoint_dfg and
fct_conformance_start_end (see sql/conformance/).

Everything per event and per journey runs in DuckDB. The only Python loop is over distinct
(variant, closed) pairs, to run the alignment DP (pipeline/conformance/alignment.py): its cost
grows with the number of distinct paths, not with the number of customers.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa

from pipeline import sql
from pipeline.conformance.alignment import align
from pipeline.conformance.ideal import IdealMap

DEVIATION = pa.struct([("kind", pa.string()), ("subject", pa.string()),
                       ("position", pa.int32())])
EVENT_COLUMNS = ("person_id", "occurred_at", "event_order", "event_name", "stage", "stage_index",
                 "touchpoint_id", "department", "is_stage_marker")


def create_inputs(conn: duckdb.DuckDBPyConnection) -> None:
    """Empty input tables with the shapes `measure()` reads."""
    sql.run(conn, "conformance/create_inputs")


def measure(conn: duckdb.DuckDBPyConnection, ideal: IdealMap, as_of: datetime) -> None:
    _ideal_tables(conn, ideal)
    sql.run(conn, "conformance/int_conformance_steps")
    sql.run(conn, "conformance/int_conformance_traces")
    align_variants(conn, ideal)
    sql.run(conn, "conformance/int_conformance_touchpoint_deviations", {"as_of": as_of})
    sql.run(conn, "conformance/fct_conformance_journeys")
    sql.run(conn, "conformance/fct_conformance_summary")
    sql.run(conn, "conformance/fct_conformance_dfg")


def align_variants(conn: duckdb.DuckDBPyConnection, ideal: IdealMap) -> int:
    """Align each distinct (path, closed) once; returns how many alignments ran."""
    rows = conn.execute(
        "select distinct variant_id, path, is_closed from int_conformance_traces").fetchall()
    ids, closed, costs, denominators, fitness, deviations = [], [], [], [], [], []
    for variant_id, path, is_closed in rows:  # one iteration per distinct variant
        result = align(path, ideal.order, closed=is_closed)
        ids.append(variant_id)
        closed.append(is_closed)
        costs.append(result.cost)
        denominators.append(result.denominator)
        fitness.append(result.fitness)
        deviations.append([{"kind": d.kind, "subject": d.subject, "position": d.position}
                           for d in result.deviations])
    table = pa.table({
        "variant_id": pa.array(ids, pa.int64()),
        "is_closed": pa.array(closed, pa.bool_()),
        "cost": pa.array(costs, pa.int64()),
        "denominator": pa.array(denominators, pa.int64()),
        "fitness": pa.array(fitness, pa.float64()),
        "deviations": pa.array(deviations, pa.list_(DEVIATION)),
    })
    conn.register("_variant_alignments", table)
    conn.execute("create or replace temp table int_conformance_variant_alignments as "
                 "select * from _variant_alignments")
    conn.unregister("_variant_alignments")
    return len(rows)


def _ideal_tables(conn: duckdb.DuckDBPyConnection, ideal: IdealMap) -> None:
    required = pa.table({
        "stage": pa.array([t.stage for t in ideal.touchpoints if t.required], pa.string()),
        "touchpoint_id": pa.array([t.id for t in ideal.touchpoints if t.required], pa.string()),
    })
    follow_ups = pa.table({
        "follow_up_id": pa.array([f.id for f in ideal.follow_ups], pa.string()),
        "after_touchpoint": pa.array([f.after for f in ideal.follow_ups], pa.string()),
        "unless_touchpoint": pa.array([f.unless for f in ideal.follow_ups], pa.string()),
        "expect_touchpoint": pa.array([f.expect for f in ideal.follow_ups], pa.string()),
        "within_seconds": pa.array([f.within_seconds for f in ideal.follow_ups], pa.int64()),
    })
    for name, table in (("conformance_required_touchpoints", required),
                        ("conformance_follow_ups", follow_ups)):
        conn.register("_ideal_part", table)
        conn.execute(f"create or replace temp table {name} as select * from _ideal_part")
        conn.unregister("_ideal_part")
