"""Milestone funnels of the journey maps: the funnel engine per map over `customer_milestones`,
then drop-off and week-over-week tables in SQL (sql/funnels/, docs/metrics.md#drop-off)."""

from __future__ import annotations

import duckdb

from pipeline import sql
from pipeline.funnels.engine import evaluate
from pipeline.funnels.spec import FunnelSpec, Step
from pipeline.funnels.week_over_week import score

PERSON_TABLES = ("fct_funnel_persons", "fct_funnel_person_steps", "int_funnel_segments")
DROPOFF_TABLES = ("fct_dropoff_weekly", "int_dropoff_persons", "fct_dropoff_last_touchpoints",
                  "fct_dropoff_next_steps", "fct_dropoff_drivers")
TIME_TO_MILESTONE_TABLES = ("fct_time_to_milestone", "fct_time_to_milestone_summary")
# The high-water mark only counts weeks where this many persons reached the step before.
MIN_HIGH_WATER_PERSONS = 20


def map_spec(milestones: list[dict], window_seconds: int) -> FunnelSpec:
    """An ordered funnel whose steps are a map's milestones, in map order, each with its own
    window (`window_seconds`, from the previous milestone) and `within_map_window`."""
    steps = [Step(event=m["milestone_id"], name=m["milestone_id"],
                  window=None if m["window_seconds"] is None else f"{int(m['window_seconds'])}s",
                  within_funnel_window=m["within_map_window"] is not False)
             for m in milestones]
    return FunnelSpec(steps=steps, order="ordered", window=f"{int(window_seconds)}s")


def build_funnel_persons(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    sql.run(conn, "funnels/create_funnel_persons")
    maps = conn.execute("""
        select maps.map_id, maps.window_seconds,
               list({'milestone_id': milestones.milestone_id,
                     'window_seconds': milestones.window_seconds,
                     'within_map_window': milestones.within_map_window}
                    order by milestones.milestone_index)
        from journey_maps as maps
        inner join map_milestones as milestones on milestones.map_id = maps.map_id
        group by all order by maps.map_id
    """).fetchall()
    for map_id, window_seconds, milestones in maps:
        if len(milestones) < 2:
            continue  # a funnel needs two steps; a one-milestone map has no conversion
        spec = map_spec(milestones, window_seconds)
        sql.run(conn, "funnels/int_funnel_milestone_events", {"map_id": map_id})
        evaluate(conn, "int_funnel_milestone_events", spec, tiebreak="event_order")
        sql.run(conn, "funnels/insert_funnel_persons",
                {"map_id": map_id, "window_seconds": spec.window_seconds,
                 "last_step": len(milestones) - 1})
    sql.run(conn, "funnels/int_funnel_segments")
    return _counts(conn, PERSON_TABLES)


def build_milestone_funnels(conn: duckdb.DuckDBPyConnection) -> int:
    sql.run(conn, "metrics/create_wilson_macros")
    sql.run(conn, "funnels/fct_milestone_funnels")
    return _counts(conn, ["fct_milestone_funnels"])["fct_milestone_funnels"]


def build_step_conversion(conn: duckdb.DuckDBPyConnection) -> int:
    sql.run(conn, "metrics/create_wilson_macros")
    sql.run(conn, "funnels/int_milestone_step_conversion")
    return _counts(conn, ["int_milestone_step_conversion"])["int_milestone_step_conversion"]


def build_dropoff(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    sql.run(conn, "metrics/create_wilson_macros")
    for table in DROPOFF_TABLES:
        sql.run(conn, f"funnels/{table}")
    return _counts(conn, DROPOFF_TABLES)


def build_time_to_milestone(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    for table in TIME_TO_MILESTONE_TABLES:
        sql.run(conn, f"funnels/{table}")
    return _counts(conn, TIME_TO_MILESTONE_TABLES)


def build_week_over_week(conn: duckdb.DuckDBPyConnection) -> int:
    sql.run(conn, "funnels/int_funnel_weekly_conversion",
            {"min_hwm_persons": MIN_HIGH_WATER_PERSONS})
    conn.register("week_over_week_scored", score(conn))
    conn.execute("create or replace table fct_funnel_week_over_week as "
                 "select * from week_over_week_scored")
    conn.unregister("week_over_week_scored")
    return _counts(conn, ["fct_funnel_week_over_week"])["fct_funnel_week_over_week"]


def _counts(conn, tables) -> dict[str, int]:
    return {t: conn.execute(f"select count(*) from {t}").fetchall()[0][0] for t in tables}
