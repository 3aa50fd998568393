"""Conformance of every ideal map's journeys, from the journeys layer's tables.

For each ideal map: its stage order, required touchpoints and follow-ups come from the map
tables, its journeys from journey_events (see sql/conformance/stg_journey_events__conformance.sql),
the engine runs (pipeline/conformance/engine.py), and the results are saved with the map id.
Then the set-based tables over all maps: follow-up summary, steps against targets, department
handoffs.
"""

from __future__ import annotations

import duckdb

from pipeline import sql
from pipeline.conformance import engine
from pipeline.conformance.alignment import IdealOrder, Stage
from pipeline.conformance.ideal import FollowUp, IdealMap, Touchpoint

TABLES = ["conformance_journeys", "conformance_summary", "conformance_by_week",
          "conformance_variants", "conformance_deviations",
          "conformance_deviations_by_persona", "conformance_stage_dfg",
          "conformance_touchpoint_dfg", "conformance_start_end", "follow_up_checks",
          "follow_up_summary", "step_targets", "department_handoffs"]


def ideal_from_tables(conn: duckdb.DuckDBPyConnection, map_id: str) -> IdealMap:
    stages = conn.execute(
        "select stage, optional, repeatable from map_stages where map_id = ? "
        "order by stage_index", [map_id]).fetchall()
    touchpoints = conn.execute(
        "select touchpoint_id, stage, department, required from map_touchpoints "
        "where map_id = ? order by touchpoint_index", [map_id]).fetchall()
    follow_ups = conn.execute(
        "select follow_up_id, after_touchpoint, unless_touchpoint, expect_touchpoint, "
        "within_seconds from map_follow_ups where map_id = ? order by follow_up_id",
        [map_id]).fetchall()
    return IdealMap(
        name=map_id,
        order=IdealOrder(tuple(Stage(n, bool(o), bool(r)) for n, o, r in stages)),
        touchpoints=tuple(Touchpoint(t, s, d, required=bool(r)) for t, s, d, r in touchpoints),
        follow_ups=tuple(FollowUp(*f) for f in follow_ups))


def build_conformance(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild every conformance table; returns row counts per table."""
    sql.run(conn, "metrics/create_wilson_macros")
    sql.run(conn, "conformance/create_conformance_tables")
    ideal_maps = conn.execute(
        "select map_id, as_of from journey_maps where kind = 'ideal' order by map_id").fetchall()
    for map_id, as_of in ideal_maps:
        engine.create_inputs(conn)
        sql.run(conn, "conformance/stg_journey_events__conformance", {"map_id": map_id})
        engine.measure(conn, ideal_from_tables(conn, map_id), as_of)
        sql.run(conn, "conformance/insert_conformance_map", {"map_id": map_id})
    for name in ("follow_up_summary", "step_targets", "department_handoffs"):
        sql.run(conn, f"conformance/{name}")
    return {t: conn.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}
