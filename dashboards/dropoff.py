"""Weekly drop-off report (marketing): what changed this week in plain words, the milestone
funnel, drop-off per step over the weeks, in progress vs dropped, where customers drop and what
they did next, and breakdowns by persona and channel.

The headline counts only significant changes: fct_funnel_week_over_week's two-proportion tests
on mature entry cohorts with Benjamini-Hochberg control (docs/metrics.md, Drop-off).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.charts import hbar, labelled, lines_by
from dashboards.context import ReportContext
from dashboards.page import Chart, Notice, Page, Table, fmt_pct, plot_text
from dashboards.palette import BAD, GOOD, IN_PROGRESS, NEUTRAL, OKABE_ITO
from dashboards.wallmap import department_colours

NAME = "weekly_dropoff"
TITLE = "Weekly drop-off"
SUMMARY = "What changed this week, where customers drop off, and what they did instead."
TABLES = ["journey_maps", "map_milestones", "map_touchpoints", "fct_milestone_funnels",
          "fct_dropoff_weekly", "fct_dropoff_last_touchpoints", "fct_dropoff_next_steps",
          "fct_funnel_week_over_week", "fct_time_to_milestone", "fct_time_to_milestone_summary"]
DEPS = ["customers"]  # plus whichever of TABLES are assets (assets/reports.py)
SEGMENT_DIMENSIONS = {"persona": "persona", "first_touch_channel": "first-touch channel",
                      "first_touch_source": "first-touch source",
                      "first_touch_department": "first-touch department"}
MAX_SEGMENT_SENTENCES = 3
# A weekly cohort smaller than this is not the headline's week: too few to test (the same bar
# the say-vs-do layer and Mixpanel use for "small group").
MIN_HEADLINE_ENTRANTS = 30


def milestone_name(milestone_id: str) -> str:
    """`test_ride_booked` -> `Test ride booked`."""
    text = str(milestone_id).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def step_name(from_milestone: str, to_milestone: str) -> str:
    return f"{milestone_name(from_milestone)} → {milestone_name(to_milestone).lower()}"


def interval_text(lows, highs) -> list[str | None]:
    """Interval bounds as "46 %–51 %" (None where there is none)."""
    return [f"{fmt_pct(lo, 0)}–{fmt_pct(hi, 0)}" if pd.notna(lo) else None
            for lo, hi in zip(lows, highs)]


def _points(change: float) -> str:
    return f"{abs(100 * change):.0f} points"


def headline(wow: pd.DataFrame) -> tuple[str | None, list[str]]:
    """(the week the headline is about, its sentences) from one map's week-over-week rows.

    The week is the latest mature entry cohort with at least MIN_HEADLINE_ENTRANTS customers at
    the first step (later, smaller cohorts are named as too small). Only changes whose
    Benjamini-Hochberg q-value is below 5 % are told; the overall funnel first, then at most
    three segments, largest change first."""
    if wow is None or not len(wow):
        return None, ["No entry cohort is mature yet (every window is still open): nothing to "
                      "compare this week."]
    first_step = wow[(wow["dimension"] == "all")
                     & (wow["step_index"] == wow["step_index"].min())]
    sizes = first_step.groupby("entry_week")["entered"].sum()
    big_enough = sizes[sizes >= MIN_HEADLINE_ENTRANTS]
    latest = wow["entry_week"].max()
    week = big_enough.index.max() if len(big_enough) else latest
    this = wow[wow["entry_week"] == week]
    week_text = str(week)[:10]
    sig = this[this["significant_vs_previous"].fillna(False).astype(bool)].copy()
    sig["size"] = sig["change_vs_previous"].abs()
    sentences = []
    if latest != week:
        sentences.append(
            f"Customers who entered after the week of {week_text} are still too few to compare "
            f"(fewer than {MIN_HEADLINE_ENTRANTS} with a closed window per week); this is about "
            f"the week of {week_text}.")
    overall = sig[sig["dimension"] == "all"].sort_values(["size", "step_index"],
                                                         ascending=[False, True])
    for r in overall.itertuples():
        direction = "fell" if r.change_vs_previous < 0 else "rose"
        sentences.append(
            f"{step_name(r.from_milestone, r.to_milestone)}: conversion {direction} to "
            f"{fmt_pct(r.rate, 0)} for customers who entered in the week of {week_text}, from "
            f"{fmt_pct(r.previous_rate, 0)} the week before ({_points(r.change_vs_previous)}, "
            f"{r.converted} of {r.entered}; significant, q = {r.q_vs_previous:.3f}).")
    segments = sig[sig["dimension"] != "all"].sort_values(["size", "step_index"],
                                                          ascending=[False, True])
    for r in segments.head(MAX_SEGMENT_SENTENCES).itertuples():
        direction = "fell" if r.change_vs_previous < 0 else "rose"
        who = SEGMENT_DIMENSIONS.get(r.dimension, r.dimension)
        sentences.append(
            f"Among customers whose {who} is {r.segment or '(none)'}: "
            f"{step_name(r.from_milestone, r.to_milestone).lower()} {direction} to "
            f"{fmt_pct(r.rate, 0)} from {fmt_pct(r.previous_rate, 0)} "
            f"({_points(r.change_vs_previous)}; q = {r.q_vs_previous:.3f}).")
    if len(segments) > MAX_SEGMENT_SENTENCES:
        sentences.append(f"{len(segments) - MAX_SEGMENT_SENTENCES} more significant segment "
                         f"changes are in the table at the end.")
    below = this[(this["dimension"] == "all")
                 & this["significant_vs_high_water"].fillna(False).astype(bool)
                 & (this["change_vs_high_water"] < 0)]
    for r in below.itertuples():
        sentences.append(
            f"{step_name(r.from_milestone, r.to_milestone)} is still significantly below its "
            f"best week ({str(r.high_water_week)[:10]}: {fmt_pct(r.high_water_rate, 0)}).")
    if len(sentences) == (latest != week):
        tested = int(this["q_vs_previous"].notna().sum())
        sentences.append(
            f"No step's conversion changed significantly for customers who entered in the week "
            f"of {week_text}, compared with the week before ({tested} step and segment "
            f"comparisons tested; differences this small are within normal week-to-week "
            f"noise).")
    return week_text, sentences


def build(ctx: ReportContext) -> Page:
    page = Page(TITLE, SUMMARY, as_of=ctx.as_of, week=ctx.week)
    if page.notice_missing("Drop-off", "funnel", ctx.missing(*TABLES)):
        return page
    maps = ctx.frame("funnel_maps")
    if not len(maps):
        page.section("Drop-off").blocks.append(Notice("No map has a milestone funnel yet."))
        return page
    first = maps.iloc[0]
    add_map(ctx, page, first.map_id, first.title)
    return page


def add_map(ctx: ReportContext, page: Page, map_id: str, title: str) -> None:
    wow = ctx.frame("dropoff_week_over_week", map_id=map_id)
    week, sentences = headline(wow)
    for s in sentences:
        page.add_headline(s)
    _funnel(ctx, page, map_id, title)
    _time_to_milestone(ctx, page, map_id)
    steps = ctx.frame("dropoff_by_step", map_id=map_id)
    steps["step"] = [step_name(a, b) for a, b in zip(steps["from_milestone"],
                                                     steps["to_milestone"])]
    _weekly_dropoff(page, steps)
    _status(page, steps)
    _where_they_drop(ctx, page, map_id)
    _breakdowns(ctx, page, map_id)
    _tests_table(page, wow, week)


def _funnel(ctx, page, map_id, title):
    sec = page.section(f"Milestone funnel: {title}",
                       "Everyone who reached the first milestone, all entry weeks together.")
    funnel = ctx.frame("dropoff_funnel", map_id=map_id, dimension="all")
    if not len(funnel):
        sec.blocks.append(Notice("Nobody reached the first milestone yet."))
        return
    names = [milestone_name(m) for m in funnel["milestone_id"]]
    fig = go.Figure([
        go.Bar(x=names, y=list(funnel["persons"]), name="Reached", marker={"color": NEUTRAL},
               text=[f"{int(p):,}" for p in funnel["persons"]], textposition="inside"),
        go.Bar(x=names, y=list(funnel["in_progress"]), name="Not yet, still in their window",
               marker={"color": IN_PROGRESS, "pattern": {"shape": "/"}}),
    ])
    fig.update_layout(barmode="stack")
    funnel["interval"] = interval_text(funnel["conversion_from_previous_low"],
                                       funnel["conversion_from_previous_high"])
    funnel["name"] = names
    sec.blocks.append(Chart(
        "Customers reaching each milestone",
        "Each bar is how many customers got at least that far in order within the window; the "
        "hatched part are customers who have not got there yet but still can.",
        labelled(fig, "Milestone", "Customers (count)"),
        Table.from_frame(funnel, {
            "name": ("Milestone", "text"), "persons": ("Reached", "int"),
            "conversion_from_start": ("From the first", "pct"),
            "conversion_from_previous": ("From the one before", "pct"),
            "interval": ("95 % interval", "text"),
            "mature_conversion_from_previous": ("Closed windows only", "pct"),
            "in_progress": ("Still in progress", "int"),
            "median_seconds": ("Median time from the one before", "duration")})))


def _time_to_milestone(ctx, page, map_id):
    sec = page.section("How long customers take to reach each milestone",
                       "Days from the first milestone, counting customers who are still in "
                       "their window for as long as we have watched them (Kaplan–Meier).")
    curves = ctx.frame("time_to_milestone_curves", map_id=map_id)
    summary = ctx.frame("time_to_milestone_summary", map_id=map_id)
    if not len(curves):
        sec.blocks.append(Notice("Nobody has gone past the first milestone yet."))
        return
    fig = go.Figure()
    for colour, (milestone, curve) in zip(OKABE_ITO, curves.groupby("milestone_index", sort=True)):
        name = milestone_name(curve["milestone_id"].iloc[0])
        days = [0.0] + list(curve["seconds"] / 86_400)
        fig.add_trace(go.Scatter(
            x=days, y=[0.0] + list(curve["cumulative_conversion"]), name=plot_text(name),
            mode="lines", line={"color": colour, "width": 2, "shape": "hv"},
            hovertemplate=f"{plot_text(name)}<br>day %{{x:.1f}}: %{{y:.1%}}<extra></extra>"))
    summary["name"] = [milestone_name(m) for m in summary["milestone_id"]]
    summary["interval"] = interval_text(summary["km_conversion_low"],
                                        summary["km_conversion_high"])
    sec.blocks.append(Chart(
        "Share of customers who reached each milestone, by days since the first",
        "Each line climbs when customers reach that milestone. Customers still in their window "
        "count until today, so recent weeks do not pull the curve down; the table puts the "
        "estimate beside the plain share so far.",
        labelled(fig, "Days since the first milestone", "Reached (% of entrants)",
                 y_percent=True),
        Table.from_frame(summary, {
            "name": ("Milestone", "text"), "converted": ("Reached so far", "int"),
            "conversion_to_date": ("So far (% of entrants)", "pct"),
            "km_conversion": ("Estimated, counting those in progress", "pct"),
            "interval": ("95 % interval", "text"),
            "km_median_seconds": ("Half of entrants there by", "duration"),
            "in_progress": ("Still in progress", "int")})))


def _weekly_dropoff(page, steps):
    sec = page.section("Drop-off by step, week by week",
                       "Per weekly entry cohort: of the customers at a milestone whose window "
                       "has closed, the share who never reached the next one.")
    weekly = steps[steps["entry_week"].notna() & (steps["closed"] > 0)]
    if not len(weekly):
        sec.blocks.append(Notice("No entry cohort has a closed window yet."))
        return
    weekly = weekly.assign(week=weekly["entry_week"].astype(str).str[:10])
    sec.blocks.append(Chart(
        "Drop-off rate per step over the entry weeks",
        "Each line is one step between milestones; higher means more customers stopped there. "
        "Small weeks swing a lot: the table gives each week's counts and interval.",
        lines_by(weekly, "week", "drop_off_rate", "step",
                 x_title="Entry week (Monday, UTC)", y_title="Dropped (% of closed)",
                 y_percent=True),
        Table.from_frame(weekly.sort_values(["week", "step_index"], ascending=[False, True]), {
            "week": ("Entry week", "date"), "step": ("Step", "text"),
            "entered": ("Entered", "int"), "progressed": ("Went on", "int"),
            "dropped": ("Dropped", "int"), "in_progress": ("In progress", "int"),
            "drop_off_rate": ("Drop-off", "pct"), "drop_off_rate_low": ("Low 95 %", "pct"),
            "drop_off_rate_high": ("High 95 %", "pct")}),
        height=460))


def _status(page, steps):
    sec = page.section("In progress vs dropped",
                       "A customer whose window is still open is in progress, never a drop.")
    total = steps[steps["entry_week"].isna()]
    if not len(total):
        sec.blocks.append(Notice("Nobody reached a milestone yet."))
        return
    labels = [plot_text(s) for s in total["step"]]
    fig = go.Figure([
        go.Bar(y=labels, x=list(total[col]), name=name, orientation="h",
               marker={"color": colour, "pattern": {"shape": shape}})
        for col, name, colour, shape in (("progressed", "Went on", GOOD, ""),
                                         ("in_progress", "In progress", IN_PROGRESS, "/"),
                                         ("dropped", "Dropped", BAD, "x"))])
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    sec.blocks.append(Chart(
        "Customers at each step: went on, still in progress, dropped",
        "Each bar is everyone who reached the step's first milestone; green went on, hatched "
        "blue can still go on, crossed vermillion stopped.",
        labelled(fig, "Customers (count)", "Step"),
        Table.from_frame(total, {
            "step": ("Step", "text"), "stage": ("Stage", "text"), "entered": ("Entered", "int"),
            "progressed": ("Went on", "int"), "in_progress": ("In progress", "int"),
            "dropped": ("Dropped", "int"), "drop_off_rate": ("Drop-off", "pct")}),
        height=max(300, 70 * len(total) + 120)))


def _where_they_drop(ctx, page, map_id):
    sec = page.section("Where customers drop off, and what they did next",
                       "For customers who dropped at a step: the last touchpoint they had, and "
                       "the first thing they did after their last milestone.")
    last = ctx.frame("dropoff_last_touchpoints", map_id=map_id, top=5)
    if len(last):
        last["step"] = [step_name(a, b) for a, b in zip(last["from_milestone"],
                                                        last["to_milestone"])]
        colours = department_colours(last["department"].fillna("unknown"))
        sec.blocks.append(Chart(
            "Last touchpoint before dropping (top 5 per step)",
            "Longer bars: more of the step's drop-offs were last seen at that touchpoint; "
            "colours are the owning department.",
            hbar([f"{s}: {t}" for s, t in zip(last["step"], last["touchpoint_label"])],
                 last["share"], x_title="Drop-offs at the step (%)", y_title="Step: touchpoint",
                 x_percent=True,
                 colours=[colours[d] for d in last["department"].fillna("unknown")],
                 hover=[f"{p:,} customers" for p in last["persons"]]),
            Table.from_frame(last, {
                "step": ("Step", "text"), "touchpoint_label": ("Last touchpoint", "text"),
                "department": ("Department", "text"), "persons": ("Customers", "int"),
                "share": ("Of the step's drop-offs", "pct")}),
            height=max(320, 24 * len(last) + 120)))
    nxt = ctx.frame("dropoff_next_steps", map_id=map_id, top=5)
    if len(nxt):
        nxt["step"] = [step_name(a, b) for a, b in zip(nxt["from_milestone"], nxt["to_milestone"])]
        sec.blocks.append(Chart(
            "What they did next (top 5 per step)",
            "The first event after the customer's last milestone, as a touchpoint; "
            "'(nothing)' means no later event, '(unmapped)' an event the map does not name.",
            hbar([f"{s}: {t}" for s, t in zip(nxt["step"], nxt["touchpoint_label"])],
                 nxt["share"], x_title="Drop-offs at the step (%)", y_title="Step: next thing",
                 x_percent=True, colours=OKABE_ITO[4],
                 hover=[f"{p:,} customers" for p in nxt["persons"]]),
            Table.from_frame(nxt, {
                "step": ("Step", "text"), "touchpoint_label": ("Next touchpoint", "text"),
                "persons": ("Customers", "int"), "share": ("Of the step's drop-offs", "pct")}),
            height=max(320, 24 * len(nxt) + 120)))
    if not len(last) and not len(nxt):
        sec.blocks.append(Notice("Nobody has dropped off yet."))


def _breakdowns(ctx, page, map_id):
    sec = page.section("Breakdowns by persona and channel",
                       "The same funnel per persona and per channel of the first touch.")
    for dimension, what in (("persona", "persona"), ("first_touch_channel", "first-touch channel")):
        funnel = ctx.frame("dropoff_funnel", map_id=map_id, dimension=dimension)
        if not len(funnel):
            sec.blocks.append(Notice(f"No breakdown by {what}."))
            continue
        funnel["name"] = [milestone_name(m) for m in funnel["milestone_id"]]
        funnel["segment"] = funnel["segment"].replace("", "(none)")
        fig = lines_by(funnel, "name", "conversion_from_start", "segment",
                       x_title="Milestone", y_title="Reached (% of the segment's entrants)",
                       y_percent=True)
        fig.update_xaxes(categoryorder="array",
                         categoryarray=list(dict.fromkeys(funnel.sort_values(
                             "milestone_index")["name"])))
        sec.blocks.append(Chart(
            f"Funnel by {what}",
            f"One line per {what}: the share of its entrants who reached each milestone; a "
            f"line that falls away earlier is where that group stalls.",
            fig,
            Table.from_frame(funnel, {
                "segment": (what.capitalize(), "text"), "name": ("Milestone", "text"),
                "persons": ("Reached", "int"), "conversion_from_start": ("From the first", "pct"),
                "conversion_from_previous": ("From the one before", "pct")})))


def _tests_table(page, wow, week):
    sec = page.section("Every week-over-week test behind the headline",
                       "Mature entry cohorts of the headline week against the week before; "
                       "q is the Benjamini-Hochberg adjusted p-value, significant below 0.05.")
    if week is None:
        sec.blocks.append(Notice("No mature entry cohort yet."))
        return
    rows = wow[wow["entry_week"].astype(str).str[:10] == week].copy()
    rows["step"] = [step_name(a, b) for a, b in zip(rows["from_milestone"], rows["to_milestone"])]
    rows["group"] = [("everyone" if d == "all" else
                      f"{SEGMENT_DIMENSIONS.get(d, d)} = {s or '(none)'}")
                     for d, s in zip(rows["dimension"], rows["segment"])]
    rows["verdict"] = ["significant" if s else "" for s in
                       rows["significant_vs_previous"].fillna(False).astype(bool)]
    rows = rows.sort_values(["q_vs_previous", "step_index"], na_position="last")
    sec.blocks.append(Table.from_frame(rows, {
        "step": ("Step", "text"), "group": ("Customers", "text"),
        "entered": ("Entered", "int"), "converted": ("Went on", "int"),
        "rate": ("This week", "pct"), "previous_rate": ("Week before", "pct"),
        "change_vs_previous": ("Change", "points"), "q_vs_previous": ("q", "float"),
        "verdict": ("", "text")}, caption=f"Week of {week}"))
