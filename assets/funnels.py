"""Metrics layer: milestone funnels per map, segment and weekly cohort, drop-off (dropped vs in
progress, last touchpoint, what came next, drivers) and week-over-week changes, with asset checks
for the funnel invariants (docs/metrics.md, "Funnels" and "Drop-off")."""

import dagster as dg

from pipeline.funnels import milestones
from pipeline.resources import JourneysDuckDB

GROUP = "funnels"
KINDS = {"duckdb", "sql"}


def _table_specs(tables, deps: list[str], kinds=KINDS) -> list[dg.AssetSpec]:
    return [dg.AssetSpec(name, group_name=GROUP, kinds=kinds, deps=deps) for name in tables]


def _row_counts(counts: dict[str, int]):
    for table, rows in counts.items():
        yield dg.MaterializeResult(asset_key=table, metadata={"dagster/row_count": rows})


@dg.multi_asset(
    specs=_table_specs(milestones.PERSON_TABLES,
                       ["customer_milestones", "customer_journeys", "journey_maps",
                        "map_milestones"], kinds=KINDS | {"python"}),
    pool="duckdb",
    description="Each map's milestone funnel per customer (furthest step, reach times, converted"
                " / in progress / dropped), from the funnel engine (pipeline/funnels/).",
)
def funnel_persons(duckdb: JourneysDuckDB):
    with duckdb.get_connection() as conn:
        counts = milestones.build_funnel_persons(conn)
    yield from _row_counts(counts)


@dg.asset(
    group_name=GROUP, kinds=KINDS, pool="duckdb",
    deps=[*milestones.PERSON_TABLES, "journey_maps", "map_milestones"],
    description="Milestone funnels per map, overall and per entry week, persona and first-touch "
                "channel, source and department: counts, rates with Wilson intervals, times.",
)
def fct_milestone_funnels(duckdb: JourneysDuckDB) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        rows = milestones.build_milestone_funnels(conn)
    return dg.MaterializeResult(metadata={"dagster/row_count": rows})


@dg.asset(
    group_name=GROUP, kinds=KINDS, pool="duckdb",
    deps=["fct_milestone_funnels", "map_milestones"],
    description="Each milestone step's closed-cohort conversion per segment, with its interval, "
                "median time and the later steps' rate to the endpoint: the one definition "
                "step_targets and fct_opportunity_steps read.",
)
def int_milestone_step_conversion(duckdb: JourneysDuckDB) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        rows = milestones.build_step_conversion(conn)
    return dg.MaterializeResult(metadata={"dagster/row_count": rows})


@dg.multi_asset(
    specs=_table_specs(milestones.DROPOFF_TABLES,
                       [*milestones.PERSON_TABLES, "journey_events", "customer_milestones",
                        "map_milestones"]),
    pool="duckdb",
    description="Drop-off per milestone step and entry week: entered, progressed, in progress, "
                "dropped; last touchpoint before dropping; what came next; drivers (PostHog's "
                "correlation odds ratios).",
)
def funnel_dropoff(duckdb: JourneysDuckDB):
    with duckdb.get_connection() as conn:
        counts = milestones.build_dropoff(conn)
    yield from _row_counts(counts)


@dg.multi_asset(
    specs=_table_specs(milestones.TIME_TO_MILESTONE_TABLES,
                       [*milestones.PERSON_TABLES, "fct_milestone_funnels", "journey_maps",
                        "map_milestones"]),
    pool="duckdb",
    description="Time from entry to each milestone as Kaplan-Meier curves per map and segment "
                "(in-progress customers censored), with the estimated conversion and median.",
)
def time_to_milestone(duckdb: JourneysDuckDB):
    with duckdb.get_connection() as conn:
        counts = milestones.build_time_to_milestone(conn)
    yield from _row_counts(counts)


@dg.asset(
    group_name=GROUP, kinds=KINDS | {"python"}, pool="duckdb",
    deps=[*milestones.PERSON_TABLES, "journey_maps", "map_milestones"],
    description="Each step's mature-cohort conversion vs last week and vs its high-water mark, "
                "per segment, with two-proportion tests and Benjamini-Hochberg q-values.",
)
def fct_funnel_week_over_week(duckdb: JourneysDuckDB) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        rows = milestones.build_week_over_week(conn)
    return dg.MaterializeResult(metadata={"dagster/row_count": rows})


def _violations(duckdb: JourneysDuckDB, query: str) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        rows = conn.execute(query).fetchall()
    return dg.AssetCheckResult(passed=not rows, metadata={
        "violations": len(rows), "first": str(rows[:5]) if rows else ""})


@dg.asset_check(asset="fct_milestone_funnels", blocking=True,
                description="Within each funnel, counts never increase from step to step.")
def funnel_counts_never_increase(duckdb: JourneysDuckDB) -> dg.AssetCheckResult:
    return _violations(duckdb, """
        select map_id, dimension, segment, step_index from (
            select *, lag(persons) over (partition by map_id, dimension, segment
                                         order by step_index) as before
            from fct_milestone_funnels)
        where persons > before""")


@dg.asset_check(asset="fct_milestone_funnels", blocking=True,
                description="Every rate and interval bound is between 0 and 1.")
def funnel_rates_between_0_and_1(duckdb: JourneysDuckDB) -> dg.AssetCheckResult:
    return _violations(duckdb, """
        select map_id, dimension, segment, step_index from fct_milestone_funnels
        where not (coalesce(conversion_from_start, 0) between 0 and 1
               and coalesce(conversion_from_previous, 0) between 0 and 1
               and coalesce(conversion_from_previous_low, 0) between 0 and 1
               and coalesce(conversion_from_previous_high, 0) between 0 and 1
               and coalesce(mature_conversion_from_previous, 0) between 0 and 1)""")


@dg.asset_check(asset="fct_milestone_funnels", blocking=True,
                description="The per-customer step lists hold exactly as many people as the "
                            "funnel counts.")
def funnel_person_lists_match_counts(duckdb: JourneysDuckDB) -> dg.AssetCheckResult:
    return _violations(duckdb, """
        with listed as (
            select map_id, step_index, count(distinct customer_id) as listed
            from fct_funnel_person_steps group by all
        )
        select funnels.map_id, funnels.step_index, funnels.persons, listed.listed
        from fct_milestone_funnels as funnels
        left join listed using (map_id, step_index)
        where funnels.dimension = 'all' and funnels.persons <> coalesce(listed.listed, 0)""")


@dg.asset_check(asset="fct_milestone_funnels", blocking=True,
                description="Every credited step comes at or after the previous one and by "
                            "the deadline its windows set (the map's, and its own).")
def funnel_conversion_times_within_window(duckdb: JourneysDuckDB) -> dg.AssetCheckResult:
    return _violations(duckdb, """
        select steps.map_id, steps.customer_id, steps.step_index
        from fct_funnel_person_steps as steps
        inner join fct_funnel_persons as persons using (map_id, customer_id)
        left join fct_funnel_person_steps as previous
            on previous.map_id = steps.map_id
            and previous.customer_id = steps.customer_id
            and previous.step_index = steps.step_index - 1
        where steps.reached_at < persons.entered_at
           or steps.seconds_from_previous < 0
           or (steps.step_index > 0
               and (previous.reached_at is null
                    or steps.reached_at < previous.reached_at
                    or steps.reached_at > previous.next_deadline_at))""")


@dg.asset_check(asset="fct_dropoff_weekly", blocking=True,
                description="entered = progressed + in progress + dropped, in every row.")
def dropoff_adds_up(duckdb: JourneysDuckDB) -> dg.AssetCheckResult:
    return _violations(duckdb, """
        select map_id, entry_week, step_index from fct_dropoff_weekly
        where entered <> progressed + in_progress + dropped
           or not coalesce(drop_off_rate between 0 and 1, true)""")
