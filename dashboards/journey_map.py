"""The living journey map: each map file drawn as the workshop's wall chart, every sticky note
carrying what was measured for it, and the milestones joined by their conversion rates."""

from __future__ import annotations

import pandas as pd

from dashboards import wallmap
from dashboards.context import ReportContext
from dashboards.page import Chart, Notice, Page, Table, fmt_int, fmt_pct
from dashboards.palette import NEUTRAL

NAME = "journey_map"
TITLE = "Living journey map"
SUMMARY = "The workshop's map on the wall, with this week's numbers on every sticky note."
TABLES = ["journey_maps", "map_stages", "map_touchpoints", "map_milestones", "journey_events",
          "customer_journeys"]
DEPS = TABLES  # the journeys layer's assets


def build(ctx: ReportContext) -> Page:
    page = Page(TITLE, SUMMARY, as_of=ctx.as_of, week=ctx.week)
    if page.notice_missing("Journey map", "journey-map", ctx.missing(*TABLES),
                           hint="Add a map file under maps/ and run the pipeline."):
        return page
    maps = ctx.frame("maps")
    if not len(maps):
        page.section("Journey map").blocks.append(Notice("No journey map in maps/ yet."))
    for m in maps.itertuples():
        add_map(ctx, page, m.map_id, m.title, m.kind)
    return page


def map_notes(ctx: ReportContext, map_id: str):
    """The map's stages, its touchpoints with their numbers, and the milestone reach."""
    stages = ctx.frame("map_stages", map_id=map_id)
    numbers = ctx.frame("map_touchpoint_numbers", map_id=map_id)
    reach = ctx.frame("map_milestone_reach", map_id=map_id)
    return list(stages["stage"]), numbers, reach


def note_for(row, reach) -> wallmap.Note:
    measured = row.n_customers > 0
    lines = ([f"{fmt_int(row.n_customers)} · {fmt_pct(row.share_of_customers, 0)}"]
             if measured else ["no data yet"])
    for m in reach.itertuples():
        if m.touchpoint_id == row.touchpoint_id and m.milestone_index > 1:
            lines.append(f"M{m.milestone_index}: {fmt_pct(m.rate_from_previous, 0)} of "
                         f"M{m.milestone_index - 1}")
    badge = f"★ M{int(row.milestone_index)}" if pd.notna(row.milestone_index) else ""
    hover = (f"{row.label} ({row.touchpoint_id})<br>{row.stage} · {row.department} · "
             f"{row.channel}<br>{fmt_int(row.n_customers)} customers, {fmt_int(row.n_events)} "
             f"events")
    return wallmap.Note(row.touchpoint_id, row.label, row.stage, row.department, lines,
                        hover=hover, badge=badge, muted=not measured)


def add_map(ctx: ReportContext, page: Page, map_id: str, title: str, kind: str) -> None:
    stages, numbers, reach = map_notes(ctx, map_id)
    sec = page.section(f"{title}", f"Map {map_id} ({kind.replace('_', '-')}). Stages run left "
                                   f"to right, one lane per department; ★ marks a milestone.")
    if not len(numbers):
        sec.blocks.append(Notice(f"Map {map_id} has no touchpoints."))
        return
    notes = [note_for(r, reach) for r in numbers.itertuples()]
    edges = milestone_edges(reach)
    fig, height = wallmap.draw(stages, notes, edges)
    table = Table.from_frame(numbers, {
        "stage": ("Stage", "text"), "department": ("Department", "text"),
        "label": ("Sticky note", "text"), "channel": ("Channel", "text"),
        "n_customers": ("Customers", "int"), "share_of_customers": ("Of the persona", "pct"),
        "n_events": ("Events", "int"), "last_seen_at": ("Last seen (UTC)", "date")},
        caption="Every sticky note and its numbers")
    sec.blocks.append(Chart(
        f"{title}: the map with its numbers",
        "Each note is a touchpoint in its department's colour; the bold line is how many of the "
        "persona's customers had it and their share (Mn: the share of the milestone before who "
        "reached this one); grey dashed notes have no data; arrows join the milestones.",
        fig, table, axes=False, height=height, wide=True,
        width=wallmap.pixel_width(len(stages))))
    if len(reach):
        sec.blocks.append(Table.from_frame(reach, {
            "milestone_index": ("#", "int"), "milestone_id": ("Milestone", "text"),
            "n_reached": ("Customers reached", "int"),
            "rate_from_previous": ("From the milestone before", "pct"),
            "rate_from_start": ("From the first milestone", "pct")},
            caption="Milestones, in order within the map's window"))


def milestone_edges(reach) -> list[wallmap.Edge]:
    """Arrows from each milestone's touchpoint to the next one's; the width grows with the share
    who went on (the share itself is written on the target note)."""
    edges = []
    rows = [r for r in reach.itertuples() if isinstance(r.touchpoint_id, str)]
    for before, after in zip(rows, rows[1:]):
        if before.touchpoint_id == after.touchpoint_id:
            continue  # n-th occurrence of the same touchpoint: the note's badge says it
        rate = after.rate_from_previous
        edges.append(wallmap.Edge(
            before.touchpoint_id, after.touchpoint_id,
            width=1 + 6 * (rate if pd.notna(rate) else 0), colour=NEUTRAL))
    return edges
