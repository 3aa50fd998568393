"""As-is vs ideal (ops): the ideal map and the discovered as-is map drawn on the same wall
layout, missing and unexpected edges highlighted, conformance over the weeks, each step's
actual against its target, and the gaps and department handoffs ranked by customers lost."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards import wallmap
from dashboards.charts import hbar, labelled
from dashboards.context import ReportContext
from dashboards.dropoff import milestone_name
from dashboards.journey_map import map_notes
from dashboards.page import (Chart, Notice, Page, SideBySide, Table, fmt_duration, fmt_int,
                             fmt_pct)
from dashboards.palette import BAD, GOOD, GREY, NEUTRAL, OKABE_ITO

NAME = "as_is_vs_ideal"
TITLE = "As-is vs ideal"
SUMMARY = "How far real journeys stray from the ideal map, and which gaps cost the most."
TABLES = ["journey_maps", "map_stages", "map_touchpoints", "map_milestones", "map_follow_ups",
          "journey_events", "customer_journeys", "conformance_summary", "conformance_by_week",
          "conformance_deviations", "conformance_touchpoint_dfg", "follow_up_summary",
          "step_targets", "department_handoffs"]
DEPS = ["customers"]  # plus whichever of TABLES are assets (assets/reports.py)
EXPECTED_EDGES, UNEXPECTED_EDGES = 10, 6
DEVIATION_WORDS = {"skipped_stage": "skipped stage", "out_of_order": "out of order",
                   "looped_back": "looped back", "unexpected_touchpoint": "unexpected touchpoint",
                   "unexpected_event": "unexpected event",
                   "required_touchpoint_missing": "required touchpoint missing (a hole)",
                   "expected_follow_up_missing": "expected follow-up missing"}


def build(ctx: ReportContext) -> Page:
    page = Page(TITLE, SUMMARY, as_of=ctx.as_of, week=ctx.week)
    if page.notice_missing("As-is vs ideal", "conformance", ctx.missing(*TABLES)):
        return page
    ideals = ctx.frame("ideal_maps")
    if not len(ideals):
        page.section("As-is vs ideal").blocks.append(Notice("No ideal map has results yet."))
        return page
    ideal = ideals.iloc[0]
    map_id = ideal["map_id"]
    targets = ctx.frame("ideal_targets_vs_actuals", map_id=map_id)
    follow_ups = ctx.frame("ideal_follow_ups", map_id=map_id)
    _headline(ctx, page, map_id, targets)
    _maps(ctx, page, map_id, ideal["title"], targets, follow_ups)
    _trend(ctx, page, map_id)
    _targets(page, targets)
    _gaps(ctx, page, map_id, targets, follow_ups)
    _handoffs(ctx, page, map_id)
    return page


def _headline(ctx, page, map_id, targets):
    summary = ctx.frame("conformance_headline", map_id=map_id)
    if len(summary):
        s = summary.iloc[0]
        page.add_headline(
            f"{fmt_pct(s['perfectly_fitting_share'], 0)} of the {fmt_int(s['n_closed'])} closed "
            f"journeys follow the ideal stage order exactly; log fitness "
            f"{fmt_pct(s['log_fitness'], 0)} ({fmt_int(s['n_in_progress'])} journeys still in "
            f"progress are not scored).")
    ranked = targets[targets["extra_endpoint_if_met"].fillna(0) > 0].sort_values("impact_rank")
    if len(ranked):
        r = ranked.iloc[0]
        page.add_headline(
            f"Fix first: the step into {milestone_name(r['milestone_id']).lower()} converts at "
            f"{fmt_pct(r['conversion_rate'], 0)} against a target of "
            f"{fmt_pct(r['target_rate'], 0)}; meeting it would bring about "
            f"{r['extra_endpoint_if_met']:.0f} more customers to the endpoint.")


def _step_edges(targets, milestones) -> list[wallmap.Edge]:
    """Ideal-map arrows between milestone touchpoints, labelled with target and actual."""
    touch = dict(zip(milestones["milestone_index"], milestones["touchpoint_id"]))
    edges = []
    for r in targets.itertuples():
        a, b = touch.get(r.milestone_index - 1), touch.get(r.milestone_index)
        if not isinstance(a, str) or not isinstance(b, str) or a == b or pd.isna(r.target_rate):
            continue
        short = pd.notna(r.conversion_gap) and r.conversion_gap < 0
        target_time = (f" in {fmt_duration(r.target_median_seconds)}"
                       if pd.notna(r.target_median_seconds) else "")
        edges.append(wallmap.Edge(
            a, b, label=f"target {fmt_pct(r.target_rate, 0)}{target_time} · actual "
                        f"{fmt_pct(r.conversion_rate, 0)}",
            width=3, colour=BAD if short else GOOD))
    return edges


def _follow_up_edges(follow_ups) -> list[wallmap.Edge]:
    return [wallmap.Edge(
        r.after_touchpoint, r.expect_touchpoint,
        label=f"follow-up within {fmt_duration(r.within_seconds)}: {fmt_pct(r.done_rate, 0)} "
              f"done, {fmt_int(r.n_missing)} missing",
        colour=BAD if (r.n_missing or 0) > 0 else GOOD, dash=(r.n_missing or 0) > 0, width=2)
        for r in follow_ups.itertuples()]


def _maps(ctx, page, map_id, title, targets, follow_ups):
    sec = page.section("The ideal map and the discovered as-is map",
                       "Both drawn on the same wall layout (stages as columns, one lane per "
                       "department) so the same sticky note sits in the same place.")
    stages, numbers, _ = map_notes(ctx, map_id)
    milestones = ctx.conn.execute(
        "select milestone_index, touchpoint_id from map_milestones where map_id = $m "
        "order by milestone_index", {"m": map_id}).df()
    notes = []
    for r in numbers.itertuples():
        lines = [f"{fmt_int(r.n_customers)} customers" if r.n_customers else "no data yet"]
        if r.required:
            lines.append("required")
        notes.append(wallmap.Note(r.touchpoint_id, r.label, r.stage, r.department, lines,
                                  hover=f"{r.label} ({r.touchpoint_id})", muted=not r.n_customers,
                                  outline=NEUTRAL if r.required else None))
    ideal_edges = _step_edges(targets, milestones) + _follow_up_edges(follow_ups)
    fig, height = wallmap.draw(stages, notes, ideal_edges)
    pair = SideBySide([])
    sec.blocks.append(pair)
    pair.charts.append(Chart(
        f"Ideal: {title}",
        "Arrows are what the ideal expects: milestone steps with target and actual (green met, "
        "vermillion short) and follow-ups (dashed vermillion when some never came); blue-edged "
        "notes are required.",
        fig, Table.from_frame(targets, {
            "milestone_id": ("Step into", "text"), "target_rate": ("Target", "pct"),
            "conversion_rate": ("Actual", "pct"),
            "target_median_seconds": ("Target time", "duration"),
            "median_seconds": ("Actual median time", "duration")}),
        axes=False, height=height, wide=True, width=wallmap.pixel_width(len(stages))))

    dfg = ctx.frame("ideal_touchpoint_edges", map_id=map_id)
    expected = dfg[dfg["is_expected"]].head(EXPECTED_EDGES)
    unexpected = dfg[~dfg["is_expected"]].head(UNEXPECTED_EDGES)
    top = max(dfg["n_transitions"].max(), 1) if len(dfg) else 1
    discovered = [wallmap.Edge(
        r.from_touchpoint, r.to_touchpoint,
        label=f"{fmt_int(r.n_transitions)}× · {fmt_duration(r.median_seconds)}",
        width=1 + 7 * r.n_transitions / top, colour=NEUTRAL if r.is_expected else BAD)
        for r in pd.concat([expected, unexpected]).itertuples()]
    discovered += [e for e in _follow_up_edges(follow_ups) if e.dash]
    fig, height = wallmap.draw(stages, notes, discovered)
    shown = pd.concat([expected, unexpected]).assign(
        verdict=lambda f: ["expected" if e else "UNEXPECTED" for e in f["is_expected"]])
    pair.charts.append(Chart(
        "As-is: what customers really did",
        f"Arrows are the {EXPECTED_EDGES} busiest expected moves (blue) and the "
        f"{UNEXPECTED_EDGES} busiest unexpected ones (vermillion: a skipped required stage or "
        f"a step back), labelled with transitions and median time; dashed: expected "
        f"follow-ups that did not come.",
        fig, Table.from_frame(shown, {
            "from_touchpoint": ("From", "text"), "to_touchpoint": ("To", "text"),
            "n_transitions": ("Transitions", "int"), "median_seconds": ("Median time", "duration"),
            "verdict": ("Against the ideal", "text")}),
        axes=False, height=height, wide=True, width=wallmap.pixel_width(len(stages))))


def _trend(ctx, page, map_id):
    sec = page.section("Conformance over the weeks",
                       "Is the organisation moving toward the ideal? Closed journeys by the week "
                       "they started.")
    trend = ctx.frame("conformance_trend", map_id=map_id)
    if not len(trend):
        sec.blocks.append(Notice("No closed journey yet."))
        return
    weeks = trend["entry_week"].astype(str).str[:10]
    fig = go.Figure([
        go.Scatter(x=list(weeks), y=list(trend["log_fitness"]), name="Log fitness",
                   mode="lines+markers", line={"color": NEUTRAL}),
        go.Scatter(x=list(weeks), y=list(trend["perfectly_fitting_share"]),
                   name="Journeys that fit exactly", mode="lines+markers",
                   line={"color": OKABE_ITO[1], "dash": "dot"}, marker={"symbol": "square"}),
    ])
    fig.update_yaxes(range=[0, 1.02])
    sec.blocks.append(Chart(
        "Conformance to the ideal stage order, per entry week",
        "Higher is closer to the ideal; a rising line means journeys are getting more like the "
        "map.",
        labelled(fig, "Entry week (Monday, UTC)", "Fitness / share (%)", y_percent=True),
        Table.from_frame(trend.assign(week=weeks), {
            "week": ("Entry week", "date"), "n_closed": ("Closed journeys", "int"),
            "log_fitness": ("Log fitness", "pct"), "average_fitness": ("Average fitness", "pct"),
            "perfectly_fitting_share": ("Fit exactly", "pct")})))


def _targets(page, targets):
    sec = page.section("Targets vs actuals",
                       "Each step into a milestone, from the one before. Rates count the "
                       "customers whose deadline for the step has passed, whether or not they "
                       "made it (the same closed cohorts as the weekly drop-off report); those "
                       "still within it are left out, even if they already made it.")
    rows = targets[targets["target_rate"].notna()]
    if not len(rows):
        sec.blocks.append(Notice("The ideal map sets no targets."))
        return
    names = [milestone_name(m) for m in rows["milestone_id"]]
    rate = rows["conversion_rate"]
    fig = go.Figure([
        go.Bar(x=names, y=[None if pd.isna(v) else v for v in rate], name="Actual",
               marker={"color": NEUTRAL},
               error_y={"type": "data", "symmetric": False,
                        "array": [0 if pd.isna(h) else h - v
                                  for h, v in zip(rows["conversion_rate_high"], rate)],
                        "arrayminus": [0 if pd.isna(lo) else v - lo
                                       for lo, v in zip(rows["conversion_rate_low"], rate)]}),
        go.Scatter(x=names, y=list(rows["target_rate"]), name="Target", mode="markers",
                   marker={"symbol": "line-ew-open", "size": 40, "color": "#000000",
                           "line": {"width": 3}}),
    ])
    sec.blocks.append(Chart(
        "Conversion into each milestone against its target",
        "Bars are the actual rate with its 95 % interval; the black line is the target: a bar "
        "below its line misses the target.",
        labelled(fig, "Step into milestone", "Converted (% of customers past the deadline)",
                 y_percent=True),
        Table.from_frame(rows.assign(name=names), {
            "name": ("Step into", "text"), "entered": ("Entered", "int"),
            "open": ("Deadline not passed", "int"),
            "converted": ("Converted (deadline passed)", "int"),
            "conversion_rate": ("Actual", "pct"), "target_rate": ("Target", "pct"),
            "conversion_gap": ("Gap", "points"), "median_seconds": ("Median time", "duration"),
            "target_median_seconds": ("Target time", "duration")})))


def _gaps(ctx, page, map_id, targets, follow_ups):
    sec = page.section("Gaps ranked by impact",
                       "Which misses cost the most customers: steps against their targets, "
                       "then deviations from the ideal in journey language.")
    ranked = targets[targets["extra_endpoint_if_met"].notna()].sort_values("impact_rank")
    if len(ranked):
        names = [milestone_name(m) for m in ranked["milestone_id"]]
        sec.blocks.append(Chart(
            "Extra customers at the endpoint if each step met its target",
            "Longest bar first: the step whose target would bring the most customers to the "
            "endpoint, given the later steps' observed rates.",
            hbar(names, ranked["extra_endpoint_if_met"], x_title="Extra endpoint customers "
                 "(count)", y_title="Step into milestone", colours=OKABE_ITO[5]),
            Table.from_frame(ranked.assign(name=names), {
                "impact_rank": ("Rank", "int"), "name": ("Step into", "text"),
                "lost_vs_target": ("Lost against target", "float"),
                "extra_endpoint_if_met": ("Extra at endpoint", "float")}),
            height=max(300, 40 * len(ranked) + 140)))
    deviations = ctx.frame("ideal_deviations", map_id=map_id)
    if len(deviations):
        top = deviations.head(12).copy()
        top["what"] = [f"{DEVIATION_WORDS.get(k, k.replace('_', ' '))}: {s}"
                       for k, s in zip(top["kind"], top["subject"])]
        sec.blocks.append(Chart(
            "Most frequent deviations from the ideal",
            "Longer bars: more closed journeys show that deviation (one journey can show "
            "several).",
            hbar(top["what"], top["share_of_closed"], x_title="Closed journeys (%)",
                 y_title="Deviation", x_percent=True, colours=BAD),
            Table.from_frame(top, {
                "what": ("Deviation", "text"), "n_journeys": ("Journeys", "int"),
                "share_of_closed": ("Of closed journeys", "pct")}),
            height=max(320, 26 * len(top) + 140)))
    if len(follow_ups):
        sec.blocks.append(Table.from_frame(follow_ups, {
            "label": ("Expected follow-up", "text"), "n_due": ("Due", "int"),
            "n_done": ("Done", "int"), "n_missing": ("Missing", "int"),
            "n_not_due": ("Not due yet", "int"), "done_rate": ("Done", "pct"),
            "done_rate_low": ("Low 95 %", "pct"), "done_rate_high": ("High 95 %", "pct")},
            caption="Expected follow-ups (holes in the process)"))


def _handoffs(ctx, page, map_id):
    sec = page.section("Department handoffs",
                       "Where one department's touchpoint is followed by another's: how long "
                       "the handoff takes, and how many customers are lost after it.")
    handoffs = ctx.frame("ideal_handoffs", map_id=map_id)
    dept = handoffs[handoffs["level"] == "department"].sort_values("handoff_rank")
    if not len(dept):
        sec.blocks.append(Notice("No handoff between departments yet."))
        return
    dept = dept.assign(pair=[f"{a} → {b}" for a, b in zip(dept["from_department"],
                                                          dept["to_department"])])
    top = dept.head(12)
    sec.blocks.append(Chart(
        "Customers lost after each handoff",
        "Longest bar first: customers whose journey never reached the endpoint after this "
        "handoff; the table gives latency and rate.",
        hbar(top["pair"], top["dropped"], x_title="Customers who dropped after it (count)",
             y_title="Handoff (from → to department)", colours=GREY,
             hover=[f"median latency {fmt_duration(s)}, drop rate {fmt_pct(r, 0)}"
                    for s, r in zip(top["median_latency_seconds"], top["drop_rate"])]),
        Table.from_frame(dept, {
            "handoff_rank": ("Rank", "int"), "pair": ("Handoff", "text"),
            "n_handoffs": ("Handoffs", "int"), "n_customers": ("Customers", "int"),
            "median_latency_seconds": ("Median latency", "duration"),
            "at_risk": ("At risk", "int"), "dropped": ("Dropped", "int"),
            "drop_rate": ("Drop rate", "pct")}),
        height=max(320, 26 * len(top) + 140)))
    pairs = handoffs[handoffs["level"] == "touchpoint"].sort_values("handoff_rank").head(15)
    if len(pairs):
        pairs = pairs.assign(pair=[f"{a} → {b}" for a, b in zip(pairs["from_touchpoint"],
                                                                pairs["to_touchpoint"])])
        sec.blocks.append(Table.from_frame(pairs, {
            "pair": ("Touchpoints", "text"), "from_department": ("From", "text"),
            "to_department": ("To", "text"), "n_handoffs": ("Handoffs", "int"),
            "median_latency_seconds": ("Median latency", "duration"),
            "dropped": ("Dropped after", "int"), "drop_rate": ("Drop rate", "pct")},
            caption="The touchpoint pairs behind the handoffs, ranked the same way"))
