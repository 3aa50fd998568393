"""Staged layer: canonical views over the raw tables, the identity inputs, and the weekly
partitioned `events` table."""

import warnings
from datetime import date, timedelta

import dagster as dg

from pipeline import settings, staging
from pipeline.partitions import events_weekly_partition
from pipeline.project import JourneysProject
from pipeline.resources import JourneysDuckDB

# One run per backfill is deliberate (DuckDB takes one writer); Dagster 1.13 still marks the
# parameter beta and would print that on every `journeys run`.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*backfill_policy.*")

RAW_ASSETS = ["raw_hubspot", "raw_sendgrid", "raw_segment", "raw_zendesk", "raw_surveys",
              "raw_generic"]


@dg.asset(
    group_name="staging",
    kinds={"duckdb", "sql"},
    pool="duckdb",
    deps=RAW_ASSETS,
    description="One view per source object mapping raw records to canonical events "
                "(sql/staging/stg_<source>__<object>.sql).",
)
def staged_views(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB,
                 project: JourneysProject) -> dg.MaterializeResult:
    config = project.config()
    with duckdb.get_connection() as conn:
        views = staging.build_views(conn, config, project.exports_path)
        counts = {v: conn.execute(f"select count(*) from {v}").fetchall()[0][0] for v in views}
        span = staging.week_span(conn, views)
    return dg.MaterializeResult(metadata={
        "dagster/row_count": sum(counts.values()),
        "rows_per_view": dg.MetadataValue.json(counts),
        "first_week": str(span[0]) if span else "",
        "last_week": str(span[1]) if span else "",
    })


@dg.asset(
    group_name="staging",
    kinds={"duckdb", "sql"},
    pool="duckdb",
    deps=[staged_views],
    description="Identity links no single event carries (HubSpot merges, Zendesk users) and "
                "person properties from CRM contacts and generic persons files.",
)
def identity_inputs(duckdb: JourneysDuckDB, project: JourneysProject) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        counts = staging.build_identity_inputs(conn, project.config())
    return dg.MaterializeResult(metadata={
        "dagster/row_count": counts["identity_links"],
        "identity_links": counts["identity_links"],
        "person_properties": counts["person_properties"],
    })


def partitions_span() -> tuple[date, date]:
    """The Monday of the first weekly partition, and the Monday that ends the last one (the
    start of the current, unfinished week)."""
    first = date.fromisoformat(settings.first_week())
    last = events_weekly_partition.get_last_partition_window()
    return first, (last.end.date() if last else first)


@dg.asset(
    group_name="staging",
    kinds={"duckdb", "sql"},
    pool="duckdb",
    deps=[staged_views],
    partitions_def=events_weekly_partition,
    backfill_policy=dg.BackfillPolicy.single_run(),
    description="Canonical events (export-formats.md §2), one row per touchpoint event, "
                "partitioned by the Monday (UTC) of occurred_at.",
    check_specs=[
        dg.AssetCheckSpec("events_match_staged_rows", asset="events", blocking=True,
                          description="every staged row of the weeks is in events, once"),
        dg.AssetCheckSpec("event_key_unique", asset="events", blocking=True),
        dg.AssetCheckSpec("staged_events_outside_partitions", asset="events",
                          description="no staged event falls before the first weekly "
                                      "partition (JOURNEYS_FIRST_WEEK) or in the current, "
                                      "unfinished week, where no run builds it"),
    ],
)
def events(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB,
           project: JourneysProject) -> dg.MaterializeResult:
    window = context.partition_time_window
    first_week = window.start.date()
    end_week = window.end.date()
    config = project.config()
    # staged_views, upstream, has built the views; this only needs their names.
    views = staging.event_views(config)
    with duckdb.get_connection() as conn:
        inserted = staging.rebuild_event_weeks(conn, views, first_week, end_week)
        expected = staging.staged_rows_in_window(conn, views, first_week, end_week)
        in_window, duplicate_keys = staging.duplicate_event_keys(conn, first_week, end_week)
        outside = staging.staged_rows_outside_partitions(conn, views, *partitions_span())
        per_type = conn.execute(
            "select event_type, count(*) from events where event_week >= ? and event_week < ? "
            "group by all order by 2 desc", [first_week, end_week]).fetchall()
    weeks = (end_week - first_week) // timedelta(days=7)
    return dg.MaterializeResult(
        metadata={
            "dagster/partition_row_count": in_window,
            "weeks": weeks,
            "rows_per_view": dg.MetadataValue.json(inserted),
            "events_per_type": dg.MetadataValue.md(
                "| event_type | events |\n|---|---|\n"
                + "\n".join(f"| {t} | {n} |" for t, n in per_type)),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="events_match_staged_rows", passed=in_window == expected,
                metadata={"events": in_window, "staged_rows": expected}),
            dg.AssetCheckResult(
                check_name="event_key_unique", passed=duplicate_keys == 0,
                metadata={"duplicate_keys": duplicate_keys}),
            dg.AssetCheckResult(
                check_name="staged_events_outside_partitions",
                passed=outside["before_first_week"] + outside["in_unfinished_week"] == 0,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={
                    "before_first_week": outside["before_first_week"],
                    "in_unfinished_week": outside["in_unfinished_week"],
                    "earliest": str(outside["earliest"] or ""),
                    "latest": str(outside["latest"] or ""),
                    "first_week": settings.first_week(),
                }),
        ],
    )

