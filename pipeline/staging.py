"""Build the staged layer: canonical views over raw tables, identity links, person properties,
and the weekly-partitioned `events` table.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb

from pipeline import sql
from pipeline.loading import ensure_load_tables, ensure_raw_table
from pipeline.sources import SourcesConfig, resolve

#: Vendor staging views, one per source object that yields events (docs/exports.md). Zendesk
#: users are not events: they only link identities (sql/staging/identity_links.sql).
VENDOR_VIEWS: dict[str, tuple[str, ...]] = {
    "hubspot": ("contacts", "deals", "deal_property_history", "contact_property_history",
                "list_memberships", "workflow_enrollments"),
    "sendgrid": ("events",),
    "segment": ("events",),
    "zendesk": ("tickets", "ticket_comments", "ticket_metrics", "satisfaction_ratings"),
    "surveys": ("responses",),
}


def build_views(conn: duckdb.DuckDBPyConnection, config: SourcesConfig, exports_dir) -> list[str]:
    """(Re)create every staging view for the configured sources; returns the event views.

    Raw tables are created empty where no file has arrived yet, so the views always bind.
    """
    ensure_load_tables(conn)
    for obj in resolve(config, exports_dir):
        ensure_raw_table(conn, obj)
    # identity_links and person_properties read HubSpot and Zendesk raw tables even when those
    # sources are switched off; empty tables keep them valid.
    for table in ("raw_hubspot__contacts", "raw_zendesk__users", "raw_zendesk__tickets",
                  "raw_hubspot__deals"):
        sql.run(conn, "raw/create_raw_table", raw_table=table)
    sql.run(conn, "staging/create_events")

    for name in generic_sources(config):
        src = config.sources[name]
        sql.run(conn, "staging/create_source_settings", {
            "source": name, "kind": "generic", "person_id_type": src.person_id_type,
            "event_type_prefix": src.event_type_prefix, "category": src.category,
            "channel": src.channel})
        sql.run(conn, "staging/stg_generic__events", source=name)
        sql.run(conn, "staging/stg_generic__persons", source=name)
    for name, src in config.sources.items():
        kind = src.kind or name
        if src.enabled and kind != "generic":
            for obj in VENDOR_VIEWS[kind]:
                sql.run(conn, f"staging/stg_{kind}__{obj}")
    return event_views(config)


def event_views(config: SourcesConfig) -> list[str]:
    """The staging views that feed `events`, for the enabled sources."""
    views = []
    for name, src in config.sources.items():
        kind = src.kind or name
        if not src.enabled:
            continue
        if kind == "generic":
            views.append(f"stg_{name}__events")
        else:
            views.extend(f"stg_{kind}__{obj}" for obj in VENDOR_VIEWS[kind])
    return views


def generic_sources(config: SourcesConfig) -> list[str]:
    return [n for n, s in config.sources.items() if s.enabled and (s.kind or n) == "generic"]


def build_identity_inputs(conn: duckdb.DuckDBPyConnection, config: SourcesConfig) -> dict:
    sql.run(conn, "staging/identity_links")
    sql.run(conn, "staging/person_properties")
    for name in generic_sources(config):
        sql.run(conn, "staging/insert_person_properties", source=name)
    links = conn.execute("select count(*) from identity_links").fetchall()[0][0]
    props = conn.execute("select count(*) from person_properties").fetchall()[0][0]
    return {"identity_links": links, "person_properties": props}


def rebuild_event_weeks(
    conn: duckdb.DuckDBPyConnection, views: list[str], first_week: date, end_week: date
) -> dict[str, int]:
    """Replace the events of weeks [first_week, end_week) with what the views hold now.

    One transaction, so a failed rebuild leaves the previous weeks in place. Returns the rows
    inserted per view.
    """
    start_at = datetime.combine(first_week, datetime.min.time())
    end_at = datetime.combine(end_week, datetime.min.time())
    inserted = {}
    conn.execute("begin transaction")
    try:
        sql.run(conn, "staging/delete_events_partition",
                {"first_week": first_week, "end_week": end_week})
        for view in views:
            before = conn.execute("select count(*) from events").fetchall()[0][0]
            sql.run(conn, "staging/insert_events", {"start_at": start_at, "end_at": end_at},
                    view=view)
            inserted[view] = conn.execute("select count(*) from events").fetchall()[0][0] - before
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return inserted


def staged_rows_in_window(conn, views: list[str], first_week: date, end_week: date) -> int:
    """Rows the views hold for the weeks, counted straight from the views (for the check)."""
    start_at = datetime.combine(first_week, datetime.min.time())
    end_at = datetime.combine(end_week, datetime.min.time())
    total = 0
    for view in views:
        total += sql.run(conn, "staging/count_view_window",
                         {"start_at": start_at, "end_at": end_at}, view=view).fetchall()[0][0]
    return total


def staged_rows_outside_partitions(conn, views: list[str], partitions_start: date,
                                   partitions_end: date) -> dict:
    """Staged rows no weekly partition covers: before `partitions_start` (the first week's
    Monday) or on/after `partitions_end` (the Monday of the current, unfinished week)."""
    params = {"partitions_start": datetime.combine(partitions_start, datetime.min.time()),
              "partitions_end": datetime.combine(partitions_end, datetime.min.time())}
    before = after = 0
    earliest = latest = None
    for view in views:
        b, a, lo, hi = sql.run(conn, "staging/count_view_outside_partitions", params,
                               view=view).fetchall()[0]
        before, after = before + b, after + a
        earliest = lo if earliest is None or (lo is not None and lo < earliest) else earliest
        latest = hi if latest is None or (hi is not None and hi > latest) else latest
    return {"before_first_week": before, "in_unfinished_week": after,
            "earliest": earliest, "latest": latest}


def duplicate_event_keys(conn, first_week: date, end_week: date) -> tuple[int, int]:
    """Events in the weeks, and how many of them repeat an event_key.

    Distinct 64-bit hashes of the keys are counted first (a hash aggregate of integers, not of
    64-character strings): as many distinct hashes as rows proves the keys unique. Only when
    hashes repeat are the keys themselves counted, so a hash collision cannot fail the check.
    """
    window = [first_week, end_week]
    rows, distinct_hashes = conn.execute(
        "select count(*), count(distinct hash(event_key)) from events "
        "where event_week >= ? and event_week < ?", window).fetchall()[0]
    if distinct_hashes == rows:
        return rows, 0
    distinct_keys = conn.execute(
        "select count(distinct event_key) from events where event_week >= ? and event_week < ?",
        window).fetchall()[0][0]
    return rows, rows - distinct_keys


def week_span(conn: duckdb.DuckDBPyConnection, views: list[str]) -> tuple[date, date] | None:
    """The Mondays of the first and last week that any staged event falls in."""
    if not views:
        return None
    union = " union all ".join(f"select min(occurred_at) lo, max(occurred_at) hi from {v}"
                               for v in views)
    lo, hi = conn.execute(f"select min(lo), max(hi) from ({union})").fetchall()[0]
    if lo is None:
        return None
    monday = lambda ts: (ts - timedelta(days=ts.weekday())).date()  # noqa: E731
    return monday(lo), monday(hi)
