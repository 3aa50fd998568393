"""Touchpoint inventory and map coverage: is every source arriving, is every event assigned to a
touchpoint of the map, and which of the map's touchpoints has no data at all."""

from __future__ import annotations

from dashboards.charts import hbar, lines_by
from dashboards.context import ReportContext
from dashboards.page import Chart, Notice, Page, Table
from dashboards.palette import GREY, OKABE_ITO
from dashboards.wallmap import department_colours

NAME = "coverage"
TITLE = "Touchpoint inventory and map coverage"
SUMMARY = "Which data arrives, which touchpoints it covers, and what the map misses."
TABLES = ["events", "identity_audit_sources", "load_rejects"]
MAP_TABLES = ["journey_maps", "map_touchpoints", "journey_events", "customer_journeys",
              "map_coverage_unmeasured", "map_coverage_unmapped", "map_coverage_overlaps"]
DEPS = ["events", "identity_audit_sources", *MAP_TABLES]  # asset keys, for Dagster's lineage


def build(ctx: ReportContext) -> Page:
    page = Page(TITLE, SUMMARY, as_of=ctx.as_of, week=ctx.week)
    _data_arriving(ctx, page)
    if page.notice_missing("Touchpoint inventory", "journey-map", ctx.missing(*MAP_TABLES)):
        return page
    for m in ctx.frame("maps").itertuples():
        _map_coverage(ctx, page, m.map_id, m.title)
    return page


def _map_coverage(ctx: ReportContext, page: Page, map_id: str, title: str) -> None:
    sec = page.section(f"Touchpoint inventory: {title}",
                       f"Map {map_id}: every sticky note with what was measured for it, then "
                       f"what the map does not cover.")
    numbers = ctx.frame("map_touchpoint_numbers", map_id=map_id)
    if len(numbers):
        colours = department_colours(numbers["department"])
        labels = [f"{r.label} ({r.stage})" for r in numbers.itertuples()]
        sec.blocks.append(Chart(
            "Customers per touchpoint",
            "One bar per sticky note, in map order, coloured by owning department; a missing "
            "bar is a touchpoint no event was assigned to.",
            hbar(labels, numbers["n_customers"], x_title="Customers (count)",
                 y_title="Touchpoint (stage)",
                 colours=[colours[d] for d in numbers["department"]],
                 hover=[f"{r.department}: {r.n_customers:,} customers, {r.n_events:,} events"
                        for r in numbers.itertuples()]),
            Table.from_frame(numbers, {
                "touchpoint_id": ("Touchpoint", "text"), "stage": ("Stage", "text"),
                "department": ("Department", "text"), "channel": ("Channel", "text"),
                "n_customers": ("Customers", "int"), "n_events": ("Events", "int"),
                "first_seen_at": ("First seen (UTC)", "date"),
                "last_seen_at": ("Last seen (UTC)", "date")}),
            height=max(360, 22 * len(numbers) + 120)))
    unmapped = ctx.frame("map_unmapped", map_id=map_id)
    if len(unmapped):
        top = unmapped.head(15)
        sec.blocks.append(Chart(
            "Events no touchpoint matches",
            "The biggest bars are the first candidates for a new sticky note (or a rule to fix).",
            hbar(top["event"], top["n_events"], x_title="Events (count)",
                 y_title="Source · event type", colours=GREY),
            Table.from_frame(unmapped, {
                "event": ("Source · event type", "text"), "n_events": ("Events", "int"),
                "n_customers": ("Customers", "int"), "share_of_events": ("Of the map's events", "pct"),
                "event_names": ("Raw names", "text")}),
            height=max(320, 26 * len(top) + 120)))
    else:
        sec.blocks.append(Notice("Every event of this map's customers matches a touchpoint."))
    sec.blocks.append(Table.from_frame(ctx.frame("map_unmeasured", map_id=map_id), {
        "touchpoint_id": ("Touchpoint", "text"), "label": ("Sticky note", "text"),
        "stage": ("Stage", "text"), "department": ("Department", "text"),
        "reason": ("Why it has no data", "text")},
        caption="Unmeasured touchpoints: on the map, but no event was assigned to them"))
    sec.blocks.append(Table.from_frame(ctx.frame("map_overlaps", map_id=map_id), {
        "matched_touchpoints": ("Rules that matched (precedence order)", "text"),
        "assigned_touchpoint": ("Assigned to", "text"), "n_events": ("Events", "int")},
        caption="Events matched by more than one touchpoint rule"))


def _data_arriving(ctx: ReportContext, page: Page) -> None:
    sec = page.section("Data arriving", "Every source should deliver every week; a gap means a "
                                        "missing export, not a quiet week.")
    if ctx.missing(*TABLES):
        sec.blocks.append(Notice(f"Not built yet: {', '.join(ctx.missing(*TABLES))}."))
        return
    weekly = ctx.frame("events_by_source_week")
    if len(weekly):
        weekly["week"] = weekly["week_start"].astype(str)
        totals = (weekly.groupby("source_system", as_index=False)
                  .agg(n_events=("n_events", "sum"), first_week=("week", "min"),
                       last_week=("week", "max"), weeks=("week", "nunique")))
        sec.blocks.append(Chart(
            "Events per week by source",
            "Each line is one source system; a dip to zero or a missing point is a week without "
            "an export.",
            lines_by(weekly, "week", "n_events", "source_system",
                     x_title="Week starting (Monday, UTC)", y_title="Events (count)"),
            Table.from_frame(totals, {
                "source_system": ("Source", "text"), "n_events": ("Events", "int"),
                "weeks": ("Weeks with events", "int"), "first_week": ("First week", "date"),
                "last_week": ("Last week", "date")})))
    else:
        sec.blocks.append(Notice("No events loaded yet."))
    stitch = ctx.frame("stitch_by_source")
    if len(stitch):
        sec.blocks.append(Chart(
            "Events tied to a customer, by source",
            "Longer bars are better: the share of each source's events that identity stitching "
            "could attach to a customer.",
            hbar(stitch["source_system"], stitch["stitch_rate"], x_title="Events stitched (%)",
                 y_title="Source", x_percent=True, colours=OKABE_ITO[2]),
            Table.from_frame(stitch, {
                "source_system": ("Source", "text"), "n_events": ("Events", "int"),
                "n_events_attributed": ("Stitched events", "int"),
                "n_customers": ("Customers", "int"), "stitch_rate": ("Stitched", "pct")})))
    rejects = ctx.frame("rejects_by_reason")
    sec.blocks.append(Table.from_frame(rejects, {
        "source": ("Source", "text"), "object": ("Object", "text"),
        "file_name": ("File", "text"), "field": ("Field", "text"), "reason": ("Reason", "text"),
        "n_rows": ("Rows rejected", "int"), "first_row": ("First row", "int")},
        caption="Rejected export rows (the rows' own text is not shown)"))
