"""Touchpoint inventory and map coverage: is every source arriving, is every event assigned to a
touchpoint of the map, and which of the map's touchpoints has no data at all."""

from __future__ import annotations

from dashboards.charts import hbar, lines_by
from dashboards.context import ReportContext
from dashboards.page import Chart, Notice, Page, Table
from dashboards.palette import OKABE_ITO

NAME = "coverage"
TITLE = "Touchpoint inventory and map coverage"
SUMMARY = "Which data arrives, which touchpoints it covers, and what the map misses."
TABLES = ["events", "identity_audit_sources", "load_rejects"]
DEPS = ["events", "identity_audit_sources"]  # asset keys, for the lineage in Dagster
MAP_TABLES = ["touchpoint_inventory", "map_coverage_unmeasured", "map_coverage_unmapped",
              "map_coverage_overlaps"]


def build(ctx: ReportContext) -> Page:
    page = Page(TITLE, SUMMARY, as_of=ctx.as_of, week=ctx.week)
    _data_arriving(ctx, page)
    return page


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
